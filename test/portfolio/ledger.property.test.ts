/**
 * Property tests of the ledger: random fills (random sides, quantities on the lot grid, prices on
 * the tick grid, commissions in the settlement currency and in BNB) checked against an oracle that
 * never uses the ledger's arithmetic: it counts lots and ticks as plain integers and converts them
 * to minor units with factors worked out by hand from the instrument specs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Currencies } from '../../src/model/currency.ts';
import { accountId, clientOrderId, positionId, strategyId, tradeId, type AccountId, type PositionId, type StrategyId } from '../../src/model/identifiers.ts';
import type { Instrument } from '../../src/model/instrument.ts';
import { Money } from '../../src/model/money.ts';
import type { OrderFilled } from '../../src/model/orders/events.ts';
import { Price, Quantity } from '../../src/model/values.ts';
import type { AccountType } from '../../src/portfolio/account.ts';
import { Portfolio, type MarkPriceType } from '../../src/portfolio/portfolio.ts';
import type { Position, PositionChange } from '../../src/portfolio/position.ts';
import { AAPL, AAPL_CALL, BTCUSDT, ETHUSD_PERP, NOW } from './fixtures.ts';
import { mulberry32 } from '../../src/risk/analytics/random.ts';

interface Book {
  readonly inst: Instrument;
  readonly type: AccountType;
  readonly account: AccountId;
  /** Settlement minor units of 1 lot × 1 tick, worked out by hand (not by Instrument). */
  readonly minorPerLotTick: bigint;
  /** Base-currency minor units per lot for a spot instrument, by hand; 0 where there is no base. */
  readonly baseMinorPerLot: bigint;
  /** Raw quantity units per lot and raw price units per tick, by hand. */
  readonly lotRaw: bigint;
  readonly tickRaw: bigint;
  readonly start: bigint;
  readonly maxLots: number;
  readonly maxTicks: number;
}

const BOOKS: readonly Book[] = [
  // 0.00001 BTC × 0.01 USDT = 0.0000001 USDT = 10 × 10^-8; 0.00001 BTC = 1000 satoshis.
  {
    inst: BTCUSDT,
    type: 'CASH',
    account: accountId('CASH-SPOT'),
    minorPerLotTick: 10n,
    baseMinorPerLot: 1_000n,
    lotRaw: 1n,
    tickRaw: 1n,
    start: 1_000_000n * 100_000_000n,
    maxLots: 200_000,
    maxTicks: 10_000_000,
  },
  // 1 share × 0.01 USD = 1 cent.
  {
    inst: AAPL,
    type: 'CASH',
    account: accountId('CASH-EQUITY'),
    minorPerLotTick: 1n,
    baseMinorPerLot: 0n,
    lotRaw: 1n,
    tickRaw: 1n,
    start: 1_000_000n * 100n,
    maxLots: 2_000,
    maxTicks: 100_000,
  },
  // 1 contract × 0.05 USD = 5 cents; the tick is 5 raw units at 2 decimals.
  {
    inst: ETHUSD_PERP,
    type: 'MARGIN',
    account: accountId('MARGIN'),
    minorPerLotTick: 5n,
    baseMinorPerLot: 0n,
    lotRaw: 1n,
    tickRaw: 5n,
    start: 1_000_000n * 100n,
    maxLots: 500,
    maxTicks: 100_000,
  },
  // 1 contract × 0.05 USD × multiplier 100 = 5.00 USD = 500 cents; the tick is 5 raw units.
  {
    inst: AAPL_CALL,
    type: 'CASH',
    account: accountId('CASH-OPTIONS'),
    minorPerLotTick: 500n,
    baseMinorPerLot: 0n,
    lotRaw: 1n,
    tickRaw: 5n,
    start: 1_000_000n * 100n,
    maxLots: 100,
    maxTicks: 2_000,
  },
];

const STRATEGIES: readonly StrategyId[] = [strategyId('S-0'), strategyId('S-1'), strategyId('S-2')];
const START_BNB = 1_000n * 100_000_000n;

