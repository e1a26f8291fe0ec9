/**
 * The trading node builds the advisor from its config and exposes it (`node.advisor`): with an
 * `advisor:` section, consultations go to the model and into the node's journal on the node's
 * clock; without one, NOT_CONFIGURED and nothing journaled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../../../src/node/config/index.ts';
import { TradingNode } from '../../../src/node/trading-node.ts';
import { consultRecordOf } from '../../../src/advisor/models/records.ts';
import { fakeOpenAI } from '../../support/fake-openai.ts';
import { barsFile, smallConfig, yaml } from '../../node/small-node.ts';
import { tempDir } from '../../node/support.ts';
import { ENV, GOOD, marketRequest, OPENAI_KEY, openaiTier, readAll } from './support.ts';

let fake: Awaited<ReturnType<typeof fakeOpenAI>>;
beforeAll(async () => {
  fake = await fakeOpenAI({ apiKey: OPENAI_KEY });
});
afterAll(() => fake.close());

async function startNode(extra: Record<string, unknown>) {
  const dir = tempDir();
  const { config, secrets } = parseNodeConfig(yaml(smallConfig(dir, barsFile(dir, 5), extra)), { env: ENV, baseDir: dir });
  return { node: await TradingNode.start(config, { secrets, env: ENV }), secrets };
}

describe('node.advisor', () => {
  it('with advisor: in the config, consults the configured model and journals on the node journal; the key is one of the secrets', async () => {
    const { node, secrets } = await startNode({ advisor: { reasoning_model: openaiTier(fake.baseURL) } });
    try {
      expect(secrets.has(OPENAI_KEY)).toBe(true);
      expect(node.advisor.configured('fast')).toBe(true);
      fake.script({ content: JSON.stringify(GOOD) });
      const advice = await node.advisor.consult(marketRequest());
      expect(advice).toMatchObject({ ok: true, value: GOOD, record: { ts: node.clock.now() } });
      const consultations = (await readAll(node.records)).flatMap((r) => consultRecordOf(r) ?? []);
      expect(consultations).toEqual([advice.record]);
    } finally {
      await node.stop();
    }
  });

  it('without it, NOT_CONFIGURED and nothing journaled', async () => {
    const { node } = await startNode({});
    try {
      const before = node.records.lastSeq();
      const sent = fake.requests.length;
      expect(node.advisor.configured('reasoning')).toBe(false);
      expect(await node.advisor.consult(marketRequest())).toMatchObject({ ok: false, reason: 'NOT_CONFIGURED' });
      expect(node.records.lastSeq()).toBe(before);
      expect(fake.requests.length).toBe(sent);
    } finally {
      await node.stop();
    }
  });
});
