/**
 * Issue 14 (fan-out cost) / issue 20: the journal, the event stream and the cluster publisher
 * share one encoding of each record (`recordText`) instead of encoding it each. What every one of
 * them sends must still be exactly what the journal stores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/engine/events.ts';
import { encodeEvent, recordText } from '../../src/journal/codec.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import type { DurableJournal } from '../../src/journal/types.ts';
import { marketBuy, settle, setup, type TestJournal } from '../engine/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function asTest(j: DurableJournal): TestJournal {
  return Object.assign(Object.create(j) as DurableJournal, { all: (): JournalRecord[] => [] });
}

describe('recordText', () => {
  it('encodes a record once: the text it keeps is the codec text of its event, and later calls give that same text', () => {
    const r: JournalRecord = { seq: 1, event: { kind: 'OrderPendingCancel', clientOrderId: 'C-1', tsEvent: 5, tsInit: 5 } as JournalRecord['event'], text: undefined };
    const first = recordText(r);
    expect(first).toBe(encodeEvent(r.event));
    expect(r.text).toBe(first);
    // Kept, not re-made: a text put on the record is what every later reader gets.
    r.text = 'kept';
    expect(recordText(r)).toBe('kept');
  });

  it('what the engine publishes on its record bus carries the very payload the SQLite journal stored for that seq', async () => {
    const j = SqliteJournal.open({ path: join(dir, 'j.sqlite') });
    const h = await setup({ journal: asTest(j) });
    const published: JournalRecord[] = [];
    h.engine.bus.subscribe('record', (r) => published.push(r));
    await h.engine.submitOrder(marketBuy('M-1', '0.1'));
    await settle();
    expect(published.length).toBeGreaterThanOrEqual(3);
    const stored = new Map(j.rows(1).map((row) => [row.seq, row.payload]));
    for (const r of published) {
      expect(r.text).toBe(stored.get(r.seq));
      expect(recordText(r)).toBe(encodeEvent(r.event));
    }
    await j.close();
  });
});
