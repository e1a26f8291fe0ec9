import { runBacktestBench } from './backtest.ts';
import { runClusterBench } from './cluster.ts';
import { runEngineBench } from './engine.ts';
import { runExecutorBench } from './executor.ts';
import { runGatewayBench } from './gateway.ts';
import { runJournalBench } from './journal.ts';
import { runMatchBench } from './match.ts';
import { runRiskBench } from './risk.ts';
import { runServerBench } from './server.ts';
import { runVenueBench } from './venue.ts';

/** `npm run bench` runs every case; `npm run bench -- CASE` runs one. Figures go to bench/results.json. */
const CASES: Record<string, () => Promise<unknown>> = {
  backtest: runBacktestBench,
  cluster: runClusterBench,
  engine: runEngineBench,
  executor: runExecutorBench,
  gateway: runGatewayBench,
  journal: runJournalBench,
  match: runMatchBench,
  risk: runRiskBench,
  server: runServerBench,
  venue: runVenueBench,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in CASES));
if (unknown.length) {
  console.error(`unknown bench case(s): ${unknown.join(', ')}; cases: ${Object.keys(CASES).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(CASES)) {
  await CASES[name]!();
}
