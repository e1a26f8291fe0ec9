/** Drawdowns of an equity curve. */
import { finite, invalidField, series } from './validate.ts';

export interface MaxDrawdown {
  /**
   * Depth as a fraction of the peak: (peak - trough) / peak. In [0, 1] while equity stays
   * positive; above 1 only if equity goes negative. 0 when equity never falls below a prior peak.
   */
  depth: number;
  /** Depth in equity units: peak - trough. */
  amount: number;
  peakIndex: number;
  troughIndex: number;
  peakValue: number;
  troughValue: number;
  /** First index after the trough where equity is back at or above the peak; null if never. */
  recoveryIndex: number | null;
  /**
   * Periods the drawdown lasted: recoveryIndex - peakIndex if recovered, otherwise
   * (last index - peakIndex), i.e. still under water at the end of the series.
   */
  duration: number;
  /** Periods from peak to trough. */
  declineDuration: number;
  /** Labels from `times` at the same indices, when given. */
  peakTime?: number | string;
  troughTime?: number | string;
  recoveryTime?: number | string | null;
}

/**
 * Drawdown at each point: (peak_t - equity_t) / peak_t, peak_t = max(equity_0..t). Equity must start positive.
 */
export function drawdownSeries(equity: readonly number[]): number[] {
  series(equity, 'equity', 1);
  if ((equity[0] as number) <= 0) invalidField('equity[0]', 'must be > 0', equity[0]);
  let peak = equity[0] as number;
  return equity.map((e) => {
    if (e > peak) peak = e;
    return (peak - e) / peak;
  });
}

/**
 * The deepest peak-to-trough fall of an equity curve (the first one, if several are equally
 * deep), with its recovery and duration in periods. `times`, if given, labels each index
 * (epoch ms or ISO dates) and must be as long as `equity`.
 *
 * Worked example: [100, 120, 90, 110, 130, 125] → peak 120 at 1, trough 90 at 2, depth 0.25,
 * recovery at 4 (130 >= 120), duration 3, decline 1.
 */
export function maxDrawdown(equity: readonly number[], times?: readonly (number | string)[]): MaxDrawdown {
  const dd = drawdownSeries(equity);
  if (times !== undefined && times.length !== equity.length) {
    invalidField('times', `must have ${equity.length} entries like equity, got ${times.length}`);
  }
  let peakIdx = 0;
  let best = { depth: 0, peak: 0, trough: 0 };
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i] as number;
    if (e > (equity[peakIdx] as number)) peakIdx = i;
    const d = dd[i] as number;
    if (d > best.depth) best = { depth: d, peak: peakIdx, trough: i };
  }
  const peakValue = equity[best.peak] as number;
  let recoveryIndex: number | null = best.depth === 0 ? best.trough : null;
  if (recoveryIndex === null) {
    for (let i = best.trough + 1; i < equity.length; i++) {
      if ((equity[i] as number) >= peakValue) {
        recoveryIndex = i;
        break;
      }
    }
  }
  const end = recoveryIndex ?? equity.length - 1;
  const out: MaxDrawdown = {
    depth: best.depth,
    amount: peakValue - (equity[best.trough] as number),
    peakIndex: best.peak,
    troughIndex: best.trough,
    peakValue,
    troughValue: equity[best.trough] as number,
    recoveryIndex,
    duration: end - best.peak,
    declineDuration: best.trough - best.peak,
  };
  if (times) {
    out.peakTime = times[best.peak];
    out.troughTime = times[best.trough];
    out.recoveryTime = recoveryIndex === null ? null : times[recoveryIndex];
  }
  return out;
}

/** Equity curve from simple returns: E_0 = start, E_t = E_{t-1} (1 + r_t); n returns give n + 1 points. */
export function equityCurve(returns: readonly number[], start = 1): number[] {
  series(returns, 'returns', 0);
  const out = [finite(start, 'start')];
  let e = start;
  for (const r of returns) {
    e *= 1 + r;
    out.push(e);
  }
  return out;
}
