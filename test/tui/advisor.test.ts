/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- the API's JSON answers are checked by the assertions */
/**
 * The terminal dashboard's "Advisor insights" panel, drawn by Ink (ink-testing-library) from a real
 * node: without a model it says so; with one (the real `openai` SDK against the fake OpenAI
 * server) it lists streamed advice and pending proposals, a trader confirms (Y) or rejects (X) the
 * selected one, and a viewer's key is refused by the server.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisorSchema } from '../../src/advisor/models/config.ts';
import type { NodeConfig } from '../../src/node/config/index.ts';
import { proposalsAfter, type ProposalRow } from '../../src/tui/advisor.ts';
import { testServer, type TestServer } from '../server/support.ts';
import { fakeOpenAI } from '../support/fake-openai.ts';
import { ENV, OPENAI_KEY, openaiTier } from '../advisor/models/support.ts';
import { KEYS, mount, type Mounted } from './support.ts';

const BTC = 'BTCUSDT.BINANCEUS';
const MARKET = { regime: 'trend', direction: 'up', trendStrength: 'moderate', volatility: 'normal', confidence: 0.7, evidence: [{ feature: 'adx', reading: 'ADX above 25' }], summary: 'An orderly uptrend.' };
/** Tab presses from the first panel (account) to the advisor's (src/tui/ui.ts PANELS), then F2: the panel full screen. */
const TO_ADVISOR = [KEYS.tab, KEYS.tab, KEYS.tab, KEYS.tab, KEYS.tab, KEYS.f2];

Object.assign(process.env, ENV);

describe('advisor panel without a model', () => {
  let t: TestServer;
  let m: Mounted;
  beforeAll(async () => {
    t = await testServer();
    m = await mount(t, 'trader');
  }, 60_000);
  afterAll(async () => {
    m?.unmount();
    await t?.close();
  }, 30_000);

  it('says no model is configured', async () => {
    const f = await m.see('No model configured');
    expect(f).toContain('Advisor insights');
    expect(f).not.toContain('PROPOSALS');
  });
});

describe('advisor panel with a model', () => {
  let t: TestServer;
  let fake: Awaited<ReturnType<typeof fakeOpenAI>>;
  beforeAll(async () => {
    fake = await fakeOpenAI({ apiKey: OPENAI_KEY });
    fake.otherwise({ content: JSON.stringify(MARKET) });
    t = await testServer({ warmSteps: 150, configure: (c: NodeConfig): NodeConfig => ({ ...c, advisor: advisorSchema.parse({ reasoning_model: openaiTier(fake.baseURL) }) }) });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  }, 30_000);

  async function propose(side: 'BUY' | 'SELL', rationale: string): Promise<{ proposalId: string; consultation: string }> {
    fake.script({ content: JSON.stringify({ ...MARKET, proposals: [{ action: 'enter', instrumentId: BTC, side, quantity: '0.001', type: 'MARKET', rationale }] }) });
    const r = await t.call('POST', '/api/advisor/market', { token: t.tokens.viewer, body: { instrumentId: BTC } });
    expect(r.status, r.text).toBe(200);
    return { proposalId: r.body.proposals[0].proposalId, consultation: r.body.consultation.id };
  }

  it('a trader sees the advice and the proposal as they stream in, and Y confirms it: the order is placed', async () => {
    const m = await mount(t, 'trader');
    try {
      await m.press(...TO_ADVISOR);
      await m.see(/PROPOSALS \d+ pending/);
      const { proposalId, consultation } = await propose('BUY', 'ride the trend');
      await m.see(new RegExp(`market\\s+An orderly uptrend\\.\\s+${consultation}`));
      await m.see(new RegExp(`ENTER\\s+BUY\\s+0\\.001 BTCUSDT MKT\\s+ride the trend\\s+${consultation}`));
      expect(m.frame()).toContain('Y confirm  X reject');
      expect(t.node.engine.order(proposalId)).toBeUndefined();
      await m.press('y');
      await m.see(`proposal ${proposalId} confirmed`);
      expect(t.node.engine.order(proposalId)?.spec.tags).toContain(`advisor:${consultation}`);
      await m.see('PROPOSALS 0 pending');
    } finally {
      m.unmount();
    }
  });

  it('X rejects the selected proposal (journaled), and it leaves the list', async () => {
    const m = await mount(t, 'trader');
    try {
      await m.press(...TO_ADVISOR);
      const { proposalId } = await propose('SELL', 'fade the spike');
      await m.see('fade the spike');
      expect(m.frame()).toContain('PROPOSALS 1 pending');
      await m.press('x');
      await m.see(`proposal ${proposalId} rejected`);
      const all = await t.call('GET', '/api/advisor/proposals?all=true', { token: t.tokens.viewer });
      expect(all.body.find((p: ProposalRow) => p.proposalId === proposalId)).toMatchObject({ status: 'REJECTED', decidedBy: 'user:tom' });
      expect(t.node.engine.order(proposalId)).toBeUndefined();
      await m.see('PROPOSALS 0 pending');
    } finally {
      m.unmount();
    }
  });

  it('a viewer sees the proposal without the keys\' hint, and Y is refused by the server', async () => {
    const m = await mount(t, 'viewer');
    try {
      await m.press(...TO_ADVISOR);
      const { proposalId } = await propose('BUY', 'viewer cannot');
      await m.see('viewer cannot');
      expect(m.frame()).not.toContain('Y confirm');
      await m.press('y');
      await m.see(/REFUSED [A-Z_]+/);
      expect(t.node.engine.order(proposalId)).toBeUndefined();
    } finally {
      m.unmount();
    }
  });
});

describe('the pending list', () => {
  const proposal = (id: number, status: ProposalRow['status']): ProposalRow & Record<string, unknown> => ({ proposalId: `p-adv-${id}-0`, consultation: `adv-${id}`, action: 'ENTER', status, ticket: { instrumentId: BTC, accountId: 'ACC-1', side: 'BUY', type: 'MARKET', quantity: '0.001' }, rationale: 'r', proposedAt: id });
  it('property: after any run of proposal messages, exactly the proposals whose latest status is PENDING are listed, once each', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom('PENDING', 'CONFIRMED', 'REJECTED')), { maxLength: 40 }), (msgs) => {
        let list: readonly ProposalRow[] = [];
        const latest = new Map<string, string>();
        for (const [id, status] of msgs) {
          const p = proposal(id, status);
          list = proposalsAfter(list, p);
          latest.set(p.proposalId, status);
        }
        const expected = [...latest].filter(([, s]) => s === 'PENDING').map(([id]) => id).sort();
        expect(list.map((p) => p.proposalId).sort()).toEqual(expected);
      }),
    );
  });
});
