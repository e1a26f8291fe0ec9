import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import type { OrderFilled } from '../../src/model/orders/events.ts';
import { TERMINAL_STATUSES, type OrderStatus } from '../../src/model/orders/status.ts';
import type { Order } from '../../src/model/orders/order.ts';
import { Currencies } from '../../src/model/currency.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { Price, Quantity } from '../../src/model/values.ts';
import { BTC, settle, setup, snapshot, type Harness } from './fixtures.ts';

/** BTC grid of the fixtures: lot 0.005 (raw 5 at 3 decimals), tick 0.05 (raw 5 at 2 decimals). */
const LOT_RAW = 5n;
const TICK_RAW = 5n;
const INITIAL_USDT = 1_000_000n * 10n ** 8n;
const qtyText = (lots: bigint): string => Quantity.fromRaw(lots * LOT_RAW, 3).toString();
const pxText = (raw: bigint): string => Price.fromRaw(raw, 2).toString();

type Side = 'BUY' | 'SELL';
type Step =
  | { k: 'market'; side: Side; lots: number; strat: string }
  | { k: 'limit'; side: Side; lots: number; ticks: number; strat: string }
  | { k: 'fill'; pick: number; r: number }
  | { k: 'cancel'; pick: number }
  | { k: 'modify'; pick: number; r: number; ticks: number }
  | { k: 'dup'; pick: number }
  | { k: 'late'; pick: number; r: number }
  | { k: 'overfill'; pick: number }
  | { k: 'mark'; ticks: number };

