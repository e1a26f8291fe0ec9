import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { loadNodeConfig, type ServerConfig } from '../node/config/index.ts';
import { createAuthService } from '../server/auth/index.ts';
import { startServer, type RunningServer } from '../server/start.ts';
import { startGateway } from '../server/gateway/gateway.ts';
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
  const server = config.server ? await serveNode(node, config.server, logger) : undefined;
  const gateway = config.gateway ? await startGateway(node, config.gateway, { logger }) : undefined;
  if (gateway) console.log(`risk gateway (Binance spot API): ${gateway.url}`);
  let signals = 0;
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals > 1) process.exit(130);
    console.log(`${sig}: stopping (again to exit at once)`);
    node.requestStop();
    stopRequested();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // With a server the node stays open at the end of the data (the API still answers) until a signal.
    const r = await node.run(server || gateway ? { keepOpen: true } : {});
    console.log(`${r.completed ? 'end of data' : 'stopped'}: ${statusLine(r.status)}`);
    if (server || gateway) {
      if (signals === 0) console.log(`serving ${[server?.url, gateway?.url].filter(Boolean).join(' and ')} until Ctrl-C`);
      await stopped;
      // No command may reach an engine closing its journal: both doors close first.
      await gateway?.close();
      await server?.close();
      await node.stop();
      await server?.auth.close();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * The API and dashboard over a started node (config `server:`): the auth store (its first start
 * creates `admin` and prints the one-time password here, on stdout only, never to the log), then
 * the server; prints its URL.
 */
async function serveNode(node: TradingNode, config: ServerConfig, logger: Logger): Promise<RunningServer & { auth: { close(): Promise<void> } }> {
  mkdirSync(dirname(config.auth_db), { recursive: true });
  const auth = createAuthService({
    db: config.auth_db,
    engine: node.engine,
    sessionTtlMs: config.session_ttl_ms,
    lockout: { failures: config.lockout.failures, windowMs: config.lockout.window_ms, lockMs: config.lockout.lock_ms },
  });
  const admin = await auth.ensureAdmin();
  const server = await startServer(node, { config, auth, logger });
  console.log(`API and dashboard: ${server.url}  (OpenAPI: ${server.url}/docs)`);
  if (admin) console.log(`first start: user ${admin.name}, one-time password ${admin.password} (shown once; 'warden users passwd admin' sets another)`);
  return Object.assign(server, { auth });
}
