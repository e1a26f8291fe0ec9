/**
 * A firm for tests: three paper nodes (alpha, beta, gamma) trading different loads, each
 * publishing its journal to the shared NATS under one unique firm, then stopped replaying; and
 * the firm view (`startFirmView`, no engine) over that firm with one user per role.
 */
import pino from 'pino';
import { startFirmView, type RunningFirmView } from '../../src/cluster/firm-view/start.ts';
import type { TradingNode } from '../../src/node/trading-node.ts';
import type { Role } from '../../src/server/auth/types.ts';
import { NATS_URL } from '../services.ts';
import { tempDir } from '../node/support.ts';
import { FAST_SCRYPT } from '../server/auth/support.ts';
import { PASSWORD, ROLE_USERS, serverConfig } from '../server/support.ts';
import { runningNode, tradeRounds, uniqueFirm } from './support.ts';

export const NODE_LOADS = { alpha: { rounds: 6, perRound: 4 }, beta: { rounds: 10, perRound: 6 }, gamma: { rounds: 3, perRound: 2 } } as const;

export interface TestFirm {
  readonly firm: string;
  /** The nodes, replay stopped, still open (their state readable). */
  readonly nodes: Readonly<Record<keyof typeof NODE_LOADS, TradingNode>>;
  close(): Promise<void>;
}

/** Starts the three nodes, runs their loads, waits until each one's events are all published. */
export async function startTestFirm(tag: string): Promise<TestFirm> {
  const firm = uniqueFirm(tag);
  const started: { id: keyof typeof NODE_LOADS; r: Awaited<ReturnType<typeof runningNode>> }[] = [];
  for (const id of Object.keys(NODE_LOADS) as (keyof typeof NODE_LOADS)[]) {
    started.push({ id, r: await runningNode(tempDir(), { nats: NATS_URL, node_id: id, firm, publish: true, on_nats_loss: 'continue', kill_switch: true }, id) });
  }
  await Promise.all(started.map(({ id, r }) => tradeRounds(r.node, { ...NODE_LOADS[id], tag: id })));
  for (const { r } of started) {
    await r.halt();
    // Venue answers still due (paper latency on real timers): every market order filled before the figures are compared.
    const until = performance.now() + 20_000;
    while ([...r.node.engine.openOrders()].length > 0 && performance.now() < until) await new Promise((res) => setTimeout(res, 20));
    await r.node.firmEvents!.publisher!.caughtUp(r.node.records.durableSeq());
  }
  const nodes = Object.fromEntries(started.map(({ id, r }) => [id, r.node])) as TestFirm['nodes'];
  return {
    firm,
    nodes,
    async close() {
      for (const { r } of started) await r.finish();
    },
  };
}

export interface TestFirmView {
  readonly view: RunningFirmView;
  readonly tokens: Record<Role, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, checked by the tests' assertions
  get(path: string, token?: string): Promise<{ status: number; body: any }>;
}

/** The firm view over `firm` on a free port, one logged-in user per role, the dashboard from `webDist` when given. */
export async function startTestFirmView(firm: string, webDist?: string): Promise<TestFirmView> {
  const view = await startFirmView({
    nats: NATS_URL,
    firm,
    server: serverConfig({ dashboard: webDist !== undefined }),
    logger: pino({ level: 'silent' }),
    scrypt: FAST_SCRYPT,
    ...(webDist ? { webDist } : {}),
  });
  const tokens = {} as Record<Role, string>;
  for (const [role, name] of Object.entries(ROLE_USERS) as [Role, string][]) {
    await view.auth.users.add(name, PASSWORD, [role]);
    const r = await view.auth.login(name, PASSWORD, '127.0.0.1');
    if (!r.ok) throw new Error(`login of ${name} failed: ${r.code}`);
    tokens[role] = r.token;
  }
  return {
    view,
    tokens,
    async get(path, token) {
      const res = await fetch(view.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: res.status, body: await res.json() };
    },
  };
}

/** Waits (polling, bounded) until the view has applied every node's journal. */
export async function viewCaughtUp(v: TestFirmView, nodes: readonly TradingNode[], timeoutMs = 30_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const ok = nodes.every((n) => v.view.view.node(n.config.node.id)?.status().appliedSeq === n.records.durableSeq());
    if (ok) return;
    if (performance.now() > until) throw new Error('the firm view did not catch up with the nodes');
    await new Promise((r) => setTimeout(r, 50));
  }
}
