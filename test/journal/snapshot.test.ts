/**
 * Engine state snapshots: recovery from a snapshot at a random seq plus the tail equals a full
 * replay (memory and SQLite), the format round-trips exactly, a newer format is refused, a
 * malformed one is corrupt, recovery folds only the tail, the gate is rebuilt, and the
 * Snapshotter writes snapshots at durable seqs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine, type EngineOptions } from '../../src/engine/engine.ts';
import type { EngineEvent } from '../../src/engine/events.ts';
import type { EngineView, PreTradeGate, Verdict } from '../../src/engine/gate.ts';
import { ALLOW } from '../../src/engine/gate.ts';
import { operatorOrigin } from '../../src/engine/origin.ts';
import { TailingMemoryJournal } from '../../src/journal/memory.ts';
import { decodeSnapshot, encodeSnapshot, JSON_SNAPSHOTS, SNAPSHOT_VERSION } from '../../src/journal/snapshot.ts';
import { Snapshotter } from '../../src/journal/snapshotter.ts';
import { SQLITE_MIGRATIONS, SqliteJournal } from '../../src/journal/sqlite.ts';
import { Currencies } from '../../src/model/currency.ts';
import { Money } from '../../src/model/money.ts';
import { Price, Quantity } from '../../src/model/values.ts';
import { ScriptedVenue } from '../../src/venues/scripted/scripted-venue.ts';
import { BTC, BTC_SPEC, limit, marketBuy, settle, setup, snapshot, type Harness } from '../engine/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-snapshot-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Small retention windows, so that rings and windows wrap and evict within a session. */
const RETENTION = { retainClosedOrders: 4, retainClientOrderIds: 6, retainClosedPositions: 1 } as const;

const LOT_RAW = 5n;
const TICK_RAW = 5n;
const qtyText = (lots: bigint): string => Quantity.fromRaw(lots * LOT_RAW, 3).toString();
const pxText = (raw: bigint): string => Price.fromRaw(raw, 2).toString();

type Side = 'BUY' | 'SELL';
type Step =
  | { k: 'market'; side: Side; lots: number; strat: string }
  | { k: 'limit'; side: Side; lots: number; ticks: number; strat: string; hedge: boolean }
  | { k: 'fill'; pick: number; r: number }
  | { k: 'cancel'; pick: number }
  | { k: 'modify'; pick: number; r: number }
  | { k: 'late'; pick: number }
  | { k: 'risk'; r: number }
  | { k: 'deposit'; r: number }
  | { k: 'venue'; r: number };

const side = fc.constantFrom<Side>('BUY', 'SELL');
const strat = fc.constantFrom('s1', 's2');
const pick = fc.nat(1_000_000);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('market' as const), side, lots: fc.integer({ min: 1, max: 40 }), strat }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('limit' as const), side, lots: fc.integer({ min: 1, max: 40 }), ticks: fc.integer({ min: -300, max: 300 }), strat, hedge: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('fill' as const), pick, r: fc.nat(1_000_000) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('cancel' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('modify' as const), pick, r: fc.nat(1_000_000) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('late' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('risk' as const), r: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('deposit' as const), r: fc.nat(1_000) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('venue' as const), r: fc.nat(3) }) },
);
const session = fc.array(step, { minLength: 20, maxLength: 150, size: 'max' });

