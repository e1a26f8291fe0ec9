/**
 * The exposure checks' double-precision path (src/risk/gate/exposure-fast.ts) never changes a
 * verdict: over random books (positions long and short, working orders on both sides, several
 * instruments, marks from a last, a mid or the last fill, a finer-than-grid price), random limits
 * (gross, net, leverage, concentration, account and firm, some tight, some beyond 2^53 in doubled
 * minor units) and random orders, checkExposure (the fast path, else the exact one) gives exactly
 * what the exact bigint path alone gives. And it is not vacuous: on ordinary books it answers
 * most orders itself. CI runs 20,000 random cases; WARDEN_EXPOSURE_RUNS=1000000 runs a million
 * (about a minute).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RiskView } from '../../../src/engine/risk-view.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { Instrument } from '../../../src/model/instrument.ts';
import { Price } from '../../../src/model/values.ts';
import { formatRaw } from '../../../src/model/decimal.ts';
import type { MarketQuote } from '../../../src/portfolio/portfolio.ts';
import { checkExposure, exactExposure } from '../../../src/risk/gate/exposure-checks.ts';
import { surelyWithinExposure } from '../../../src/risk/gate/exposure-fast.ts';
import { OrderFacts } from '../../../src/risk/gate/facts.ts';
import { CompiledLimits } from '../../../src/risk/gate/limits.ts';
import { WorkingSet } from '../../../src/risk/gate/working.ts';
import type { LimitsConfig } from '../../../src/risk/config/types.ts';

const INSTRUMENTS = [
  new Instrument({ id: 'BTCUSDT.V', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001' }),
  new Instrument({ id: 'ETHUSDT.V', kind: 'SPOT', base: Currencies.ETH, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.0001' }),
  new Instrument({ id: 'BTCPERP.V', kind: 'PERPETUAL', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.1', lotSize: '0.001', multiplier: '10' }),
];

const big = (max: bigint): fc.Arbitrary<bigint> => fc.oneof(fc.bigInt({ min: 0n, max: 10_000_000n }), fc.bigInt({ min: 0n, max }));
const HUGE = 1n << 80n;

const stakeArb = fc.record({
  inst: fc.integer({ min: 0, max: INSTRUMENTS.length - 1 }),
  position: fc.oneof(fc.bigInt({ min: -10_000_000n, max: 10_000_000n }), fc.bigInt({ min: -HUGE, max: HUGE })),
  workBuy: big(HUGE),
  workSell: big(HUGE),
  lastPx2: big(HUGE),
  account: fc.constantFrom('A', 'B'),
});

const quoteArb = fc.oneof(
  fc.constant(undefined),
  fc.record({ last: fc.bigInt({ min: 1n, max: 100_000_000n }) }),
  fc.record({ bid: fc.bigInt({ min: 1n, max: 100_000_000n }), ask: fc.bigInt({ min: 1n, max: 100_000_000n }) }),
  // Finer than the grid: the exact path rounds it.
  fc.record({ fine: fc.bigInt({ min: 1n, max: 100_000_000_000n }) }),
);

/** A limit as decimal text: none, tight, ordinary or beyond 2^53 doubled minor units. */
const moneyArb = fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 5_000 }).map(String), fc.integer({ min: 0, max: 100_000_000 }).map(String), fc.constant('900000000000000000000'));

