import { describe, expect, it } from 'vitest';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { runBacktest, type BacktestResult } from '../../src/backtest/runner.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { SmaCross } from '../../src/strategies/sma-cross.ts';
import { BTCUSDT, CASH, expectDeterministic, expectTrades, money8, rows, units, type Expected as HelperExpected } from './helpers.ts';

const FILE = BTCUSDT.file;
const ID = BTCUSDT.id;
const TO = Date.parse('2023-03-04T00:00:00Z'); // the first 3 days: 4,320 bars
const FAST = 10;
const SLOW = 30;
const FRACTION = 0.95;

function backtest(): Promise<BacktestResult> {
  return runBacktest({
    sources: [{ instrument: instrumentSpecFor(ID, { feeBps: '10' }), bars: readCsvBars(FILE, { instrumentId: instrumentId(ID) }) }],
    strategy: new SmaCross({ fast: FAST, slow: SLOW, fraction: FRACTION }),
    cash: '100000',
    to: TO,
  });
}

/** Mean of the last n closes ending at t, summed left to right from 0. */
function sma(closes: number[], n: number, t: number): number {
  let s = 0;
  for (let i = t - n + 1; i <= t; i++) s += closes[i]!;
  return s / n;
}

type Expected = Omit<HelperExpected, 'entryBar' | 'exitBar'>;

/**
 * The documented semantics, recomputed without the engine: crosses of plain-arithmetic SMAs; a
 * buy at a cross above when flat of floor_to_lot(0.95 × cash ÷ close_t), a sell of everything at
 * a cross below; both at the next bar's open (no slippage); fee = 10 bps of notional, half-up to
 * 1e-8 USDT. Cash in 1e-8 USDT; quantity in 1e-5 BTC lots; prices in cents.
 */
function expectedTrades(): Expected[] {
  const bars = rows(FILE, TO);
  const closes = bars.map((b) => b.close);
  let cash = CASH;
  let held = 0n;
  let entry: { time: number; px: bigint; fee: bigint } | undefined;
  const out: Expected[] = [];
  const fee = (qty: bigint, px: bigint): bigint => (qty * px + 50n) / 100n; // qty·px at 1e-7 → ×10 at 1e-8, × 0.001 (10 bps) = ÷100, half-up
  for (let t = SLOW; t + 1 < bars.length; t++) {
    const prev = sma(closes, FAST, t - 1) - sma(closes, SLOW, t - 1);
    const now = sma(closes, FAST, t) - sma(closes, SLOW, t);
    const next = bars[t + 1]!;
    const px = units(next.open, 2);
    if (now > 0 && prev <= 0 && held === 0n) {
      const equity = Number(cash) / 1e8;
      const qty = units(String((FRACTION * equity) / closes[t]!), 5);
      if (qty === 0n) continue;
      const f = fee(qty, px);
      cash -= qty * px * 10n + f;
      held = qty;
      entry = { time: next.ts, px, fee: f };
    } else if (now < 0 && prev >= 0 && held > 0n) {
      const f = fee(held, px);
      cash += held * px * 10n - f;
      const gross = held * (px - entry!.px) * 10n;
      out.push({ instrumentId: ID, entryTime: entry!.time, entryPrice: entry!.px, exitTime: next.ts, exitPrice: px, qty: held, fees: entry!.fee + f, pnl: gross - entry!.fee - f });
      held = 0n;
    }
  }
  return out;
}

describe('sma-cross on real BTCUSDT minute bars (2023-03-01 .. 03-03)', () => {
  it('trades exactly as documented, one trade at a time', async () => {
    const r = await backtest();
    const want = expectedTrades();
    expect(r.bars).toBe(4320);
    expect(want.length).toBeGreaterThan(50);
    expectTrades(r, want);
  });

  it('is deterministic: two runs give the same summary, trades and equity curve', async () => {
    await expectDeterministic(backtest);
  });

  it('reconciles: final equity = cash + open position at the last close, fees = sum of trade fees when flat', async () => {
    const r = await backtest();
    const tradeFees = r.trades.reduce((s, t) => s + units(t.fees, 8), 0n);
    const fillFees = r.fills.reduce((s, f) => s + units(f.fee, 8), 0n);
    expect(units(r.feesPaid, 8)).toBe(fillFees);
    if (r.openPositions.length === 0) expect(fillFees).toBe(tradeFees);
    const pnl = r.trades.reduce((s, t) => s + units(t.pnl, 8), 0n);
    if (r.openPositions.length === 0) expect(money8(CASH + pnl)).toBe(r.finalEquity);
  });
});
