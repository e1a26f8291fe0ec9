import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const entry = (name: string): string => fileURLToPath(new URL(`./src/entry/${name}.ts`, import.meta.url));

export default defineConfig({
  // The package's own entry points (package.json exports), from source: examples and tests import 'warden/...'.
  resolve: {
    alias: [
      { find: /^warden$/, replacement: entry('warden') },
      { find: /^warden\/([a-z]+)$/, replacement: entry('$1') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    // Two files at a time on the two-core CI machine: many files wait on child processes, sockets
    // and PostgreSQL rather than the CPU (vitest's default, cores - 1, runs them one by one).
    // Files that share a service keep apart by schema, bucket, stream or private server per file.
    maxWorkers: 2,
  },
});
