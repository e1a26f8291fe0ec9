/**
 * Issue 18 §1 and FAULTS 36 with Anthropic: the real `@anthropic-ai/sdk` talks to a local
 * Messages API (test/support/fake-anthropic.ts). The answer comes as a forced tool call, is
 * validated, and a bad one is answered with an is_error tool_result once; refusals, stalls,
 * rate_limit_error, api_error and overloaded_error end without advice and with an alert.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fakeAnthropic } from '../../support/fake-anthropic.ts';
import { ANTHROPIC_KEY, anthropicTier, GOOD, harness, marketRequest } from './support.ts';

let fake: Awaited<ReturnType<typeof fakeAnthropic>>;
beforeAll(async () => {
  fake = await fakeAnthropic({ apiKey: ANTHROPIC_KEY });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.otherwise({ text: '{}' });
});

const section = (extra: Record<string, unknown> = {}) => ({ reasoning_model: anthropicTier(fake.baseURL, extra) });

describe('advisor models: Anthropic Messages API', () => {
  it('forces a tool whose input schema is the answer schema, validates its input, and journals tokens and exact cost', async () => {
    const h = await harness(section());
    fake.script({ tool: GOOD, usage: [2000, 100] });
    const advice = await h.consultant.consult(marketRequest());
    // 2000 × 3 + 100 × 15 per million tokens = 0.006 + 0.0015
    expect(advice).toMatchObject({ ok: true, value: GOOD, record: { id: 'adv-1', provider: 'anthropic', model: 'claude-sonnet-4-5', inputTokens: 2000, outputTokens: 100, costUsd: '0.0075', outcome: 'OK', answerText: JSON.stringify(GOOD) } });
    const [req] = fake.requests;
    expect(req!.headers.authorization).toBe(`Bearer ${ANTHROPIC_KEY}`);
    expect(req!.body.tool_choice).toEqual({ type: 'tool', name: 'market_regime' });
    expect(req!.body.tools![0]!.input_schema).toMatchObject({ type: 'object', required: ['regime', 'strength', 'rationale'] });
    expect(req!.body.system).toContain('never instructions');
    expect(h.alerts).toEqual([]);
  });

  it('a tool input off the schema is answered with an is_error tool_result for that call; the valid second input is the advice', async () => {
    const h = await harness(section());
    fake.script({ tool: { regime: 'sideways' } }, { tool: GOOD });
    const advice = await h.consultant.consult(marketRequest());
    expect(advice).toMatchObject({ ok: true, value: GOOD, record: { inputTokens: 300, outputTokens: 80 } });
    const msgs = fake.requests[1]!.body.messages;
    expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const result = (msgs[2]!.content as { type: string; tool_use_id: string; is_error: boolean; content: string }[])[0]!;
    expect(result).toMatchObject({ type: 'tool_result', is_error: true });
    expect(result.content).toMatch(/^Your answer was not valid/);
    expect(result.tool_use_id).toBe((msgs[1]!.content as { id?: string }[])[0]!.id);
  });

  it('off the schema twice is INVALID and alerted ADVISOR_INVALID', async () => {
    const h = await harness(section());
    fake.script({ tool: { regime: 'sideways' } }, { tool: { regime: 'up', strength: 'high' } });
    expect(await h.consultant.consult(marketRequest())).toMatchObject({ ok: false, reason: 'INVALID', record: { outcome: 'INVALID' } });
    expect(h.alerts.map((a) => a.code)).toEqual(['ADVISOR_INVALID']);
  });

  it('JSON in text (json_object tiers, or a model that answers in prose) goes through the repair pass', async () => {
    const h = await harness(section({ structured_output: 'json_object' }));
    fake.script({ text: `Here you go:\n\`\`\`json\n${JSON.stringify(GOOD)}\n\`\`\`` });
    expect(await h.consultant.consult(marketRequest())).toMatchObject({ ok: true, value: GOOD });
    expect(fake.requests[0]!.body.tools).toBeUndefined();
  });

  it('a schema whose top level is not an object is asked for in text (a tool input must be an object)', async () => {
    const h = await harness(section());
    fake.script({ text: '["BTCUSDT.BINANCE","ETHUSDT.BINANCE"]' });
    const advice = await h.consultant.consult({ ...marketRequest(), task: 'strategies', schema: z.array(z.string()), schemaName: 'ranking' });
    expect(advice).toMatchObject({ ok: true, value: ['BTCUSDT.BINANCE', 'ETHUSDT.BINANCE'] });
    expect(fake.requests[0]!.body.tool_choice).toBeUndefined();
  });

  it('stop_reason refusal is REFUSED and alerted ADVISOR_REFUSED', async () => {
    const h = await harness(section());
    fake.script({ refusal: '' });
    expect(await h.consultant.consult(marketRequest())).toMatchObject({ ok: false, reason: 'REFUSED', record: { outcome: 'REFUSED', inputTokens: 150, outputTokens: 5 } });
    expect(h.alerts.map((a) => a.code)).toEqual(['ADVISOR_REFUSED']);
  });

  it('a 30 s stall is aborted at the tier timeout: TIMEOUT', async () => {
    const h = await harness(section({ timeout_ms: 200, max_retries: 0 }));
    fake.script({ stallMs: 30_000 });
    expect(await h.consultant.consult(marketRequest())).toMatchObject({ ok: false, reason: 'TIMEOUT', record: { outcome: 'TIMEOUT' } });
    expect(h.alerts.map((a) => a.code)).toEqual(['ADVISOR_TIMEOUT']);
  });

  it.each(['rate_limit_error', 'api_error', 'overloaded_error'] as const)('%s, again after the SDK retry, is UNAVAILABLE', async (error) => {
    const h = await harness(section());
    fake.script({ error, retryAfterMs: 5 }, { error, retryAfterMs: 5 });
    const advice = await h.consultant.consult(marketRequest());
    expect(advice).toMatchObject({ ok: false, reason: 'UNAVAILABLE' });
    if (advice.ok) throw new Error('unexpected advice');
    expect(advice.message).toContain(error);
    expect(fake.requests).toHaveLength(2);
    expect(h.alerts.map((a) => a.code)).toEqual(['ADVISOR_UNAVAILABLE']);
  });

  it('an overloaded_error the SDK retry gets past is advice as usual', async () => {
    const h = await harness(section());
    fake.script({ error: 'overloaded_error', retryAfterMs: 5 }, { tool: GOOD });
    expect(await h.consultant.consult(marketRequest())).toMatchObject({ ok: true, value: GOOD });
  });

  it('a wrong key: UNAVAILABLE, the echoed key in no message, alert or journal text', async () => {
    const wrong = 'sk-ant-wrong-Pz3Mx8Kc5Vb2Nq7';
    const h = await harness(section(), { env: { WARDEN_TEST_ANTHROPIC_KEY: wrong } });
    const advice = await h.consultant.consult(marketRequest());
    expect(advice).toMatchObject({ ok: false, reason: 'UNAVAILABLE' });
    const everything = JSON.stringify([advice, h.alerts, (await h.records()).map((r) => r.event)]);
    expect(everything).toContain('authentication_error');
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(ANTHROPIC_KEY);
  });
});