/** One step against the harness (ACC-1 CASH NETTING, ACC-2 CASH, here opened HEDGING as ACC-H). */
async function run(h: Harness, s: Step, n: number): Promise<void> {
  const { engine, venue, clock } = h;
  clock.advance(1_000);
  const openLimits = [...engine.state.openOrders.values()].filter((o) => o.price !== undefined);
  const choose = <T>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);
  switch (s.k) {
    case 'market':
      await engine.submitOrder({ clientOrderId: `M-${n}`, accountId: 'ACC-1', strategyId: s.strat, instrumentId: BTC, side: s.side, type: 'MARKET', quantity: qtyText(BigInt(s.lots)) });
      break;
    case 'limit': {
      const px = 2_410_000n + BigInt(s.ticks) * TICK_RAW;
      await engine.submitOrder({
        clientOrderId: `L-${n}`,
        accountId: s.hedge ? 'ACC-H' : 'ACC-1',
        strategyId: s.strat,
        instrumentId: BTC,
        side: s.side,
        type: 'LIMIT',
        quantity: qtyText(BigInt(s.lots)),
        price: pxText(px),
      });
      break;
    }
    case 'fill': {
      const o = choose(openLimits, s.pick);
      if (!o?.price) break;
      const leaves = o.leavesQty.raw / LOT_RAW;
      if (leaves > 0n) venue.fill(o.clientOrderId, qtyText(1n + (BigInt(s.r) % leaves)), o.price.toString());
      break;
    }
    case 'cancel': {
      const o = choose([...engine.state.openOrders.values()], s.pick);
      if (o) await engine.cancelOrder(o.clientOrderId);
      break;
    }
    case 'modify': {
      const o = choose(openLimits, s.pick);
      if (o) await engine.modifyOrder(o.clientOrderId, { quantity: qtyText(o.filledQty.raw / LOT_RAW + 1n + (BigInt(s.r) % 30n)) });
      break;
    }
    case 'late': {
      const o = choose(
        [...engine.state.orders.values()].filter((x) => x.status === 'CANCELED' && x.price !== undefined && x.filledQty.cmp(x.quantity) < 0),
        s.pick,
      );
      if (o?.price) venue.fill(o.clientOrderId, qtyText(1n), o.price.toString());
      break;
    }
    case 'risk': {
      const t = clock.now();
      const events: EngineEvent[] = [
        [{ kind: 'KillSwitchEngaged', operator: 'ops', reason: 'test', flatten: false, tsEvent: t, tsInit: t }],
        [{ kind: 'KillSwitchReset', operator: 'ops', reason: 'ok', tsEvent: t, tsInit: t }],
        [{ kind: 'TradingStateChanged', scope: 'STRATEGY:s2', state: 'REDUCING', source: 'OPERATOR', reason: 'test', tsEvent: t, tsInit: t }],
        [{ kind: 'TradingStateChanged', scope: 'STRATEGY:s2', state: 'ACTIVE', source: 'OPERATOR', reason: 'test', tsEvent: t, tsInit: t }],
        [{ kind: 'BreakerTripped', breaker: 'daily_loss', scope: 'FIRM', value: 0.1 + n, threshold: Number.NaN, action: 'REDUCE', autoResetAt: t + 5, message: 'm', tsEvent: t, tsInit: t }],
        [{ kind: 'BreakerReset', breaker: 'daily_loss', scope: 'FIRM', source: 'OPERATOR', operator: 'ops', tsEvent: t, tsInit: t }],
      ][s.r] as EngineEvent[];
      // The kill switch only records here: the fixtures' gate does not read the risk state. An
      // operator sends them all (lifting the kill switch or a state needs one).
      await engine.recordRisk(events as never, operatorOrigin(engine.authority.issue('ops', ['RISK'])));
      break;
    }
    case 'deposit':
      await engine.adjustBalance('ACC-2', Money.of(String(s.r + 1), Currencies.USDT), 'deposit', engine.authority.issue('treasury', ['TREASURY']));
      break;
    case 'venue': {
      // Market statuses toggled (the fixtures' gate does not read them) and BTC's fee or limit
      // changed by the venue on the same grid, so later orders stay valid (FAULTS 34, 35).
      const btc = engine.instrument(BTC);
      const flip = (level: string | undefined, on: 'MAINTENANCE' | 'HALTED') =>
        engine.setMarketStatus({ venue: 'BINANCE', ...(level ? { instrumentId: level } : {}), status: engine.markets.statusOf('BINANCE', level) === 'OPEN' ? on : 'OPEN', reason: `step ${n}` });
      if (s.r === 0) await flip(undefined, 'MAINTENANCE');
      else if (s.r === 1) await flip(BTC, 'HALTED');
      else if (s.r === 2) await engine.updateInstrument({ ...BTC_SPEC, takerFee: btc.takerFee.digits === 1n && btc.takerFee.scale === 3 ? '0.002' : '0.001' });
      else await engine.updateInstrument({ ...BTC_SPEC, maxQuantity: btc.maxQuantity === undefined ? '1000' : undefined });
      break;
    }
  }
  await settle();
}

