import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { Currencies } from '../../src/model/currency.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { accountId, positionId } from '../../src/model/identifiers.ts';
import { Money } from '../../src/model/money.ts';
import type { OrderFilled } from '../../src/model/orders/events.ts';
import type { Order } from '../../src/model/orders/order.ts';
import { Price, Quantity } from '../../src/model/values.ts';
import { nettingPositionId } from '../../src/portfolio/position-id.ts';
import { gateSetup, type GateHarness } from '../risk/gate/fixtures.ts';
import { BTC, settle, snapshot } from './fixtures.ts';

/**
 * Random multi-account sessions (issue 11.1): three CASH accounts trade BTC with two strategies
 * each, through the risk gate, with market, limit and reduce-only orders, partial fills and
 * cancels. Whatever the mix, each account's positions and cash are its own.
 */

/** BTC grid of the fixtures: lot 0.005 (raw 5 at 3 decimals), tick 0.05 (raw 5 at 2 decimals). */
const LOT_RAW = 5n;
const TICK_RAW = 5n;
const qtyText = (lots: bigint): string => Quantity.fromRaw(lots * LOT_RAW, 3).toString();
const pxText = (raw: bigint): string => Price.fromRaw(raw, 2).toString();
const lotsOf = (q: Quantity): bigint => q.raw / LOT_RAW;

const ACCOUNTS = ['ACC-1', 'ACC-2', 'ACC-3'] as const;
const STRATEGIES = ['s1', 's2'] as const;
/** Starting balances, 8 decimals: ACC-1 1,000,000 USDT + 10 BTC, ACC-2 50,000 USDT, ACC-3 300,000 USDT + 3 BTC. */
const START: Record<(typeof ACCOUNTS)[number], { usdt: bigint; btc: bigint }> = {
  'ACC-1': { usdt: 1_000_000n * 10n ** 8n, btc: 10n * 10n ** 8n },
  'ACC-2': { usdt: 50_000n * 10n ** 8n, btc: 0n },
  'ACC-3': { usdt: 300_000n * 10n ** 8n, btc: 3n * 10n ** 8n },
};

type Side = 'BUY' | 'SELL';
type Step =
  | { k: 'market'; acct: number; strat: number; side: Side; lots: number; reduceOnly: boolean }
  | { k: 'limit'; acct: number; strat: number; side: Side; lots: number; ticks: number }
  | { k: 'fill'; pick: number; r: number }
  | { k: 'cancel'; pick: number };

const acct = fc.nat(ACCOUNTS.length - 1);
const strat = fc.nat(STRATEGIES.length - 1);
const side = fc.constantFrom<Side>('BUY', 'SELL');
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('market' as const), acct, strat, side, lots: fc.integer({ min: 1, max: 80 }), reduceOnly: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('limit' as const), acct, strat, side, lots: fc.integer({ min: 1, max: 80 }), ticks: fc.integer({ min: -40, max: 40 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('fill' as const), pick: fc.nat(1_000_000), r: fc.nat(1_000_000) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), pick: fc.nat(1_000_000) }) },
);
const session = fc.array(step, { minLength: 20, maxLength: 120, size: 'max' });

/** Over all runs: fills booked per account, and reduce-only orders allowed and denied. */
const tally = new Map<string, number>();
const count = (k: string): void => {
  tally.set(k, (tally.get(k) ?? 0) + 1);
};

interface Run {
  readonly h: GateHarness;
  /** Reduce-only orders that passed the gate, with their own (account, strategy) position just before. */
  readonly reduceOnlyAllowed: { side: Side; lots: bigint; ownBefore: bigint }[];
  /** Trade ids of every fill the venue reported. */
  readonly venueTrades: string[];
}

