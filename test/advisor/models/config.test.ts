/** The `advisor:` section: tiers, defaults, budget, keys by variable name (checked at load, scrubbed), absent = no advisor. */
import { describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../../../src/node/config/index.ts';
import { createConsultant, NO_ADVISOR } from '../../../src/advisor/models/index.ts';
import { ModelConsultant } from '../../../src/advisor/models/consultant.ts';
import { harness } from './support.ts';

const BASE = `
node: { id: adv-test, mode: paper, journal: { sqlite: /tmp/warden-adv-test/journal.sqlite } }
venues: { SIM: { type: sim } }
`;
const KEY = 'sk-live-Hd83kLq0Zx7Vb2Nm5Pc1';

function load(advisor: string, env: Record<string, string> = { OPENAI_API_KEY: KEY }) {
  return parseNodeConfig(`${BASE}${advisor}`, { env, checkFiles: false });
}

describe('advisor config', () => {
  it('reads tiers with their defaults and the budget; the key named by api_key_env joins the secrets', () => {
    const { config, secrets } = load(`
advisor:
  reasoning_model: { provider: openai, model: gpt-4o, api_key_env: OPENAI_API_KEY, price_input_per_mtok: "2.50", price_output_per_mtok: 10 }
  fast_model: { provider: openai, model: "llama3.1:8b", base_url: "http://localhost:11434/v1" }
  budget: { daily_tokens: 200000, daily_cost_usd: "5.00" }
`);
    expect(config.advisor?.reasoning_model).toEqual({
      provider: 'openai', model: 'gpt-4o', api_key_env: 'OPENAI_API_KEY', temperature: 0, max_tokens: 2000, timeout_ms: 60000, max_retries: 1,
      price_input_per_mtok: '2.50', price_output_per_mtok: 10, structured_output: 'auto',
    });
    expect(config.advisor?.fast_model?.api_key_env).toBeUndefined();
    expect(config.advisor?.budget).toEqual({ daily_tokens: 200000, daily_cost_usd: '5.00' });
    expect(secrets.has(KEY)).toBe(true);
    expect(JSON.stringify(config)).not.toContain(KEY);
  });

  it('a key variable that is not set is a load problem naming the path, not a 401 later; an anthropic tier needs a key', () => {
    expect(() => load('advisor: { reasoning_model: { provider: openai, model: gpt-4o, api_key_env: OPENAI_API_KEY } }', {})).toThrow(/advisor\.reasoning_model\.api_key_env.*OPENAI_API_KEY is not set/s);
    expect(() => load('advisor: { reasoning_model: { provider: anthropic, model: claude-sonnet-4-5 } }')).toThrow(/api_key_env/);
  });

  it.each([
    ['an unknown provider', '{ provider: gemini, model: x }'],
    ['a price in another form', '{ provider: openai, model: x, price_input_per_mtok: "2,50" }'],
    ['an unknown structured output mode', '{ provider: openai, model: x, structured_output: xml }'],
    ['a base_url that is not http', '{ provider: openai, model: x, base_url: "ftp://h/v1" }'],
    ['an unknown field', '{ provider: openai, model: x, api_key: "sk-inline" }'],
  ])('refuses %s', (_name, tier) => {
    expect(() => load(`advisor: { reasoning_model: ${tier} }`)).toThrow(/advisor\.reasoning_model/);
  });

  it('absent: the consultant is NO_ADVISOR, present: a model consultant', async () => {
    expect(load('').config.advisor).toBeUndefined();
    const h = await harness(undefined);
    expect(createConsultant(undefined, { engine: h.engine, clock: h.clock, scrub: (t) => t })).toBe(NO_ADVISOR);
    const { config } = load('advisor: { reasoning_model: { provider: openai, model: gpt-4o, api_key_env: OPENAI_API_KEY } }');
    expect(createConsultant(config.advisor, { engine: h.engine, clock: h.clock, env: { OPENAI_API_KEY: KEY }, scrub: (t) => t })).toBeInstanceOf(ModelConsultant);
  });
});

describe('README "AI advisor — models"', () => {
  it('its example is a valid advisor section: three tiers, a keyless local model, a budget', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const at = readme.indexOf('### AI advisor — models');
    const m = /```yaml\n([\s\S]*?)```/.exec(readme.slice(at));
    expect(at).toBeGreaterThan(0);
    const { config, secrets } = load(m![1]!, { ANTHROPIC_API_KEY: 'sk-ant-readme-1234', OPENAI_API_KEY: KEY });
    expect([config.advisor?.reasoning_model.provider, config.advisor?.fast_model?.base_url, config.advisor?.risk_model?.model]).toEqual(['anthropic', 'http://localhost:11434/v1', 'gpt-4o-mini']);
    expect(config.advisor?.budget).toEqual({ daily_tokens: 500000, daily_cost_usd: '5.00' });
    expect([...secrets]).toEqual(expect.arrayContaining(['sk-ant-readme-1234', KEY]));
  });
});
