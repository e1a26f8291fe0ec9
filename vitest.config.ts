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
  },
});
