/**
 * A SubmitOrder may carry the audit record of the call that sent it (an API request): the record
 * is journaled in the command's own commit, after the order's events, with the outcome the engine
 * decided (OK, or DENIED with the denial's code). A malformed record, or an origin that may not
 * record it, refuses the command and journals nothing.
 */
import { describe, expect, it } from 'vitest';
import type { CommandAudit } from '../../src/engine/commands.ts';
import type { JournalRecord } from '../../src/engine/events.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { operatorOrigin, strategyOrigin } from '../../src/engine/origin.ts';
import { limit, setup, T0 } from './fixtures.ts';

const CALL: CommandAudit = { principal: 'user:alice', roles: ['trader'], source: '127.0.0.1', action: 'POST /api/orders', target: 'A-1' };

/** A memory journal that keeps each append's kinds: one append per commit. */
class CountingJournal extends MemoryJournal {
  readonly appends: string[][] = [];
  override append(records: readonly JournalRecord[]): void {
    this.appends.push(records.map((r) => r.event.kind));
    super.append(records);
  }
}

describe('a SubmitOrder carrying its call audit', () => {
  it('journals the audit record in the same commit, after the order events, with outcome OK', async () => {
    const journal = new CountingJournal();
    const h = await setup({ journal });
    const alice = operatorOrigin(h.engine.authority.issue('user:alice', ['TRADE']));
    const before = journal.appends.length;
    const r = await h.engine.execute({ kind: 'SubmitOrder', order: limit('A-1', 'BUY', '0.01', '24000.00'), audit: CALL }, alice);
    // The command's commit, then the venue's acceptance (the scripted venue answers at once).
    expect(journal.appends.slice(before)).toEqual([['OrderInitialized', 'OrderSubmitted', 'AuditRecorded'], ['OrderAccepted']]);
    expect(r.records.map((x) => x.event.kind)).toEqual(['OrderInitialized', 'OrderSubmitted', 'AuditRecorded']);
    expect(r.records.at(-1)!.event).toEqual({ kind: 'AuditRecorded', ...CALL, outcome: 'OK', code: undefined, origin: 'OPERATOR:user:alice', tsEvent: T0, tsInit: T0 });
  });

  it('records DENIED with the denial code when the order is denied', async () => {
    const h = await setup();
    const alice = operatorOrigin(h.engine.authority.issue('user:alice', ['TRADE']));
    const denial = { code: 'ADVISOR_DENIED' as const, reason: 'the advisor said no', context: {} };
    const r = await h.engine.execute({ kind: 'SubmitOrder', order: limit('A-1', 'BUY', '0.01', '24000.00'), denial, audit: CALL }, alice);
    expect(r.denied.map((d) => d.code)).toEqual(['ADVISOR_DENIED']);
    expect(r.records.map((x) => x.event.kind)).toEqual(['OrderInitialized', 'OrderDenied', 'AuditRecorded']);
    expect(r.records.at(-1)!.event).toMatchObject({ kind: 'AuditRecorded', outcome: 'DENIED', code: 'ADVISOR_DENIED', target: 'A-1' });
  });

  it.each([
    ["another principal's record", { ...CALL, principal: 'user:bob' }, 'NOT_AUTHORIZED'],
    ['a body-like target', { ...CALL, target: '{"password":"x"}' }, 'INVALID_FIELD'],
  ])('refuses the command for %s and journals nothing', async (_name, audit, code) => {
    const h = await setup();
    const alice = operatorOrigin(h.engine.authority.issue('user:alice', ['TRADE']));
    const before = h.journal.all().length;
    await expect(h.engine.execute({ kind: 'SubmitOrder', order: limit('A-1', 'BUY', '0.01', '24000.00'), audit }, alice)).rejects.toMatchObject({ code });
    expect(h.journal.all()).toHaveLength(before);
    expect(h.engine.order('A-1')).toBeUndefined();
  });

  it('refuses a strategy that sends an audit record', async () => {
    const h = await setup();
    const before = h.journal.all().length;
    await expect(h.engine.execute({ kind: 'SubmitOrder', order: limit('A-1', 'BUY', '0.01', '24000.00'), audit: CALL }, strategyOrigin('s1'))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect(h.journal.all()).toHaveLength(before);
  });
});
