/**
 * The one Journal contract, run against every backend (memory, SQLite, PostgreSQL): append and
 * read, gap and reuse refusal, read from a sequence number, tails, group commit under concurrent
 * appends, reopen and durability, per-stream numbering, schema and identity checks, and an engine
 * rebuilt from what the backend stored.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import type { EngineEvent, JournalRecord } from '../../src/engine/events.ts';
import { Currencies } from '../../src/model/currency.ts';
import { accountId } from '../../src/model/identifiers.ts';
import { Money } from '../../src/model/money.ts';
import { NO_CONFIG_HASH, packageVersion } from '../../src/journal/identity.ts';
import type { DurableJournal, JournalIdentity, StoredRow } from '../../src/journal/types.ts';
import { limit, marketBuy, setup, snapshot, T0, type TestJournal } from '../engine/fixtures.ts';

export interface Backend {
  readonly name: string;
  /** Survives close and reopen (not the memory journal). */
  readonly durable: boolean;
  /** A new, empty store for the next open()s. */
  fresh(): Promise<void>;
  /** Opens the current store (again). */
  open(identity?: Partial<JournalIdentity>): Promise<DurableJournal>;
  /** Stored rows with their streams, read with a connection of its own. */
  rows?(): Promise<StoredRow[]>;
  /** Marks the current store as migrated by a newer version. */
  bumpSchema?(): Promise<void>;
}

const acct = (n: number): EngineEvent => ({
  kind: 'AccountOpened',
  accountId: accountId(`A-${n % 3}`),
  accountType: 'CASH',
  positionMode: 'NETTING',
  balances: [Money.of('100.5', Currencies.USDT)],
  tsEvent: T0 + n,
  tsInit: T0 + n,
});
const kill = (n: number): EngineEvent => ({ kind: 'KillSwitchEngaged', operator: 'ops', reason: `r${n}`, flatten: false, tsEvent: T0 + n, tsInit: T0 + n });
const ev = (n: number): EngineEvent => (n % 4 === 0 ? kill(n) : acct(n));
const rec = (seq: number): JournalRecord => ({ seq, event: ev(seq) });
const recs = (from: number, to: number): JournalRecord[] => Array.from({ length: to - from + 1 }, (_, i) => rec(from + i));

async function readAll(j: DurableJournal, from?: number): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of j.read(from)) out.push(r);
  return out;
}

/** Sync throw or rejection alike. */
function attempt(f: () => unknown): Promise<unknown> {
  return Promise.resolve().then(f);
}

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A DurableJournal the engine fixtures can use (`all()` from what the backend stored). */
function testJournal(j: DurableJournal, stored: JournalRecord[]): TestJournal {
  return Object.assign(Object.create(j) as DurableJournal, { all: () => stored });
}

