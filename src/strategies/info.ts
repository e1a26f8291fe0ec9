import type { ParamDoc } from './common.ts';

/**
 * What a strategy says about itself for listings (`warden strategies`): its family, what it does,
 * and its parameters with their defaults.
 */
export interface StrategyInfo {
  readonly family: 'mean reversion' | 'arbitrage' | 'volatility' | 'event' | 'machine learning' | 'sentiment';
  readonly description: string;
  readonly params: readonly { readonly name: string; readonly default: unknown; readonly description: string }[];
}

/** A factory's parameter docs as StrategyInfo params (numeric defaults as numbers, others as given). */
export function infoParams(docs: readonly Pick<ParamDoc, 'name' | 'default' | 'doc'>[]): StrategyInfo['params'] {
  return Object.freeze(docs.map((d) => Object.freeze({ name: d.name, default: d.default !== '' && Number.isFinite(Number(d.default)) ? Number(d.default) : d.default, description: d.doc })));
}

/** The info of a strategy from its factory's parameter docs. */
export function strategyInfo(family: StrategyInfo['family'], description: string, params: readonly ParamDoc[]): StrategyInfo {
  return Object.freeze({ family, description, params: infoParams(params) });
}
