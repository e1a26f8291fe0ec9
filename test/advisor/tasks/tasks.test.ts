/**
 * The tasks' pure parts: the trade gate's decision (only ever stricter), trade facts, portfolio
 * figures, the news parser and its answer rules, explain from journal records, proposal tickets,
 * and strategy measurements on real bars.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Advice, ConsultRecord, NoAdviceReason } from '../../../src/advisor/consult.ts';
import { advisorGateDecision, advisorGateSchema, reviewOrder, type AdvisorGateConfig } from '../../../src/advisor/tasks/trade-gate.ts';
import { tradeFacts, tradeRequest, type TradeAssessment } from '../../../src/advisor/tasks/trade.ts';
import { portfolioFacts } from '../../../src/advisor/tasks/portfolio.ts';
import { newsRequest, newsSchema, parseFeed } from '../../../src/advisor/tasks/news.ts';
import { explainFacts } from '../../../src/advisor/tasks/explain.ts';
import { ProposalBook, ticketOf } from '../../../src/advisor/tasks/proposals.ts';
import { measureSuggestions, strategiesRequest, strategyFacts, type StrategyCandidate } from '../../../src/advisor/tasks/strategies.ts';
import { STRATEGIES } from '../../../src/strategies/index.ts';
import { instrumentSpecFor } from '../../../src/backtest/instruments.ts';
import type { JournalRecord } from '../../../src/engine/events.ts';
import type { Bar } from '../../../src/model/bar.ts';
import { realBars, ScriptedConsultant } from '../support.ts';

const record = { id: 'adv-1' } as ConsultRecord;
const assessed = (score: TradeAssessment['score']): Advice<TradeAssessment> => ({ ok: true, value: { score, factors: [{ factor: 'f', detail: 'd' }], mitigations: [], recommendation: 'proceed', summary: 's' }, record });
const failed = (reason: NoAdviceReason): Advice<TradeAssessment> => ({ ok: false, reason, message: 'm' });

describe('the trade gate decision', () => {
  const arbAdvice = fc.oneof(
    fc.constantFrom('low', 'medium', 'high').map((s) => assessed(s)),
    fc.constantFrom<NoAdviceReason>('NOT_CONFIGURED', 'BUDGET_EXHAUSTED', 'TIMEOUT', 'REFUSED', 'INVALID', 'UNAVAILABLE').map(failed),
    fc.constant(undefined),
  );
  const arbCfg = fc.record({ deny_on: fc.constantFrom('high', 'never'), fail: fc.constantFrom('open', 'closed') }) as fc.Arbitrary<AdvisorGateConfig>;

  it('property: never passes an order the gate denies, whatever the advice and configuration (accepted with ⊆ accepted without)', () => {
    fc.assert(
      fc.property(arbCfg, fc.boolean(), arbAdvice, (cfg, gateAccepts, advice) => {
        const d = advisorGateDecision(cfg, gateAccepts, advice);
        const acceptedWith = gateAccepts && d.do === 'pass';
        expect(!acceptedWith || gateAccepts).toBe(true);
        // and it decides nothing for a gate denial: the denial stays the gate's own
        if (!gateAccepts) expect(d.do).toBe('pass');
        if (d.do === 'deny') expect(d.code).toBe('ADVISOR_DENIED');
      }),
    );
  });

  it('denies only a high score (deny_on high), a failure only when fail is closed, never without a model', () => {
    const on: AdvisorGateConfig = { deny_on: 'high', fail: 'open' };
    expect(advisorGateDecision(on, true, assessed('high')).do).toBe('deny');
    expect(advisorGateDecision(on, true, assessed('medium')).do).toBe('pass');
    expect(advisorGateDecision({ deny_on: 'never', fail: 'closed' }, true, assessed('high')).do).toBe('pass');
    expect(advisorGateDecision(on, true, failed('TIMEOUT')).do).toBe('pass');
    expect(advisorGateDecision({ deny_on: 'high', fail: 'closed' }, true, failed('TIMEOUT')).do).toBe('deny');
    expect(advisorGateDecision({ deny_on: 'high', fail: 'closed' }, true, failed('NOT_CONFIGURED')).do).toBe('pass');
  });

  it('the config defaults to off and refuses unknown values', () => {
    expect(advisorGateSchema.parse(undefined)).toEqual({ deny_on: 'never', fail: 'open' });
    expect(advisorGateSchema.safeParse({ deny_on: 'medium' }).success).toBe(false);
    expect(advisorGateSchema.safeParse({ deny_on: 'high', allow_on: 'low' }).success).toBe(false);
  });

  it('reviewOrder does not ask the advisor for an order the gate denies, nor when off; a thrown assessment is a failure `fail` decides', async () => {
    const c = new ScriptedConsultant(() => ({ answer: {} }));
    let asked = 0;
    const assess = () => {
      asked++;
      return Promise.resolve(assessed('high'));
    };
    expect((await reviewOrder({ deny_on: 'high', fail: 'open' }, c, false, assess)).do).toBe('pass');
    expect((await reviewOrder({ deny_on: 'never', fail: 'closed' }, c, true, assess)).do).toBe('pass');
    expect(asked).toBe(0);
    expect((await reviewOrder({ deny_on: 'high', fail: 'open' }, c, true, assess)).do).toBe('deny');
    const boom = () => Promise.reject(new Error('no bars'));
    expect((await reviewOrder({ deny_on: 'high', fail: 'closed' }, c, true, boom)).do).toBe('deny');
    expect((await reviewOrder({ deny_on: 'high', fail: 'open' }, c, true, boom)).do).toBe('pass');
  });
});

describe('trade facts', () => {
  it('notional, its share of equity, distance from the reference and the effect on the position', () => {
    const f = tradeFacts(
      { instrumentId: 'BTCUSDT.X', accountId: 'A', side: 'SELL', type: 'LIMIT', quantity: '0.5', price: '20200' },
      { reference: { last: '20000', bid: '19999', ask: '20001' }, position: { side: 'LONG', quantity: '2' }, equity: { amount: '100000', currency: 'USDT' }, gate: { allowed: true }, openOrders: 1 },
    );
    expect(f.notional).toBe(10_100);
    expect(f.notionalPctOfEquity).toBeCloseTo(10.1, 6);
    expect(f.priceVsReferencePct).toBeCloseTo(1, 6);
    expect(f.positionEffect).toBe('reduces');
    expect(f.spreadPct).toBeCloseTo(0.01, 6);
    const flip = tradeFacts({ instrumentId: 'X', accountId: 'A', side: 'SELL', type: 'MARKET', quantity: '3' }, { reference: { last: '10' }, position: { side: 'LONG', quantity: '2' }, gate: { allowed: true }, openOrders: 0 });
    expect(flip.positionEffect).toBe('flips');
    const req = tradeRequest(f);
    expect(req.tier).toBe('risk');
    expect((req.data as { trade: unknown }).trade).toEqual(f);
  });
});

describe('portfolio facts', () => {
  it('concentration, correlation and VaR from real BTCUSDT and BTCUSDC returns', async () => {
    const [a, b] = await Promise.all([realBars('binanceus-BTCUSDT-1m-2023-03-01_21.csv', 'BTCUSDT.B', 301), realBars('binanceus-BTCUSDC-1m-2023-03-01_21.csv', 'BTCUSDC.B', 301)]);
    const ret = (bs: Bar[]) => bs.slice(1).map((x, i) => Number(x.close) / Number(bs[i]!.close) - 1);
    const f = portfolioFacts(
      [
        { instrumentId: 'BTCUSDT.B', side: 'LONG', quantity: '1', mark: 23000, asset: 'BTC', assetClass: 'crypto', returns: ret(a) },
        { instrumentId: 'BTCUSDC.B', side: 'LONG', quantity: '1', mark: 23000, asset: 'BTC', assetClass: 'crypto', returns: ret(b) },
      ],
      100_000,
    );
    expect(f.herfindahl).toBeCloseTo(0.5, 6);
    expect(f.effectivePositions).toBeCloseTo(2, 6);
    // two BTC pairs move together
    expect(f.correlation.averagePairwise!).toBeGreaterThan(0.5);
    expect(f.var95.parametric!).toBeGreaterThan(0);
    expect(f.stress.find((s) => s.scenario === 'crypto-crash-2022')!.pnl).toBeCloseTo(-23_000, 0);
  });

  it('property: weights sum to 1 and the Herfindahl index is between 1/n and 1', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ q: fc.integer({ min: 1, max: 1000 }), m: fc.integer({ min: 1, max: 1000 }), short: fc.boolean() }), { minLength: 1, maxLength: 6 }), (xs) => {
        const f = portfolioFacts(xs.map((x, i) => ({ instrumentId: `I${i}.V`, side: x.short ? 'SHORT' : 'LONG', quantity: String(x.q), mark: x.m, returns: [0.01 * i, -0.01, 0.02, 0.005 * i] })), 1e6);
        expect(f.holdings.reduce((s, h) => s + h.weight, 0)).toBeCloseTo(1, 4);
        expect(f.herfindahl!).toBeGreaterThanOrEqual(1 / xs.length - 1e-5);
        expect(f.herfindahl!).toBeLessThanOrEqual(1 + 1e-9);
      }),
    );
  });
});

describe('news', () => {
  const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
    <entry><title>Oracle beats estimates</title><id>1</id><summary>&lt;b&gt;Cloud&lt;/b&gt; revenue up 20%</summary><updated>2024-01-01T00:00:00Z</updated></entry></feed>`;

  it('parses Atom and RSS into items with ids, markup stripped', () => {
    const items = parseFeed(atom);
    expect(items).toEqual([expect.objectContaining({ id: 'n1', title: 'Oracle beats estimates', summary: 'Cloud revenue up 20%' })]);
    expect(parseFeed('<rss><channel><item><title>A</title></item><item><title>B</title></item></channel></rss>').map((i) => i.title)).toEqual(['A', 'B']);
    expect(() => parseFeed('not xml at all')).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
  });

  it('an answer names only traded instruments and existing items, quotes verbatim, and has no other field', () => {
    const facts = { instruments: [{ instrumentId: 'ORCL.NYSE', base: null }], items: parseFeed(atom) };
    const schema = newsSchema(facts);
    const good = { sentiments: [{ instrumentId: 'ORCL.NYSE', sentiment: 'positive', score: 0.5, itemId: 'n1', quote: 'beats estimates' }], summary: 'Good.' };
    expect(schema.safeParse(good).success).toBe(true);
    for (const bad of [
      { ...good, sentiments: [{ ...good.sentiments[0], quote: 'misses estimates' }] },
      { ...good, sentiments: [{ ...good.sentiments[0], instrumentId: 'AAPL.NASDAQ' }] },
      { ...good, sentiments: [{ ...good.sentiments[0], itemId: 'n9' }] },
      { ...good, action: { side: 'BUY' } },
    ])
      expect(schema.safeParse(bad).success).toBe(false);
    const req = newsRequest(facts);
    expect(req.system).not.toContain('Oracle');
    expect(JSON.stringify(req.data)).toContain('Oracle beats estimates');
  });
});

describe('explain', () => {
  const rec = (seq: number, event: unknown): JournalRecord => ({ seq, event: event as JournalRecord['event'] });
  it('finds a breaker trip, the trading state it set and its reset', () => {
    const f = explainFacts(
      [
        rec(1, { kind: 'BreakerTripped', breaker: 'daily_loss', scope: 'FIRM', value: -5200, threshold: -5000, action: 'HALT', autoResetAt: undefined, message: 'loss', tsEvent: 0, tsInit: 0 }),
        rec(2, { kind: 'TradingStateChanged', scope: 'FIRM', state: 'HALTED', source: 'BREAKER', reason: 'daily_loss', tsEvent: 0, tsInit: 0 }),
        rec(3, { kind: 'BreakerReset', breaker: 'daily_loss', scope: 'FIRM', source: 'OPERATOR', operator: 'user:rita', tsEvent: 1000, tsInit: 1000 }),
      ],
      { kind: 'breaker', breaker: 'daily_loss' },
    );
    expect(f).toMatchObject({ kind: 'breaker', value: -5200, threshold: -5000, action: 'HALT', tradingStateSet: { state: 'HALTED' }, resetAfter: { operator: 'user:rita' } });
    expect(() => explainFacts([], { kind: 'order', clientOrderId: 'x' })).toThrow(expect.objectContaining({ code: 'NOTHING_TO_EXPLAIN' }));
  });
});

describe('proposals', () => {
  const scope = { instruments: ['BTC.X'], positions: [{ accountId: 'A', instrumentId: 'BTC.X', side: 'LONG' as const, quantity: '0.50' }] };
  it('tickets: exit the whole position reduce-only; resize by the difference, exactly', () => {
    expect(ticketOf({ action: 'exit', instrumentId: 'BTC.X', rationale: 'r' }, scope, () => 'A')!.ticket).toEqual({ instrumentId: 'BTC.X', accountId: 'A', side: 'SELL', type: 'MARKET', quantity: '0.50', reduceOnly: true });
    expect(ticketOf({ action: 'resize', instrumentId: 'BTC.X', quantity: '0.2', rationale: 'r' }, scope, () => 'A')!.ticket).toMatchObject({ side: 'SELL', quantity: '0.30', reduceOnly: true });
    expect(ticketOf({ action: 'resize', instrumentId: 'BTC.X', quantity: '0.75', rationale: 'r' }, scope, () => 'A')!.ticket).toMatchObject({ side: 'BUY', quantity: '0.25' });
    expect(ticketOf({ action: 'resize', instrumentId: 'BTC.X', quantity: '0.5', rationale: 'r' }, scope, () => 'A')).toBeUndefined();
  });

  it('the book folds proposals, rejections and confirming orders from records; a decided proposal stays decided', () => {
    const book = new ProposalBook();
    const ticket = JSON.stringify({ instrumentId: 'BTC.X', accountId: 'A', side: 'BUY', type: 'MARKET', quantity: '1' });
    book.apply({ seq: 1, event: { kind: 'AdvisorProposed', proposalId: 'p-adv-1-0', consultation: 'adv-1', action: 'ENTER', ticket, rationale: 'r', tsEvent: 1, tsInit: 1 } });
    book.apply({ seq: 2, event: { kind: 'AdvisorProposed', proposalId: 'p-adv-1-1', consultation: 'adv-1', action: 'ENTER', ticket, rationale: 'r', tsEvent: 1, tsInit: 1 } });
    expect(book.claim('p-adv-1-0')).toBe(true);
    expect(book.claim('p-adv-1-0')).toBe(false);
    book.apply({ seq: 3, event: { kind: 'OrderInitialized', clientOrderId: 'p-adv-1-0', origin: 'OPERATOR:user:tom ADVICE:adv-1', tsEvent: 2, tsInit: 2 } as never });
    book.apply({ seq: 4, event: { kind: 'AdvisorProposalRejected', proposalId: 'p-adv-1-1', operator: 'user:tom', reason: 'no', tsEvent: 3, tsInit: 3 } });
    book.apply({ seq: 5, event: { kind: 'AdvisorProposalRejected', proposalId: 'p-adv-1-0', operator: 'user:x', reason: 'late', tsEvent: 4, tsInit: 4 } });
    expect(book.get('p-adv-1-0')).toMatchObject({ status: 'CONFIRMED', decidedBy: 'OPERATOR:user:tom ADVICE:adv-1' });
    expect(book.get('p-adv-1-1')).toMatchObject({ status: 'REJECTED', decidedBy: 'user:tom' });
    expect(book.list()).toEqual([]);
  });
});

describe('strategies', () => {
  let candidates: StrategyCandidate[];
  beforeAll(async () => {
    const bars = await realBars('binanceus-BTCUSDT-1m-2023-03-01_21.csv', 'BTCUSDT.BINANCEUS', 1_200);
    const instrument = instrumentSpecFor('BTCUSDT.BINANCEUS', { feeBps: '10' });
    candidates = [{ id: 'sma', cfg: { factory: STRATEGIES['sma-cross']!, baseParams: { fast: '10', slow: '30' }, sources: [{ instrument, bars }], cash: '100000' } }];
  });

  it('measures each strategy (backtest and walk-forward) and puts the figures in the request', async () => {
    const facts = await strategyFacts(candidates);
    expect(facts[0]).toMatchObject({ id: 'sma', strategy: 'sma-cross', bars: 1_200 });
    expect(facts[0]!.walkForward!.windows).toBeGreaterThanOrEqual(1);
    expect(typeof facts[0]!.backtest.trades).toBe('number');
    const req = strategiesRequest(facts);
    expect((req.data as { strategies: unknown }).strategies).toEqual(facts);
    expect(req.schema.safeParse({ ranking: [{ strategyId: 'other', rank: 1, reason: 'r' }], summary: 's' }).success).toBe(false);
  }, 60_000);

  it('a suggestion is measured out of sample before it is shown; one the strategy refuses or cannot take is dropped with why', async () => {
    const out = await measureSuggestions(candidates, [
      { strategyId: 'sma', params: { fast: '5', slow: '20' }, rationale: 'faster' },
      { strategyId: 'sma', params: { fast: '40', slow: '20' }, rationale: 'slow below fast' },
      { strategyId: 'sma', params: { lookback: '9' }, rationale: 'unknown' },
    ]);
    expect(out[0]).toMatchObject({ measured: true, params: { fast: '5', slow: '20' } });
    if (out[0]!.measured) expect(out[0]!.outOfSample.finalEquity).toMatch(/^\d+(\.\d+)?$/);
    expect(out[1]).toMatchObject({ measured: false, dropped: expect.stringMatching(/refused/) as unknown });
    expect(out[2]).toMatchObject({ measured: false, dropped: expect.stringMatching(/no parameter lookback/) as unknown });
  }, 60_000);
});