const caseArb = fc.record({
  stakes: fc.array(stakeArb, { maxLength: 6 }),
  quotes: fc.array(quoteArb, { minLength: INSTRUMENTS.length, maxLength: INSTRUMENTS.length }),
  cash: fc.oneof(fc.bigInt({ min: -1_000_000_000n, max: 10n ** 16n }), fc.bigInt({ min: 0n, max: HUGE })),
  margin: fc.boolean(),
  account: fc.record({ gross: moneyArb, net: moneyArb, leverage: fc.option(fc.double({ min: 0.01, max: 100, noNaN: true }), { nil: undefined }), concentration: fc.option(fc.double({ min: 1, max: 1000, noNaN: true }), { nil: undefined }) }),
  firm: fc.record({ gross: moneyArb, net: moneyArb }),
  order: fc.record({ inst: fc.integer({ min: 0, max: INSTRUMENTS.length - 1 }), side: fc.constantFrom('BUY' as const, 'SELL' as const), add: fc.oneof(fc.bigInt({ min: 0n, max: 1_000_000n }), fc.bigInt({ min: 0n, max: HUGE })), ref: fc.bigInt({ min: 1n, max: 200_000_000n }) }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function quoteOf(q: Case['quotes'][number], inst: Instrument): MarketQuote | undefined {
  if (q === undefined) return undefined;
  const p = inst.pricePrecision;
  if ('last' in q) return { last: Price.fromRaw(q.last, p) };
  if ('bid' in q) return { bid: Price.fromRaw(q.bid, p), ask: Price.fromRaw(q.ask, p) };
  return { last: Price.fromRaw(q.fine, p + 3) };
}

function build(c: Case) {
  const working = new WorkingSet();
  for (const x of c.stakes) {
    const s = working.stake(x.account, INSTRUMENTS[x.inst]!);
    s.position = x.position;
    s.workBuy = x.workBuy;
    s.workSell = x.workSell;
    s.lastPx2 = x.lastPx2;
    working.account(x.account).stakes.add(s);
    working.active.add(s);
  }
  const inst = INSTRUMENTS[c.order.inst]!;
  const f = new OrderFacts();
  f.accountId = 'A';
  f.strategyId = 's1';
  f.side = c.order.side;
  f.inst = inst;
  f.stake = working.stake('A', inst);
  working.account('A').stakes.add(f.stake);
  f.add = c.order.add;
  const quotes = new Map<string, MarketQuote | undefined>(INSTRUMENTS.map((i, k) => [i.id, quoteOf(c.quotes[k], i)]));
  const view = { portfolio: { quote: (id: string) => quotes.get(id), account: () => ({ type: c.margin ? 'MARGIN' : 'CASH', totalRaw: () => c.cash }) } } as unknown as RiskView;
  const config = {
    instruments: {},
    accounts: { A: { max_gross_exposure: c.account.gross, max_net_exposure: c.account.net, max_leverage: c.account.leverage, max_concentration_pct: c.account.concentration } },
    firm: { max_gross_exposure: c.firm.gross, max_net_exposure: c.firm.net },
  } as unknown as LimitsConfig;
  const limits = new CompiledLimits(config);
  return { f, view, limits, working, ref2: c.order.ref };
}

describe('the exposure checks in doubles', () => {
  it('give exactly the exact path verdict, whatever the book, limits and order', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        // A MARGIN account's equity needs the portfolio: those cases stay on the exact path, which this view cannot serve.
        fc.pre(!(c.margin && (c.account.leverage !== undefined || c.account.concentration !== undefined)));
        const { f, view, limits, working, ref2 } = build(c);
        const acct = limits.forAccount('A', f.inst.settlement);
        const firm = limits.forFirm(f.inst.settlement);
        const needAccount = acct.maxGross2 !== undefined || acct.maxNet2 !== undefined || acct.leverageMicro !== undefined || acct.concentrationMicro !== undefined;
        const needFirm = firm.maxGross2 !== undefined || firm.maxNet2 !== undefined;
        const exact = needAccount || needFirm ? exactExposure(f, ref2, view, acct, firm, working, needAccount, needFirm) : undefined;
        expect(checkExposure(f, ref2, view, limits, working)).toEqual(exact);
        if (needAccount || needFirm) {
          if (surelyWithinExposure(f, ref2, view, acct, firm, working, needAccount, needFirm)) expect(exact).toBeUndefined();
        }
      }),
      { numRuns: Number(process.env.WARDEN_EXPOSURE_RUNS ?? 20_000) },
    );
  });

  it('give exactly the exact verdict at every limit\'s edge (the least limit that passes, and one unit either side)', () => {
    type Kind = 'gross' | 'net' | 'firmGross' | 'firmNet' | 'leverage' | 'concentration';
    const kinds: Kind[] = ['gross', 'net', 'firmGross', 'firmNet', 'leverage', 'concentration'];
    let edges = 0;
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...kinds), (c0, kind) => {
        const ratio = kind === 'leverage' || kind === 'concentration';
        const c: Case = { ...c0, margin: false, account: { gross: undefined, net: undefined, leverage: undefined, concentration: undefined }, firm: { gross: undefined, net: undefined } };
        const precision = INSTRUMENTS[c.order.inst]!.settlement.precision;
        // One limit set to x: raw minor units as decimal text, or millionths for a ratio.
        const withLimit = (x: bigint): Case => {
          const money = formatRaw(x, precision);
          const n = Number(x) / 1_000_000;
          switch (kind) {
            case 'gross': return { ...c, account: { ...c.account, gross: money } };
            case 'net': return { ...c, account: { ...c.account, net: money } };
            case 'firmGross': return { ...c, firm: { ...c.firm, gross: money } };
            case 'firmNet': return { ...c, firm: { ...c.firm, net: money } };
            case 'leverage': return { ...c, account: { ...c.account, leverage: n } };
            case 'concentration': return { ...c, account: { ...c.account, concentration: n * 100 } };
          }
        };
        const verdicts = (x: bigint) => {
          const { f, view, limits, working, ref2 } = build(withLimit(x));
          const acct = limits.forAccount('A', f.inst.settlement);
          const firm = limits.forFirm(f.inst.settlement);
          const needAccount = !kind.startsWith('firm');
          return { fast: checkExposure(f, ref2, view, limits, working), exact: exactExposure(f, ref2, view, acct, firm, working, needAccount, !needAccount) };
        };
        // The least limit the exact path passes (it passes at every larger one), by bisection.
        let lo = 0n;
        let hi = ratio ? 10n ** 12n : 1n << 120n;
        if (verdicts(hi).exact !== undefined) return;
        while (lo < hi) {
          const mid = (lo + hi) / 2n;
          if (verdicts(mid).exact === undefined) hi = mid;
          else lo = mid + 1n;
        }
        for (const x of [lo - 1n, lo, lo + 1n]) {
          if (x < 0n) continue;
          const v = verdicts(x);
          expect(v.fast).toEqual(v.exact);
        }
        edges++;
      }),
      { numRuns: 3_000 },
    );
    expect(edges).toBeGreaterThan(1_000);
  });

  it('answers an ordinary order on an ordinary book itself', () => {
    let fast = 0;
    const runs = 2_000;
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1_000_000n }), fc.bigInt({ min: -1_000_000n, max: 1_000_000n }), fc.constantFrom('BUY' as const, 'SELL' as const), (add, position, side) => {
        const c: Case = {
          stakes: [{ inst: 1, position, workBuy: 1_000n, workSell: 2_000n, lastPx2: 600_000n, account: 'A' }],
          quotes: [{ last: 2_400_000n }, { bid: 300_000n, ask: 300_100n }, undefined],
          cash: 10n ** 15n,
          margin: false,
          account: { gross: '1000000', net: '1000000', leverage: 5, concentration: 100 },
          firm: { gross: '10000000', net: undefined },
          order: { inst: 0, side, add, ref: 4_800_000n },
        };
        const { f, view, limits, working, ref2 } = build(c);
        if (surelyWithinExposure(f, ref2, view, limits.forAccount('A', f.inst.settlement), limits.forFirm(f.inst.settlement), working, true, true)) fast++;
      }),
      { numRuns: runs },
    );
    expect(fast).toBeGreaterThan(runs * 0.9);
  });
});
