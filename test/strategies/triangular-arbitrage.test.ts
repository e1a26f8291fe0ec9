/**
 * triangular-arbitrage on synchronised quotes built from real Binance.US minute bars.
 *
 * The shared data has no real triangle (BTC is quoted in USDT, USDC and USD, but there is no
 * USDC/USDT or USDT/USD series), so the quotes are constructed, and this is what is real and what
 * is not:
 * - BTC/USDT and BTC/USDC (real): at each minute of 2023-03-10 .. 03-13 (the USDC de-peg), both
 *   books are quoted at the same instant, the minute's open time: bid = the bar's open (the
 *   minute's first trade), ask = open + one tick (0.01);
 * - USDC/USDT (constructed): a market maker who refreshes once a minute from the previous
 *   minute's closes: bid = floor-to-0.0001(closeBTCUSDT_{t−1} ÷ closeBTCUSDC_{t−1}), ask = bid + 0.0001.
 * So the three quotes share one timestamp and the simulated venue fills the IOC legs against the
 * very quotes the strategy valued: the loop the strategy sees is the loop it gets (no bar-close
 * illusion). Its opportunities are the minutes in which the BTC cross moved faster than the
 * stale USDC/USDT quote, which the de-peg provides.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import type { Quote } from '../../src/model/quote.ts';
import { noAlerts, type NodeConfig } from '../../src/node/config/index.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { loopProduct, loopQualifies, loopsFrom, thresholdRatio, TRIANGULAR_ARBITRAGE_DEFAULTS, TriangularArbitrage, triangularArbitrageFactory, type TriangularArbitrageParams } from '../../src/strategies/triangular-arbitrage.ts';
import { Instrument } from '../../src/model/instrument.ts';
import { expectBadParam, units } from './helpers.ts';

const DATA = new URL('../../../shared/data/market/', import.meta.url).pathname;
const FROM = Date.parse('2023-03-10T00:00:00Z');
const TO = Date.parse('2023-03-14T00:00:00Z');
const FEE_BPS = '7.5';
const IDS = { bu: 'BTCUSDT.BINANCEUS', bc: 'BTCUSDC.BINANCEUS', cu: 'USDCUSDT.BINANCEUS' };
const SPECS = [instrumentSpecFor(IDS.bu, { feeBps: FEE_BPS }), instrumentSpecFor(IDS.bc, { feeBps: FEE_BPS }), instrumentSpecFor(IDS.cu, { feeBps: FEE_BPS, tick: '0.0001', lot: '0.01' })];

function bars(file: string): Map<number, { open: string; close: string }> {
  const out = new Map<number, { open: string; close: string }>();
  for (const l of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
    const c = l.split(',');
    const ts = Date.parse(c[0]!.replace(' ', 'T'));
    if (ts >= FROM && ts < TO) out.set(ts, { open: c[1]!, close: c[4]! });
  }
  return out;
}

const plusTick = (px: string, tickUnits: bigint, scale: number): string => {
  const v = units(px, scale) + tickUnits;
  const s = v.toString().padStart(scale + 1, '0');
  return `${s.slice(0, -scale)}.${s.slice(-scale)}`;
};

/** The synchronised quotes (see the file's comment), in time order, three per minute. */
function quotes(): Quote[] {
  const bu = bars(`${DATA}binanceus-BTCUSDT-1m-2023-03-01_21.csv`);
  const bc = bars(`${DATA}binanceus-BTCUSDC-1m-2023-03-01_21.csv`);
  const out: Quote[] = [];
  for (const [ts, a] of bu) {
    const b = bc.get(ts);
    const pa = bu.get(ts - 60_000);
    const pb = bc.get(ts - 60_000);
    if (!b || !pa || !pb) continue;
    const cross = (units(pa.close, 2) * 10_000n) / units(pb.close, 2); // floor to 0.0001
    const bid = plusTick('0.0000', cross, 4);
    out.push({ instrumentId: instrumentId(IDS.bu), ts, bid: a.open, ask: plusTick(a.open, 1n, 2) });
    out.push({ instrumentId: instrumentId(IDS.bc), ts, bid: b.open, ask: plusTick(b.open, 1n, 2) });
    out.push({ instrumentId: instrumentId(IDS.cu), ts, bid, ask: plusTick(bid, 1n, 4) });
  }
  return out;
}

function config(): NodeConfig {
  return {
    node: { id: 'tri', mode: 'backtest', journal: { memory: true }, snapshot_every: 10_000 },
    venues: { BINANCEUS: { type: 'sim', cancel_on_stop: false } },
    accounts: [{ id: 'TRI', type: 'CASH', venue: 'BINANCEUS', position_mode: 'NETTING', balances: { USDT: '10000' } }],
    instruments: [],
    data: { replay: [], subscriptions: [], speed: 'max', loop: false },
    risk: undefined,
    strategies: [{ name: 'tri', id: 'tri', params: {}, instruments: Object.values(IDS), account: 'TRI' }],
    alerts: noAlerts(),
    logging: { level: 'silent', format: 'json', destination: 'stderr', redact: [] },
  };
}