const side = fc.constantFrom<Side>('BUY', 'SELL');
const strat = fc.constantFrom('s1', 's2');
const pick = fc.nat(1_000_000);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('market' as const), side, lots: fc.integer({ min: 1, max: 60 }), strat }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('limit' as const), side, lots: fc.integer({ min: 1, max: 60 }), ticks: fc.integer({ min: -400, max: 400 }), strat }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('fill' as const), pick, r: fc.nat(1_000_000) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('cancel' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('modify' as const), pick, r: fc.nat(1_000_000), ticks: fc.integer({ min: -100, max: 100 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('dup' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('late' as const), pick, r: fc.nat(1_000_000) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('overfill' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('mark' as const), ticks: fc.integer({ min: -2000, max: 2000 }) }) },
);

/** Long sessions: 20 to 200 steps (size 'max' so that fast-check does not keep them short). */
const session = fc.array(step, { minLength: 20, maxLength: 200, size: 'max' });

/** How many steps of each kind did something, over all runs: proof the sessions exercise the engine. */
const done = new Map<Step['k'], number>();
const count = (k: Step['k']): void => {
  done.set(k, (done.get(k) ?? 0) + 1);
};

const lotsOf = (q: Quantity): bigint => q.raw / LOT_RAW;

/** One random session against a CASH account starting with 1,000,000 USDT and no BTC. */
async function runSession(steps: readonly Step[]): Promise<{ h: Harness; overfillsTried: number; deadWorking: number }> {
  const h = await setup({ btc: '0' });
  const { engine, venue, clock } = h;
  const fills: OrderFilled[] = [];
  engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderFilled') fills.push(e);
  });
  let lastRaw = 2_410_000n; // 24,100.00
  h.market.last = pxText(lastRaw);
  let n = 0;
  let overfillsTried = 0;
  // Late fills that leave a canceled order part unfilled: the venue still has it working (DEAD_ORDER_WORKING).
  let deadWorking = 0;
  const maxFilled = new Map<string, bigint>();
  const terminal = new Map<string, OrderStatus>();

  const openLimits = (): Order[] => [...engine.state.openOrders.values()].filter((o) => o.price !== undefined);
  const choose = <T>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);

  for (const s of steps) {
    clock.advance(1_000);
    const seqBefore = engine.lastSeq;
    switch (s.k) {
      case 'market':
        await engine.submitOrder({ clientOrderId: `M-${++n}`, accountId: 'ACC-1', strategyId: s.strat, instrumentId: BTC, side: s.side, type: 'MARKET', quantity: qtyText(BigInt(s.lots)) });
        break;
      case 'limit': {
        const px = lastRaw + BigInt(s.ticks) * TICK_RAW;
        if (px <= 0n) break;
        await engine.submitOrder({ clientOrderId: `L-${++n}`, accountId: 'ACC-1', strategyId: s.strat, instrumentId: BTC, side: s.side, type: 'LIMIT', quantity: qtyText(BigInt(s.lots)), price: pxText(px) });
        break;
      }
      case 'fill': {
        const o = choose(openLimits(), s.pick);
        if (!o?.price) break;
        const leaves = lotsOf(o.leavesQty);
        if (leaves <= 0n) break;
        venue.fill(o.clientOrderId, qtyText(1n + (BigInt(s.r) % leaves)), o.price.toString());
        break;
      }
      case 'cancel': {
        const o = choose([...engine.state.openOrders.values()], s.pick);
        if (o) await engine.cancelOrder(o.clientOrderId);
        break;
      }
      case 'modify': {
        const o = choose(openLimits(), s.pick);
        if (!o?.price) break;
        const quantity = qtyText(lotsOf(o.filledQty) + 1n + (BigInt(s.r) % 40n));
        const px = o.price.raw + BigInt(s.ticks) * TICK_RAW;
        await engine.modifyOrder(o.clientOrderId, px > 0n && s.ticks !== 0 ? { quantity, price: pxText(px) } : { quantity });
        break;
      }
      case 'dup': {
        const f = choose(fills, s.pick);
        if (!f) break;
        venue.emit({ kind: 'OrderFilled', clientOrderId: f.clientOrderId, tradeId: f.tradeId, lastQty: f.lastQty, lastPx: f.lastPx, liquidity: f.liquidity, commission: f.commission, ts: clock.now() });
        await settle();
        expect(engine.lastSeq, 'a re-sent fill is journaled again').toBe(seqBefore);
        count('dup');
        break;
      }
      case 'late': {
        const canceled = [...engine.state.orders.values()].filter((o) => o.status === 'CANCELED' && o.price !== undefined && o.filledQty.cmp(o.quantity) < 0);
        const o = choose(canceled, s.pick);
        if (!o?.price) break;
        const room = lotsOf(o.quantity) - lotsOf(o.filledQty);
        const lots = 1n + (BigInt(s.r) % room);
        if (lots < room) deadWorking++;
        venue.fill(o.clientOrderId, qtyText(lots), o.price.toString());
        break;
      }
      case 'overfill': {
        const o = choose(openLimits(), s.pick);
        if (!o?.price) break;
        overfillsTried++;
        venue.emit({ kind: 'OrderFilled', clientOrderId: o.clientOrderId, tradeId: `X-${++n}` as never, lastQty: qtyText(lotsOf(o.leavesQty) + 1n), lastPx: o.price, liquidity: 'MAKER', ts: clock.now() });
        await settle();
        expect(engine.lastSeq, 'an overfill is journaled').toBe(seqBefore);
        count('overfill');
        break;
      }
      case 'mark': {
        const next = lastRaw + BigInt(s.ticks) * TICK_RAW;
        if (next <= 0n) break;
        lastRaw = next;
        h.market.last = pxText(lastRaw);
        engine.portfolio.mark(instrumentId(BTC), { last: Price.fromRaw(lastRaw, 2) });
        break;
      }
    }
    await settle();
    if (engine.lastSeq > seqBefore) count(s.k);

    // (b) filled never above the quantity and never decreasing; (c) terminal states stay terminal.
    for (const o of engine.state.orders.values()) {
      const id = o.clientOrderId;
      expect(o.filledQty.cmp(o.quantity), `${id} filled ${o.filledQty.toString()} > quantity ${o.quantity.toString()}`).toBeLessThanOrEqual(0);
      const prev = maxFilled.get(id) ?? 0n;
      expect(o.filledQty.raw >= prev, `${id} filled went back from ${prev} to ${o.filledQty.raw}`).toBe(true);
      maxFilled.set(id, o.filledQty.raw);
      const was = terminal.get(id);
      if (was !== undefined) expect(o.status, `${id} left terminal ${was}`).toBe(was);
      else if (TERMINAL_STATUSES.has(o.status)) terminal.set(id, o.status);
    }
  }
  return { h, overfillsTried, deadWorking };
}

