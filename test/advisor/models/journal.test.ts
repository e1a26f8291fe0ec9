/**
 * Issue 18 §1: every consultation is journaled (AdvisorConsulted) and read back exactly after the
 * journal is reopened (SQLite, PostgreSQL); ids `adv-<seq>` stay unique across restarts; the
 * day's token and cost budget is counted from the journal, so a restart does not reset it, and a
 * spent budget is BUDGET_EXHAUSTED without asking the model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { operatorOrigin, RECONCILIATION, RISK_CONTROL, strategyOrigin, SYSTEM } from '../../../src/engine/origin.ts';
import { JSON_SNAPSHOTS } from '../../../src/journal/snapshot.ts';
import { SqliteJournal } from '../../../src/journal/sqlite.ts';
import { PostgresJournal } from '../../../src/journal/postgres.ts';
import { consultRecordOf } from '../../../src/advisor/models/records.ts';
import type { ConsultRecord } from '../../../src/advisor/consult.ts';
import { fakeOpenAI } from '../../support/fake-openai.ts';
import { PG_URL, postgresAvailable, useService } from '../../services.ts';
import { GOOD, harness, marketRequest, OPENAI_KEY, openaiTier, readAll, T0 } from './support.ts';
import pg from 'pg';

let fake: Awaited<ReturnType<typeof fakeOpenAI>>;
let dir: string;
beforeAll(async () => {
  fake = await fakeOpenAI({ apiKey: OPENAI_KEY });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.otherwise({ content: JSON.stringify(GOOD) }); // 120 + 30 tokens each
  dir = mkdtempSync(join(tmpdir(), 'warden-advisor-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

const section = (budget: Record<string, unknown> = {}) => ({ reasoning_model: openaiTier(fake.baseURL), budget });

async function consultations(journal: Parameters<typeof readAll>[0]): Promise<ConsultRecord[]> {
  return (await readAll(journal)).flatMap((r) => consultRecordOf(r) ?? []);
}

describe('advisor consultations in the journal', () => {
  it('SQLite: OK and failed consultations read back exactly after a reopen; the engine recovers; ids continue past them', async () => {
    const path = join(dir, 'journal.sqlite');
    const clock = new TestClock(T0);
    const j1 = SqliteJournal.open({ path, identity: { allowMismatch: true } });
    const h1 = await harness(section(), { journal: j1, clock });
    fake.script({ content: JSON.stringify(GOOD) }, { refusal: 'No.' });
    const a = await h1.consultant.consult(marketRequest());
    clock.advance(1_000);
    const b = await h1.consultant.consult(marketRequest());
    j1.saveSnapshot(h1.engine.lastSeq, JSON_SNAPSHOTS.encode(h1.engine.state.toSnapshot(h1.engine.lastSeq)));
    const written = await readAll(j1);
    await j1.close();

    const j2 = SqliteJournal.open({ path, identity: { allowMismatch: true } });
    try {
      expect(await readAll(j2)).toEqual(written);
      expect(await consultations(j2)).toEqual([a.record, b.record]);
      expect([a.record?.outcome, b.record?.outcome]).toEqual(['OK', 'REFUSED']);
      const engine = await Engine.recover(j2, { clock, snapshotCodec: JSON_SNAPSHOTS });
      expect(engine.recovery?.snapshotSeq).toBe(2);
      const h2 = await harness(section(), { journal: j2, clock, engine });
      const c = await h2.consultant.consult(marketRequest());
      expect(c.record?.id).toBe('adv-3');
      expect(new Set([a.record?.id, b.record?.id, c.record?.id]).size).toBe(3);
    } finally {
      await j2.close();
    }
  });

  it('a spent token budget is BUDGET_EXHAUSTED without asking the model, alerted ADVISOR_BUDGET, and stays spent after a restart until the next UTC day', async () => {
    const path = join(dir, 'journal.sqlite');
    const clock = new TestClock(T0 + 3_600_000);
    const j1 = SqliteJournal.open({ path, identity: { allowMismatch: true } });
    const h1 = await harness(section({ daily_tokens: 300 }), { journal: j1, clock });
    expect(await h1.consultant.consult(marketRequest())).toMatchObject({ ok: true });
    expect(await h1.consultant.consult(marketRequest())).toMatchObject({ ok: true });
    const spent = await h1.consultant.consult(marketRequest());
    expect(spent).toMatchObject({ ok: false, reason: 'BUDGET_EXHAUSTED', record: { outcome: 'BUDGET_EXHAUSTED', inputTokens: 0, outputTokens: 0, costUsd: '0', latencyMs: 0 } });
    expect(fake.completions()).toBe(2);
    expect(h1.alerts.map((a) => a.code)).toEqual(['ADVISOR_BUDGET']);
    await j1.close();

    const j2 = SqliteJournal.open({ path, identity: { allowMismatch: true } });
    try {
      const engine = await Engine.recover(j2, { clock, snapshotCodec: JSON_SNAPSHOTS });
      const h2 = await harness(section({ daily_tokens: 300 }), { journal: j2, clock, engine });
      expect(await h2.consultant.consult(marketRequest())).toMatchObject({ ok: false, reason: 'BUDGET_EXHAUSTED' });
      expect(fake.completions()).toBe(2);
      clock.set(T0 + 86_400_000); // the next UTC day
      expect(await h2.consultant.consult(marketRequest())).toMatchObject({ ok: true, record: { id: 'adv-5' } });
      expect(fake.completions()).toBe(3);
    } finally {
      await j2.close();
    }
  });

  it('a spent cost budget (exact decimal) stops the next consultation', async () => {
    // 120 × 0.15 + 30 × 0.60 per million = 0.000036 USD a call: the budget allows two
    const h = await harness(section({ daily_cost_usd: '0.000072' }));
    expect(await h.consultant.consult(marketRequest())).toMatchObject({ ok: true, record: { costUsd: '0.000036' } });
    expect(await h.consultant.consult(marketRequest())).toMatchObject({ ok: true });
    expect(await h.consultant.consult(marketRequest())).toMatchObject({ ok: false, reason: 'BUDGET_EXHAUSTED' });
    expect(fake.completions()).toBe(2);
  });

  it('with no advisor configured: NOT_CONFIGURED for every tier, nothing journaled or alerted, no request made', async () => {
    const h = await harness(undefined);
    for (const tier of ['reasoning', 'fast', 'risk'] as const) {
      expect(h.consultant.configured(tier)).toBe(false);
      expect(await h.consultant.consult({ ...marketRequest(), tier })).toMatchObject({ ok: false, reason: 'NOT_CONFIGURED' });
    }
    expect(await h.records()).toEqual([]);
    expect(h.alerts).toEqual([]);
    expect(fake.requests).toEqual([]);
  });
});

describe('Engine.recordAdvisorConsultation', () => {
  const input = { task: 'market', tier: 'fast', provider: 'openai', model: 'gpt-4o-mini', promptHash: 'a'.repeat(64), promptText: 'p', answerText: '{}', latencyMs: 5, inputTokens: 1, outputTokens: 2, costUsd: '0.000001', outcome: 'OK' } as const;

  it('SYSTEM and operators journal one; a strategy, risk control or reconciliation may not (NOT_AUTHORIZED), and nothing is journaled', async () => {
    const h = await harness(undefined);
    const op = h.engine.authority.issue('user:alice', ['TRADE']);
    await h.engine.recordAdvisorConsultation(input, SYSTEM);
    await h.engine.recordAdvisorConsultation(input, operatorOrigin(op));
    for (const o of [strategyOrigin('s1'), RISK_CONTROL, RECONCILIATION]) await expect(h.engine.recordAdvisorConsultation(input, o)).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect((await h.records()).map((r) => (r.event.kind === 'AdvisorConsulted' ? r.event.origin : r.event.kind))).toEqual(['SYSTEM', 'OPERATOR:user:alice']);
  });

  it.each([
    ['an unknown task', { task: 'trade-for-me' }],
    ['an unknown outcome', { outcome: 'MAYBE' }],
    ['a bad hash', { promptHash: 'xyz' }],
    ['a negative token count', { inputTokens: -1 }],
    ['a fractional latency', { latencyMs: 1.5 }],
    ['a cost in exponent form', { costUsd: '1e-6' }],
    ['a model name with a space', { model: 'gpt 4' }],
    ['an answer over the limit', { answerText: 'x'.repeat(100_001) }],
  ])('refuses %s with INVALID_FIELD and journals nothing', async (_name, patch) => {
    const h = await harness(undefined);
    await expect(h.engine.recordAdvisorConsultation({ ...input, ...patch } as never)).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    expect(await h.records()).toEqual([]);
    expect(h.alerts).toEqual([]);
  });
});

const pgOk = useService('PostgreSQL', await postgresAvailable());
if (pgOk) {
  const schema = `wt_advisor_${process.pid}_${Math.floor(performance.now())}`;
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  describe('advisor consultations in the PostgreSQL journal', () => {
    it('are read back exactly after a reopen, and the budget counts them after a restart', async () => {
      const clock = new TestClock(T0);
      const j1 = await PostgresJournal.open({ connectionString: PG_URL, schema, identity: { allowMismatch: true } });
      const h1 = await harness(section({ daily_tokens: 150 }), { journal: j1, clock });
      const a = await h1.consultant.consult(marketRequest());
      expect(a).toMatchObject({ ok: true });
      await j1.close();
      const j2 = await PostgresJournal.open({ connectionString: PG_URL, schema, identity: { allowMismatch: true } });
      try {
        expect(await consultations(j2)).toEqual([a.record]);
        const engine = await Engine.fromJournal(j2, { clock });
        const h2 = await harness(section({ daily_tokens: 150 }), { journal: j2, clock, engine });
        expect(await h2.consultant.consult(marketRequest())).toMatchObject({ ok: false, reason: 'BUDGET_EXHAUSTED', record: { id: 'adv-2' } });
        expect(fake.completions()).toBe(1);
      } finally {
        await j2.close();
      }
    });
  });
}

describe('the engine event and the advisor contract', () => {
  it('AdvisorConsulted holds exactly the ConsultRecord fields but its id (the seq) and time (the engine clock); the code sets agree', async () => {
    const { expectTypeOf } = await import('vitest');
    type Input = import('../../../src/engine/advisor/events.ts').AdvisorConsultationInput;
    type Tiers = import('../../../src/advisor/consult.ts').ModelTier;
    type Tasks = import('../../../src/advisor/consult.ts').AdvisorTask;
    expectTypeOf<Omit<ConsultRecord, 'id' | 'ts'>>().toEqualTypeOf<Input>();
    expectTypeOf<Tiers>().toEqualTypeOf<Input['tier']>();
    expectTypeOf<Tasks>().toEqualTypeOf<Input['task']>();
    const { ADVISOR_TASKS, ADVISOR_TIERS } = await import('../../../src/engine/advisor/events.ts');
    expect([ADVISOR_TASKS.length, ADVISOR_TIERS.length]).toEqual([6, 3]);
  });
});
