/**
 * Shared by the machine-learning strategy tests: the real minute bars as Bar objects, a copy whose
 * bars after a point are shuffled (the leakage test), and a backtest over a list of bars.
 */
import { runBacktest, type BacktestResult } from '../../src/backtest/runner.ts';
import type { Strategy } from '../../src/backtest/strategy.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import type { Bar } from '../../src/model/bar.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { mulberry32 } from '../../src/risk/analytics/random.ts';
import { spec } from './helpers.ts';

/** The file's bars with open time < to. */
export async function loadBars(leg: { file: string; id: string }, to: number): Promise<Bar[]> {
  const out: Bar[] = [];
  for await (const b of readCsvBars(leg.file, { instrumentId: instrumentId(leg.id) })) {
    if (b.ts >= to) break;
    out.push(b);
  }
  return out;
}

/**
 * The same bars up to index k (inclusive); after it, each bar keeps its time but takes the prices
 * and volume of another bar after k (a seeded permutation), so the future is a different market.
 */
export function shuffleAfter(bars: readonly Bar[], k: number, seed: number): Bar[] {
  const tail = bars.slice(k + 1);
  const rng = mulberry32(seed);
  const order = tail.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return [...bars.slice(0, k + 1), ...tail.map((b, i) => ({ ...tail[order[i]!]!, ts: b.ts }))];
}

/** A backtest of one instrument's bars (10 bps fees, 100,000 USDT). */
export function runOn(strategy: Strategy, leg: { id: string }, bars: readonly Bar[]): Promise<BacktestResult> {
  return runBacktest({ sources: [{ instrument: spec(leg.id, '10'), bars }], strategy, cash: '100000' });
}

/** Decimal text to an integer of 10^-scale units (the closes compared exactly, by hand). */
export function cents(text: string): bigint {
  const [i = '0', f = ''] = text.split('.');
  return BigInt(i + f.slice(0, 2).padEnd(2, '0'));
}
