/**
 * Issue 14 section 2: audit records are journaled engine events (AuditRecorded), attributed to
 * the principal's own credential, refused when out of form (nothing journaled), and a journal
 * holding them replays and recovers (memory and SQLite journals, with a snapshot in between).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import type { AuditInput, JournalRecord } from '../../../src/engine/events.ts';
import { operatorOrigin, RECONCILIATION, RISK_CONTROL, strategyOrigin, SYSTEM } from '../../../src/engine/origin.ts';
import { SqliteJournal } from '../../../src/journal/sqlite.ts';
import { encodeSnapshot, JSON_SNAPSHOTS } from '../../../src/journal/snapshot.ts';
import { FailingJournal, marketBuy, setup, snapshot, T0 } from '../../engine/fixtures.ts';
import { authHarness } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENTRY: AuditInput = { principal: 'user:alice', roles: ['trader'], source: '127.0.0.1', action: 'POST /api/orders', target: 'O-1', outcome: 'OK' };

async function readAll(journal: { read(from?: number): AsyncIterable<JournalRecord> }): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of journal.read(1)) out.push(r);
  return out;
}

describe('Engine.recordAudit', () => {
  it('journals an AuditRecorded with the entry, the clock time and who recorded it; the operator may record only its own actions', async () => {
    const h = await setup();
    const alice = h.engine.authority.issue('user:alice', ['TRADE']);
    await h.engine.recordAudit(ENTRY, operatorOrigin(alice));
    await h.engine.recordAudit({ ...ENTRY, principal: 'anonymous', roles: [], outcome: 'UNAUTHENTICATED', code: 'UNAUTHENTICATED', target: undefined }, SYSTEM);
    const last = h.journal.all().slice(-2).map((r) => r.event);
    expect(last).toEqual([
      { kind: 'AuditRecorded', ...ENTRY, code: undefined, origin: 'OPERATOR:user:alice', tsEvent: T0, tsInit: T0 },
      { kind: 'AuditRecorded', principal: 'anonymous', roles: [], source: '127.0.0.1', action: 'POST /api/orders', target: undefined, outcome: 'UNAUTHENTICATED', code: 'UNAUTHENTICATED', origin: 'SYSTEM', tsEvent: T0, tsInit: T0 },
    ]);
    const before = h.journal.all().length;
    await expect(h.engine.recordAudit({ ...ENTRY, principal: 'user:bob' }, operatorOrigin(alice))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    for (const o of [strategyOrigin('s1'), RISK_CONTROL, RECONCILIATION]) await expect(h.engine.recordAudit(ENTRY, o)).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await expect(h.engine.recordAudit(ENTRY, operatorOrigin({ identity: 'user:alice', roles: ['TRADE'] }))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect(h.journal.all()).toHaveLength(before);
  });

  it('takes ids of any printable form as targets and route patterns as actions', async () => {
    const h = await setup();
    await h.engine.recordAudit({ ...ENTRY, action: 'DELETE /api/orders/:id', target: 'O#1+x/y' }, SYSTEM);
    await h.engine.recordAudit({ ...ENTRY, action: 'users.add', target: 'bob@example.com' }, SYSTEM);
    await h.engine.recordAudit({ ...ENTRY, source: '::ffff:127.0.0.1', action: 'POST /api/risk/breakers/daily_loss/reset', target: 'STRATEGY:s1' }, SYSTEM);
    await h.engine.recordAudit({ ...ENTRY, action: 'DELETE /api/orders', target: 'BTCUSDT.BINANCE BUY ACC-1' }, SYSTEM);
    expect(h.journal.all().slice(-4).map((r) => (r.event.kind === 'AuditRecorded' ? r.event.target : undefined))).toEqual(['O#1+x/y', 'bob@example.com', 'STRATEGY:s1', 'BTCUSDT.BINANCE BUY ACC-1']);
  });

  it.each([
    ['a principal of no known form', { principal: 'alice' }],
    ['a body-like target', { target: '{"password":"hunter2 hunter2"}' }],
    ['a target with double spaces', { target: 'BTCUSDT.BINANCE  BUY' }],
    ['a long target', { target: 'x'.repeat(201) }],
    ['a target with a tab', { target: 'O-1\tpassword' }],
    ['an action with a fragment', { action: 'GET /api/stream#token=abcdefgh' }],
    ['a long action', { action: `POST /${'a'.repeat(120)}` }],
    ['an action with a query string', { action: 'POST /api/auth/login?password=hunter2' }],
    ['a multi-line source', { source: '1.2.3.4\nsecret' }],
    ['an unknown outcome', { outcome: 'MAYBE' }],
    ['a lower-case code', { code: 'oops' }],
    ['a role that is no word', { roles: ['trader', 'x y'] }],
    ['too many roles', { roles: Array.from({ length: 9 }, (_, i) => `r${i}`) }],
    ['roles that are not a list', { roles: 'trader' }],
  ])('refuses %s with INVALID_FIELD, journals nothing and does not echo the field', async (_name, patch) => {
    const h = await setup();
    const before = h.journal.all().length;
    const err = await h.engine.recordAudit({ ...ENTRY, ...patch } as AuditInput, SYSTEM).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'INVALID_FIELD' });
    const shown = JSON.stringify({ message: (err as Error).message, context: (err as { context: unknown }).context });
    for (const v of Object.values(patch)) if (typeof v === 'string' && v.length > 8) expect(shown).not.toContain(v);
    expect(h.journal.all()).toHaveLength(before);
  });
});

describe('AuthService.audit and login auditing', () => {
  it('an audit from a logged-in principal is attributed to its credential; login attempts are audited, an unknown name as anonymous', async () => {
    const h = await authHarness();
    await h.auth.users.add('alice', 'correct horse battery', ['trader']);
    await h.auth.login('nobody', 'correct horse battery', '10.1.1.1');
    await h.auth.login('alice', 'wrong horse battery', '10.1.1.1');
    const s = await h.auth.login('alice', 'correct horse battery', '10.1.1.1');
    if (!s.ok) throw new Error(s.code);
    await h.auth.audit({ principal: h.auth.principalId(s.principal), roles: s.principal.roles, source: '10.1.1.1', action: 'POST /api/orders', target: 'O-9', outcome: 'DENIED', code: 'KILL_SWITCH_ENGAGED' });
    await h.auth.audit({ principal: 'anonymous', roles: [], source: '10.1.1.2', action: 'POST /api/orders', outcome: 'UNAUTHENTICATED', code: 'UNAUTHENTICATED' });
    expect(h.audits().map((a) => [a.principal, a.action, a.outcome, a.code, a.origin])).toEqual([
      ['anonymous', 'auth.login', 'UNAUTHENTICATED', 'INVALID_CREDENTIALS', 'SYSTEM'],
      ['user:alice', 'auth.login', 'UNAUTHENTICATED', 'INVALID_CREDENTIALS', 'SYSTEM'],
      ['user:alice', 'auth.login', 'OK', undefined, 'OPERATOR:user:alice'],
      ['user:alice', 'POST /api/orders', 'DENIED', 'KILL_SWITCH_ENGAGED', 'OPERATOR:user:alice'],
      ['anonymous', 'POST /api/orders', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'SYSTEM'],
    ]);
  });
});

describe('AuthService.audit fits what the API sends', () => {
  it('white space runs become one space, non-ASCII becomes ?, a long list of ids is cut to 200 characters ending ..., a junk source is unknown', async () => {
    const h = await authHarness();
    const ids = Array.from({ length: 40 }, (_, i) => `ORDER-${i}`).join(',');
    await h.auth.audit({ ...ENTRY, principal: 'anonymous', roles: [], action: 'DELETE /api/orders', target: ' BTCUSDT.BINANCE \t BUY\nACC-1 ' });
    await h.auth.audit({ ...ENTRY, principal: 'anonymous', roles: [], action: 'POST /api/order-lists', target: ids, source: 'not an address' });
    await h.auth.audit({ ...ENTRY, principal: 'anonymous', roles: [], target: 'ordre-é{"x"}' });
    const [a, b, c] = h.audits();
    expect(a?.target).toBe('BTCUSDT.BINANCE BUY ACC-1');
    expect(b?.target).toHaveLength(200);
    expect(b?.target?.endsWith('...')).toBe(true);
    expect(ids.startsWith(b!.target!.slice(0, -3))).toBe(true);
    expect(b?.source).toBe('unknown');
    expect(c?.target).toBe('ordre-???x??');
  });
});

describe('a stopped engine', () => {
  it('logins still work once the journal fails (their audit records cannot be kept); AuthService.audit reports the failure', async () => {
    const journal = new FailingJournal();
    const h = await authHarness({ engine: await setup({ journal }) });
    await h.auth.users.add('alice', 'correct horse battery', ['viewer']);
    journal.failing = true;
    expect((await h.auth.login('alice', 'correct horse battery', 'ip')).ok).toBe(true);
    expect(await h.auth.login('alice', 'wrong horse battery', 'ip')).toMatchObject({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect((await h.auth.login('alice', 'correct horse battery', 'ip')).ok).toBe(true);
    await expect(h.auth.audit({ ...ENTRY, principal: 'user:alice', roles: ['viewer'] })).rejects.toMatchObject({ code: 'ENGINE_STOPPED' });
  });
});

describe('a journal with audit records replays and recovers', () => {
  it('memory journal: a full replay rebuilds the live state and keeps every AuditRecorded as journaled', async () => {
    const h = await authHarness();
    await h.auth.users.add('alice', 'correct horse battery', ['trader']);
    const s = await h.auth.login('alice', 'correct horse battery', '10.0.0.1');
    if (!s.ok) throw new Error(s.code);
    await h.engine.submitOrder(marketBuy('A-1', '0.1'), operatorOrigin(s.principal.operator));
    await h.auth.audit({ principal: 'user:alice', roles: ['trader'], source: '10.0.0.1', action: 'POST /api/orders', target: 'A-1', outcome: 'OK' });
    const replayed = await Engine.fromJournal(h.journal, { clock: h.clock });
    expect(snapshot(replayed)).toEqual(snapshot(h.engine));
    expect((await readAll(h.journal)).filter((r) => r.event.kind === 'AuditRecorded')).toHaveLength(2);
  });

  it('SQLite journal: audit records are decoded exactly after a restart, around a snapshot, and the engine recovers', async () => {
    const path = join(dir, 'journal.sqlite');
    const clock = new TestClock(T0);
    const j1 = SqliteJournal.open({ path, identity: { allowMismatch: true } });
    const e1 = new Engine({ clock, journal: j1 });
    const op = e1.authority.issue('user:risk1', ['RISK']);
    await e1.recordAudit({ ...ENTRY, principal: 'user:risk1', roles: ['risk'], action: 'POST /api/risk/kill-switch', target: undefined }, operatorOrigin(op));
    j1.saveSnapshot(e1.lastSeq, encodeSnapshot(e1.state.toSnapshot(e1.lastSeq)));
    clock.advance(1_000);
    await e1.recordAudit({ ...ENTRY, principal: 'key:AbC123xyz789', roles: ['trader', 'viewer'], outcome: 'FORBIDDEN', code: 'FORBIDDEN' }, SYSTEM);
    const written = await readAll(j1);
    await j1.close();

    const j2 = SqliteJournal.open({ path, identity: { allowMismatch: true } });
    try {
      expect(await readAll(j2)).toEqual(written);
      expect(written.map((r) => r.event.kind)).toEqual(['AuditRecorded', 'AuditRecorded']);
      const rec = await Engine.recover(j2, { clock, snapshotCodec: JSON_SNAPSHOTS });
      expect(rec.recovery).toEqual({ snapshotSeq: 1, replayed: 1, fallback: undefined });
      expect(rec.lastSeq).toBe(2);
      const full = await Engine.fromJournal(j2, { clock });
      expect(snapshot(rec)).toEqual(snapshot(full));
      // The recovered engine journals on after them.
      await rec.recordAudit({ ...ENTRY, principal: 'anonymous', roles: [] }, SYSTEM);
      expect(rec.lastSeq).toBe(3);
    } finally {
      await j2.close();
    }
  });
});
