import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * ARCHITECTURE.md: dependencies point one way. `model` imports nothing of ours; `portfolio` (the
 * ledger the engine's state folds) only `model`; `engine` only `model` and `portfolio`. Risk
 * control, execution, journals, venues and everything above import the engine, never the reverse.
 */
const SRC = resolve(new URL('../src', import.meta.url).pathname);
const ALLOWED: Record<string, readonly string[]> = {
  model: [],
  portfolio: ['model'],
  engine: ['model', 'portfolio'],
  // The strategy API: the engine it sends to, and the request types of the two drivers it commands,
  // the order emulator (execution/emulation) and the algorithms (the node hands it both).
  strategy: ['model', 'portfolio', 'engine', 'algos', 'execution'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The top-level src folder each relative import of `file` reaches. */
function layersImportedBy(file: string): { spec: string; layer: string }[] {
  const text = readFileSync(file, 'utf8');
  const out: { spec: string; layer: string }[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const target = relative(SRC, resolve(dirname(file), m[1]!));
    out.push({ spec: m[1]!, layer: target.split('/')[0]! });
  }
  return out;
}

describe('dependencies point one way (ARCHITECTURE.md)', () => {
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`src/${layer} imports only ${allowed.length === 0 ? 'itself' : [layer, ...allowed].join(', ')}`, () => {
      const files = filesUnder(join(SRC, layer));
      expect(files.length).toBeGreaterThan(0);
      const offending = files.flatMap((f) =>
        layersImportedBy(f)
          .filter((i) => i.layer !== layer && !allowed.includes(i.layer))
          .map((i) => `${relative(SRC, f)} imports ${i.spec}`),
      );
      expect(offending).toEqual([]);
    });
  }

  it('the scan sees imports across layers (src/risk imports the engine)', () => {
    const layers = filesUnder(join(SRC, 'risk')).flatMap((f) => layersImportedBy(f).map((i) => i.layer));
    expect(layers).toContain('engine');
  });
});
