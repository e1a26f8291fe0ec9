/**
 * Backtest performance figures from an equity curve and closed trades. Pure, no I/O.
 *
 * Conventions:
 * - The equity curve is sampled once per bar close (after every instrument's bar at that time),
 *   preceded by the starting equity; returns are SIMPLE per-bar returns of that curve.
 * - Annualisation uses `periodsPerYear`, the number of bars in a year. When not given it is
 *   inferred from the times the bars OPEN at (src/backtest/annualisation.ts): e.g. 252 for daily
 *   bars without weekend bars (equities), 365 with them (crypto), 1,440 × 365 for 24/7 minute
 *   bars, 390 × 252 for minute bars of a 6.5-hour weekday session. `annualisation` says which.
 * - CAGR = (E_end / E_0)^(1 / years) − 1 with years the ELAPSED time from the first point (the
 *   first bar's open) to the last (the last bar's close) in years of 365.25 days, so it does not
 *   depend on the bar count or the annualisation; a few weeks of minute data annualise to large
 *   figures: read them as rates, not forecasts.
 * - Volatility = sample standard deviation of bar returns × √periodsPerYear; Sharpe (risk-free 0)
 *   and Sortino (target 0, downside deviation over all returns) from src/risk/analytics, so both
 *   scale by √periodsPerYear; Calmar = CAGR ÷ max drawdown.
 * - Max drawdown: the deepest fall from a running peak as a fraction of the peak; its duration is
 *   from the peak to the recovery (or to the end of the data if equity never got back), in bars
 *   and in milliseconds.
 * - Trade figures use each closed trade's NET pnl (after fees): win rate = trades with pnl > 0 ÷
 *   trades; profit factor = sum of wins ÷ |sum of losses|; expectancy = mean pnl per trade;
 *   average win / loss over winners / losers (a zero pnl trade is neither).
 * - Exposure time = bars closed with a position open ÷ bars.
 * A figure that does not exist (Sharpe of fewer than two returns, profit factor with no losing
 * trade, win rate with no trades) is null rather than NaN or Infinity, so summary.json stays JSON.
 */
import { annualiser } from '../risk/analytics/stats.ts';
import { BarCadence, inferAnnualisation } from './annualisation.ts';
import { finite } from '../risk/analytics/validate.ts';

export interface MetricsInput {
  /** Epoch ms of each equity point (the first is the start). */
  readonly times: readonly number[];
  /** Equity at each time, starting with the initial equity (> 0). */
  readonly equity: readonly number[];
  /** Net pnl (after fees) of each closed trade. */
  readonly tradePnls: readonly number[];
  readonly bars: number;
  readonly exposureBars: number;
  /** Exact, from the ledger. */
  readonly feesPaid: string;
  readonly breakerTrips: number;
  readonly periodsPerYear?: number;
}

export interface Metrics {
  readonly periodsPerYear: number;
  /** How periodsPerYear was found (given, or inferred from the bar opens), in words. */
  readonly annualisation: string;
  readonly periods: number;
  readonly totalReturn: number;
  readonly cagr: number | null;
  readonly annualVolatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly calmar: number | null;
  readonly maxDrawdown: number;
  readonly maxDrawdownDurationBars: number;
  readonly maxDrawdownDurationMs: number;
  readonly maxDrawdownPeakTime: number | null;
  readonly maxDrawdownTroughTime: number | null;
  readonly maxDrawdownRecoveryTime: number | null;
  readonly trades: number;
  readonly winRate: number | null;
  readonly profitFactor: number | null;
  readonly expectancy: number | null;
  readonly averageWin: number | null;
  readonly averageLoss: number | null;
  readonly largestWin: number | null;
  readonly largestLoss: number | null;
  readonly exposureTime: number;
  readonly feesPaid: string;
  readonly breakerTrips: number;
}

const DAY = 86_400_000;

/** Elapsed years for CAGR: 365.25 days, the mean calendar year. */
const YEAR = 365.25 * DAY;