/** One random fill: which book and strategy, side, size in lots, price in ticks, commission. */
interface Step {
  readonly book: number;
  readonly strategy: number;
  readonly buy: boolean;
  readonly lots: number;
  /** Fill exactly the opposite of the position (close it), when it is open. */
  readonly flatten: boolean;
  readonly ticks: number;
  /** Commission in minor units; negative is a rebate. */
  readonly commission: number;
  /** Pay the commission in BNB (spot book only). */
  readonly bnb: boolean;
}

interface BookState {
  /** Signed lots per strategy. */
  readonly lots: bigint[];
  /** Σ sell notional − Σ buy notional, settlement minor units. */
  flow: bigint;
  /** Σ commissions in the settlement currency / in BNB, minor units. */
  commission: bigint;
  bnb: bigint;
  fills: number;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/** A portfolio with one account per book, and the oracle's own account of what happened. */
class Sim {
  readonly pf: Portfolio;
  readonly state: BookState[] = BOOKS.map(() => ({ lots: STRATEGIES.map(() => 0n), flow: 0n, commission: 0n, bnb: 0n, fills: 0 }));
  private readonly positionIds: PositionId[][] = BOOKS.map((b) => STRATEGIES.map((s) => positionId(`${b.inst.id}-${s}`)));
  private seq = 0;

  constructor(markPriceType: MarkPriceType = 'LAST') {
    this.pf = new Portfolio({ markPriceType });
    for (const b of BOOKS) {
      const balances = [Money.fromRaw(b.start, b.inst.settlement)];
      if (b.baseMinorPerLot > 0n) balances.push(Money.fromRaw(START_BNB, Currencies.BNB));
      this.pf.openAccount(b.account, b.type, 'NETTING', balances);
    }
  }

  position(book: number, strategy: number): Position | undefined {
    return this.pf.position(this.positionIds[book]![strategy]!);
  }

  apply(step: Step): { change: PositionChange; before: { qty: bigint; cost: bigint }; buy: boolean; notional: bigint; lots: bigint } {
    const b = BOOKS[step.book]!;
    const st = this.state[step.book]!;
    const held = st.lots[step.strategy]!;
    let buy = step.buy;
    let lots = BigInt(step.lots);
    if (step.flatten && held !== 0n) {
      buy = held < 0n;
      lots = abs(held);
    }
    const ticks = BigInt(step.ticks);
    const bnb = step.bnb && b.baseMinorPerLot > 0n;
    const commission = Money.fromRaw(BigInt(step.commission), bnb ? Currencies.BNB : b.inst.settlement);
    const fill: OrderFilled = {
      kind: 'OrderFilled',
      clientOrderId: clientOrderId(`O-${this.seq}`),
      tsEvent: NOW + this.seq,
      tsInit: NOW + this.seq,
      tradeId: tradeId(`T-${++this.seq}`),
      venueOrderId: undefined,
      accountId: b.account,
      strategyId: STRATEGIES[step.strategy]!,
      instrumentId: b.inst.id,
      positionId: this.positionIds[step.book]![step.strategy]!,
      side: buy ? 'BUY' : 'SELL',
      lastQty: Quantity.fromRaw(lots * b.lotRaw, b.inst.sizePrecision),
      lastPx: Price.fromRaw(ticks * b.tickRaw, b.inst.pricePrecision),
      commission,
      liquidity: 'TAKER',
    };
    const p = this.position(step.book, step.strategy);
    const before = { qty: p?.signedQtyRaw ?? 0n, cost: p?.costRaw ?? 0n };
    const { change } = this.pf.applyFill(fill, b.inst);

    const notional = lots * ticks * b.minorPerLotTick;
    st.flow += buy ? -notional : notional;
    st.lots[step.strategy] = held + (buy ? lots : -lots);
    if (bnb) st.bnb += BigInt(step.commission);
    else st.commission += BigInt(step.commission);
    st.fills++;
    return { change, before, buy, notional, lots };
  }

  /** Closes every open position at `ticks[book]`, with no commission. */
  flattenAll(ticks: readonly number[]): void {
    BOOKS.forEach((_, book) => {
      STRATEGIES.forEach((__, strategy) => {
        if (this.state[book]!.lots[strategy] !== 0n) {
          this.apply({ book, strategy, buy: true, lots: 1, flatten: true, ticks: ticks[book]!, commission: 0, bnb: false });
        }
      });
    });
  }

