/**
 * Market analysis: Warden computes the features of an instrument's recent bars (returns, ATR,
 * realised volatility and where it stands in its own history, SMA/EMA slopes, RSI, ADX with its
 * directional indices); the model only reads them as a regime (trend, range, volatile), a trend
 * strength and a volatility level, citing the features it used. The features are the request's
 * `data`, so they are in the consultation's record.
 */
import { ADX, ATR, EMA, RSI, SMA } from 'trading-signals';
import { z } from 'zod';
import type { AdvisorRequest } from '../consult.ts';
import type { Bar } from '../../model/bar.ts';
import { ValidationError } from '../../model/errors.ts';
import { inferPeriodsPerYear } from '../../backtest/metrics.ts';
import { prose, requestOf, sig } from './common.ts';
import { proposalsField, type ProposalScope } from './proposal-schema.ts';

export interface MarketFeatureOptions {
  /** Indicator period in bars (ATR, RSI, ADX); default 14. */
  readonly period?: number;
  /** Moving-average period in bars; default 20. */
  readonly maPeriod?: number;
  /** Window of the rolling realised volatility whose percentile is reported; default 20. */
  readonly volWindow?: number;
}

export interface MarketFeatures {
  readonly instrumentId: string;
  readonly bars: number;
  readonly from: string;
  readonly to: string;
  readonly barSeconds: number;
  readonly lastClose: number;
  /** Simple close-to-close returns over the bars. */
  readonly returns: { readonly last: number | null; readonly mean: number | null; readonly total: number | null; readonly stdev: number | null };
  /** Standard deviation of log returns per bar and annualised with the bars' own frequency. */
  readonly realisedVolatility: { readonly perBar: number | null; readonly annualised: number | null; readonly periodsPerYear: number };
  /** Percentile (0..100) of the last `volWindow`-bar realised volatility among all such windows of the series: the volatility level. */
  readonly volatilityPercentile: number | null;
  readonly atr: number | null;
  /** ATR as % of the last close. */
  readonly atrPct: number | null;
  /** Moving averages, their slope over the last `maPeriod` bars (% per bar) and the close's distance from them (%). */
  readonly sma: MovingAverageFeature;
  readonly ema: MovingAverageFeature;
  readonly rsi: number | null;
  readonly adx: number | null;
  readonly plusDi: number | null;
  readonly minusDi: number | null;
  /** |net move| / sum of |moves| over the bars: 1 a straight line, near 0 back and forth. */
  readonly efficiencyRatio: number | null;
  readonly period: number;
  readonly maPeriod: number;
}

export interface MovingAverageFeature {
  readonly period: number;
  readonly value: number | null;
  readonly slopePctPerBar: number | null;
  readonly closeVsPct: number | null;
}

const num = (text: string, field: string): number => {
  const x = Number(text);
  if (!Number.isFinite(x) || x <= 0) throw new ValidationError('INVALID_FIELD', `bar ${field} must be a positive number, got ${JSON.stringify(text)}`, { field, input: text });
  return x;
};

