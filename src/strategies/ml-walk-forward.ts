/**
 * The walk-forward plumbing of the machine-learning strategies (random-forest, lstm-prediction):
 * causal features of an instrument's bars, labels from forward returns compared exactly on the
 * decimal text of the closes, a sliding window of labelled samples and the retraining schedule.
 * Nothing here can see a bar before it is pushed, and a sample's label exists only once the bar
 * `horizon` bars after it has closed: a model trained at bar t has seen bars ≤ t only.
 */
import { ATR, EMA, MACD, RSI } from 'trading-signals';
import { parseDecimal } from '../model/decimal.ts';

/** −1, 0 or 1 as decimal text `a` is below, equal to or above `b`, exactly (no floating point). */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = parseDecimal(a, 'close');
  const y = parseDecimal(b, 'close');
  const s = Math.max(x.scale, y.scale);
  const l = x.digits * 10n ** BigInt(s - x.scale);
  const r = y.digits * 10n ** BigInt(s - y.scale);
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The class of a forward return: 1 (up) when `later` > `now` exactly; 0 otherwise (an exact tie is 0, not up). */
export function upLabel(now: string, later: string): 0 | 1 {
  return compareDecimal(later, now) > 0 ? 1 : 0;
}

/** The features of the random forest, in this order. */
export const FEATURE_NAMES = ['return1', 'return5', 'rsi', 'macd', 'atr', 'volumeZ'] as const;

/** Bars of volume in the volume z-score. */
export const VOLUME_WINDOW = 20;

export interface FeatureBar {
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * Features at the close of bar t, from bars ≤ t (floats: inputs of a model, never prices compared):
 * - return1 = close_t / close_{t−1} − 1, return5 = close_t / close_{t−5} − 1;
 * - rsi = RSI(14)_t / 100 (trading-signals, Wilder);
 * - macd = (MACD_t − signal_t) / close_t with EMAs 12, 26, 9 (trading-signals);
 * - atr = ATR(14)_t / close_t (trading-signals, Wilder);
 * - volumeZ = (volume_t − mean) / σ over the last 20 volumes including t (population σ; 0 when σ = 0).
 * `next` returns null until every feature is defined (the MACD signal is stable from bar index 33).
 */
export class BarFeatures {
  private readonly rsi = new RSI(14);
  private readonly macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
  private readonly atr = new ATR(14);
  private readonly closes: number[] = [];
  private readonly volumes: number[] = [];

  next(bar: FeatureBar): number[] | null {
    const c = bar.close;
    this.closes.push(c);
    if (this.closes.length > 6) this.closes.shift();
    this.volumes.push(bar.volume);
    if (this.volumes.length > VOLUME_WINDOW) this.volumes.shift();
    const rsi = this.rsi.add(c);
    const m = this.macd.add(c);
    const atr = this.atr.add({ high: bar.high, low: bar.low, close: c });
    if (rsi === null || m === null || !this.macd.signal.isStable || atr === null || this.closes.length < 6 || this.volumes.length < VOLUME_WINDOW) return null;
    const n = this.closes.length;
    return [c / this.closes[n - 2]! - 1, c / this.closes[n - 6]! - 1, rsi / 100, (m.macd - m.signal) / c, atr / c, zScore(this.volumes)];
  }
}

/** (last − mean) / population σ of the values; 0 when σ is 0. */
export function zScore(xs: readonly number[]): number {
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - mean) * (x - mean);
  const sd = Math.sqrt(v / xs.length);
  return sd > 0 ? (xs[xs.length - 1]! - mean) / sd : 0;
}

/** A labelled sample: the input of bar i and whether close_{i+horizon} > close_i. */
export interface Sample<X> {
  readonly x: X;
  readonly y: 0 | 1;
}

/**
 * Labelled samples in a sliding window. `push(x_t, close_t)` at the close of bar t labels the input
 * of bar t − horizon (if it had one) with upLabel(close_{t−horizon}, close_t): a label is made
 * from closes already seen, never from a later one. Keeps the last `window` samples, oldest first.
 */
export class LabelledWindow<X> {
  private readonly pending: { x: X | null; close: string }[] = [];
  private readonly kept: Sample<X>[] = [];

  constructor(
    readonly horizon: number,
    readonly window: number,
  ) {}

  push(x: X | null, close: string): void {
    this.pending.push({ x, close });
    if (this.pending.length <= this.horizon) return;
    const then = this.pending.shift()!;
    if (then.x === null) return;
    this.kept.push({ x: then.x, y: upLabel(then.close, close) });
    if (this.kept.length > this.window) this.kept.shift();
  }

  get size(): number {
    return this.kept.length;
  }

  /** The kept samples, oldest first (a copy). */
  samples(): Sample<X>[] {
    return [...this.kept];
  }
}

/**
 * When to (re)train: the first time once the window is full, then every `retrain` bars after
 * the last training (counted in bars of the instrument, from the training bar).
 */
export class RetrainSchedule {
  private since = -1;

  constructor(readonly retrain: number) {}

  /** Called once per bar: whether to train at this bar, given whether the window is full. */
  due(windowFull: boolean): boolean {
    if (this.since >= 0) this.since++;
    if (!windowFull) return false;
    if (this.since === -1 || this.since >= this.retrain) {
      this.since = 0;
      return true;
    }
    return false;
  }
}

/**
 * The trading rule of a classifier's up-probability p at bar t (a float comparison, documented):
 * flat and p ≥ threshold: BUY; long and 1 − p ≥ threshold (the predicted class is down with at
 * least that probability): SELL; otherwise nothing.
 */
export function classifierAction(p: number, threshold: number, position: 'FLAT' | 'LONG'): 'BUY' | 'SELL' | null {
  if (position === 'FLAT') return p >= threshold ? 'BUY' : null;
  return 1 - p >= threshold ? 'SELL' : null;
}
