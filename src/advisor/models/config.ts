/**
 * `advisor:` — the AI advisor's models (src/advisor/models/, issue 18). Absent: no advisor, and
 * Warden works exactly as without it. `reasoning_model` is the one model it needs; `fast_model`
 * and `risk_model` fall back to it when absent.
 *
 * A tier names the environment variable that holds its key (`api_key_env`), never the key: the
 * loader reads the variable and adds its value to the secrets scrubbed from every log line and
 * error; the key is never journaled. A local model (Ollama, LM Studio, vLLM) may need none.
 */
import { z } from 'zod';

/** USD per million tokens, or a budget: exact decimal text ("2.50", at most 12 decimals) or a number (read through its shortest text). */
const usd = z.union([z.string().regex(/^\d{1,9}(\.\d{1,12})?$/), z.number().nonnegative().max(1e9)], { error: 'must be a non-negative USD amount such as "2.50"' });

export const modelTierSchema = z
  .strictObject({
    /** `openai`: any OpenAI-compatible endpoint (OpenAI, Ollama, LM Studio, vLLM) through `base_url`; `anthropic`: the Messages API. */
    provider: z.enum(['openai', 'anthropic']),
    model: z.string().regex(/^[\x21-\x7e]{1,200}$/, { error: 'must be a model name (printable, no spaces)' }),
    /** Default the provider's own (https://api.openai.com/v1, https://api.anthropic.com); Ollama http://localhost:11434/v1, LM Studio http://localhost:1234/v1. */
    base_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    /** The NAME of the environment variable holding the key (OPENAI_API_KEY); absent: no key (a local model). */
    api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, { error: 'must be an environment variable name such as OPENAI_API_KEY' }).optional(),
    temperature: z.number().min(0).max(2).default(0),
    max_tokens: z.number().int().min(1).max(200_000).default(2_000),
    /** Each request is aborted after this long (the repair retry gets its own). */
    timeout_ms: z.number().int().min(1).max(600_000).default(60_000),
    /** The client library's own retries of a 429, 5xx or lost connection before UNAVAILABLE. */
    max_retries: z.number().int().min(0).max(5).default(1),
    price_input_per_mtok: usd.default('0'),
    price_output_per_mtok: usd.default('0'),
    /**
     * How the answer's shape is asked for. auto: json_schema on `openai`, a forced tool call on
     * `anthropic`; json_schema: the same; json_object: JSON mode (`openai`), JSON in text
     * (`anthropic`); none: the schema in the prompt only (a server with neither). Every answer is
     * validated whatever the mode.
     */
    structured_output: z.enum(['auto', 'json_schema', 'json_object', 'none']).default('auto'),
  })
  .refine((t) => t.provider !== 'anthropic' || t.api_key_env !== undefined, { error: 'an anthropic model needs api_key_env', path: ['api_key_env'] });

/** `advisor.trade_gate` (hung under the advisor's config section). Default: the advisor never stops an order. */
export const advisorGateSchema = z
  .strictObject({
    /** `high`: a high risk score denies the order (ADVISOR_DENIED); `never`: the advisor is not asked. */
    deny_on: z.enum(['high', 'never']).default('never'),
    /** What a failed consultation (timeout, invalid answer, budget spent, provider down) does: `open` passes, `closed` denies. */
    fail: z.enum(['open', 'closed']).default('open'),
  })
  .default({ deny_on: 'never', fail: 'open' });
export type AdvisorGateConfig = z.infer<typeof advisorGateSchema>;

export const advisorSchema = z.strictObject({
  reasoning_model: modelTierSchema,
  /** Absent: reasoning_model. */
  fast_model: modelTierSchema.optional(),
  /** Absent: reasoning_model. */
  risk_model: modelTierSchema.optional(),
  /** Per UTC day of the node's clock, over every tier, counted from the journal (a restart does not reset it). Absent: no limit. */
  budget: z
    .strictObject({
      daily_tokens: z.number().int().positive().optional(),
      daily_cost_usd: usd.optional(),
    })
    .default({}),
  /** The advisor's place in the order path (src/advisor/tasks/trade-gate.ts): it may only deny. */
  trade_gate: advisorGateSchema,
});

export type AdvisorConfig = z.infer<typeof advisorSchema>;
export type ModelTierConfig = z.infer<typeof modelTierSchema>;

/** The keys the advisor's tiers name, as found in `env` (to scrub; to hand to the clients). */
export function advisorSecrets(advisor: AdvisorConfig | undefined, env: Readonly<Record<string, string | undefined>>): string[] {
  if (!advisor) return [];
  const names = [advisor.reasoning_model, advisor.fast_model, advisor.risk_model].flatMap((t) => (t?.api_key_env ? [t.api_key_env] : []));
  return names.flatMap((n) => {
    const v = env[n];
    return v ? [v] : [];
  });
}

/** A tier whose `api_key_env` names a variable that is not set: a problem at load, not a 401 at the first question. */
export function advisorKeyProblems(advisor: AdvisorConfig | undefined, env: Readonly<Record<string, string | undefined>>): { path: string; problem: string }[] {
  if (!advisor) return [];
  const tiers = { reasoning_model: advisor.reasoning_model, fast_model: advisor.fast_model, risk_model: advisor.risk_model };
  return Object.entries(tiers).flatMap(([name, t]) =>
    t?.api_key_env && !env[t.api_key_env] ? [{ path: `advisor.${name}.api_key_env`, problem: `the environment variable ${t.api_key_env} is not set (it should hold the model's API key)` }] : [],
  );
}