async function harness(extra: Omit<Partial<EngineOptions>, 'journal'> = {}): Promise<Harness> {
  const h = await setup({ btc: '0', ...RETENTION, ...extra, journal: new TailingMemoryJournal() });
  await h.engine.openAccount({ id: 'ACC-H', type: 'CASH', positionMode: 'HEDGING', balances: [] });
  return h;
}

const stateText = (e: Engine): string => encodeSnapshot(e.state.toSnapshot(e.lastSeq));

/** A session cut at a random step: a snapshot is taken there, the rest runs after it. */
async function sessionWithSnapshot(steps: readonly Step[], cut: number): Promise<{ h: Harness; snapSeq: number; journal: TailingMemoryJournal }> {
  const h = await harness();
  const journal = h.journal as unknown as TailingMemoryJournal;
  const at = cut % (steps.length + 1);
  let snapSeq = -1;
  for (let i = 0; i <= steps.length; i++) {
    if (i === at) {
      snapSeq = h.engine.lastSeq;
      journal.saveSnapshot(snapSeq, encodeSnapshot(h.engine.state.toSnapshot(snapSeq)));
    }
    if (i < steps.length) await run(h, steps[i]!, i);
  }
  return { h, snapSeq, journal };
}

describe('snapshot + tail = full replay (random sessions)', () => {
  it('memory journal: the recovered state is identical, field for field and in the snapshot text, to a full replay and the live engine', async () => {
    let tails = 0;
    await fc.assert(
      fc.asyncProperty(session, fc.nat(), async (steps, cut) => {
        const { h, snapSeq, journal } = await sessionWithSnapshot(steps, cut);
        const full = await Engine.fromJournal(journal, { clock: h.clock, ...RETENTION });
        const rec = await Engine.recover(journal, { clock: h.clock, ...RETENTION, snapshotCodec: JSON_SNAPSHOTS });
        expect(rec.recovery).toEqual({ snapshotSeq: snapSeq, replayed: journal.lastSeq() - snapSeq, fallback: undefined });
        expect(snapshot(rec)).toEqual(snapshot(full));
        expect(snapshot(rec)).toEqual(snapshot(h.engine));
        expect(stateText(rec)).toBe(stateText(full));
        expect(stateText(rec)).toBe(stateText(h.engine));
        if (rec.recovery!.replayed > 0) tails++;
      }),
      { numRuns: 60 },
    );
    expect(tails).toBeGreaterThan(30);
  });

  it('SQLite (temp file): the same journal and snapshot stored in SQLite recover to the full replay', async () => {
    await fc.assert(
      fc.asyncProperty(session, fc.nat(), async (steps, cut) => {
        const { h, snapSeq, journal } = await sessionWithSnapshot(steps, cut);
        const sqlite = SqliteJournal.open({ path: join(dir, `p${++files}.sqlite`), maxBatch: 10_000 });
        try {
          await sqlite.append(journal.all());
          sqlite.saveSnapshot(snapSeq, journal.latestSnapshot()!.body);
          const full = await Engine.fromJournal(sqlite, { clock: h.clock, ...RETENTION });
          const rec = await Engine.recover(sqlite, { clock: h.clock, ...RETENTION, snapshotCodec: JSON_SNAPSHOTS });
          expect(rec.recovery?.snapshotSeq).toBe(snapSeq);
          expect(rec.recovery?.replayed).toBe(journal.lastSeq() - snapSeq);
          expect(snapshot(rec)).toEqual(snapshot(full));
          expect(stateText(rec)).toBe(stateText(full));
          expect(stateText(rec)).toBe(stateText(h.engine));
        } finally {
          await sqlite.close();
        }
      }),
      { numRuns: 15 },
    );
  });

  it('a snapshot round-trips exactly: encode → decode → encode is the same text, at every cut', async () => {
    await fc.assert(
      fc.asyncProperty(session, async (steps) => {
        const h = await harness();
        for (let i = 0; i < steps.length; i++) {
          await run(h, steps[i]!, i);
          const text = stateText(h.engine);
          expect(encodeSnapshot(decodeSnapshot(text, SNAPSHOT_VERSION))).toBe(text);
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe('snapshot format and recovery', () => {
  async function sample(): Promise<{ h: Harness; journal: TailingMemoryJournal }> {
    const h = await harness();
    await h.engine.submitOrder(marketBuy('A-1', '0.5'));
    await h.engine.submitOrder(limit('A-2', 'SELL', '0.2', '25000.00'));
    h.venue.fill('A-2', '0.1', '25000.00');
    await settle();
    return { h, journal: h.journal as unknown as TailingMemoryJournal };
  }

  it('holds private order fields, the rings, locks, positions, stats and risk state', async () => {
    const { h } = await sample();
    const s = h.engine.state.toSnapshot(h.engine.lastSeq);
    const a2 = s.orders.find((o) => o.order.spec.clientOrderId === 'A-2')!.order;
    expect(a2.previousStatus).toBeDefined();
    expect(a2.tradeIds.length).toBe(1);
    expect(a2.fillPxPrecision).toBe(2);
    expect(s.openOrders).toEqual(['A-2']);
    expect(s.closedOrders.map((i) => s.orders[i]!.order.spec.clientOrderId)).toEqual(['A-1']);
    expect(s.knownIdRing).toEqual(['A-1', 'A-2']);
    expect(s.portfolio.accounts.find((a) => a.id === 'ACC-1')!.locks.map((l) => l.clientOrderId)).toEqual(['A-2']);
    expect(s.portfolio.positions[0]!.signedQtyRaw).toBe(400n);
    expect(s.portfolio.stats.map((x) => x.key)).toEqual(['*', 's1']);
    expect(s.seq).toBe(h.engine.lastSeq);
    expect(s.eventsApplied).toBe(h.engine.state.eventsApplied);
  });

  it('a newer format version is refused with JOURNAL_SCHEMA_NEWER, by the codec and by recovery', async () => {
    const { h, journal } = await sample();
    const body = stateText(h.engine);
    expect(() => decodeSnapshot(body, SNAPSHOT_VERSION + 1)).toThrow(expect.objectContaining({ code: 'JOURNAL_SCHEMA_NEWER' }));
    journal.putSnapshot({ seq: h.engine.lastSeq, version: SNAPSHOT_VERSION + 1, body });
    await expect(Engine.recover(journal, { clock: h.clock, ...RETENTION, snapshotCodec: JSON_SNAPSHOTS })).rejects.toMatchObject({ code: 'JOURNAL_SCHEMA_NEWER' });
  });

  it('a malformed snapshot is JOURNAL_CORRUPT, never half-read', async () => {
    const { h, journal } = await sample();
    const body = stateText(h.engine);
    const bad = [
      '{',
      body.replace('"eventsApplied":', '"eventsApplied":-'),
      body.replace('"status":"FILLED"', '"status":"DONE"'),
      body.replace('"retained":', '"extra":1,"retained":'),
      body.replace(/"fillCostRaw":"\d+"/, '"fillCostRaw":"1.5"'),
      body.replace(`"format":${SNAPSHOT_VERSION}`, `"format":${SNAPSHOT_VERSION + 1}`),
      body.replace('"emulation":{"held":[]', '"emulation":{"held":{}'),
      body.replace('"algos":{"running":[]', '"algos":{"running":{}'),
      body.replace(/"openOrders":\["A-2"\]/, '"openOrders":["A-1"]'),
    ];
    for (const b of bad) {
      expect(b).not.toBe(body);
      const j = new TailingMemoryJournal();
      j.append(journal.all());
      j.putSnapshot({ seq: h.engine.lastSeq, version: SNAPSHOT_VERSION, body: b });
      await expect(Engine.recover(j, { clock: h.clock, ...RETENTION, snapshotCodec: JSON_SNAPSHOTS }), b.slice(0, 40)).rejects.toMatchObject({ code: 'JOURNAL_CORRUPT' });
    }
  });

  it('a version 3 snapshot (before strategy state was journaled) still loads, with no strategy state', async () => {
    const { h, journal } = await sample();
    const v4 = stateText(h.engine);
    const v3 = v4.replace(`"format":${SNAPSHOT_VERSION}`, '"format":3').replace(/,"markets":\[\],"gridChanges":\[\]\}$/, '}').replace(/,"strategyState":\[\]\}$/, '}');
    expect(v3).not.toContain('strategyState');
    const j = new TailingMemoryJournal();
    j.append(journal.all());
    j.putSnapshot({ seq: h.engine.lastSeq, version: 3, body: v3 });
    const back = await Engine.recover(j, { clock: h.clock, ...RETENTION, snapshotCodec: JSON_SNAPSHOTS });
    expect(back.recovery?.snapshotSeq).toBe(h.engine.lastSeq);
    expect(back.state.strategies.keys('s1')).toEqual([]);
    expect(stateText(back)).toBe(v4);
  });

  it('strategy state (ctx.state) is in the snapshot: a recovery from it gives back every key and its JSON, deletes applied', async () => {
    const { h, journal } = await sample();
    await h.engine.recordStrategyState('s1', 'count', '3');
    await h.engine.recordStrategyState('s1', 'gone', '"x"');
    await h.engine.recordStrategyState('s2', 'levels', '[1.5,2]');
    await h.engine.recordStrategyState('s1', 'gone', undefined);
    await h.engine.recordStrategyState('s1', 'count', '4');
    const body = stateText(h.engine);
    expect(body).toContain('"strategyState":[{"strategyId":"s1","entries":[["count","4"]]},{"strategyId":"s2","entries":[["levels","[1.5,2]"]]}]');
    const j = new TailingMemoryJournal();
    j.append(journal.all());
    j.putSnapshot({ seq: h.engine.lastSeq, version: SNAPSHOT_VERSION, body });
    const back = await Engine.recover(j, { clock: h.clock, ...RETENTION, snapshotCodec: JSON_SNAPSHOTS });
    expect(back.recovery?.snapshotSeq).toBe(h.engine.lastSeq);
    expect([back.state.strategies.get('s1', 'count'), back.state.strategies.get('s1', 'gone'), back.state.strategies.get('s2', 'levels')]).toEqual(['4', undefined, '[1.5,2]']);
    expect(stateText(back)).toBe(body);
  });

  it('a version 2 snapshot (before algorithms were journaled) still loads, with none running', async () => {
    const { h, journal } = await sample();
    const v3 = stateText(h.engine);
    const v2 = v3.replace(`"format":${SNAPSHOT_VERSION}`, '"format":2').replace(/,"markets":\[\],"gridChanges":\[\]\}$/, '}').replace(/,"strategyState":\[\]\}$/, '}').replace(/,"algos":\{"running":\[\]\}\}$/, '}');
    expect(v2).not.toContain('algos');
    const j = new TailingMemoryJournal();
    j.append(journal.all());
    j.putSnapshot({ seq: h.engine.lastSeq, version: 2, body: v2 });
    const back = await Engine.recover(j, { clock: h.clock, ...RETENTION, snapshotCodec: JSON_SNAPSHOTS });
    expect(back.recovery?.snapshotSeq).toBe(h.engine.lastSeq);
    expect(back.state.algos.running()).toEqual([]);
    expect(stateText(back)).toBe(v3);
  });

  it('a version 1 snapshot (before emulation was journaled) still loads, with nothing held', async () => {
    const { h, journal } = await sample();
    const v2 = stateText(h.engine);
    const v1 = v2
      .replace(`"format":${SNAPSHOT_VERSION}`, '"format":1')
      .replace(/,"bustedTradeIds":\[\]/g, '')
      .replace(/,"markets":\[\],"gridChanges":\[\]\}$/, '}')
      .replace(/,"strategyState":\[\]\}$/, '}')
      .replace(/,"algos":\{"running":\[\]\}\}$/, '}')
      .replace(/,"emulation":\{.*\}\}$/, '}');
    expect(v1).not.toContain('emulation');
    expect(v1).not.toContain('bustedTradeIds');
    const j = new TailingMemoryJournal();
    j.append(journal.all());
    j.putSnapshot({ seq: h.engine.lastSeq, version: 1, body: v1 });
    const back = await Engine.recover(j, { clock: h.clock, ...RETENTION, snapshotCodec: JSON_SNAPSHOTS });
    expect(back.recovery?.snapshotSeq).toBe(h.engine.lastSeq);
    expect(back.state.emulation.held()).toEqual([]);
    expect(stateText(back)).toBe(v2);
  });

  it('recovery folds only the tail: the order events published during recover are those after the snapshot', async () => {
    const { h, journal } = await sample();
    const snapSeq = h.engine.lastSeq;
    journal.saveSnapshot(snapSeq, stateText(h.engine));
    await h.engine.submitOrder(limit('A-3', 'BUY', '0.1', '20000.00'));
    await h.engine.cancelOrder('A-3');
    const { MessageBus } = await import('../../src/engine/bus.ts');
    const bus = new MessageBus<import('../../src/engine/topics.ts').EngineTopics>();
    const seen: string[] = [];
    bus.subscribe('order', (e) => seen.push(`${e.kind} ${e.clientOrderId}`));
    const rec = await Engine.recover(journal, { clock: h.clock, ...RETENTION, bus, snapshotCodec: JSON_SNAPSHOTS });
    expect(seen).toEqual(['OrderInitialized A-3', 'OrderSubmitted A-3', 'OrderAccepted A-3', 'OrderPendingCancel A-3', 'OrderCanceled A-3']);
    expect(rec.recovery).toEqual({ snapshotSeq: snapSeq, replayed: 5, fallback: undefined });
    expect(rec.state.eventsApplied).toBe(h.engine.state.eventsApplied);
    expect(rec.lastSeq).toBe(h.engine.lastSeq);
    expect(stateText(rec)).toBe(stateText(h.engine));
    // The recovered engine goes on: a new order is numbered after the journal's last record.
    rec.addVenue(new ScriptedVenue({ id: 'BINANCE', clock: h.clock, marketPrice: () => undefined }));
    const r = await rec.submitOrder(limit('A-4', 'BUY', '0.1', '20000.00'));
    expect(r.records[0]!.seq).toBe(h.engine.lastSeq + 1);
  });

  it('no snapshot: a full replay; a snapshot of other retention options: a full replay that says why', async () => {
    const { h, journal } = await sample();
    const none = await Engine.recover(journal, { clock: h.clock, ...RETENTION, snapshotCodec: JSON_SNAPSHOTS });
    expect(none.recovery).toEqual({ snapshotSeq: undefined, replayed: h.engine.lastSeq, fallback: undefined });
    journal.saveSnapshot(h.engine.lastSeq, stateText(h.engine));
    const other = await Engine.recover(journal, { clock: h.clock, ...RETENTION, retainClosedOrders: 5, snapshotCodec: JSON_SNAPSHOTS });
    expect(other.recovery?.snapshotSeq).toBeUndefined();
    expect(other.recovery?.fallback).toMatch(/retainClosedOrders/);
    expect(snapshot(other)).toEqual(snapshot(h.engine));
  });

  it('the gate is rebuilt: its observed figures after recovery from a snapshot equal those after a full replay', async () => {
    /** A gate whose figure depends on the state at each event: Σ open orders seen + filled raw of the event's order. */
    class FoldingGate implements PreTradeGate {
      figure = 0n;
      events = 0;
      check(): Verdict {
        return ALLOW;
      }
      observe(event: EngineEvent, view: EngineView): void {
        this.events++;
        this.figure += BigInt([...view.openOrders()].length) * 1_000_000n;
        if ('clientOrderId' in event) this.figure += view.order(event.clientOrderId)?.filledQty.raw ?? 0n;
      }
    }
    const live = new FoldingGate();
    const h = await harness({ gate: live });
    const journal = h.journal as unknown as TailingMemoryJournal;
    await h.engine.submitOrder(limit('G-1', 'BUY', '0.5', '24000.00'));
    h.venue.fill('G-1', '0.1', '24000.00');
    await settle();
    journal.saveSnapshot(h.engine.lastSeq, stateText(h.engine));
    h.venue.fill('G-1', '0.2', '24000.00');
    await h.engine.submitOrder(limit('G-2', 'SELL', '0.1', '26000.00'));
    await settle();
    const fullGate = new FoldingGate();
    await Engine.fromJournal(journal, { clock: h.clock, ...RETENTION, gate: fullGate });
    const recGate = new FoldingGate();
    const rec = await Engine.recover(journal, { clock: h.clock, ...RETENTION, gate: recGate, snapshotCodec: JSON_SNAPSHOTS });
    expect(rec.recovery?.snapshotSeq).toBeGreaterThan(0);
    expect(fullGate.events).toBe(h.engine.lastSeq);
    expect(recGate.events).toBe(fullGate.events);
    expect(recGate.figure).toBe(fullGate.figure);
    expect(recGate.figure).toBe(live.figure);
  });
});

