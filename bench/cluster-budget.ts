/**
 * The firm budget's cost (issue 19): orders/s of one node through TradingNode.route with the firm
 * budget on (credit lines on the shared NATS KV bucket) against the same node without it, in
 * interleaved rounds of the same run (the median of the paired per-round ratios); the latency of one exact reservation (one
 * compare-and-set on the bucket); and how long the firm kill switch takes to reach three nodes
 * (every one halted with a cancel requested for each working order).
 *
 *   node --expose-gc --import tsx -e "import('./bench/cluster-budget.ts').then(async m=>console.log(await m.measureFirmBudget()))"
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { parseNodeConfig } from '../src/node/config/index.ts';
import { TradingNode } from '../src/node/trading-node.ts';
import { operatorOrigin } from '../src/engine/origin.ts';
import { FirmBudget } from '../src/cluster/budget/firm-budget.ts';
import { LedgerStore } from '../src/cluster/budget/ledger-store.ts';
import { amount } from '../src/cluster/budget/ledger.ts';
import { connectNats, openBucket } from '../src/cluster/budget/nats-link.ts';
import { controlBucket } from '../src/cluster/kill/firm-kill-switch.ts';
import { barsFile, smallConfig, yaml } from '../test/node/small-node.ts';
import { gc, median, quantile } from './results.ts';

const NATS = process.env.WARDEN_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const ROUNDS = 31;
const ORDERS = 150;
const RISK = { version: 1, limits: { default: { max_order_quantity: '100', max_order_notional: '100000000', max_position_quantity: '100000', max_position_notional: '1000000000' } } };

interface Firm {
  readonly firm: string;
  readonly bucket: string;
}

export async function startNode(dir: string, id: string, firm: Firm | undefined, chunk = '20000'): Promise<TradingNode> {
  const cluster = firm ? { cluster: { nats: NATS, node_id: id, firm: firm.firm, publish: false, budget: { bucket: firm.bucket, max_gross_exposure: '1000000000', lease_ms: 10_000, credit_chunk: chunk } } } : {};
  const text = yaml(smallConfig(dir, barsFile(dir, 20, `${id}.csv`), { node: { id, mode: 'paper', journal: { sqlite: join(dir, `${id}.sqlite`) } }, risk: RISK, accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'SIM', balances: { USDT: '1000000000' } }], ...cluster }));
  const { config } = parseNodeConfig(text, { env: {}, baseDir: dir });
  const node = await TradingNode.start(config);
  await node.run({ keepOpen: true });
  return node;
}

let distinct = 0;

/** Orders/s of `ORDERS` limit buys through route (awaited one by one, as a strategy sends them). */
async function ordersPerSecond(node: TradingNode, tag: string): Promise<number> {
  const origin = operatorOrigin(node.engine.authority.issue('bench', ['TRADE', 'RISK']));
  gc();
  const t0 = performance.now();
  for (let i = 0; i < ORDERS; i++) {
    // Every order distinct (price, quantity) so none is a duplicate, and within the gate's 5% collar of the last price (~20,000).
    const c = distinct++;
    const price = (19_950 + (c % 5_000) / 100).toFixed(2);
    const quantity = (0.001 + (Math.floor(c / 5_000) % 50) / 100_000).toFixed(5);
    const r = await node.route({ clientOrderId: `${tag}-${i}`, accountId: 'ACC-1', instrumentId: 'BTCUSDT.SIM', side: 'BUY', type: 'LIMIT', quantity, price }, origin);
    // A denied order costs less than an accepted one: the comparison holds only if every order went through.
    if (r.denied.length > 0) throw new Error(`bench order ${tag}-${i} denied: ${r.denied[0]!.code}`);
  }
  return (ORDERS * 1000) / (performance.now() - t0);
}

