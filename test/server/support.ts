/**
 * A real server on 127.0.0.1 (a free port) over a real paper node (examples/warden.paper.yaml:
 * two strategies, the full risk stack, simulated Binance.US) on trimmed bundled data, with the
 * real auth service on an in-memory store, one user per role logged in, and a log capture.
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { paperConfig, tempDir } from '../node/support.ts';
import { TradingNode, type RunSummary } from '../../src/node/trading-node.ts';
import { createAuthService, type WardenAuthService } from '../../src/server/auth/index.ts';
import type { Role } from '../../src/server/auth/types.ts';
import { startServer, type RunningServer } from '../../src/server/start.ts';
import type { CreateServerOptions } from '../../src/server/app.ts';
import type { NodeConfig, ServerConfig } from '../../src/node/config/index.ts';
import { FAST_SCRYPT } from './auth/support.ts';
import { formatRaw, parseDecimal, pow10 } from '../../src/model/decimal.ts';

export const PASSWORD = 'correct horse battery staple';
export const ROLE_USERS: Readonly<Record<Role, string>> = { viewer: 'vera', trader: 'tom', risk: 'rita', admin: 'adam' };

export interface TestServer {
  readonly node: TradingNode;
  readonly server: RunningServer;
  readonly url: string;
  readonly auth: WardenAuthService;
  /** Session tokens by role (one user per role). */
  readonly tokens: Record<Role, string>;
  /** Every line the server logged. */
  readonly logs: string[];
  /** The background replay (when `speed` was given). */
  readonly running: Promise<RunSummary> | undefined;
  /** The auth clock (epoch ms): move it to expire sessions. */
  readonly wall: { t: number };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, checked by the tests' assertions
  call(method: string, path: string, o?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  close(): Promise<void>;
}

export const serverConfig = (over: Partial<ServerConfig> = {}): ServerConfig => ({
  host: '127.0.0.1',
  port: 0,
  auth_db: ':memory:',
  session_ttl_ms: 3_600_000,
  cors_origins: [],
  rate_limit: { max: 100_000, window_ms: 60_000 },
  lockout: { failures: 3, window_ms: 60_000, lock_ms: 300_000 },
  metrics_public: false,
  dashboard: false,
  ...over,
});

export interface TestServerOptions {
  /** Bars of each file (default 400). */
  readonly bars?: number;
  /** Steps replayed (at max speed) before the server starts, so prices exist (default 20). */
  readonly warmSteps?: number;
  /** Then replay the rest in the background at this pace (data seconds per wall second); default: no background replay. */
  readonly speed?: number;
  readonly server?: Partial<ServerConfig>;
  readonly create?: Partial<CreateServerOptions>;
  /** Changes the paper node's config before it starts (e.g. a wider price collar so a resting order stays resting). */
  readonly configure?: (c: NodeConfig) => NodeConfig;
}

export async function testServer(o: TestServerOptions = {}): Promise<TestServer> {
  const dir = tempDir();
  const paper = paperConfig(dir, o.bars ?? 400);
  const base = o.configure ? o.configure(paper) : paper;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const logger: Logger = pino({ level: 'debug' }, sink);
  const warm = o.warmSteps ?? 20;
  let node: TradingNode;
  let running: Promise<RunSummary> | undefined;
  if (o.speed === undefined) {
    node = await TradingNode.start({ ...base, data: { ...base.data, speed: 'max' } });
    if (warm > 0) await node.run({ maxSteps: warm, keepOpen: true });
  } else {
    node = await TradingNode.start({ ...base, data: { ...base.data, speed: o.speed } });
    running = node.run({ keepOpen: true });
  }
  const wall = { t: Date.now() };
  const config = serverConfig(o.server);
  const auth = createAuthService({ db: ':memory:', engine: node.engine, now: () => wall.t, sessionTtlMs: config.session_ttl_ms, lockout: { failures: config.lockout.failures, windowMs: config.lockout.window_ms, lockMs: config.lockout.lock_ms }, scrypt: FAST_SCRYPT });
  const server = await startServer(node, { config, auth, logger, ...o.create });
  const tokens = {} as Record<Role, string>;
  for (const [role, name] of Object.entries(ROLE_USERS) as [Role, string][]) {
    await auth.users.add(name, PASSWORD, [role]);
    const r = await auth.login(name, PASSWORD, '127.0.0.1');
    if (!r.ok) throw new Error(`login of ${name} failed: ${r.code}`);
    tokens[role] = r.token;
  }
  const call: TestServer['call'] = async (method, path, c = {}) => {
    const headers: Record<string, string> = { ...(c.headers ?? {}) };
    if (c.token) headers.authorization = `Bearer ${c.token}`;
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(server.url + path, { method, headers, ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}) });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, headers: res.headers };
  };
  return {
    node,
    server,
    url: server.url,
    auth,
    tokens,
    logs,
    running,
    wall,
    call,
    async close() {
      await server.close();
      node.requestStop();
      if (running) await running;
      await node.stop();
      await auth.close();
    },
  };
}

/** The exact sum of decimal texts, normalised (no trailing zeros): a check independent of the server's own sums. */
export function decimalSum(values: readonly string[]): string {
  const parsed = values.map((v) => parseDecimal(v));
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  return formatRaw(parsed.reduce((a, p) => a + p.digits * pow10(scale - p.scale), 0n), scale);
}

/** Every price collar this wide, so a limit 20% off the market rests. */
export function wideCollars(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(wideCollars);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'price_collar_ticks' ? 100_000_000 : k === 'price_collar_pct' ? 50 : wideCollars(x)]));
}

/**
 * The paper node on the NYSE calendar with after-hours trading (the data's first hour is 19:00–20:00
 * ET), ACC-1 a MARGIN account, BTCUSDT at 10% initial margin, price collars wide: day trades count,
 * and the strategies' orders (no extended hours) are refused, so the only trades are a test's.
 */
export function marginOnCalendar(c: NodeConfig): NodeConfig {
  return {
    ...c,
    risk: wideCollars(c.risk) as NodeConfig['risk'],
    venues: Object.fromEntries(Object.entries(c.venues).map(([k, v]) => [k, { ...v, calendar: 'XNYS', extended_hours: true }])),
    accounts: c.accounts.map((a) => (a.id === 'ACC-1' ? { ...a, type: 'MARGIN' as const } : a)),
    instruments: c.instruments.map((i) => (i.id === 'BTCUSDT.BINANCEUS' ? { ...i, margin_init: '0.1' } : i)),
  };
}

