import type { Bar } from '../../model/bar.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon } from '../config/types.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { Breaker, round } from './breaker.ts';

export type VolatilityConfig = BreakerCommon & { readonly lookback_bars: number; readonly max_return_sigma?: number; readonly max_range_atr?: number };

interface History {
  prevClose: number;
  /** The last lookback_bars bar returns and true ranges, oldest first. */
  readonly returns: number[];
  readonly ranges: number[];
}

/**
 * A volatility spike on finished bars (1-minute bars for "a 1-minute return"): trips when a bar's
 * return close/previous close − 1 is max_return_sigma or more sample standard deviations of the
 * previous lookback_bars returns away from zero, or when its range (high − low) is max_range_atr
 * or more times the average true range of the previous lookback_bars bars (a simple mean of true
 * ranges). Nothing is judged until lookback_bars + 1 bars have been seen, nor against a zero
 * deviation. FIRM scope trips the firm; ACCOUNT or STRATEGY scope trips each account or strategy
 * holding a position or a working order in the instrument. Bars are not journaled: after a restart
 * the history fills again.
 */
export class VolatilityBreaker extends Breaker {
  private readonly history = new Map<string, History>();

  constructor(
    readonly config: VolatilityConfig,
    nearMissPct: number,
  ) {
    super('volatility', config, nearMissPct);
  }

  onBar(bar: Bar, view: RiskView): readonly RiskAction[] {
    const high = Number(bar.high);
    const low = Number(bar.low);
    const close = Number(bar.close);
    const h = this.history.get(bar.instrumentId);
    if (!h) {
      this.history.set(bar.instrumentId, { prevClose: close, returns: [], ranges: [high - low] });
      return [];
    }
    const n = this.config.lookback_bars;
    const ret = h.prevClose === 0 ? 0 : close / h.prevClose - 1;
    const trueRange = Math.max(high - low, Math.abs(high - h.prevClose), Math.abs(low - h.prevClose));
    const out: RiskAction[] = [];
    const scopes = this.scopesIn(view, bar.instrumentId);
    const sigma = this.config.max_return_sigma;
    if (sigma !== undefined && h.returns.length >= n) {
      const sd = stdev(h.returns);
      if (sd > 0) {
        const z = Math.abs(ret) / sd;
        for (const s of scopes) out.push(...this.judge(view, s, `${bar.instrumentId}|return`, z, sigma, () => `${bar.instrumentId} bar return ${round(ret * 100)}% is ${round(z, 2)} standard deviations of the last ${n}`));
      }
    }
    const atrLimit = this.config.max_range_atr;
    if (atrLimit !== undefined && h.ranges.length >= n) {
      const atr = mean(h.ranges);
      if (atr > 0) {
        const k = (high - low) / atr;
        for (const s of scopes) out.push(...this.judge(view, s, `${bar.instrumentId}|range`, k, atrLimit, () => `${bar.instrumentId} bar range ${round(high - low)} is ${round(k, 2)} ATR(${n}) of ${round(atr)}`));
      }
    }
    push(h.returns, ret, n);
    push(h.ranges, trueRange, n);
    h.prevClose = close;
    return out;
  }

  private scopesIn(view: RiskView, instrumentId: string): RiskScope[] {
    if (this.common.scope === 'FIRM') return ['FIRM'];
    const out = new Set<RiskScope>();
    for (const p of view.portfolio.openPositions()) if (p.instrumentId === instrumentId) out.add(this.scopeFor(p.accountId, p.strategyId));
    for (const o of view.openOrders()) if (o.instrumentId === instrumentId) out.add(this.scopeFor(o.spec.accountId, o.spec.strategyId));
    return [...out];
  }
}

function push(xs: number[], x: number, n: number): void {
  xs.push(x);
  if (xs.length > n) xs.shift();
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n − 1). */
export function stdev(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}
