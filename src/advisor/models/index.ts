/**
 * The advisor's models from the node config: `createConsultant` builds the Consultant the node
 * exposes. No `advisor:` section gives `NO_ADVISOR`, which says NOT_CONFIGURED to every request
 * without any I/O, so Warden works exactly as without it.
 */
import type { Clock } from '../../engine/clock.ts';
import type { AdvisorConfig, ModelTierConfig } from './config.ts';
import type { Advice, AdvisorRequest, Consultant } from '../consult.ts';
import { AnthropicProvider } from './anthropic.ts';
import { ModelConsultant, type ConsultingEngine, type TierModel } from './consultant.ts';
import { OpenAIProvider } from './openai.ts';
import type { ModelProvider } from './provider.ts';

export { ModelConsultant, type ConsultingEngine, type ModelConsultantOptions, type TierModel, type AdvisorBudget } from './consultant.ts';
export { consultRecordOf, consultId } from './records.ts';

/** The advisor when none is configured: NOT_CONFIGURED for every tier, no I/O. */
export const NO_ADVISOR: Consultant = Object.freeze({
  configured: () => false,
  consult: <T>(_request: AdvisorRequest<T>): Promise<Advice<T>> =>
    Promise.resolve({ ok: false, reason: 'NOT_CONFIGURED', message: 'no model is configured for the advisor (the advisor: section of the node config)' } as const),
});

/** Environment variables by name (the node config's Env). */
type Env = Readonly<Record<string, string | undefined>>;

export interface ConsultantDeps {
  readonly engine: ConsultingEngine;
  /** The engine's clock (the budget's day). */
  readonly clock: Clock;
  /** Where `api_key_env` names are looked up (default process.env). */
  readonly env?: Env;
  /** Replaces secrets (the tiers' keys among them) in every text the advisor returns or journals. */
  readonly scrub: (text: string) => string;
  /** Milliseconds for latency (default performance.now). */
  readonly wall?: () => number;
}

/** The provider of a tier: its SDK, its endpoint, its key (read from the environment by name). */
export function providerOf(tier: ModelTierConfig, env: Env): ModelProvider {
  const key = tier.api_key_env ? env[tier.api_key_env] : undefined;
  switch (tier.provider) {
    case 'openai':
      return new OpenAIProvider(tier, key || undefined);
    case 'anthropic':
      return new AnthropicProvider(tier, key || undefined);
  }
}

export function createConsultant(config: AdvisorConfig | undefined, deps: ConsultantDeps): Consultant {
  if (!config) return NO_ADVISOR;
  const env = deps.env ?? process.env;
  const tier = (t: ModelTierConfig | undefined): TierModel | undefined => (t ? { provider: providerOf(t, env), config: t } : undefined);
  return new ModelConsultant({
    engine: deps.engine,
    clock: deps.clock,
    ...(deps.wall ? { wall: deps.wall } : {}),
    reasoning: tier(config.reasoning_model)!,
    fast: tier(config.fast_model),
    risk: tier(config.risk_model),
    budget: { dailyTokens: config.budget.daily_tokens, dailyCostUsd: config.budget.daily_cost_usd },
    scrub: deps.scrub,
  });
}