async function runSession(steps: readonly Step[]): Promise<Run> {
  const h = await gateSetup();
  await h.engine.openAccount({ id: 'ACC-3', type: 'CASH', balances: [Money.of('300000', Currencies.USDT), Money.of('3', Currencies.BTC)] });
  const lastRaw = 2_410_000n; // 24,100.00: where the scripted venue fills market orders
  h.market.last = pxText(lastRaw);
  const reduceOnlyAllowed: Run['reduceOnlyAllowed'] = [];
  const venueTrades: string[] = [];
  const emit = h.venue.emit.bind(h.venue);
  h.venue.emit = (report) => {
    if (report.kind === 'OrderFilled') venueTrades.push(report.tradeId);
    emit(report);
  };
  let n = 0;
  const openLimits = (): Order[] => [...h.engine.state.openOrders.values()].filter((o) => o.price !== undefined);
  const choose = <T>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);
  const own = (a: string, s: string): bigint => h.engine.portfolio.position(nettingPositionId(a, BTC, s))?.signedQtyRaw ?? 0n;

  for (const s of steps) {
    h.clock.advance(1_000);
    h.ref(BTC, '24100');
    switch (s.k) {
      case 'market': {
        const a = ACCOUNTS[s.acct]!;
        const st = STRATEGIES[s.strat]!;
        const before = own(a, st);
        const r = await h.engine.submitOrder({ clientOrderId: `M-${++n}`, accountId: a, strategyId: st, instrumentId: BTC, side: s.side, type: 'MARKET', quantity: qtyText(BigInt(s.lots)), reduceOnly: s.reduceOnly });
        if (s.reduceOnly) {
          if (r.denied.length === 0) {
            reduceOnlyAllowed.push({ side: s.side, lots: BigInt(s.lots), ownBefore: before });
            count('reduceOnlyAllowed');
          } else if (r.denied[0]?.code === 'REDUCE_ONLY_WOULD_INCREASE') count('reduceOnlyDenied');
        }
        break;
      }
      case 'limit': {
        const px = lastRaw + BigInt(s.ticks) * TICK_RAW;
        await h.engine.submitOrder({ clientOrderId: `L-${++n}`, accountId: ACCOUNTS[s.acct]!, strategyId: STRATEGIES[s.strat]!, instrumentId: BTC, side: s.side, type: 'LIMIT', quantity: qtyText(BigInt(s.lots)), price: pxText(px) });
        break;
      }
      case 'fill': {
        const o = choose(openLimits(), s.pick);
        if (!o?.price) break;
        const leaves = lotsOf(o.leavesQty);
        if (leaves <= 0n) break;
        h.venue.fill(o.clientOrderId, qtyText(1n + (BigInt(s.r) % leaves)), o.price.toString());
        break;
      }
      case 'cancel': {
        const o = choose([...h.engine.state.openOrders.values()], s.pick);
        if (o) await h.engine.cancelOrder(o.clientOrderId);
        break;
      }
    }
    await settle();
  }
  for (const f of fillsIn(h)) count(`fills ${f.accountId}`);
  return { h, reduceOnlyAllowed, venueTrades };
}

function fillsIn(h: GateHarness): OrderFilled[] {
  return h.journal.all().flatMap((r) => (r.event.kind === 'OrderFilled' ? [r.event] : []));
}