export function journalContract(backend: Backend): void {
  describe(`Journal contract: ${backend.name}`, () => {
    it('stores 1..3 from two appends and reads them back, whole and from seq 2, equal to what was appended', async () => {
      await backend.fresh();
      const j = await backend.open();
      await j.append(recs(1, 2));
      await j.append(recs(3, 3));
      expect(j.lastSeq()).toBe(3);
      expect(j.durableSeq()).toBe(3);
      expect(await readAll(j)).toStrictEqual(recs(1, 3));
      expect((await readAll(j, 2)).map((r) => r.seq)).toEqual([2, 3]);
      expect(await readAll(j, 4)).toEqual([]);
      await j.close();
    });

    it.each([
      ['a gap (5 after 3)', [5]],
      ['a gap inside the batch (4, 6)', [4, 6]],
      ['a reused number (3 after 3)', [3]],
      ['a repeated number (4, 4)', [4, 4]],
    ])('refuses %s with JOURNAL_SEQUENCE_GAP and stores nothing of it', async (_n, seqs) => {
      await backend.fresh();
      const j = await backend.open();
      await j.append(recs(1, 3));
      await expect(attempt(() => j.append(seqs.map(rec)))).rejects.toMatchObject({ code: 'JOURNAL_SEQUENCE_GAP' });
      expect(j.lastSeq()).toBe(3);
      await j.append([rec(4)]);
      expect((await readAll(j)).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      await j.close();
    });

    it('group-commits 500 appends made without waiting: every promise resolves, 1..500 are stored in order', async () => {
      await backend.fresh();
      const j = await backend.open();
      const pending: Promise<void>[] = [];
      for (let s = 1; s <= 500; s++) pending.push(Promise.resolve(j.append([rec(s)])));
      await Promise.all(pending);
      expect(j.durableSeq()).toBe(500);
      expect((await readAll(j)).map((r) => r.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
      await j.close();
    });

    it('a tail from seq 2 gets 2..3 already stored, then 4..6 as they become durable, each once and in order', async () => {
      await backend.fresh();
      const j = await backend.open();
      await j.append(recs(1, 3));
      const seen: number[] = [];
      const sub = j.subscribe(2, (r) => seen.push(r.seq));
      await until(() => seen.length === 2);
      await j.append(recs(4, 5));
      await j.append(recs(6, 6));
      await until(() => seen.length === 5);
      expect(seen).toEqual([2, 3, 4, 5, 6]);
      sub.close();
      await j.append(recs(7, 7));
      await new Promise((r) => setTimeout(r, 30));
      expect(seen).toEqual([2, 3, 4, 5, 6]);
      await j.close();
    });

    it('numbers each account stream (and the global one) gap-free from 1', async () => {
      if (!backend.rows) return;
      await backend.fresh();
      const j = await backend.open();
      await j.append(recs(1, 10));
      await j.close();
      const rows = await backend.rows();
      const byStream = new Map<string, number[]>();
      for (const r of rows) byStream.set(r.stream, [...(byStream.get(r.stream) ?? []), r.streamSeq]);
      // 4 and 8 are global (kill switch); the others go to A-(n % 3): A-0 3,6,9; A-1 1,7,10; A-2 2,5.
      expect(Object.fromEntries(byStream)).toEqual({ 'A-0': [1, 2, 3], 'A-1': [1, 2, 3], 'A-2': [1, 2], global: [1, 2] });
    });

    it.runIf(backend.durable)('after close and reopen: lastSeq, the records and the stream numbers carry on', async () => {
      await backend.fresh();
      const a = await backend.open();
      await a.append(recs(1, 5));
      await a.close();
      const b = await backend.open();
      expect(b.lastSeq()).toBe(5);
      expect(await readAll(b)).toStrictEqual(recs(1, 5));
      await expect(attempt(() => b.append([rec(5)]))).rejects.toMatchObject({ code: 'JOURNAL_SEQUENCE_GAP' });
      await b.append(recs(6, 7));
      await b.close();
      if (backend.rows) {
        const rows = await backend.rows();
        expect(rows.filter((r) => r.stream === 'A-0').map((r) => r.streamSeq)).toEqual([1, 2]); // seq 3 and 6
      }
    });

    it.runIf(backend.durable)('an append is on durable storage when its promise resolves (seen by another connection)', async () => {
      if (!backend.rows) return;
      await backend.fresh();
      const j = await backend.open();
      await j.append(recs(1, 3));
      expect((await backend.rows()).map((r) => r.seq)).toEqual([1, 2, 3]);
      await j.close();
    });

    it.runIf(backend.durable)('refuses a store migrated by a newer version (JOURNAL_SCHEMA_NEWER)', async () => {
      if (!backend.bumpSchema) return;
      await backend.fresh();
      await (await backend.open()).close();
      await backend.bumpSchema();
      await expect(backend.open()).rejects.toMatchObject({ code: 'JOURNAL_SCHEMA_NEWER' });
    });

    it.runIf(backend.durable)('refuses another code version or config (JOURNAL_MISMATCH) unless allowed, and records the allowed run', async () => {
      await backend.fresh();
      const v1 = { codeVersion: '0.1.0', configHash: 'aaa' };
      await (await backend.open(v1)).close();
      await (await backend.open(v1)).close(); // same identity: fine
      await expect(backend.open({ codeVersion: '0.2.0', configHash: 'aaa' })).rejects.toMatchObject({ code: 'JOURNAL_MISMATCH' });
      await expect(backend.open({ codeVersion: '0.1.0', configHash: 'bbb' })).rejects.toMatchObject({ code: 'JOURNAL_MISMATCH' });
      await (await backend.open({ codeVersion: '0.2.0', configHash: 'bbb', allowMismatch: true })).close();
      await (await backend.open({ codeVersion: '0.2.0', configHash: 'bbb' })).close();
      await expect(backend.open(v1)).rejects.toMatchObject({ code: 'JOURNAL_MISMATCH' });
    });

    it.runIf(backend.durable)('an open without an identity is checked against the default (package version, no config): refused after another identity, passes only with allowMismatch (issue 11 item 15)', async () => {
      await backend.fresh();
      await (await backend.open({ codeVersion: '0.0.1-other', configHash: 'ccc' })).close();
      await expect(backend.open()).rejects.toMatchObject({ code: 'JOURNAL_MISMATCH', context: { journalCodeVersion: '0.0.1-other', codeVersion: packageVersion() } });
      await (await backend.open({ allowMismatch: true })).close();
      // The allowed run recorded the default identity: a plain open now matches it; the old identity no longer does.
      await (await backend.open()).close();
      await expect(backend.open({ codeVersion: '0.0.1-other', configHash: 'ccc' })).rejects.toMatchObject({ code: 'JOURNAL_MISMATCH' });
      await expect(backend.open({ configHash: 'ddd' })).rejects.toMatchObject({ code: 'JOURNAL_MISMATCH', context: { configHash: 'ddd', journalConfigHash: NO_CONFIG_HASH } });
    });

    it('an engine rebuilt from what the backend stored has the live engine’s state', async () => {
      await backend.fresh();
      const j = await backend.open();
      const stored: JournalRecord[] = [];
      const h = await setup({ journal: testJournal(j, stored) });
      await h.engine.submitOrder(marketBuy('M-1', '0.1'));
      await h.engine.submitOrder(limit('L-1', 'SELL', '0.05', '25000.00'));
      h.venue.fill('L-1', '0.02', '25000.00');
      await h.engine.cancelOrder('L-1');
      await h.engine.submitOrder(limit('L-2', 'BUY', '0.2', '24000.00'));
      await (j as { drain?: () => Promise<void> }).drain?.();
      await until(() => j.durableSeq() === h.engine.lastSeq);
      const live = snapshot(h.engine);
      await j.close();
      const k = backend.durable ? await backend.open() : j;
      const rebuilt = await Engine.fromJournal(k, { clock: h.clock });
      expect(snapshot(rebuilt)).toStrictEqual(live);
      await k.close();
    });
  });
}
