import { describe, expect, it } from 'vitest';
import type { EngineEvent, JournalRecord } from '../../src/engine/events.ts';
import { checkSequence, DiscardingJournal, MemoryJournal } from '../../src/engine/journal.ts';
import { accountId } from '../../src/model/identifiers.ts';
import { Engine } from '../../src/engine/engine.ts';
import { T0, limit, marketBuy, setup } from './fixtures.ts';

const ev = (n: number): EngineEvent => ({ kind: 'AccountOpened', accountId: accountId(`A-${n}`), accountType: 'CASH', positionMode: 'NETTING', balances: [], tsEvent: T0, tsInit: T0 });
const rec = (seq: number): JournalRecord => ({ seq, event: ev(seq) });

async function readAll(it: AsyncIterable<JournalRecord>): Promise<number[]> {
  const out: number[] = [];
  for await (const r of it) out.push(r.seq);
  return out;
}

describe('checkSequence', () => {
  it('accepts 4, 5, 6 after 3', () => {
    expect(() => checkSequence(3, [rec(4), rec(5), rec(6)])).not.toThrow();
  });
  it.each([
    ['a first record that skips (5 after 3)', [5], { expected: 4, actual: 5 }],
    ['a repeated number (4, 4)', [4, 4], { expected: 5, actual: 4 }],
    ['a gap inside the batch (4, 6)', [4, 6], { expected: 5, actual: 6 }],
    ['a reused number (3 after 3)', [3], { expected: 4, actual: 3 }],
  ])('refuses %s with JOURNAL_SEQUENCE_GAP', (_name, seqs, context) => {
    expect(() => checkSequence(3, seqs.map(rec))).toThrow(expect.objectContaining({ code: 'JOURNAL_SEQUENCE_GAP', context }));
  });
});

describe('MemoryJournal', () => {
  it('stores 1..3 and reads them back from any seq', async () => {
    const j = new MemoryJournal();
    j.append([rec(1), rec(2)]);
    j.append([rec(3)]);
    expect(j.lastSeq()).toBe(3);
    expect(await readAll(j.read())).toEqual([1, 2, 3]);
    expect(await readAll(j.read(2))).toEqual([2, 3]);
    expect(await readAll(j.read(4))).toEqual([]);
    expect(j.all().map((r) => r.event)).toEqual([ev(1), ev(2), ev(3)]);
  });

  it('stores nothing of a batch with a gap in it', () => {
    const j = new MemoryJournal();
    j.append([rec(1)]);
    expect(() => j.append([rec(2), rec(4)])).toThrow(expect.objectContaining({ code: 'JOURNAL_SEQUENCE_GAP' }));
    expect(j.lastSeq()).toBe(1);
    expect(j.all().length).toBe(1);
  });
});

describe('DiscardingJournal', () => {
  it('checks the sequence, counts 2 records and keeps none', async () => {
    const j = new DiscardingJournal();
    j.append([rec(1), rec(2)]);
    expect(j.lastSeq()).toBe(2);
    expect(() => j.append([rec(4)])).toThrow(expect.objectContaining({ code: 'JOURNAL_SEQUENCE_GAP' }));
    expect(j.lastSeq()).toBe(2);
    expect(await readAll(j.read())).toEqual([]);
  });
});

describe('the engine is the journal’s single writer', () => {
  it('a second writer appending behind its back makes the next command fail with JOURNAL_SEQUENCE_GAP and stops the engine', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.00'));
    const journal = h.journal as MemoryJournal;
    const n = journal.lastSeq();
    journal.append([rec(n + 1)]); // another process wrote seq n+1

    await expect(h.engine.submitOrder(marketBuy('O-1', '0.1'))).rejects.toMatchObject({ code: 'JOURNAL_SEQUENCE_GAP', context: { expected: n + 2, actual: n + 1 } });
    expect(h.engine.isStopped).toBe(true);
    expect(h.alerts.map((a) => [a.code, a.context.cause])).toEqual([['ENGINE_STOPPED', 'JOURNAL_SEQUENCE_GAP']]);
    expect(h.venue.calls.map((c) => c.clientOrderId)).toEqual(['L-1']);
    await expect(h.engine.cancelOrder('L-1')).rejects.toMatchObject({ code: 'ENGINE_STOPPED', context: { cause: 'JOURNAL_SEQUENCE_GAP' } });
  });

  it('an engine built on a journal holding 5 records numbers its first event 6', async () => {
    const h = await setup();
    const journal = h.journal as MemoryJournal;
    const fresh = new Engine({ clock: { now: () => T0 }, journal });
    expect(fresh.lastSeq).toBe(5);
  });
});
