/**
 * Issue 21.1: each built-in strategy decides on exact values. Each test builds bars whose exact
 * values tie at one bar (two means equal, a close on a band, z on a level, a gap equal to the
 * cost) and checks the outcome each strategy's doc comment gives for the tie, next to a control
 * one tick (or one hundredth of a level) away that does decide, so the tie test cannot pass by
 * the strategy never trading. Where the float rules of before got the tie wrong, the test says so
 * (sma-cross, rsi-momentum, pairs' exit); the others pin the documented tie rule.
 */
import { describe, expect, it } from 'vitest';
import { BollingerReversion } from '../../src/strategies/bollinger-reversion.ts';
import { CrossVenueArbitrage } from '../../src/strategies/cross-venue-arbitrage.ts';
import { MacdStrategy } from '../../src/strategies/macd.ts';
import { Pairs } from '../../src/strategies/pairs.ts';
import { RsiMomentum } from '../../src/strategies/rsi-momentum.ts';
import { SmaCross } from '../../src/strategies/sma-cross.ts';
import { VolatilityBreakout } from '../../src/strategies/volatility-breakout.ts';
import { BTCUSDC, BTCUSDT } from './helpers.ts';
import { decisions, repeat } from './ties.ts';

const Y = BTCUSDT.id;
const X = BTCUSDC.id;

describe('sma-cross decides on exact means', () => {
  const sma = () => new SmaCross({ fast: 2, slow: 4, fraction: 0.95 });

  it('SMA(2) = SMA(4) exactly is no cross below: the sell waits for the bar that is below (floats read −3.6e-12 and sold a bar early)', async () => {
    // Bar 5 crosses above. Bar 6: (20536.98 + 20480.92) / 2 = 20508.95 = (20510.45 + 20507.45 + 20536.98 + 20480.92) / 4.
    const closes = ['20519.45', '20516.45', '20513.45', '20510.45', '20507.45', '20536.98', '20480.92', '20530.92', '20530.92'];
    expect(await decisions(sma(), { [Y]: closes })).toEqual(['BUY@5', 'SELL@7']);
  });

  it('below, then equal, then above is a cross above at the bar above, not at the tie', async () => {
    // Bar 5: (20507.45 + 20516.45) / 2 = 20511.95 = (20513.45 + 20510.45 + 20507.45 + 20516.45) / 4.
    const closes = ['20519.45', '20516.45', '20513.45', '20510.45', '20507.45', '20516.45', '20600.00', '20600.00'];
    expect(await decisions(sma(), { [Y]: closes })).toEqual(['BUY@6']);
    const oneTickHigher = [...closes.slice(0, 5), '20516.46', ...closes.slice(6)];
    expect(await decisions(sma(), { [Y]: oneTickHigher })).toEqual(['BUY@5']);
  });
});

describe('macd reads a histogram within 1e-9 of the price as 0', () => {
  const macd = () => new MacdStrategy({ fast: 3, slow: 6, signal: 3, fraction: 0.95 });

  it('equal closes (histogram exactly 0) then a higher close: one cross above, at the higher close', async () => {
    const closes = [...repeat('20021.87', 30), '20030.00', '20030.00'];
    expect(await decisions(macd(), { [Y]: closes })).toEqual(['BUY@30']);
  });

  it('equal closes only: never a cross', async () => {
    expect(await decisions(macd(), { [Y]: repeat('20021.87', 40) })).toEqual([]);
  });
});

describe('rsi-momentum: an RSI exactly at a level is at it', () => {
  // Period 2: changes +1.63, −2.86, +1.33; gain 1.63/2 then (0.815 + 1.33)/2 = 1.0725, loss 1.43/2 = 0.715:
  // RSI = 100 × 1.0725 / 1.7875 = 60 exactly (float prices gave 60.00000000002 and bought).
  const closes = ['20021.87', '20023.50', '20020.64', '20021.97', '20021.97'];

  it('RSI = entry 60 exactly does not enter; entry 59.99 does', async () => {
    expect(await decisions(new RsiMomentum({ period: 2, entry: 60, exit: 50, fraction: 0.95 }), { [Y]: closes })).toEqual([]);
    expect(await decisions(new RsiMomentum({ period: 2, entry: 59.99, exit: 50, fraction: 0.95 }), { [Y]: closes })).toEqual(['BUY@3']);
  });
});

describe('bollinger-reversion compares bands exactly, no square root', () => {
  const bb = () => new BollingerReversion({ period: 4, k: 1, fraction: 0.95 });

  it('a close exactly on the lower band does not enter; one tick below does', async () => {
    // 20000.37, 20000.37, 20000.00, 20000.00: middle 20000.185, σ 0.185, lower = 20000.00 = the close.
    const onBand = ['20000.37', '20000.37', '20000.00', '20000.00', '20000.00'];
    expect(await decisions(bb(), { [Y]: onBand })).toEqual([]);
    const below = ['20000.37', '20000.37', '20000.00', '19999.99', '19999.99'];
    expect(await decisions(bb(), { [Y]: below })).toEqual(['BUY@3']);
  });

  it('a close exactly at the middle band exits; one tick below it does not', async () => {
    // Bar 3 is below the lower band (buy). Bar 4: 20000.37 + 20000.00 + 19999.51 + 19999.96 = 4 × 19999.96: the middle = the close.
    const closes = ['20000.37', '20000.37', '20000.00', '19999.51', '19999.96', '19999.96'];
    expect(await decisions(bb(), { [Y]: closes })).toEqual(['BUY@3', 'SELL@4']);
    const oneTickLower = [...closes.slice(0, 4), '19999.95', '19999.95', '19999.95']; // middle 19999.9575
    expect(await decisions(bb(), { [Y]: oneTickLower })).toEqual(['BUY@3', 'SELL@5']);
  });
});