  /** Sets a mark on the tick grid: last = bid = `bid`, ask = `bid + spread` ticks. */
  mark(book: number, bidTicks: number, spreadTicks: number): void {
    const b = BOOKS[book]!;
    const px = (t: number) => Price.fromRaw(BigInt(t) * b.tickRaw, b.inst.pricePrecision);
    this.pf.mark(b.inst.id, { last: px(bidTicks), bid: px(bidTicks), ask: px(bidTicks + spreadTicks) });
  }

  settlementCash(book: number): bigint {
    const b = BOOKS[book]!;
    return this.pf.account(b.account).totalRaw(b.inst.settlement);
  }

  equity(book: number): bigint {
    const b = BOOKS[book]!;
    return this.pf.equity(b.account, b.inst.settlement).raw;
  }

  /** Σ over the book's positions of realized PnL, and of unrealized PnL at the current marks. */
  realizedAndUnrealized(book: number): { realized: bigint; unrealized: bigint } {
    let realized = 0n;
    let unrealized = 0n;
    STRATEGIES.forEach((_, s) => {
      const p = this.position(book, s);
      if (!p) return;
      realized += p.realizedRaw;
      unrealized += this.pf.unrealizedPnl(p).raw;
    });
    return { realized, unrealized };
  }
}

/** Expected market value of the book's positions, from the oracle's lots: longs at `long` ticks, shorts at `short`. */
function oracleValue(sim: Sim, book: number, longTicks: number, shortTicks: number): bigint {
  const b = BOOKS[book]!;
  let v = 0n;
  for (const lots of sim.state[book]!.lots) v += lots * BigInt(lots > 0n ? longTicks : shortTicks) * b.minorPerLotTick;
  return v;
}

// ---- arbitraries ----

function stepArb(books: readonly number[] = BOOKS.map((_, i) => i)): fc.Arbitrary<Step> {
  return fc.constantFrom(...books).chain((book) => {
    const b = BOOKS[book]!;
    return fc.record({
      book: fc.constant(book),
      strategy: fc.integer({ min: 0, max: STRATEGIES.length - 1 }),
      buy: fc.boolean(),
      // Small sizes make exact closes and flips common; large ones make uneven allocations.
      lots: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: b.maxLots })),
      flatten: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      ticks: fc.integer({ min: 1, max: b.maxTicks }),
      commission: fc.oneof(fc.constant(0), fc.integer({ min: -1_000, max: 100_000 })),
      bnb: fc.boolean(),
    });
  });
}

const stepsArb = (books?: readonly number[]) => fc.array(stepArb(books), { minLength: 1, maxLength: 300 });
const ticksArb = fc.tuple(...BOOKS.map((b) => fc.integer({ min: 1, max: b.maxTicks })));

const RUNS = { numRuns: 200 };

