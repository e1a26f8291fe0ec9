/**
 * Enhanced Kelly, as in our specification:
 *
 *   f*        = W - (1 - W) / R                               (zero quantity when f* <= 0)
 *   volScale  = clamp(averageAtr / currentAtr, minVolScale, maxVolScale)   default [0.5, 1.5]
 *   riskPct   = min(riskCap, f* × kellyFraction × volScale × regimeQuality)
 *   riskAmount = balance × riskPct
 *   quantity  = floor_to_lot(riskAmount / (stopDistance × valuePerPoint))
 *
 * Defaults: kellyFraction 0.5, riskCap 0.02 (2 % of balance). volScale shrinks the size when
 * volatility is above its average and grows it (up to the clamp) when calmer; the clamp keeps a
 * freak ATR reading from doubling or zeroing the size. regimeQuality in [0, 1] is the caller's
 * confidence that the market regime suits the strategy (1 = fully). Every step is audited.
 */
import { inRange, invalidField, positive } from '../analytics/validate.ts';
import { Quantity } from '../../model/values.ts';
import { resolveContext, type SizingContext } from './context.ts';
import { kellyFraction, type KellyStats } from './kelly.ts';
import { sizeOnGrid } from './lot.ts';
import { Audit, buildResult, type SizingResult } from './result.ts';

export interface EnhancedKellyOptions extends KellyStats {
  stopDistance: number;
  /** Multiplier on f*, in (0, 1]; default 0.5. */
  kellyFraction?: number;
  /** Hard cap on riskPct, in [0, 1]; default 0.02. */
  riskCap?: number;
  /** Current ATR (price units), > 0. */
  currentAtr: number;
  /** Average ATR over the reference window, > 0. */
  averageAtr: number;
  /** In [0, 1]; default 1. */
  regimeQuality?: number;
  /** Clamp of averageAtr / currentAtr; default 0.5 and 1.5. */
  minVolScale?: number;
  maxVolScale?: number;
}

export const ENHANCED_KELLY_DEFAULTS = { kellyFraction: 0.5, riskCap: 0.02, regimeQuality: 1, minVolScale: 0.5, maxVolScale: 1.5 } as const;

export function enhancedKelly(ctx: SizingContext, options: EnhancedKellyOptions): SizingResult {
  const audit = new Audit();
  const c = resolveContext(ctx, audit);
  const d = ENHANCED_KELLY_DEFAULTS;
  const kf = options.kellyFraction ?? d.kellyFraction;
  if (!(kf > 0 && kf <= 1)) invalidField('kellyFraction', `must be in (0, 1], got ${kf}`, kf);
  const cap = inRange(options.riskCap ?? d.riskCap, 0, 1, 'riskCap');
  const regime = inRange(options.regimeQuality ?? d.regimeQuality, 0, 1, 'regimeQuality');
  const lo = positive(options.minVolScale ?? d.minVolScale, 'minVolScale');
  const hi = positive(options.maxVolScale ?? d.maxVolScale, 'maxVolScale');
  if (lo > hi) invalidField('minVolScale', `must be <= maxVolScale ${hi}, got ${lo}`, lo);
  const stop = positive(options.stopDistance, 'stopDistance');
  const cur = positive(options.currentAtr, 'currentAtr');
  const avg = positive(options.averageAtr, 'averageAtr');

  audit.num('winRate', inRange(options.winRate, 0, 1, 'winRate'), 'W');
  audit.num('payoffRatio', positive(options.avgWin, 'avgWin') / positive(options.avgLoss, 'avgLoss'), 'R = avgWin / avgLoss');
  const f = audit.num('kelly', kellyFraction(options), 'f* = W - (1 - W) / R');
  if (f <= 0) {
    audit.add('decision', 'no-trade', 'Kelly fraction <= 0: no edge, quantity 0');
    return buildResult('enhanced-kelly', c.instrument, c.balance, c.price, 0, Quantity.zero(c.instrument.sizePrecision), audit);
  }
  const fk = audit.num('fractionalKelly', f * kf, `f* × kellyFraction ${kf}`);
  const rawScale = audit.num('volScale.raw', avg / cur, `averageAtr ${avg} / currentAtr ${cur}`);
  const volScale = audit.num('volScale', Math.min(hi, Math.max(lo, rawScale)), `clamped to [${lo}, ${hi}]`);
  audit.num('regimeQuality', regime, 'given');
  const adjusted = audit.num('riskPct.uncapped', fk * volScale * regime, 'fractionalKelly × volScale × regimeQuality');
  const riskPct = audit.num('riskPct', Math.min(cap, adjusted), `min(riskCap ${cap}, uncapped)`);
  const riskAmount = audit.num('riskAmount', c.balance * riskPct, 'balance × riskPct');
  const perUnit = audit.num('riskPerUnit', stop * c.valuePerPoint, 'stopDistance × valuePerPoint');
  const units = audit.num('units', riskAmount / perUnit, 'riskAmount / riskPerUnit');
  return buildResult('enhanced-kelly', c.instrument, c.balance, c.price, riskAmount, sizeOnGrid(c.instrument, units, audit), audit, riskPct);
}
