/**
 * Pluggable models of the simulated exchange: slippage, limit fills, fees and latency. Each family
 * is one small interface; a model is chosen by name through an explicit factory map, and its
 * config is validated (unknown model, unknown or bad parameter → ValidationError INVALID_FIELD
 * with `context.field` naming the field).
 */
import { createFrom, type ModelConfig } from './config.ts';
import { FixedFee, MakerTakerFee, NoFee, PerShareFee, TieredFee, type FeeModel } from './fees.ts';
import { FillAtTouch, FillOnTradeThrough, QueuePositionFill, type LimitFillModel } from './fill.ts';
import { ConstantLatency, RandomLatency, type LatencyModel } from './latency.ts';
import { PercentSlippage } from './slippage-percent.ts';
import { SqrtImpactSlippage, VolatilitySlippage, VolumeShareSlippage } from './slippage-volume.ts';
import { FixedBpsSlippage, NoSlippage, SpreadSlippage, type SlippageModel } from './slippage.ts';

export * from './config.ts';
export * from './fees.ts';
export * from './fill.ts';
export * from './latency.ts';
export * from './random.ts';
export * from './slippage-percent.ts';
export * from './slippage-volume.ts';
export * from './slippage.ts';

type Factory<M> = (config?: ModelConfig) => M;

export const SLIPPAGE_MODELS = Object.freeze({
  none: (config?: ModelConfig) => NoSlippage.fromConfig(config),
  fixed_bps: (config?: ModelConfig) => FixedBpsSlippage.fromConfig(config),
  spread: (config?: ModelConfig) => SpreadSlippage.fromConfig(config),
  volume_share: (config?: ModelConfig) => VolumeShareSlippage.fromConfig(config),
  sqrt_impact: (config?: ModelConfig) => SqrtImpactSlippage.fromConfig(config),
  volatility: (config?: ModelConfig) => VolatilitySlippage.fromConfig(config),
  percent: (config?: ModelConfig) => PercentSlippage.fromConfig(config),
} satisfies Record<string, Factory<SlippageModel>>);

export const LIMIT_FILL_MODELS = Object.freeze({
  fill_at_touch: (config?: ModelConfig) => FillAtTouch.fromConfig(config),
  fill_on_trade_through: (config?: ModelConfig) => FillOnTradeThrough.fromConfig(config),
  queue_position: (config?: ModelConfig) => QueuePositionFill.fromConfig(config),
} satisfies Record<string, Factory<LimitFillModel>>);

export const FEE_MODELS = Object.freeze({
  none: (config?: ModelConfig) => NoFee.fromConfig(config),
  maker_taker: (config?: ModelConfig) => MakerTakerFee.fromConfig(config),
  tiered: (config?: ModelConfig) => TieredFee.fromConfig(config),
  per_share: (config?: ModelConfig) => PerShareFee.fromConfig(config),
  fixed: (config?: ModelConfig) => FixedFee.fromConfig(config),
} satisfies Record<string, Factory<FeeModel>>);

export const LATENCY_MODELS = Object.freeze({
  constant: (config?: ModelConfig) => ConstantLatency.fromConfig(config),
  random: (config?: ModelConfig) => RandomLatency.fromConfig(config),
} satisfies Record<string, Factory<LatencyModel>>);

export type SlippageModelName = keyof typeof SLIPPAGE_MODELS;
export type LimitFillModelName = keyof typeof LIMIT_FILL_MODELS;
export type FeeModelName = keyof typeof FEE_MODELS;
export type LatencyModelName = keyof typeof LATENCY_MODELS;

export const createSlippageModel = (name: string, config?: ModelConfig): SlippageModel => createFrom<SlippageModel>('slippage', SLIPPAGE_MODELS, name, config);
export const createLimitFillModel = (name: string, config?: ModelConfig): LimitFillModel => createFrom<LimitFillModel>('limit fill', LIMIT_FILL_MODELS, name, config);
export const createFeeModel = (name: string, config?: ModelConfig): FeeModel => createFrom<FeeModel>('fee', FEE_MODELS, name, config);
export const createLatencyModel = (name: string, config?: ModelConfig): LatencyModel => createFrom<LatencyModel>('latency', LATENCY_MODELS, name, config);