function stdevOf(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** A moving average series: its value after each bar (null until stable). */
function series(ind: SMA | EMA, closes: readonly number[]): (number | null)[] {
  return closes.map((c) => {
    ind.add(c);
    return ind.isStable ? (ind.getResult() ?? null) : null;
  });
}

function maFeature(period: number, values: readonly (number | null)[], close: number): MovingAverageFeature {
  const last = values[values.length - 1] ?? null;
  const back = values[values.length - 1 - period] ?? null;
  return {
    period,
    value: sig(last),
    slopePctPerBar: last !== null && back !== null ? sig(((last / back - 1) * 100) / period) : null,
    closeVsPct: last !== null ? sig((close / last - 1) * 100) : null,
  };
}

/** Percentile rank (0..100) of the last value among all values (ties count half). */
function percentileOfLast(xs: readonly number[]): number | null {
  const last = xs[xs.length - 1];
  if (last === undefined) return null;
  let below = 0;
  let equal = 0;
  for (const x of xs) {
    if (x < last) below++;
    else if (x === last) equal++;
  }
  return sig(((below + equal / 2) / xs.length) * 100);
}

/**
 * The features of one instrument's bars (in time order, at least `2 × period + 1` and
 * `maPeriod + 1`). Pure: the same bars give the same features.
 */
export function marketFeatures(bars: readonly Bar[], o: MarketFeatureOptions = {}): MarketFeatures {
  const period = o.period ?? 14;
  const maPeriod = o.maPeriod ?? 20;
  const volWindow = o.volWindow ?? 20;
  const need = Math.max(2 * period + 1, 2 * maPeriod + 1, volWindow + 1);
  if (bars.length < need) throw new ValidationError('INVALID_FIELD', `market features need at least ${need} bars, got ${bars.length}`, { field: 'bars', actual: bars.length, limit: need });
  const first = bars[0]!;
  const id = first.instrumentId as string;
  for (let i = 1; i < bars.length; i++) {
    if (bars[i]!.ts <= bars[i - 1]!.ts) throw new ValidationError('INVALID_FIELD', 'bars must be in strictly increasing time order', { field: 'bars', index: i });
    if (bars[i]!.instrumentId !== first.instrumentId) throw new ValidationError('INVALID_FIELD', 'bars must all be of one instrument', { field: 'bars', index: i });
  }
  const hlc = bars.map((b) => ({ high: num(b.high, 'high'), low: num(b.low, 'low'), close: num(b.close, 'close') }));
  const closes = hlc.map((b) => b.close);
  const rets: number[] = [];
  const logs: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    rets.push(closes[i]! / closes[i - 1]! - 1);
    logs.push(Math.log(closes[i]! / closes[i - 1]!));
  }
  const atr = new ATR(period);
  const adx = new ADX(period);
  const rsi = new RSI(period);
  for (const c of hlc) {
    atr.add(c);
    adx.add(c);
    rsi.add(c.close);
  }
  const rolling: number[] = [];
  for (let i = volWindow; i <= logs.length; i++) rolling.push(stdevOf(logs.slice(i - volWindow, i)) ?? 0);
  const perBar = stdevOf(logs);
  const ppy = inferPeriodsPerYear(bars.map((b) => b.ts));
  const close = closes[closes.length - 1]!;
  const atrValue = atr.isStable ? (atr.getResult() ?? null) : null;
  const path = rets.reduce((a, r, i) => a + Math.abs(closes[i + 1]! - closes[i]!), 0);
  return {
    instrumentId: id,
    bars: bars.length,
    from: new Date(first.ts).toISOString(),
    to: new Date(bars[bars.length - 1]!.ts).toISOString(),
    barSeconds: first.durationMs / 1000,
    lastClose: close,
    returns: { last: sig(rets[rets.length - 1]), mean: sig(rets.reduce((a, b) => a + b, 0) / rets.length), total: sig(close / closes[0]! - 1), stdev: sig(stdevOf(rets)) },
    realisedVolatility: { perBar: sig(perBar), annualised: perBar === null ? null : sig(perBar * Math.sqrt(ppy)), periodsPerYear: sig(ppy) ?? 0 },
    volatilityPercentile: percentileOfLast(rolling),
    atr: sig(atrValue),
    atrPct: atrValue === null ? null : sig((atrValue / close) * 100),
    sma: maFeature(maPeriod, series(new SMA(maPeriod), closes), close),
    ema: maFeature(maPeriod, series(new EMA(maPeriod), closes), close),
    rsi: rsi.isStable ? sig(rsi.getResult()) : null,
    adx: adx.isStable ? sig(adx.getResult()) : null,
    plusDi: sig(typeof adx.pdi === 'number' ? adx.pdi * 100 : null),
    minusDi: sig(typeof adx.mdi === 'number' ? adx.mdi * 100 : null),
    efficiencyRatio: path === 0 ? null : sig(Math.abs(close - closes[0]!) / path),
    period,
    maPeriod,
  };
}

/** The feature names a market answer may cite as evidence. */
export const MARKET_FEATURE_NAMES = ['returns', 'realisedVolatility', 'volatilityPercentile', 'atr', 'atrPct', 'sma', 'ema', 'rsi', 'adx', 'plusDi', 'minusDi', 'efficiencyRatio'] as const;

/** The answer: the model's reading of the features, each claim tied to a feature by name. */
export function marketSchema(scope: ProposalScope) {
  return z.strictObject({
    regime: z.enum(['trend', 'range', 'volatile']),
    direction: z.enum(['up', 'down', 'sideways']),
    trendStrength: z.enum(['none', 'weak', 'moderate', 'strong']),
    volatility: z.enum(['low', 'normal', 'high']),
    confidence: z.number().min(0).max(1),
    evidence: z.array(z.strictObject({ feature: z.enum(MARKET_FEATURE_NAMES), reading: prose(300) })).min(1).max(12),
    summary: prose(1_500),
    proposals: proposalsField(scope),
  });
}
export type MarketAdvice = z.infer<ReturnType<typeof marketSchema>>;

const ROLE =
  "You are the market analyst of Warden, an order management system. From the features Warden computed of one instrument's recent bars, say its regime (trend, range or volatile), direction, trend strength and volatility level, citing the features you read (ADX above about 25 and a steady MA slope suggest a trend; a high volatility percentile and ATR% suggest a volatile market). You may propose orders; a person decides on each, and Warden's risk gate checks it.";

export function marketRequest(features: MarketFeatures, scope: ProposalScope): AdvisorRequest<MarketAdvice> {
  return requestOf('market', 'fast', ROLE, { features, tradedInstruments: scope.instruments, positions: scope.positions }, marketSchema(scope), 'market_regime');
}