describe('ledger properties', () => {
  it('(1) a position quantity always equals the signed sum of its fills', () => {
    fc.assert(
      fc.property(stepsArb(), (steps) => {
        const sim = new Sim();
        for (const step of steps) {
          sim.apply(step);
          const expected = sim.state[step.book]!.lots[step.strategy]! * BOOKS[step.book]!.lotRaw;
          const p = sim.position(step.book, step.strategy);
          expect(p?.signedQtyRaw).toBe(expected);
          expect(p?.quantity.raw).toBe(abs(expected));
          expect(p?.side).toBe(expected > 0n ? 'LONG' : expected < 0n ? 'SHORT' : 'FLAT');
          if (expected === 0n) expect(p?.costRaw).toBe(0n);
          else expect(p!.costRaw).toBeGreaterThan(0n);
        }
      }),
      RUNS,
    );
  });

  it('(2) CASH: quote cash == start − Σ signed notional − Σ quote commissions; base == Σ signed quantity; BNB pays BNB fees', () => {
    fc.assert(
      fc.property(stepsArb([0, 1]), (steps) => {
        const sim = new Sim();
        for (const step of steps) sim.apply(step);
        const spot = BOOKS[0]!;
        const s0 = sim.state[0]!;
        const a = sim.pf.account(spot.account);
        expect(sim.settlementCash(0)).toBe(spot.start + s0.flow - s0.commission);
        expect(a.totalRaw(Currencies.BTC)).toBe(s0.lots.reduce((x, y) => x + y, 0n) * spot.baseMinorPerLot);
        expect(a.totalRaw(Currencies.BNB)).toBe(START_BNB - s0.bnb);
        const eq = BOOKS[1]!;
        const s1 = sim.state[1]!;
        expect(sim.settlementCash(1)).toBe(eq.start + s1.flow - s1.commission);
        // An equity has no base currency balance.
        expect(sim.pf.account(eq.account).balances().map((b) => b.currency.code)).toEqual(['USD']);
      }),
      RUNS,
    );
  });

  it('(3) equity − starting equity == Σ realized + unrealized − Σ commissions, exactly, at marks on the tick grid (LAST and BID_ASK)', () => {
    fc.assert(
      fc.property(
        stepsArb(),
        ticksArb,
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: BOOKS.length, maxLength: BOOKS.length }),
        fc.constantFrom<MarkPriceType>('LAST', 'BID_ASK'),
        (steps, marks, spreads, markType) => {
          const sim = new Sim(markType);
          for (const step of steps) sim.apply(step);
          BOOKS.forEach((b, book) => {
            sim.mark(book, marks[book]!, spreads[book]!);
            const st = sim.state[book]!;
            const equityChange = sim.equity(book) - b.start;
            const { realized, unrealized } = sim.realizedAndUnrealized(book);
            expect(equityChange).toBe(realized + unrealized - st.commission);
            // The same number from the oracle alone: trade flow + what is held at the mark − fees.
            const longAt = marks[book]!;
            const shortAt = markType === 'BID_ASK' ? marks[book]! + spreads[book]! : marks[book]!;
            expect(equityChange).toBe(st.flow + oracleValue(sim, book, longAt, shortAt) - st.commission);
          });
        },
      ),
      RUNS,
    );
  });

  it('(4) after closing everything, Σ realized == Σ sell notional − Σ buy notional and cash == start + that − fees, for CASH and MARGIN', () => {
    fc.assert(
      fc.property(stepsArb(), ticksArb, (steps, closeAt) => {
        const sim = new Sim();
        for (const step of steps) sim.apply(step);
        sim.flattenAll(closeAt);
        BOOKS.forEach((b, book) => {
          const st = sim.state[book]!;
          expect(st.lots.every((l) => l === 0n)).toBe(true);
          STRATEGIES.forEach((_, s) => {
            const p = sim.position(book, s);
            if (p) expect([p.signedQtyRaw, p.costRaw]).toEqual([0n, 0n]);
          });
          expect(sim.realizedAndUnrealized(book)).toEqual({ realized: st.flow, unrealized: 0n });
          expect(sim.settlementCash(book)).toBe(b.start + st.flow - st.commission);
          expect(sim.equity(book)).toBe(b.start + st.flow - st.commission);
        });
        // The strategy statistics add up to the same, per settlement currency.
        const realized = new Map(sim.pf.statistics().realized.map((m) => [m.currency.code, m.raw]));
        expect(realized.get('USDT') ?? 0n).toBe(sim.state[0]!.flow);
        expect(realized.get('USD') ?? 0n).toBe(sim.state[1]!.flow + sim.state[2]!.flow + sim.state[3]!.flow);
        expect(sim.pf.account(BOOKS[0]!.account).totalRaw(Currencies.BTC)).toBe(0n);
      }),
      RUNS,
    );
  });

  it('(4b) every close realizes the exact weighted-average PnL to within one minor unit (cost share rounded toward zero)', () => {
    fc.assert(
      fc.property(stepsArb(), (steps) => {
        const sim = new Sim();
        for (const step of steps) {
          const { change, before, buy, notional, lots } = sim.apply(step);
          const b = BOOKS[step.book]!;
          const open = abs(before.qty);
          const fillRaw = lots * b.lotRaw;
          const closing = open > 0n && before.qty > 0n !== buy;
          if (!closing) {
            expect(change.realizedRaw).toBe(0n);
            continue;
          }
          const closeRaw = fillRaw < open ? fillRaw : open;
          // Exact: realized = closeNotional − cost × close / open (long), the negation for a short.
          // Scaled by `open`: |realized × open − exact × open| < open.
          const closeNotional = (notional * closeRaw) / fillRaw; // exact: notional is lots × ticks
          expect(closeNotional * fillRaw).toBe(notional * closeRaw);
          const sign = before.qty > 0n ? 1n : -1n;
          const exactTimesOpen = sign * (closeNotional * open - before.cost * closeRaw);
          expect(abs(change.realizedRaw * open - exactTimesOpen) < open).toBe(true);
          expect(change.flipped).toBe(fillRaw > open);
          expect(change.closed).toBe(fillRaw >= open);
        }
      }),
      RUNS,
    );
  });
});