interface Fill { id: string; ts: number; side: string; qty: string; px: string }

async function runNode(strategy: TriangularArbitrage, feed: Quote[]): Promise<{ fills: Fill[]; usdt: string }> {
  const fills: Fill[] = [];
  const node = await TradingNode.start(config(), {
    feed,
    instruments: SPECS,
    strategies: { tri: { name: 'tri', description: 'test instance', params: [], create: () => strategy } },
    statusEvery: Number.MAX_SAFE_INTEGER,
    observe: (engine) => {
      engine.bus.subscribe('order', (e) => {
        if (e.kind === 'OrderFilled') fills.push({ id: e.instrumentId, ts: e.tsEvent, side: e.side, qty: e.lastQty.toString(), px: e.lastPx.toString() });
      });
    },
  });
  await node.run();
  const usdt = node.engine.portfolio.account('TRI' as never).balance(node.engine.instrument(IDS.bu).quote).total.toDecimalString();
  await node.stop();
  return { fills, usdt };
}

/** The rule by hand, exactly: both loops valued in bigint at each minute, the better one above the threshold sent with the documented sizes. */
function expected(feed: Quote[], p: TriangularArbitrageParams): { fills: Fill[]; loops: number } {
  const fillsOut: Fill[] = [];
  const fee = 75n; // 7.5 bps = 75 / 100,000
  const F = 100_000n;
  const thr = units(p.threshold, 6); // bps in 1e-6
  let loops = 0;
  // The account starts with 10,000 USDT and a loop moves 1,000: the notional is always 1,000 (checked after the run).
  const usdt = 10_000n * 10n ** 8n;
  for (let i = 0; i + 2 < feed.length; i += 3) {
    const [qbu, qbc, qcu] = [feed[i]!, feed[i + 1]!, feed[i + 2]!];
    const px = (t: string, s: number) => units(t, s);
    // Loop A: USDT → BTC (buy BTCUSDT at ask) → USDC (sell BTCUSDC at bid) → USDT (sell USDCUSDT at bid).
    // Loop B: USDT → USDC (buy USDCUSDT at ask) → BTC (buy BTCUSDC at ask) → USDT (sell BTCUSDT at bid).
    // Product as N / D with prices in their units (BTC pairs 1e-2, USDC/USDT 1e-4).
    const aN = px(qbc.bid, 2) * (F - fee) * px(qcu.bid, 4) * (F - fee);
    const aD = px(qbu.ask, 2) * (F + fee) * F * 10_000n;
    const bN = px(qbu.bid, 2) * (F - fee) * 10_000n * F;
    const bD = px(qcu.ask, 4) * (F + fee) * px(qbc.ask, 2) * (F + fee);
    const above = (n: bigint, d: bigint) => n * 10_000n * 10n ** 6n > d * (10_000n * 10n ** 6n + thr);
    const okA = above(aN, aD);
    const okB = above(bN, bD);
    if (!okA && !okB) continue;
    const useA = okA && (!okB || aN * bD > bN * aD);
    loops++;
    const notional = units(p.notional, 8) < usdt ? units(p.notional, 8) : usdt; // 1e-8 USDT
    const ts = qbu.ts;
    const fmt = (v: bigint, s: number) => { const t = v.toString().padStart(s + 1, '0'); return `${t.slice(0, -s)}.${t.slice(-s)}`; };
    if (useA) {
      const q1 = (notional * 100n * F * 10n ** 5n) / (10n ** 8n * px(qbu.ask, 2) * (F + fee)); // BTC in 1e-5 (the lot)
      if (q1 === 0n) continue;
      const usdc = (q1 * px(qbc.bid, 2) * (F - fee)) / F; // USDC in 1e-7 (1e-5 × 1e-2)
      const q3 = (usdc / 10n ** 5n); // 0.01-lot USDC in 1e-2
      fillsOutPush(IDS.bu, 'BUY', fmt(q1, 5), qbu.ask);
      fillsOutPush(IDS.bc, 'SELL', fmt(q1, 5), qbc.bid);
      if (q3 > 0n) fillsOutPush(IDS.cu, 'SELL', fmt(q3, 2), qcu.bid);
    } else {
      const q1 = (notional * F * 10n ** 2n * 10n ** 4n) / (10n ** 8n * px(qcu.ask, 4) * (F + fee)); // USDC in 1e-2
      if (q1 === 0n) continue;
      const q2 = (q1 * 10n ** 5n * F * 100n) / (100n * px(qbc.ask, 2) * (F + fee)); // BTC in 1e-5
      fillsOutPush(IDS.cu, 'BUY', fmt(q1, 2), qcu.ask);
      if (q2 > 0n) fillsOutPush(IDS.bc, 'BUY', fmt(q2, 5), qbc.ask);
      if (q2 > 0n) fillsOutPush(IDS.bu, 'SELL', fmt(q2, 5), qbu.bid);
    }
    function fillsOutPush(id: string, side: string, qty: string, price: string): void {
      const scale = id === IDS.cu ? 4 : 2; // the price as the instrument writes it (on its tick grid)
      fillsOut.push({ id, ts, side, qty, px: fmt(units(price, scale), scale) });
    }
  }
  return { fills: fillsOut, loops };
}