/** Bars per year of bars opening at `opens` (see src/backtest/annualisation.ts). */
export function inferPeriodsPerYear(opens: readonly number[]): number {
  return inferAnnualisation(opens).periodsPerYear;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Neumaier compensated sum, as `sum` in src/risk/analytics/stats.ts, one term at a time. */
class CompensatedSum {
  private s = 0;
  private c = 0;
  add(x: number): void {
    const t = this.s + x;
    this.c += Math.abs(this.s) >= Math.abs(x) ? this.s - t + x : x - t + this.s;
    this.s = t;
  }
  get value(): number {
    return this.s + this.c;
  }
}

/** Same as ratio() in src/risk/analytics/ratios.ts: a zero denominator gives ±Infinity, or 0 over 0. */
function ratio(num: number, den: number): number {
  if (den === 0) return num === 0 ? 0 : num > 0 ? Infinity : -Infinity;
  return num / den;
}

export interface MonthlyReturn {
  readonly year: number;
  /** 1 … 12. */
  readonly month: number;
  readonly ret: number;
}

/**
 * Month-by-month returns of an equity curve fed one point at a time (UTC months): the equity at
 * the month's last point ÷ the equity at the previous month's last point (the first month: the
 * curve's first point) − 1. Point i > 0 belongs to the month of (time − 1 ms), so a bar closing at
 * midnight belongs to the month it traded in; the first point belongs to the month of its time.
 * Memory: one entry per month.
 */
export class MonthlyReturns {
  private readonly done: MonthlyReturn[] = [];
  private count = 0;
  private cur = 0;
  private base = 0;
  private last = 0;
  /** [lo, hi) epoch ms of the month `cur`, so most points need no Date. */
  private lo = 0;
  private hi = 0;

  add(time: number, equity: number): void {
    if (this.count++ === 0) {
      this.setMonth(time);
      this.base = equity;
      this.last = equity;
      return;
    }
    const t = time - 1;
    if (!(t >= this.lo && t < this.hi)) {
      const prev = this.cur;
      this.setMonth(t);
      if (this.cur !== prev) {
        this.done.push({ year: Math.floor(prev / 12), month: (prev % 12) + 1, ret: this.last / this.base - 1 });
        this.base = this.last;
      }
    }
    this.last = equity;
  }

  private setMonth(ms: number): void {
    const d = new Date(ms);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    this.cur = y * 12 + m;
    this.lo = Date.UTC(y, m, 1);
    this.hi = Date.UTC(y, m + 1, 1);
  }

  /** The months so far, the current (possibly partial) one last; empty before the first point. */
  result(): MonthlyReturn[] {
    if (this.count === 0) return [];
    return [...this.done, { year: Math.floor(this.cur / 12), month: (this.cur % 12) + 1, ret: this.last / this.base - 1 }];
  }
}

/** What the equity curve does not tell: closed trades and counters. */
export interface MetricsExtras {
  /** Net pnl (after fees) of each closed trade. */
  readonly tradePnls: readonly number[];
  /** Exact, from the ledger. */
  readonly feesPaid: string;
  readonly breakerTrips: number;
  /** Default: the accumulator's count of returns (points − 1). */
  readonly bars?: number;
  /** Default: the points added with `exposed` true. */
  readonly exposureBars?: number;
}

/**
 * Every figure of `computeMetrics` computed ONLINE from the equity points as they come, in O(1)
 * memory per point (only `monthlyReturns` grows, one entry per month). `computeMetrics` is this
 * accumulator fed with the whole series, so the two give the same numbers bit for bit.
 *
 * With points (t_0, E_0) … (t_n, E_n), returns r_i = E_i / E_(i−1) − 1 (i = 1 … n), and sums kept
 * with Neumaier compensated summation (as `sum` in src/risk/analytics/stats.ts):
 *   S1 = Σ r_i,  S2 = Σ r_i²,  D2 = Σ min(0, r_i)²
 *   mean = S1 / n
 *   sample variance = (S2 − S1² / n) / (n − 1), clamped at 0           (n ≥ 2, else null)
 *   annualVolatility = √variance × √ppy                                  (n ≥ 2)
 *   sharpe  = mean / √variance × √ppy (risk-free 0)                      (n ≥ 2)
 *   sortino = mean / √(D2 / n) × √ppy (target 0, population divisor n)   (n ≥ 1)
 *   a zero denominator gives ±Infinity (→ null) or 0 when the numerator is 0 too, as ratios.ts.
 *   totalReturn = E_n / E_0 − 1;  cagr = (E_n / E_0)^(365.25 days / (t_n − t_0)) − 1
 *   (null if n = 0 or no time elapsed, −1 if E_n ≤ 0)
 *   calmar = cagr / maxDrawdown (null when either is missing or the drawdown is 0)
 * These are the formulas of sharpeRatio / sortinoRatio / annualizedVolatility in
 * src/risk/analytics/ratios.ts; the only difference is the variance, which those compute in two
 * passes (Σ (r − mean)² / (n − 1)): the one-pass form agrees to rounding (a test checks
 * |Δ| < 1e-12 relative on a real run), not bit for bit.
 * Max drawdown, as maxDrawdown in src/risk/analytics/drawdown.ts: the running peak P_i = max E_0..i
 * (its index moves only on a strictly higher equity), depth d_i = (P_i − E_i) / P_i, the first
 * deepest (strictly greater) d_i wins; the recovery is the first point after that trough with
 * E ≥ the peak's equity; duration = (recovery or last index) − peak index, in points and in ms.
 * periodsPerYear, when not given: inferred from the bar opens (BarCadence), each point i ≥ 1 being
 * one bar (or one step of bars) closing at t_i. Its open is passed to `add`; when not, t_i − 1 ms
 * stands in (the bar closing at midnight traded the day before), as MonthlyReturns does.
 */
export class MetricsAccumulator {
  private n = -1;
  private first = NaN;
  private last = NaN;
  private firstTime = NaN;
  private lastTime = NaN;
  private readonly s1 = new CompensatedSum();
  private readonly s2 = new CompensatedSum();
  private readonly d2 = new CompensatedSum();
  private badEquity: { index: number; value: number } | undefined;
  private badReturn: { index: number; value: number } | undefined;
  private readonly cadence = new BarCadence();
  private exposed = 0;
  // drawdown
  private peakIdx = 0;
  private peakVal = NaN;
  private peakTime = NaN;
  private ddDepth = 0;
  private ddPeakIdx = 0;
  private ddPeakVal = NaN;
  private ddPeakTime = NaN;
  private ddTroughIdx = 0;
  private ddTroughVal = NaN;
  private ddTroughTime = NaN;
  private ddRecoveryIdx: number | null = 0;
  private ddRecoveryTime = NaN;
  private readonly months = new MonthlyReturns();

  constructor(private readonly periodsPerYear?: number) {}

  /** Points added so far (returns = points − 1). */
  get points(): number {
    return this.n + 1;
  }

  /** The max drawdown so far: indices and values of its peak and trough (depth 0: none). */
  get drawdown(): { depth: number; peakIndex: number; peakValue: number; troughIndex: number; troughValue: number } {
    return { depth: this.ddDepth, peakIndex: this.ddPeakIdx, peakValue: this.ddPeakVal, troughIndex: this.ddTroughIdx, troughValue: this.ddTroughVal };
  }

  /**
   * The next equity point, in time order; `exposed`: a position was open at this bar close;
   * `open`: when the bar(s) closing at `time` opened (for the annualisation; default time − 1 ms).
   */
  add(time: number, equity: number, exposed = false, open = time - 1): void {
    const i = ++this.n;
    if (exposed) this.exposed++;
    if (this.badEquity === undefined && !Number.isFinite(equity)) this.badEquity = { index: i, value: equity };
    this.months.add(time, equity);
    if (i === 0) {
      this.first = equity;
      this.firstTime = time;
      this.peakVal = equity;
      this.peakTime = time;
      this.ddPeakVal = equity;
      this.ddPeakTime = time;
      this.ddTroughVal = equity;
      this.ddTroughTime = time;
      this.ddRecoveryTime = time;
    } else {
      const r = equity / this.last - 1;
      if (this.badReturn === undefined && !Number.isFinite(r)) this.badReturn = { index: i - 1, value: r };
      this.s1.add(r);
      this.s2.add(r * r);
      const down = Math.min(0, r);
      this.d2.add(down * down);
      this.cadence.observe(open);
    }
    // drawdown
    if (equity > this.peakVal) {
      this.peakIdx = i;
      this.peakVal = equity;
      this.peakTime = time;
    }
    const d = (this.peakVal - equity) / this.peakVal;
    if (d > this.ddDepth) {
      this.ddDepth = d;
      this.ddPeakIdx = this.peakIdx;
      this.ddPeakVal = this.peakVal;
      this.ddPeakTime = this.peakTime;
      this.ddTroughIdx = i;
      this.ddTroughVal = equity;
      this.ddTroughTime = time;
      this.ddRecoveryIdx = null;
    } else if (this.ddRecoveryIdx === null && equity >= this.ddPeakVal) {
      this.ddRecoveryIdx = i;
      this.ddRecoveryTime = time;
    }
    this.last = equity;
    this.lastTime = time;
  }

  /** Month-by-month returns so far (see MonthlyReturns). */
  monthlyReturns(): MonthlyReturn[] {
    return this.months.result();
  }

  /** The figures over the points so far (the accumulator can go on after). */
  result(x: MetricsExtras): Metrics {
    if (this.n < 0 || !(this.first > 0)) throw new RangeError('metrics need an equity curve starting above zero');
    if (this.badEquity) finite(this.badEquity.value, `equity[${this.badEquity.index}]`);
    const n = this.n;
    if (n >= 1 && this.badReturn) finite(this.badReturn.value, `returns[${this.badReturn.index}]`);
    const { periodsPerYear: ppy, basis } = this.cadence.result(this.periodsPerYear);
    const a = n >= 1 ? annualiser(ppy) : NaN;
    const first = this.first;
    const last = this.last;
    const years = (this.lastTime - this.firstTime) / YEAR;
    const cagr = n === 0 || !(years > 0) ? null : last <= 0 ? -1 : finiteOrNull((last / first) ** (1 / years) - 1);
    const s1 = this.s1.value;
    const mean = s1 / n;
    const sd = n >= 2 ? Math.sqrt(Math.max(0, (this.s2.value - (s1 * s1) / n) / (n - 1))) : NaN;
    const dd = this.ddDepth;
    const recovered = this.ddRecoveryIdx !== null;
    const endIdx = recovered ? this.ddRecoveryIdx! : n;
    const endTime = recovered ? this.ddRecoveryTime : this.lastTime;

    const pnls = x.tradePnls;
    let wins = 0;
    let losses = 0;
    let winSum = 0;
    let lossSum = 0;
    let total = 0;
    let largestWin = -Infinity;
    let largestLoss = Infinity;
    for (const p of pnls) {
      total += p;
      if (p > 0) {
        wins++;
        winSum += p;
        largestWin = Math.max(largestWin, p);
      } else if (p < 0) {
        losses++;
        lossSum += p;
        largestLoss = Math.min(largestLoss, p);
      }
    }
    const trades = pnls.length;
    const bars = x.bars ?? n;
    const exposureBars = x.exposureBars ?? this.exposed;
    return {
      periodsPerYear: ppy,
      annualisation: basis,
      periods: n,
      totalReturn: last / first - 1,
      cagr,
      annualVolatility: n >= 2 ? finiteOrNull(sd * a) : null,
      sharpe: n >= 2 ? finiteOrNull(ratio(mean, sd) * a) : null,
      sortino: n >= 1 ? finiteOrNull(ratio(mean, Math.sqrt(this.d2.value / n)) * a) : null,
      calmar: cagr === null || dd === 0 ? null : finiteOrNull(cagr / dd),
      maxDrawdown: dd,
      maxDrawdownDurationBars: dd === 0 ? 0 : endIdx - this.ddPeakIdx,
      maxDrawdownDurationMs: dd === 0 ? 0 : endTime - this.ddPeakTime,
      maxDrawdownPeakTime: dd === 0 ? null : this.ddPeakTime,
      maxDrawdownTroughTime: dd === 0 ? null : this.ddTroughTime,
      maxDrawdownRecoveryTime: dd === 0 || !recovered ? null : this.ddRecoveryTime,
      trades,
      winRate: trades === 0 ? null : wins / trades,
      profitFactor: losses === 0 ? null : winSum / -lossSum,
      expectancy: trades === 0 ? null : total / trades,
      averageWin: wins === 0 ? null : winSum / wins,
      averageLoss: losses === 0 ? null : lossSum / losses,
      largestWin: wins === 0 ? null : largestWin,
      largestLoss: losses === 0 ? null : largestLoss,
      exposureTime: bars === 0 ? 0 : exposureBars / bars,
      feesPaid: x.feesPaid,
      breakerTrips: x.breakerTrips,
    };
  }
}

/** The figures of a whole equity curve: a MetricsAccumulator fed with every point. */
export function computeMetrics(m: MetricsInput): Metrics {
  const { equity, times } = m;
  if (equity.length === 0 || !(equity[0]! > 0)) throw new RangeError('metrics need an equity curve starting above zero');
  if (times.length !== equity.length) throw new RangeError(`times (${times.length}) and equity (${equity.length}) differ in length`);
  const acc = new MetricsAccumulator(m.periodsPerYear);
  for (let i = 0; i < equity.length; i++) acc.add(times[i]!, equity[i]!);
  return acc.result({ tradePnls: m.tradePnls, feesPaid: m.feesPaid, breakerTrips: m.breakerTrips, bars: m.bars, exposureBars: m.exposureBars });
}