describe('Snapshotter and storage', () => {
  it('memory: a snapshot every N records, each at a durable seq, and recovery uses the latest', async () => {
    const h = await harness();
    const journal = h.journal as unknown as TailingMemoryJournal;
    const snaps = new Snapshotter(h.engine, journal, { every: 5 });
    for (let i = 0; i < 12; i++) await h.engine.submitOrder(limit(`S-${i}`, 'BUY', '0.1', '20000.00'));
    snaps.close();
    expect(snaps.taken).toBeGreaterThanOrEqual(4);
    const latest = journal.latestSnapshot()!;
    expect(latest.seq).toBe(snaps.lastSeq);
    expect(h.engine.lastSeq - latest.seq).toBeLessThan(5);
    const rec = await Engine.recover(journal, { clock: h.clock, ...RETENTION, snapshotCodec: JSON_SNAPSHOTS });
    expect(rec.recovery?.snapshotSeq).toBe(latest.seq);
    expect(stateText(rec)).toBe(stateText(h.engine));
  });

  it('SQLite: migration 2 adds the snapshots table; the Snapshotter writes at durable seqs; reopen and recover from it', async () => {
    const path = join(dir, `live${++files}.sqlite`);
    const journal = SqliteJournal.open({ path });
    const versions = (journal.database.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    expect(versions).toEqual(SQLITE_MIGRATIONS.map((_, i) => i + 1));
    expect(versions).toContain(2);
    expect(journal.latestSnapshot()).toBeUndefined();
    expect(() => journal.saveSnapshot(journal.lastSeq() + 1, '{}')).toThrow(expect.objectContaining({ code: 'JOURNAL_SEQUENCE_GAP' }));
    const h = await setup({ btc: '0', journal: journal as never, ...RETENTION });
    const snaps = new Snapshotter(h.engine, journal, { every: 4 });
    for (let i = 0; i < 10; i++) {
      await h.engine.submitOrder(limit(`Q-${i}`, 'BUY', '0.1', '20000.00'));
      if (i % 3 === 0) await h.engine.cancelOrder(`Q-${i}`);
    }
    await snaps.flush();
    snaps.close();
    expect(snaps.taken).toBeGreaterThanOrEqual(3);
    const want = stateText(h.engine);
    await journal.close();

    const again = SqliteJournal.open({ path });
    try {
      const latest = again.latestSnapshot()!;
      expect(latest.version).toBe(SNAPSHOT_VERSION);
      expect(latest.seq).toBe(snaps.lastSeq);
      expect(latest.seq).toBeLessThanOrEqual(again.lastSeq());
      const rec = await Engine.recover(again, { clock: h.clock, ...RETENTION, snapshotCodec: JSON_SNAPSHOTS });
      expect(rec.recovery?.snapshotSeq).toBe(latest.seq);
      expect(rec.recovery?.replayed).toBe(again.lastSeq() - latest.seq);
      expect(stateText(rec)).toBe(want);
    } finally {
      await again.close();
    }
  });
});
