/**
 * Shared by the strategy tests: the real minute files read by hand, an engine-free simulation of
 * the long-only "fraction of equity per entry, all out on exit" rules, and exact trade checks.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { runBacktest, type BacktestResult, type BacktestSource } from '../../src/backtest/runner.ts';
import type { Strategy } from '../../src/backtest/strategy.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { ValidationError } from '../../src/model/errors.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import type { InstrumentSpec } from '../../src/model/instrument.ts';

const DATA = new URL('../../../shared/data/market/', import.meta.url).pathname;
export const BTCUSDT = { file: `${DATA}binanceus-BTCUSDT-1m-2023-03-01_21.csv`, id: 'BTCUSDT.BINANCEUS' };
export const BTCUSDC = { file: `${DATA}binanceus-BTCUSDC-1m-2023-03-01_21.csv`, id: 'BTCUSDC.BINANCEUS' };
export const START = Date.parse('2023-03-01T00:00:00Z');
export const CASH = 100_000n * 100_000_000n; // 100,000 USDT in 1e-8

export interface Row {
  ts: number;
  open: string;
  high: number;
  low: number;
  close: number;
}

/** The file's rows with open time < to: open as text (the fill price), the rest as numbers. */
export function rows(file: string, to: number): Row[] {
  const out: Row[] = [];
  for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
    const c = line.split(',');
    const ts = Date.parse(c[0]!.replace(' ', 'T'));
    if (ts >= to) break;
    out.push({ ts, open: c[1]!, high: Number(c[2]), low: Number(c[3]), close: Number(c[4]) });
  }
  return out;
}

/** Decimal text to an integer of 10^-scale units, truncating extra digits. */
export function units(text: string, scale: number): bigint {
  const neg = text.startsWith('-');
  const [i = '0', f = ''] = (neg ? text.slice(1) : text).split('.');
  const v = BigInt(i + f.slice(0, scale).padEnd(scale, '0'));
  return neg ? -v : v;
}

export const money8 = (raw: bigint): string => {
  const neg = raw < 0n;
  const s = (neg ? -raw : raw).toString().padStart(9, '0');
  return `${neg ? '-' : ''}${s.slice(0, -8)}.${s.slice(-8)}`;
};

/** A spec for a leg; BTCUSDC is given the USDT quote (USDC at par: the runner wants one settlement currency). */
export function spec(id: string, feeBps: string): InstrumentSpec {
  const s = instrumentSpecFor(id, { feeBps });
  if (!id.startsWith('BTCUSDC')) return s;
  return { ...s, quote: instrumentSpecFor(BTCUSDT.id).quote };
}

export function source(leg: { file: string; id: string }, feeBps = '10'): BacktestSource {
  return { instrument: spec(leg.id, feeBps), bars: readCsvBars(leg.file, { instrumentId: instrumentId(leg.id) }) };
}

export function backtest(strategy: Strategy, legs: readonly { file: string; id: string }[], to: number, feeBps = '10'): Promise<BacktestResult> {
  return runBacktest({ sources: legs.map((l) => source(l, feeBps)), strategy, cash: '100000', to });
}

export interface Expected {
  instrumentId: string;
  entryTime: number;
  entryPrice: bigint;
  exitTime: number;
  exitPrice: bigint;
  qty: bigint;
  fees: bigint;
  pnl: bigint;
  /** Decision bars (indices) of the entry and the exit: the bar at whose close the order was sent. */
  entryBar: number;
  exitBar: number;
}

export type Decision = { leg: number; side: 'BUY' | 'SELL' } | null;

/**
 * The documented order rules without the engine. `decide(t, held)` is called at each decision
 * time t (an index into the legs' rows, which must share their times), with the leg held (or
 * -1 when flat in all). A BUY of leg L (only when flat) is floor-to-lot(fraction × cash ÷
 * close_L,t) in float64 then truncated to 1e-5 lots, a SELL (only of the held leg) is all of it;
 * both fill at the open of the leg's bar t+1 with no slippage; fee = feeBps of notional, half-up
 * to 1e-8. Cash in 1e-8 USDT, quantity in 1e-5 lots, prices in cents.
 */
