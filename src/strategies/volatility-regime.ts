import type { Strategy, StrategyContext, RegisteredStrategy } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { floorToLot } from '../risk/sizing/lot.ts';
import { exitLong, holdsLong, ignore, invalidParam, isFlat, parseNumericParams, requireInt, requirePositive, type ParamDoc } from './common.ts';
import { IndexCursor, readIndexSeries, type IndexPoint } from './index-series.ts';
import { compareStat, logReturns, realisedVol } from './stats.ts';

export interface VolatilityRegimeParams {
  /** Log returns in the realised volatility, ≥ 2. Default 20. */
  readonly window: number;
  /** Risk off when the signal ≥ riskOff, > 0. Default 0.35 (own volatility; e.g. 30 for VIX). */
  readonly riskOff: number;
  /** Risk back on when the signal < riskOn, in (0, riskOff]. Default 0.25. */
  readonly riskOn: number;
  /** Annualised volatility the position is sized for, > 0. Default 0.15. */
  readonly targetVol: number;
  /** Largest share of equity held, in (0, 1]. Default 0.95. */
  readonly maxFraction: number;
  /** Bars a year for annualising, > 0. Default 252. */
  readonly periodsPerYear: number;
}

export const VOLATILITY_REGIME_DEFAULTS: VolatilityRegimeParams = { window: 20, riskOff: 0.35, riskOn: 0.25, targetVol: 0.15, maxFraction: 0.95, periodsPerYear: 252 };

const NAME = 'volatility-regime';

export type Regime = 'ON' | 'OFF';

/**
 * The regime after one signal, with hysteresis: signal ≥ riskOff → OFF (equality is off); signal
 * < riskOn → ON (equality stays as it was); between them, unchanged. `cmp` compares a signal with a
 * threshold: exact for an index (decimal values), with the 1e-9 tolerance for realised volatility.
 */
export function nextRegime(prev: Regime, signal: number, p: Pick<VolatilityRegimeParams, 'riskOff' | 'riskOn'>, cmp: (a: number, b: number) => number): Regime {
  if (cmp(signal, p.riskOff) >= 0) return 'OFF';
  if (cmp(signal, p.riskOn) < 0) return 'ON';
  return prev;
}

const exact = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `volatility-regime` ("VIX-based"), long only, per instrument. The signal at a bar's close is the
 * last value of a user-supplied volatility index known by then (index-series.ts: a daily close is
 * known from the end of its day, so a daily bar closing at midnight UTC reads its own day's
 * value; never a later one), or, without an index, the instrument's own annualised realised
 * volatility σ_t (sample sd of the last `window` log returns of closes up to t, × √periodsPerYear).
 * The regime starts OFF and moves by nextRegime (OFF at signal ≥ riskOff, ON at signal < riskOn,
 * unchanged between). Index values compare exactly; realised volatility with the 1e-9 tolerance
 * of stats.ts. At the close of bar t, once σ_t exists (bar index ≥ window) and, with an index, a
 * value is known:
 * - OFF and long (no working order): sell all of it;
 * - ON and flat (no position, no working order): buy floor-to-lot(f × equity_t ÷ close_t) with
 *   f = min(maxFraction, targetVol ÷ σ_t) — sized so the position's volatility is targetVol of
 *   equity (capped: a cash account holds no leverage). The size is set at entry, not rebalanced.
 * Market orders, filled at the next bar's open plus slippage; fees are the instrument's.
 */
export class VolatilityRegime implements Strategy {
  readonly name: string;
  private readonly closes = new Map<string, number[]>();
  private readonly regimes = new Map<string, Regime>();
  private readonly cursor: IndexCursor | undefined;

  constructor(
    readonly params: VolatilityRegimeParams = VOLATILITY_REGIME_DEFAULTS,
    readonly index?: readonly IndexPoint[],
    name = NAME,
  ) {
    requireInt(NAME, 'window', params.window, 2);
    requirePositive(NAME, 'riskOff', params.riskOff);
    if (!(params.riskOn > 0 && params.riskOn <= params.riskOff)) throw invalidParam(NAME, 'riskOn', `must be in (0, riskOff (${params.riskOff})], got ${params.riskOn}`);
    requirePositive(NAME, 'targetVol', params.targetVol);
    if (!(params.maxFraction > 0 && params.maxFraction <= 1)) throw invalidParam(NAME, 'maxFraction', `must be in (0, 1], got ${params.maxFraction}`);
    requirePositive(NAME, 'periodsPerYear', params.periodsPerYear);
    this.cursor = index ? new IndexCursor(index) : undefined;
    this.name = name;
  }

  /** The regime an instrument is in (OFF before its first signal). */
  regime(instrumentId: string): Regime {
    return this.regimes.get(instrumentId) ?? 'OFF';
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    const id = bar.instrumentId;
    const close = Number(bar.close);
    const closes = this.closes.get(id) ?? [];
    closes.push(close);
    if (closes.length > this.params.window + 1) closes.shift();
    this.closes.set(id, closes);
    if (closes.length <= this.params.window) return;
    const sigma = realisedVol(logReturns(closes), this.params.periodsPerYear);
    const indexValue = this.cursor?.at(bar.ts + bar.durationMs);
    if (this.cursor && indexValue === undefined) return;
    const regime = indexValue !== undefined ? nextRegime(this.regime(id), indexValue, this.params, exact) : nextRegime(this.regime(id), sigma, this.params, compareStat);
    this.regimes.set(id, regime);
    if (regime === 'OFF') return holdsLong(ctx, id) ? exitLong(ctx, id) : undefined;
    if (!isFlat(ctx, id) || !(sigma > 0)) return;
    const f = Math.min(this.params.maxFraction, this.params.targetVol / sigma);
    const qty = floorToLot(ctx.instrument(id), (f * ctx.equity().toNumber()) / close);
    if (qty.isZero()) return;
    return ctx.market(id, 'BUY', qty).then(ignore);
  }
}

const PARAMS: readonly (ParamDoc & { name: keyof VolatilityRegimeParams | 'index' })[] = [
  { name: 'index', default: '', doc: 'volatility index CSV (date and value/close columns, e.g. VIX); empty: the instrument\'s own realised volatility' },
  { name: 'window', default: '20', doc: 'log returns in the realised volatility, ≥ 2' },
  { name: 'riskOff', default: '0.35', doc: 'risk off when the signal ≥ riskOff (own vol annualised; index in its units), > 0' },
  { name: 'riskOn', default: '0.25', doc: 'risk back on when the signal < riskOn, in (0, riskOff]' },
  { name: 'targetVol', default: '0.15', doc: 'annualised volatility the position is sized for, > 0' },
  { name: 'maxFraction', default: '0.95', doc: 'largest share of equity held, in (0, 1]' },
  { name: 'periodsPerYear', default: '252', doc: 'bars a year for annualising, > 0' },
];

const DESCRIPTION = 'risk on/off by a volatility index (CSV) or the instrument\'s own realised volatility, with hysteresis; long sized to a volatility target';

export const volatilityRegimeFactory: RegisteredStrategy = {
  name: NAME,
  family: 'volatility',
  description: DESCRIPTION,
  params: PARAMS,
  create(params) {
    const { index = '', ...numeric } = params;
    const docs = PARAMS.filter((p): p is ParamDoc & { name: keyof VolatilityRegimeParams } => p.name !== 'index');
    const parsed = parseNumericParams(NAME, docs, numeric);
    return new VolatilityRegime(parsed, index.trim() === '' ? undefined : readIndexSeries(NAME, index));
  },
};