describe('triangular-arbitrage on synchronised BTC/USDT, BTC/USDC and USDC/USDT quotes (2023-03-10 .. 03-13, the USDC de-peg)', () => {
  const feed = quotes();
  const P: TriangularArbitrageParams = { ...TRIANGULAR_ARBITRAGE_DEFAULTS, threshold: '5', notional: '1000' };

  it('finds the two loops through USDT', () => {
    const insts = SPECS.map((s) => new Instrument(s));
    expect(loopsFrom('USDT', insts).map((l) => l.order.map((i) => insts[i]!.id).map((id, k) => `${l.sides[k]!} ${id}`).join(' → '))).toEqual([
      `BUY ${IDS.bu} → SELL ${IDS.bc} → SELL ${IDS.cu}`,
      `BUY ${IDS.cu} → BUY ${IDS.bc} → SELL ${IDS.bu}`,
    ]);
  });

  it('sends a loop only when its exact product net of three 7.5 bps fees exceeds 1.0005, three IOC legs filled at the quotes it valued, fill by fill', async () => {
    const want = expected(feed, P);
    expect(feed.length).toBeGreaterThan(3 * 5000);
    expect(want.loops).toBeGreaterThan(3);
    const s = new TriangularArbitrage(P);
    const got = await runNode(s, feed);
    expect(s.sent.length).toBe(want.loops);
    expect(got.fills).toEqual(want.fills);
    expect(Number(got.usdt)).toBeGreaterThan(9000);
  });

  it('values a loop exactly: at exactly the threshold it does not trade; one tick better, it does', () => {
    const free = SPECS.map((x) => new Instrument({ ...x, makerFee: '0', takerFee: '0' }));
    const [loopA] = loopsFrom('USDT', free);
    const legs = (insts: Instrument[], bu: string, bc: string, cu: string) => loopA!.order.map((i, k) => ({ instrument: insts[i]!, side: loopA!.sides[k]!, bid: [bu, bc, cu][i]!, ask: [bu, bc, cu][i]! }));
    const five = thresholdRatio('5');
    // Without fees: 10000.00 USDT → 1 BTC → 10000.00 USDC → 10005.00 USDT: exactly 1.0005, the threshold.
    const at = loopProduct(legs(free, '10000.00', '10000.00', '1.0005'));
    expect(at.n * five.d).toBe(five.n * at.d);
    expect(loopQualifies(at, five)).toBe(false);
    expect(loopQualifies(loopProduct(legs(free, '10000.00', '10000.00', '1.0006')), five)).toBe(true);
    // With three 7.5 bps fees, the same quotes lose: 1.0005 × 0.99925² / 1.00075 < 1.
    const withFees = loopProduct(legs(SPECS.map((x) => new Instrument(x)), '10000.00', '10000.00', '1.0005'));
    expect(withFees.n * 100075n * 10_000n * 100_000n).toBe(withFees.d * 10005n * 99925n * 99925n);
    expect(loopQualifies(withFees, thresholdRatio('0'))).toBe(false);
  });

  it('is registered with its defaults and info, and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['triangular-arbitrage']).toBe(triangularArbitrageFactory);
    expect((triangularArbitrageFactory.create({}) as TriangularArbitrage).params).toEqual(TRIANGULAR_ARBITRAGE_DEFAULTS);
    expect(triangularArbitrageFactory.family).toBe('arbitrage');
    expectBadParam(() => triangularArbitrageFactory.create({ threshold: '-1' }), 'threshold');
    expectBadParam(() => triangularArbitrageFactory.create({ threshold: '1e-3' }), 'threshold');
    expectBadParam(() => triangularArbitrageFactory.create({ notional: '0' }), 'notional');
    expectBadParam(() => triangularArbitrageFactory.create({ maxAgeMs: '-5' }), 'maxAgeMs');
    expectBadParam(() => triangularArbitrageFactory.create({ size: '1' }), 'size');
  });
});
