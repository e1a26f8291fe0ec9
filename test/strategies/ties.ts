/**
 * Exact-tie tests: a strategy run through the real backtest runner on bars built by hand, and the
 * decisions it made read back from its fills (a market order sent at the close of bar t fills at
 * the open of bar t+1, so the decision bar is the fill's bar − 1).
 */
import { runBacktest } from '../../src/backtest/runner.ts';
import type { Strategy } from '../../src/backtest/strategy.ts';
import type { Bar } from '../../src/model/bar.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { spec } from './helpers.ts';

export const T0 = Date.parse('2024-01-01T00:00:00Z');
const MINUTE = 60_000;

/** A bar's prices: a close alone (open = high = low = close) or all four. */
export type BarPrices = string | { open?: string; high: string; low: string; close: string };

function bar(id: string, i: number, p: BarPrices): Bar {
  const b = typeof p === 'string' ? { open: p, high: p, low: p, close: p } : { open: p.open ?? p.close, ...p };
  return { instrumentId: instrumentId(id), ts: T0 + i * MINUTE, durationMs: MINUTE, volume: '1', ...b };
}

/** "BUY@5" = a buy decided at the close of bar 5 (0-based), leg by its instrument id when several. */
export async function decisions(strategy: Strategy, legs: Readonly<Record<string, readonly BarPrices[]>>, feeBps = '10'): Promise<string[]> {
  const ids = Object.keys(legs);
  const r = await runBacktest({
    sources: ids.map((id) => ({ instrument: spec(id, feeBps), bars: legs[id]!.map((p, i) => bar(id, i, p)) })),
    strategy,
    cash: '100000',
  });
  return r.fills.map((f) => `${f.side}@${(f.time - T0) / MINUTE - 1}${ids.length > 1 ? ` ${f.instrumentId}` : ''}`);
}

/** `n` copies of a close. */
export const repeat = (close: string, n: number): string[] => Array.from({ length: n }, () => close);
