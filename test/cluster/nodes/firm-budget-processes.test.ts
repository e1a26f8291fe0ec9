/**
 * Three node processes on one machine sharing one firm budget through the shared NATS (real
 * KV bucket), each journaling to its own PostgreSQL schema: concurrent orders never take more than
 * the firm limit; a node killed with SIGKILL leaves reservations that expire by lease, after which
 * the others use the budget; the restarted node takes its journaled orders back into its line; and
 * the firm kill switch, pulled from one node, halts all three with every working order's cancel
 * requested; and the firm view, reading the stream the three publish to, shows all three with
 * every journaled event applied and each node's working orders.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { natsAvailable, NATS_URL, postgresAvailable, useService } from '../../services.ts';
import { dropSchemas, NodeProcess, started, writeNodeConfig, type Line } from '../support/cluster-nodes.ts';
import { ledgerKey } from '../../../src/cluster/budget/ledger-store.ts';
import { decodeLedger } from '../../../src/cluster/budget/ledger-codec.ts';
import { controlBucket } from '../../../src/cluster/kill/firm-kill-switch.ts';
import { amount } from '../../../src/cluster/budget/ledger.ts';
import { startTestFirmView, type TestFirmView } from '../firm-support.ts';
import { deleteStream } from '../support.ts';

const TAG = `p${process.pid}`;
const FIRM = `firm_${TAG}`;
const BUCKET = `budget_${TAG}`;
const SCHEMAS = [1, 2, 3].map((i) => `wcl_${TAG}_n${i}`);
// Each order: 0.01 BTC limit buy at about 19,500 (under the market: it rests; prices differ by a dollar or
// two, not to be duplicates) ≈ 195 of exposure; the firm has room for exactly 10.
const LIMIT = '1950';

const up = useService('PostgreSQL', await postgresAvailable()) && useService('NATS', await natsAvailable());

describe.runIf(up)('three node processes, one firm budget', () => {
  const nodes: NodeProcess[] = [];
  const configs = SCHEMAS.map((schema, i) => writeNodeConfig({ id: `n${i + 1}`, schema, nats: NATS_URL, firm: FIRM, bucket: BUCKET, maxGross: LIMIT, leaseMs: 3_000, publish: true }));
  let view: TestFirmView | undefined;
  afterAll(async () => {
    for (const n of started) await n.stop().catch(() => undefined);
    await view?.view.close();
    const nc = await connect({ servers: NATS_URL });
    await deleteStream(nc, FIRM);
    for (const b of [BUCKET, controlBucket(FIRM)]) await (await new Kvm(nc).open(b)).destroy().catch(() => undefined);
    await nc.close();
    await dropSchemas(SCHEMAS);
  }, 60_000);

  it('never exceed the firm limit together; a SIGKILLed node\'s reservations expire; the firm kill switch halts all three; the firm view shows all three', async () => {
    nodes.push(...(await Promise.all(configs.map((c, i) => NodeProcess.start(`n${i + 1}`, c)))));
    const [n1, n2, n3] = nodes as [NodeProcess, NodeProcess, NodeProcess];

    // 18 orders at once from three processes for room for 10 (leases of 3 s: a renewal late under a loaded CI machine must not lapse a live node).
    const answers = await Promise.all(nodes.flatMap((n) => Array.from({ length: 6 }, (_, k) => n.submit(`${n.id}-a${k}`, 'BUY', '0.01', String(19_500 - k)))));
    const accepted = answers.filter((a) => a.status !== undefined);
    const denied = answers.filter((a) => a.denied !== undefined);
    expect(accepted.length + denied.length).toBe(18);
    expect(accepted.length, JSON.stringify(denied)).toBe(10);
    expect(new Set(denied.map((d) => d.denied))).toEqual(new Set(['FIRM_BUDGET_EXCEEDED']));
    expect(await firmLines()).toBeLessThanOrEqual(amount(LIMIT, 'limit'));

    // n1 dies holding reservations; once its lease is past, n2 gets the room.
    const held1 = (await n1.status()).open.length;
    expect(held1).toBeGreaterThan(0);
    n1.kill9();
    expect((await n1.exited).signal).toBe('SIGKILL');
    const got = await retry(async (k) => n2.submit(`n2-b${k}`, 'BUY', '0.01', String(19_400 - k)), (a) => a.status !== undefined, 80);
    expect(got.status).toBeDefined();
    expect(await firmLines()).toBeLessThanOrEqual(amount(LIMIT, 'limit'));

    // n1 restarts on its journal (its simulated venue restarts empty, so reconciliation closes what it had working);
    // it rejoins the ledger under a fresh lease, and the firm stays within its limit.
    const n1b = await NodeProcess.start('n1', configs[0]!);
    nodes[0] = n1b;
    expect((await n1b.status()).open.length).toBeLessThanOrEqual(held1);
    expect(await firmLines()).toBeLessThanOrEqual(amount(LIMIT, 'limit'));
    // n2 and n3 hold working orders for the firm kill switch to cancel: every one they had accepted, n2's late one included
    // (how the burst's 10 split between the nodes is the race's; n1's data ended before its restart: it has none).
    const acceptedIds = (node: string): string[] => [...accepted.filter((a) => String(a.id).startsWith(`${node}-`)).map((a) => String(a.id)), ...(node === 'n2' ? [String(got.id)] : [])].sort();
    expect((await n2.status()).open.map((o) => o.id).sort()).toEqual(acceptedIds('n2'));
    expect((await n3.status()).open.map((o) => o.id).sort()).toEqual(acceptedIds('n3'));
    expect(acceptedIds('n2').length).toBeGreaterThan(0);

    // The firm kill switch from n3: every node halted, its working orders' cancels requested.
    const marks = nodes.map((n) => n.lines.length);
    await n3.ask({ do: 'kill', reason: 'test: firm kill' }, (l) => l.killed === true);
    const halted = await Promise.all(nodes.map((n, i) => n.next((l: Line) => l.halted === true, 20_000, marks[i])));
    expect(halted).toHaveLength(3);
    for (const n of nodes) {
      const s = await n.status();
      expect(s.killSwitch).toBe('firm:alice');
      for (const o of s.open) expect(o.status).toBe('PENDING_CANCEL');
    }
    // A new order is denied everywhere.
    const after = await n2.submit('n2-after', 'BUY', '0.01', '19300');
    expect(after.denied).toBe('KILL_SWITCH_ENGAGED');

    // The firm view (no engine of its own) shows all three from the stream: each node's journal applied up to what it published, and its working orders.
    const published = await Promise.all(nodes.map((n) => n.caughtUp()));
    view = await startTestFirmView(FIRM);
    const v = view;
    await until(async () => {
      const r = await v.get('/api/firm/nodes', v.tokens.viewer);
      const applied = new Map((r.body as { node: string; appliedSeq: number }[]).map((n) => [n.node, n.appliedSeq]));
      return nodes.every((n, i) => (applied.get(n.id) ?? 0) >= published[i]!);
    });
    const listed = await v.get('/api/firm/nodes', v.tokens.viewer);
    expect((listed.body as { node: string; refused: number }[]).map((n) => [n.node, n.refused])).toEqual([
      ['n1', 0],
      ['n2', 0],
      ['n3', 0],
    ]);
    const open = (await v.get('/api/firm/orders?status=open', v.tokens.viewer)).body as { node: string; clientOrderId: string }[];
    for (const n of nodes) {
      const own = (await n.status()).open.map((o) => o.id).sort();
      expect(open.filter((o) => o.node === n.id).map((o) => o.clientOrderId).sort()).toEqual(own);
    }
  }, 400_000);
});

/** The firm's gross lines summed over live leases, as the ledger holds them now. */
async function firmLines(): Promise<bigint> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const kv = await new Kvm(nc).open(BUCKET);
    const e = await kv.get(ledgerKey(FIRM));
    if (!e) return 0n;
    const now = Date.now();
    let sum = 0n;
    for (const n of decodeLedger(e.string()).nodes.values()) sum += n.leaseUntil > now ? n.line.gross : n.held.gross;
    return sum;
  } finally {
    await nc.close();
  }
}

/** Waits until `f` holds (every 200 ms, at most 30 s). */
async function until(f: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition not reached in 30 s');
}

/** Tries `f` until `ok`, at most `times`, 250 ms apart; returns the last answer. */
async function retry(f: (k: number) => Promise<Line>, ok: (l: Line) => boolean, times: number): Promise<Line> {
  let last: Line = {};
  for (let k = 0; k < times; k++) {
    last = await f(k);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}
