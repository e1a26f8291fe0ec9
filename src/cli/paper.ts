import { createLogger } from '../node/logging.ts';
import { TradingNode } from '../node/trading-node.ts';
import { paperPlan, type PaperCliOptions } from './paper-config.ts';
import { statusLine } from './run.ts';

export type { PaperCliOptions } from './paper-config.ts';

const iso = (ts: number): string => new Date(ts).toISOString();

/**
 * `warden paper --data FILE --strategy NAME`: the flags become a node config in memory
 * (paper-config.ts) and a TradingNode runs it in paper mode: the strategy on the simulated venue
 * behind a PAPER executor, the risk stack of --risk, the files replayed `--speed` times faster
 * than real time (or `max`), journaled so `--journal FILE` resumes. SIGINT/SIGTERM stop cleanly;
 * a second signal exits at once.
 */
export async function runPaperCli(o: PaperCliOptions, print: (line: string) => void = console.log): Promise<void> {
  const { config, data, maxSteps, statusEvery } = paperPlan(o);
  const logger = createLogger(config.logging, { base: { node: config.node.id } });
  const node = await TradingNode.start(config, { logger, statusEvery });
  const engine = node.engine;
  engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderFilled') print(`${iso(e.tsEvent)} ${e.side} ${e.lastQty.toString()} ${e.instrumentId} @ ${e.lastPx.toString()} fee ${e.commission.toString()}`);
  });
  engine.bus.subscribe('alert', (a) => print(`ALERT ${a.code}: ${a.message}`));
  node.bus.subscribe('status', (s) => print(statusLine(s)));
  const speed = config.data.speed === 'max' ? 'max speed' : `${config.data.speed}x`;
  const resumed = Number.isFinite(node.resumeFrom) ? ' (resumed from the journal)' : '';
  print(`paper: ${data.map((d) => d.file).join(', ')} at ${speed} from ${iso(node.clock.now())}${resumed}; strategies ${node.strategyIds.join(', ')}; Ctrl-C stops`);
  print(`journal: ${'sqlite' in config.node.journal ? config.node.journal.sqlite : '(memory)'}`);
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals > 1) process.exit(130);
    print(`${sig}: stopping (again to exit at once)`);
    node.requestStop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { status } = await node.run(maxSteps !== undefined ? { maxSteps } : {});
    print(`paper: ${status.items} bars replayed (${status.steps} steps)`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  for (const line of summary(node)) print(line);
}

function summary(node: TradingNode): string[] {
  const pf = node.engine.portfolio;
  const lines = pf.allPositions().map((p) => `  position ${p.id} ${p.side} ${p.quantity.toString()} realized ${p.realizedPnl.toString()} unrealized ${pf.unrealizedPnl(p).toString()}`);
  for (const a of node.config.accounts) {
    for (const code of Object.keys(a.balances ?? {})) {
      const ccy = [...node.engine.state.instruments.values()].find((i) => i.settlement.code === code)?.settlement;
      if (ccy) lines.push(`  equity ${a.id} ${pf.equity(a.id as never, ccy).toString()}`);
    }
  }
  for (const v of node.venues.all()) {
    const st = v.executor?.statistics();
    if (!st) continue;
    const slip = Number.isNaN(st.averageSlippageBps) ? 'n/a' : `${st.averageSlippageBps.toFixed(2)} bps`;
    lines.push(`  executor ${v.name} (PAPER): ${st.executions.SUBMIT} submits, ${st.settled} settled (${st.bySettlement.ACK} by the venue's report), ${st.unknowns} went unknown, average slippage ${slip}`);
  }
  return lines;
}
