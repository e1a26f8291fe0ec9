/**
 * One backtest in a worker thread (WorkerBacktests starts it): a built-in strategy over one
 * replayed data file, progress posted as it runs, the summary and the HTML report at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { reportHtml, summarize } from '../backtest/report.ts';
import { runBacktest } from '../backtest/runner.ts';
import type { DataSourceSpec } from '../data/reader-options.ts';
import type { ExplicitInstrumentConfig } from '../node/config/index.ts';
import { instrumentSpecOf } from '../node/config/instruments.ts';
import { readReplay } from '../node/market-data.ts';
import { STRATEGIES } from '../strategies/index.ts';

export interface BacktestJob {
  readonly strategy: string;
  readonly params: Readonly<Record<string, string>>;
  readonly source: DataSourceSpec;
  readonly instrument: ExplicitInstrumentConfig;
  readonly cash: string;
}

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly progress: number }
  | { readonly kind: 'done'; readonly summary: Record<string, unknown>; readonly html: string }
  | { readonly kind: 'failed'; readonly error: string };

async function main(job: BacktestJob): Promise<WorkerMessage> {
  const factory = STRATEGIES[job.strategy];
  if (!factory) return { kind: 'failed', error: `unknown strategy ${job.strategy} (${Object.keys(STRATEGIES).join(', ')})` };
  const total = Math.max(1, readFileSync(job.source.file).toString('latin1').split('\n').length - 2);
  let last = 0;
  const result = await runBacktest({
    sources: [{ instrument: instrumentSpecOf(job.instrument), bars: readReplay(job.source) }],
    strategy: factory.create({ ...job.params }),
    cash: job.cash,
    onProgress: (bars) => {
      const p = Math.min(0.99, bars / total);
      if (p - last >= 0.01) {
        last = p;
        parentPort?.postMessage({ kind: 'progress', progress: p } satisfies WorkerMessage);
      }
    },
  });
  const summary = summarize(result, job.params);
  return { kind: 'done', summary: JSON.parse(JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>, html: await reportHtml(result, summary) };
}

main(workerData as BacktestJob)
  .then((m) => parentPort?.postMessage(m))
  .catch((e: unknown) => parentPort?.postMessage({ kind: 'failed', error: (e as Error).message } satisfies WorkerMessage));