/** p50 and p99 (µs) of one exact reservation: a read and a compare-and-set on the bucket. */
async function reserveLatency(firm: Firm): Promise<{ p50: number; p99: number }> {
  const nc = await connectNats(NATS, 'bench-reserve');
  try {
    const store = new LedgerStore(await openBucket(nc, firm.bucket), `${firm.firm}_lat`, { random: Math.random });
    const b = new FirmBudget({ nodeId: 'lat', store, limits: { gross: amount('1000000000', 'limit'), net: new Map() }, chunk: 0n, leaseMs: 60_000, now: Date.now, timer: false });
    await b.start();
    const us: number[] = [];
    for (let i = 0; i < 400; i++) {
      const t0 = performance.now();
      await b.reserve(`r${i}`, { instrumentId: 'X', side: 'BUY', quantity: { raw: 1n, precision: 0 }, price: { raw: 10n, precision: 0 } });
      us.push((performance.now() - t0) * 1000);
    }
    return { p50: quantile(us, 0.5), p99: quantile(us, 0.99) };
  } finally {
    await nc.close();
  }
}

/** ms from the firm kill switch's write until all three nodes are halted with every working order's cancel requested. */
async function killPropagation(dir: string, firm: Firm): Promise<number> {
  const nodes = await Promise.all([0, 1, 2].map((i) => startNode(dir, `k${i}`, firm)));
  try {
    for (const n of nodes) await ordersPerSecond(n, `w${n.config.node.id}`).then(() => undefined);
    const halted = nodes.map((n) => new Promise<number>((resolve) => {
      const check = (): void => {
        if (n.engine.risk.killSwitch && [...n.engine.openOrders()].every((o) => o.status === 'PENDING_CANCEL')) resolve(performance.now());
      };
      n.engine.bus.subscribe('record', check);
    }));
    const t0 = performance.now();
    await nodes[0]!.cluster!.setKill(true, 'bench', 'kill-switch propagation bench');
    const ends = await Promise.all(halted);
    return Math.max(...ends) - t0;
  } finally {
    for (const n of nodes) await n.stop();
  }
}

export async function measureFirmBudget(): Promise<{ budgetCostRatio: number; reserveP50Micros: number; reserveP99Micros: number; killSwitchPropagationMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-cluster-'));
  const firm: Firm = { firm: `bench_${process.pid}`, bucket: `bench_budget_${process.pid}` };
  try {
    const on = await startNode(dir, 'on', firm);
    const off = await startNode(dir, 'off', undefined);
    const rates = { on: [] as number[], off: [] as number[] };
    try {
      // Warm both (JIT, caches) before measuring: the first rounds of a cold node are several times slower.
      for (let w = 0; w < 4; w++) {
        await ordersPerSecond(on, `warm-on${w}`);
        await ordersPerSecond(off, `warm-off${w}`);
      }
      for (let r = 0; r < ROUNDS; r++) {
        // Interleaved, alternating which goes first, so drift (JIT, GC, the neighbours) hits both alike.
        const pair = r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
        for (const which of pair) rates[which].push(await ordersPerSecond(which === 'on' ? on : off, `${which}${r}`));
      }
    } finally {
      await on.stop();
      await off.stop();
    }
    // The node with the budget on did reserve: its line covers every order it sent.
    if ((on.cluster?.budget?.state.line.gross ?? 0n) === 0n) throw new Error('the firm budget reserved nothing');
    if (process.env.WARDEN_BENCH_VERBOSE) console.error(rates);
    const lat = await reserveLatency(firm);
    const killMs = await killPropagation(dir, firm);
    // Paired by round (each pair run back to back), so the machine's drift cancels within a pair.
    const ratios = rates.on.map((r, i) => r / rates.off[i]!);
    return { budgetCostRatio: round3(1 - median(ratios)), reserveP50Micros: Math.round(lat.p50), reserveP99Micros: Math.round(lat.p99), killSwitchPropagationMs: Math.round(killMs * 10) / 10 };
  } finally {
    await destroyBuckets(firm);
    rmSync(dir, { recursive: true, force: true });
  }
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

async function destroyBuckets(f: Firm): Promise<void> {
  const nc = await connect({ servers: NATS });
  try {
    for (const b of [f.bucket, controlBucket(f.firm)]) await (await new Kvm(nc).open(b)).destroy().catch(() => undefined);
  } finally {
    await nc.close();
  }
}
