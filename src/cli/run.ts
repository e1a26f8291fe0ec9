import { loadNodeConfig } from '../node/config/index.ts';
import { createLogger } from '../node/logging.ts';
import { TradingNode, type NodeStatus } from '../node/trading-node.ts';
import { wholeNumber } from './flags.ts';

export interface RunCliOptions {
  config: string;
  /** Status line every this many steps. */
  statusEvery: string;
  /** Open a journal written by another code version or configuration. */
  allowMismatch?: boolean;
}

const iso = (ts: number): string => (ts > 0 ? new Date(ts).toISOString() : '-');

export function statusLine(s: NodeStatus): string {
  const denied = Object.entries(s.deniedByCode)
    .map(([c, n]) => `${c}=${n}`)
    .join(' ');
  return `${iso(s.ts)}  steps ${s.steps}  items ${s.items}  orders ${s.orders}  fills ${s.fills}  denied ${s.denied}${denied ? ` (${denied})` : ''}`;
}

/**
 * `warden run --config FILE`: a trading node from one config file, in the file's mode (paper,
 * live; backtest too). Replays the configured data to its end and exits 0, or runs on live
 * subscriptions until stopped. SIGINT/SIGTERM stop it cleanly (strategies stop, cancel-on-stop,
 * journal closed); a second signal exits at once.
 */
export async function runNodeCli(o: RunCliOptions): Promise<void> {
  const every = wholeNumber('status-every', o.statusEvery, 1);
  const { config, secrets } = loadNodeConfig(o.config, process.env);
  const logger = createLogger(config.logging, { secrets, base: { node: config.node.id } });
  const node = await TradingNode.start(config, { secrets, logger, statusEvery: every, ...(o.allowMismatch ? { allowMismatch: true } : {}) });
  const resumed = Number.isFinite(node.resumeFrom);
  console.log(`node ${config.node.id} (${config.node.mode})${resumed ? `: resumed at ${iso(node.resumeFrom)}` : ''}, strategies ${node.strategyIds.join(', ')}`);
  node.bus.subscribe('status', (s) => console.log(statusLine(s)));
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals > 1) process.exit(130);
    console.log(`${sig}: stopping (again to exit at once)`);
    node.requestStop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const r = await node.run();
    console.log(`${r.completed ? 'end of data' : 'stopped'}: ${statusLine(r.status)}`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
