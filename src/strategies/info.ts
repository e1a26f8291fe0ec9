import type { ParamDoc } from './common.ts';

/** What a strategy says about itself for listings (`warden strategies`): its family, a line, its parameters. */
export interface StrategyInfo {
  readonly family: 'mean reversion' | 'arbitrage' | 'volatility' | 'event';
  readonly description: string;
  readonly params: readonly { readonly name: string; readonly default: unknown; readonly description: string }[];
}

/** The info of a strategy from its factory's parameter docs: numeric defaults as numbers, others as given. */
export function strategyInfo(family: StrategyInfo['family'], description: string, params: readonly ParamDoc[]): StrategyInfo {
  return Object.freeze({
    family,
    description,
    params: Object.freeze(params.map((p) => Object.freeze({ name: p.name, default: p.default !== '' && Number.isFinite(Number(p.default)) ? Number(p.default) : p.default, description: p.doc }))),
  });
}