export function simulate(legs: readonly Row[][], fraction: number, feeBps: number, ids: readonly string[], decide: (t: number, held: number) => Decision): Expected[] {
  const n = Math.min(...legs.map((l) => l.length));
  const bps = BigInt(feeBps);
  const fee = (qty: bigint, px: bigint): bigint => (qty * px * 10n * bps + 5000n) / 10000n;
  let cash = CASH;
  let held = -1;
  let qty = 0n;
  let entry = { time: 0, px: 0n, fee: 0n, bar: 0 };
  const out: Expected[] = [];
  for (let t = 0; t + 1 < n; t++) {
    const d = decide(t, held);
    if (!d) continue;
    const next = legs[d.leg]![t + 1]!;
    const px = units(next.open, 2);
    // Every leg fills at its own open of bar t+1, stamped with that open.
    const fillTime = next.ts;
    if (d.side === 'BUY') {
      if (held !== -1) throw new Error(`test bug: buy while holding at ${t}`);
      const q = units(String((fraction * (Number(cash) / 1e8)) / legs[d.leg]![t]!.close), 5);
      if (q === 0n) continue;
      const f = fee(q, px);
      cash -= q * px * 10n + f;
      held = d.leg;
      qty = q;
      entry = { time: fillTime, px, fee: f, bar: t };
    } else {
      if (held !== d.leg) throw new Error(`test bug: sell of a leg not held at ${t}`);
      const f = fee(qty, px);
      cash += qty * px * 10n - f;
      const gross = qty * (px - entry.px) * 10n;
      out.push({ instrumentId: ids[d.leg]!, entryTime: entry.time, entryPrice: entry.px, exitTime: fillTime, exitPrice: px, qty, fees: entry.fee + f, pnl: gross - entry.fee - f, entryBar: entry.bar, exitBar: t });
      held = -1;
    }
  }
  return out;
}

/** Every closed trade of the run equals the simulated one, field by field. */
export function expectTrades(r: BacktestResult, want: readonly Omit<Expected, 'entryBar' | 'exitBar'>[]): void {
  expect(r.trades.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const got = r.trades[i]!;
    const w = want[i]!;
    const ctx = `trade ${i}`;
    expect(got.side, ctx).toBe('LONG');
    expect(got.instrumentId, ctx).toBe(w.instrumentId);
    expect(got.entryTime, ctx).toBe(w.entryTime);
    expect(units(got.entryPrice, 2), ctx).toBe(w.entryPrice);
    expect(got.exitTime, ctx).toBe(w.exitTime);
    expect(units(got.exitPrice, 2), ctx).toBe(w.exitPrice);
    expect(units(got.quantity, 5), ctx).toBe(w.qty);
    expect(got.fees, ctx).toBe(money8(w.fees));
    expect(got.pnl, ctx).toBe(money8(w.pnl));
  }
}

/** Two runs give the same trades, fills, metrics and equity curve. */
export async function expectDeterministic(run: () => Promise<BacktestResult>): Promise<void> {
  const a = await run();
  const b = await run();
  expect(b.trades).toEqual(a.trades);
  expect(b.fills).toEqual(a.fills);
  expect(b.metrics).toEqual(a.metrics);
  expect(b.finalEquity).toBe(a.finalEquity);
  expect(b.equity.values).toEqual(a.equity.values);
}

/** The factory's typed error for a bad parameter: a ValidationError INVALID_FIELD naming the field. */
export function expectBadParam(create: () => unknown, field: string): void {
  let err: unknown;
  try {
    create();
  } catch (e) {
    err = e;
  }
  expect(err, `${field} should be rejected`).toBeInstanceOf(ValidationError);
  expect((err as ValidationError).code).toBe('INVALID_FIELD');
  expect((err as ValidationError).context.field).toBe(field);
}
