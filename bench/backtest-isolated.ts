import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PATH_SCRIPT = fileURLToPath(new URL('./backtest-path.ts', import.meta.url));

export interface PathRun {
  readonly barsPerSec: number;
  readonly trades: number;
  readonly finalEquity: string;
}

/** One path (`engine` or `node`) over `total` bars in a fresh Node process (bench/backtest-path.ts). */
function runPath(which: 'engine' | 'node', total: number): Promise<PathRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', '--import', 'tsx', PATH_SCRIPT, which, String(total)], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`bench path ${which} failed: ${err.message}\n${stderr}`));
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as PathRun);
      } catch {
        reject(new Error(`bench path ${which} printed no result: ${stdout}`));
      }
    });
  });
}

/**
 * Both paths, each in a process of its own, alternating (engine-only, node, engine-only, node), the
 * better of two runs each; both must give the same trades and final equity as `expected`.
 */
export async function isolatedRuns(total: number, expected: { trades: number; finalEquity: string }) {
  const engineOnlyRuns: number[] = [];
  const nodeRuns: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const which of ['engine', 'node'] as const) {
      const r = await runPath(which, total);
      if (r.trades !== expected.trades || r.finalEquity !== expected.finalEquity) {
        throw new Error(`isolated ${which} run disagrees: ${r.trades} trades, ${r.finalEquity}; expected ${expected.trades}, ${expected.finalEquity}`);
      }
      (which === 'engine' ? engineOnlyRuns : nodeRuns).push(r.barsPerSec);
    }
  }
  return { engineOnlyRuns, nodeRuns, engineOnlyBarsPerSec: Math.max(...engineOnlyRuns), nodeBarsPerSec: Math.max(...nodeRuns) };
}
