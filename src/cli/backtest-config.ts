import { summarize, writeReports, type BacktestSummary } from '../backtest/report.ts';
import { runNodeBacktest } from '../backtest/runner.ts';
import { loadNodeConfig } from '../node/config/index.ts';
import { createLogger } from '../node/logging.ts';
import { summaryLines } from './backtest.ts';

export interface ConfigBacktestCliOptions {
  readonly config: string;
  readonly out: string;
  readonly json?: boolean;
}

/**
 * `warden backtest --config warden.yaml`: the node of a config file (the paper one too: its mode
 * is overridden to backtest) on the data's clock, at full speed, with its venues, accounts,
 * instruments, risk and strategies; writes the report files of the flag-driven backtest
 * (report.html, trades.csv, equity.csv, summary.json) for the account of the first strategy.
 */
export async function runConfigBacktestCli(o: ConfigBacktestCliOptions, print: (line: string) => void = console.log): Promise<{ summary: BacktestSummary; files: Awaited<ReturnType<typeof writeReports>> }> {
  const { config, secrets } = loadNodeConfig(o.config, process.env, { mode: 'backtest' });
  const logger = createLogger(config.logging, { secrets, base: { node: config.node.id } });
  const result = await runNodeBacktest(config, { secrets, logger }, { name: config.strategies.map((s) => s.id).join('+') || 'none' });
  const params = Object.fromEntries(config.strategies.map((s) => [s.id, { strategy: s.name, ...s.params }]));
  const summary = summarize(result, params, { config: o.config, node: config.node.id, mode: 'backtest' });
  const files = await writeReports(result, summary, o.out);
  if (o.json) print(JSON.stringify(summary, null, 2));
  else {
    print(`node ${config.node.id} (backtest): ${result.bars} items, ${result.trades.length} trades, final equity ${result.finalEquity} ${result.currency}, denied ${result.denied}`);
    for (const line of summaryLines(summary, result.breakerLog, files)) print(line);
  }
  return { summary, files };
}