function fillsIn(h: Harness): OrderFilled[] {
  return h.journal.all().flatMap((r) => (r.event.kind === 'OrderFilled' ? [r.event] : []));
}

describe('random sessions through the engine (100 runs × 20..200 steps)', () => {
  afterAll(() => {
    // Every kind of step took effect many times over the 400 sessions.
    for (const k of ['market', 'limit', 'fill', 'cancel', 'modify', 'dup', 'late', 'overfill'] as const) expect(done.get(k) ?? 0, k).toBeGreaterThan(200);
  });

  it('replaying the journal rebuilds an identical snapshot; filled ≤ quantity and never decreases; terminal states hold; only refused overfills and late part fills of canceled orders (DEAD_ORDER_WORKING) alert', async () => {
    await fc.assert(
      fc.asyncProperty(session, async (steps) => {
        const { h, overfillsTried, deadWorking } = await runSession(steps);
        const replayed = await Engine.fromJournal(h.journal, { clock: h.clock });
        expect(snapshot(replayed)).toEqual(snapshot(h.engine));
        const expected = [...Array<string>(deadWorking).fill('DEAD_ORDER_WORKING'), ...Array<string>(overfillsTried).fill('OVERFILL')];
        expect(h.alerts.map((a) => a.code).sort()).toEqual(expected);
        expect(h.journal.all().map((r) => r.seq)).toEqual(Array.from({ length: h.engine.lastSeq }, (_, i) => i + 1));
      }),
      { numRuns: 100 },
    );
  });

  it('each position’s signed quantity equals the signed sum of its OrderFilled events in the journal', async () => {
    await fc.assert(
      fc.asyncProperty(session, async (steps) => {
        const { h } = await runSession(steps);
        const expected = new Map<string, bigint>();
        for (const f of fillsIn(h)) expected.set(f.positionId, (expected.get(f.positionId) ?? 0n) + (f.side === 'BUY' ? f.lastQty.raw : -f.lastQty.raw));
        const actual = new Map(h.engine.portfolio.allPositions().map((p) => [p.id as string, p.signedQtyRaw]));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('CASH ledger: USDT = 1,000,000 − Σ signed notional − Σ commissions and BTC = Σ signed quantities, to the last unit', async () => {
    await fc.assert(
      fc.asyncProperty(session, async (steps) => {
        const { h } = await runSession(steps);
        let usdt = INITIAL_USDT;
        let btc = 0n;
        for (const f of fillsIn(h)) {
          // qty (3 dp) × px (2 dp) = 5 dp → USDT's 8 dp; qty 3 dp → BTC's 8 dp
          const notional = f.lastQty.raw * f.lastPx.raw * 1_000n;
          const sign = f.side === 'BUY' ? 1n : -1n;
          expect(f.commission.currency.code).toBe('USDT');
          usdt -= sign * notional + f.commission.raw;
          btc += sign * f.lastQty.raw * 100_000n;
        }
        const acct = h.engine.portfolio.account('ACC-1' as never);
        expect(acct.balance(Currencies.USDT).total.raw).toBe(usdt);
        expect(acct.balance(Currencies.BTC).total.raw).toBe(btc);
      }),
      { numRuns: 100 },
    );
  });

  it('locked balances equal what the open orders hold: Σ leaves × limit of buys in USDT, Σ leaves of sells in BTC', async () => {
    await fc.assert(
      fc.asyncProperty(session, async (steps) => {
        const { h } = await runSession(steps);
        let usdt = 0n;
        let btc = 0n;
        for (const o of h.engine.state.orders.values()) {
          if (!o.isOpen) continue;
          const leaves = o.quantity.raw - o.filledQty.raw;
          if (o.side === 'BUY' && o.price) usdt += leaves * o.price.raw * 1_000n;
          if (o.side === 'SELL') btc += leaves * 100_000n;
        }
        const acct = h.engine.portfolio.account('ACC-1' as never);
        expect(acct.balance(Currencies.USDT).locked.raw).toBe(usdt);
        expect(acct.balance(Currencies.BTC).locked.raw).toBe(btc);
      }),
      { numRuns: 100 },
    );
  });
});
