import { measureEventPublishing } from './cluster-events.ts';
import { measureFirmBudget } from './cluster-budget.ts';
import { recordResult } from './results.ts';

/**
 * `npm run bench -- cluster` (issue 19): the firm budget's cost to one node's order rate, the
 * reservation latency, the firm kill switch's propagation to three nodes (src/cluster/budget,
 * kill), and JetStream publishing against the journal's own rate (src/cluster/events). Needs the
 * machine's NATS (127.0.0.1:4222, or WARDEN_BENCH_NATS_URL).
 */
export async function runClusterBench(): Promise<void> {
  const budget = await measureFirmBudget();
  const events = await measureEventPublishing();
  const figures = { ...budget, ...events };
  console.log(JSON.stringify({ cluster: figures }, null, 2));
  recordResult('cluster', figures);
}