// ---- a million fills ----

/** One fast-check seed drives a long run of fills through a small seeded generator. */
const rng = mulberry32;

const FILLS_PER_RUN = 10_000;
const MILLION_RUNS = 100;
const CHECK_EVERY = 500;

describe('ledger at scale', () => {
  it('(5) after 1,000,000 random fills, cash + positions reconcile to the last unit', () => {
    let total = 0;
    fc.assert(
      fc.property(
        fc.noShrink(fc.integer()),
        fc.constantFrom<MarkPriceType>('LAST', 'BID_ASK'),
        fc.integer({ min: 0, max: 20 }),
        (seed, markType, spread) => {
          const rand = rng(seed);
          const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
          const sim = new Sim(markType);
          // A random walk of prices per book, so positions are marked near where they traded.
          const level = BOOKS.map((b) => int(1, b.maxTicks));
          for (let i = 1; i <= FILLS_PER_RUN; i++) {
            const book = int(0, BOOKS.length - 1);
            const b = BOOKS[book]!;
            const move = Math.max(1, Math.floor(level[book]! / 500));
            level[book] = Math.min(b.maxTicks, Math.max(1, level[book]! + int(-move, move)));
            const r = rand();
            sim.apply({
              book,
              strategy: int(0, STRATEGIES.length - 1),
              buy: rand() < 0.5,
              lots: r < 0.4 ? int(1, 10) : int(1, b.maxLots),
              flatten: r > 0.92,
              ticks: level[book],
              commission: rand() < 0.2 ? 0 : int(-500, 50_000),
              bnb: rand() < 0.25,
            });
            if (i % CHECK_EVERY === 0) {
              BOOKS.forEach((bk, k) => {
                sim.mark(k, level[k]!, spread);
                const st = sim.state[k]!;
                const shortAt = markType === 'BID_ASK' ? level[k]! + spread : level[k]!;
                const equityChange = sim.equity(k) - bk.start;
                expect(equityChange).toBe(st.flow + oracleValue(sim, k, level[k]!, shortAt) - st.commission);
                const { realized, unrealized } = sim.realizedAndUnrealized(k);
                expect(equityChange).toBe(realized + unrealized - st.commission);
                if (bk.type === 'CASH') expect(sim.settlementCash(k)).toBe(bk.start + st.flow - st.commission);
                STRATEGIES.forEach((_, s) => {
                  expect(sim.position(k, s)?.signedQtyRaw ?? 0n).toBe(st.lots[s]! * bk.lotRaw);
                });
              });
              const spotAccount = sim.pf.account(BOOKS[0]!.account);
              expect(spotAccount.totalRaw(Currencies.BTC)).toBe(sim.state[0]!.lots.reduce((x, y) => x + y, 0n) * BOOKS[0]!.baseMinorPerLot);
              expect(spotAccount.totalRaw(Currencies.BNB)).toBe(START_BNB - sim.state[0]!.bnb);
            }
          }
          total += FILLS_PER_RUN;
          sim.flattenAll(level);
          BOOKS.forEach((bk, k) => {
            const st = sim.state[k]!;
            expect(sim.realizedAndUnrealized(k)).toEqual({ realized: st.flow, unrealized: 0n });
            expect(sim.settlementCash(k)).toBe(bk.start + st.flow - st.commission);
          });
          expect(sim.pf.account(BOOKS[0]!.account).totalRaw(Currencies.BTC)).toBe(0n);
        },
      ),
      { numRuns: MILLION_RUNS },
    );
    expect(total).toBeGreaterThanOrEqual(1_000_000);
  });
});