describe('random multi-account sessions (3 accounts × 2 strategies, 100 runs × 20..120 steps)', () => {
  afterAll(() => {
    // The sessions did trade in every account and exercised reduce-only both ways.
    for (const a of ACCOUNTS) expect(tally.get(`fills ${a}`) ?? 0, a).toBeGreaterThan(100);
    expect(tally.get('reduceOnlyAllowed') ?? 0).toBeGreaterThan(20);
    expect(tally.get('reduceOnlyDenied') ?? 0).toBeGreaterThan(20);
  });

  it('each (account, strategy) position equals the signed sum of that account’s own fills; no fill is refused', async () => {
    await fc.assert(
      fc.asyncProperty(session, async (steps) => {
        const { h } = await runSession(steps);
        const expected = new Map<string, bigint>();
        for (const f of fillsIn(h)) {
          const id = nettingPositionId(f.accountId, f.instrumentId, f.strategyId);
          expect(f.positionId).toBe(id);
          expected.set(id, (expected.get(id) ?? 0n) + (f.side === 'BUY' ? f.lastQty.raw : -f.lastQty.raw));
        }
        const actual = new Map(h.engine.portfolio.allPositions().map((p) => [p.id as string, p.signedQtyRaw]));
        expect(actual).toEqual(expected);
        for (const p of h.engine.portfolio.allPositions()) expect(p.id).toBe(nettingPositionId(p.accountId, p.instrumentId, p.strategyId));
        expect(h.alerts.map((a) => a.code)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('every venue fill is booked, and cash moves only in its own account: USDT = start − Σ own signed notional − Σ own commissions, BTC = start + Σ own signed quantity', async () => {
    await fc.assert(
      fc.asyncProperty(session, async (steps) => {
        const { h, venueTrades } = await runSession(steps);
        expect(fillsIn(h).map((f) => f.tradeId)).toEqual(venueTrades);
        for (const a of ACCOUNTS) {
          let usdt = START[a].usdt;
          let btc = START[a].btc;
          for (const f of fillsIn(h)) {
            if (f.accountId !== a) continue;
            const sign = f.side === 'BUY' ? 1n : -1n;
            expect(f.commission.currency.code).toBe('USDT');
            usdt -= sign * f.lastQty.raw * f.lastPx.raw * 1_000n + f.commission.raw; // 3 + 2 dp → 8 dp
            btc += sign * f.lastQty.raw * 100_000n; // 3 dp → 8 dp
          }
          const acct = h.engine.portfolio.account(accountId(a));
          expect(acct.balance(Currencies.USDT).total.raw, `${a} USDT`).toBe(usdt);
          expect(acct.balance(Currencies.BTC).total.raw, `${a} BTC`).toBe(btc);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a reduce-only order passes only against its own account’s position, and the gate’s per-account positions equal the ledger’s', async () => {
    await fc.assert(
      fc.asyncProperty(session, async (steps) => {
        const { h, reduceOnlyAllowed } = await runSession(steps);
        for (const r of reduceOnlyAllowed) {
          // Its own position was on the other side and at least as large.
          if (r.side === 'SELL') expect(r.ownBefore >= r.lots * LOT_RAW).toBe(true);
          else expect(-r.ownBefore >= r.lots * LOT_RAW).toBe(true);
        }
        const ledger = new Map<string, bigint>();
        for (const p of h.engine.portfolio.allPositions()) ledger.set(p.accountId, (ledger.get(p.accountId) ?? 0n) + p.signedQtyRaw);
        for (const g of h.gate.aggregates()) expect(BigInt(g.position.replace('.', '')), g.account).toBe(ledger.get(g.account) ?? 0n);
      }),
      { numRuns: 100 },
    );
  });

  it('replaying the journal rebuilds the same state, and so does the same journal with fills in the old id form (instrument-strategy)', async () => {
    await fc.assert(
      fc.asyncProperty(session, async (steps) => {
        const { h } = await runSession(steps);
        const replayed = await Engine.fromJournal(h.journal, { clock: h.clock });
        expect(snapshot(replayed)).toEqual(snapshot(h.engine));
        const positions = (e: Engine) => e.portfolio.allPositions().map((p) => [p.id, p.accountId, p.signedQtyRaw, p.costRaw, p.realizedRaw]);
        expect(positions(replayed)).toEqual(positions(h.engine));
        const old = new MemoryJournal();
        old.append(
          h.journal.all().map((r) =>
            r.event.kind === 'OrderFilled' ? { ...r, event: { ...r.event, positionId: positionId(`${r.event.instrumentId}-${r.event.strategyId}`) } } : r,
          ),
        );
        expect(snapshot(await Engine.fromJournal(old, { clock: h.clock }))).toEqual(snapshot(h.engine));
      }),
      { numRuns: 100 },
    );
  });
});