describe('volatility-breakout: the middle band exactly, the ATR bands within 1e-9 of the close', () => {
  const vb = (k = 1) => new VolatilityBreakout({ period: 2, k, fraction: 0.95 });
  // True ranges 1.00 and 0.80: ATR_1 = 0.90 exactly; close_1 = 20000.40.
  const first = [
    { high: '20000.50', low: '19999.50', close: '20000.00' },
    { high: '20000.80', low: '20000.00', close: '20000.40' },
  ];

  it('a close exactly on close_{t−1} + k·ATR_{t−1} does not enter; one tick above does', async () => {
    expect(await decisions(vb(), { [Y]: [...first, '20001.30', '20001.30'] })).toEqual([]);
    expect(await decisions(vb(), { [Y]: [...first, '20001.31', '20001.31'] })).toEqual(['BUY@2']);
  });

  it('a close exactly at the middle band (SMA of the closes up to t−1) does not exit; one tick below does', async () => {
    // Buy at bar 2 (20001.31). middle_3 = (20001.31 + 20001.01) / 2 = 20001.16 = close_4: no exit at 4
    // (the trailing stop is far: peak 20001.31 − ATR ≈ 20000.7); close_5 = 20001.00 < middle_4 = 20001.085: exit at 5.
    const bars = [...first, '20001.31', '20001.01', '20001.16', '20001.00', '20001.00'];
    expect(await decisions(vb(), { [Y]: bars })).toEqual(['BUY@2', 'SELL@5']);
    const oneTickLower = [...first, '20001.31', '20001.01', '20001.15', '20001.00', '20001.00'];
    expect(await decisions(vb(), { [Y]: oneTickLower })).toEqual(['BUY@2', 'SELL@4']);
  });
});

describe('pairs compares z with its levels exactly (z = N / √M, squares compared)', () => {
  // Y − X = (−1, −1, −1, −1, 4) is orthogonal to 1 and to X: the OLS fit is Y = X exactly, the
  // residuals are that vector, σ = √((4 + 16) / 5) = 2 and the last z is exactly 4 / 2 = 2.
  const xs = ['20000.00', '20002.00', '20004.00', '20006.00', '20003.00', '20003.00'];
  const ys = ['19999.00', '20001.00', '20003.00', '20005.00', '20007.00', '20007.00'];
  const legs = { [Y]: ys, [X]: xs };

  it('z = entry 2 exactly does not buy X; entry 1.99 does', async () => {
    expect(await decisions(new Pairs({ lookback: 5, entry: 2, exit: 0.5, fraction: 0.95 }), legs)).toEqual([]);
    expect(await decisions(new Pairs({ lookback: 5, entry: 1.99, exit: 0.5, fraction: 0.95 }), legs)).toEqual([`BUY@4 ${X}`]);
  });

  it('z = exit 0 exactly exits (long X: z ≤ exit); a residual one tick above 0 does not', async () => {
    // (The float rule did not read z_5 as 0 and held.) Buy X at bar 4 (z = 2 > 1.5). Bar 5 (X 20003.75, Y 20004.00) lies on the OLS line of bars 1..4
    // (Y − 20000 = 4 + 4/7 (X − 20003.75)), so the fit over bars 1..5 keeps it and its residual is 0: z_5 = 0.
    const p = () => new Pairs({ lookback: 5, entry: 1.5, exit: 0, fraction: 0.95 });
    const onLine = { [Y]: [...ys.slice(0, 5), '20004.00', '20004.00'], [X]: [...xs.slice(0, 5), '20003.75', '20003.75'] };
    expect(await decisions(p(), onLine)).toEqual([`BUY@4 ${X}`, `SELL@5 ${X}`]);
    const above = { [Y]: [...ys.slice(0, 5), '20004.01', '20004.01'], [X]: [...xs.slice(0, 5), '20003.75', '20003.75'] };
    expect((await decisions(p(), above)).slice(0, 2)).not.toContain(`SELL@5 ${X}`);
  });
});

describe('cross-venue-arbitrage compares the gap with the cost exactly', () => {
  // Taker fees 10 bps each + threshold 5 bps: cost 0.0025; 20050.00 / 20000.00 − 1 = 0.0025 exactly.
  const arb = () => new CrossVenueArbitrage({ threshold: 5, fraction: 0.95 });

  it('a gap of exactly fees + threshold does not enter; one tick more does', async () => {
    expect(await decisions(arb(), { [Y]: ['20000.00', '20000.00'], [X]: ['20050.00', '20050.00'] })).toEqual([]);
    expect(await decisions(arb(), { [Y]: ['20000.00', '20000.00'], [X]: ['20050.01', '20050.01'] })).toEqual([`BUY@0 ${Y}`]);
  });

  it('prices exactly equal exit', async () => {
    expect(await decisions(arb(), { [Y]: ['20000.00', '20010.00', '20010.00'], [X]: ['20060.00', '20010.00', '20010.00'] })).toEqual([`BUY@0 ${Y}`, `SELL@1 ${Y}`]);
  });
});
