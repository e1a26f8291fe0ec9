/**
 * The engine side of FAULTS 34 and 35: a venue's market status and a venue's new definition of an
 * instrument are commands journaled as events, folded into the state, replayed and kept in
 * snapshots; who may send them; what a status change tells strategies; and an order off the new
 * grid refused, never rounded, while working orders on the old grid still fill.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import type { MarketStatusChanged } from '../../src/engine/markets/events.ts';
import { operatorOrigin, RECONCILIATION, strategyOrigin } from '../../src/engine/origin.ts';
import { TailingMemoryJournal } from '../../src/journal/memory.ts';
import { decodeSnapshot, encodeSnapshot, JSON_SNAPSHOTS, SNAPSHOT_VERSION } from '../../src/journal/snapshot.ts';
import { Currencies } from '../../src/model/currency.ts';
import { StrategyHost, strategyResult } from '../../src/node/strategy-host.ts';
import type { Strategy, StrategyContext } from '../../src/strategy/strategy.ts';
import { BTC, BTC_SPEC, ETH, kinds, limit, marketBuy, observe, recordsAfter, settle, setup, snapshot } from './fixtures.ts';

const maintenance = { venue: 'BINANCE', status: 'MAINTENANCE', reason: 'system upgrade' } as const;

describe('engine.setMarketStatus (FAULTS 34)', () => {
  it('journals MarketStatusChanged with who said so, alerts MARKET_STATUS_CHANGED and publishes it once durable', async () => {
    const h = await setup();
    const published: MarketStatusChanged[] = [];
    h.engine.bus.subscribe('marketStatus', (e) => published.push(e));
    const seq = h.engine.lastSeq;
    expect(await h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: BTC, status: 'HALTED', reason: 'volatility halt' }, RECONCILIATION)).toBe(true);
    const [r] = recordsAfter(h.journal, seq);
    expect(r?.event).toMatchObject({ kind: 'MarketStatusChanged', venue: 'BINANCE', instrumentId: BTC, status: 'HALTED', reason: 'volatility halt', origin: 'RECONCILIATION' });
    expect(published).toEqual([r?.event]);
    expect(h.alerts.map((a) => [a.code, a.context.status, a.context.instrumentId])).toEqual([['MARKET_STATUS_CHANGED', 'HALTED', BTC]]);
    expect(h.engine.markets.statusOf('BINANCE', BTC)).toBe('HALTED');
    expect(h.engine.markets.statusOf('BINANCE')).toBe('OPEN');
  });

  it('the status in force said again journals nothing and resolves false: a venue may be polled without a storm', async () => {
    const h = await setup();
    expect(await h.engine.setMarketStatus(maintenance)).toBe(true);
    const before = observe(h);
    for (let i = 0; i < 5; i++) expect(await h.engine.setMarketStatus({ ...maintenance, reason: `poll ${i}` })).toBe(false);
    expect(await h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: BTC, status: 'OPEN', reason: 'never closed' })).toBe(false);
    expect(observe(h)).toEqual(before);
    expect(h.alerts).toHaveLength(1);
  });

  it('a strategy cannot say what a venue does; an operator needs the RISK role; refused, nothing is journaled', async () => {
    const h = await setup();
    const before = observe(h);
    await expect(h.engine.setMarketStatus({ ...maintenance, status: 'OPEN' }, strategyOrigin('s1'))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await expect(h.engine.setMarketStatus(maintenance, strategyOrigin('s1'))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    const trader = h.engine.authority.issue('trader', ['TRADE']);
    await expect(h.engine.setMarketStatus(maintenance, operatorOrigin(trader))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect(observe(h)).toEqual(before);
    const ops = h.engine.authority.issue('ops', ['RISK']);
    expect(await h.engine.setMarketStatus(maintenance, operatorOrigin(ops))).toBe(true);
    expect(h.journal.all().at(-1)?.event).toMatchObject({ kind: 'MarketStatusChanged', origin: 'OPERATOR:ops' });
  });

  it('bad input is refused with a stable code and journals nothing', async () => {
    const h = await setup();
    const before = observe(h);
    await expect(h.engine.setMarketStatus({ venue: 'NOWHERE', status: 'CLOSED', reason: 'x' })).rejects.toMatchObject({ code: 'UNKNOWN_VENUE' });
    await expect(h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: 'XRPUSDT.KRAKEN', status: 'HALTED', reason: 'x' })).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    await expect(h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: 'NOPE.BINANCE', status: 'HALTED', reason: 'x' })).rejects.toMatchObject({ code: 'UNKNOWN_INSTRUMENT' });
    await expect(h.engine.setMarketStatus({ venue: 'BINANCE', status: 'SHUT' as never, reason: 'x' })).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    await expect(h.engine.setMarketStatus({ venue: 'BINANCE', status: 'CLOSED', reason: 7 as never })).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    expect(observe(h)).toEqual(before);
    // A venue known only by its registered instruments (no adapter added) may be given a status.
    expect(await h.engine.setMarketStatus({ venue: 'KRAKEN', status: 'MAINTENANCE', reason: 'x' })).toBe(true);
  });
});

describe('engine.updateInstrument (FAULTS 35)', () => {
  it('a coarser tick and lot: an order off the new grid is refused (OFF_TICK_GRID, OFF_LOT_GRID), never rounded; one on it goes out', async () => {
    const h = await setup();
    const seq = h.engine.lastSeq;
    const now = await h.engine.updateInstrument({ ...BTC_SPEC, tickSize: '0.1', lotSize: '0.01' });
    expect(now.tickSize.toString()).toBe('0.10');
    expect(now.lotSize.toString()).toBe('0.010');
    expect([now.pricePrecision, now.sizePrecision]).toEqual([2, 3]);
    expect(kinds(recordsAfter(h.journal, seq))).toEqual(['InstrumentUpdated']);
    expect(h.alerts.map((a) => [a.code, a.context.tickSize, a.context.previousTickSize])).toEqual([['INSTRUMENT_CHANGED', '0.10', '0.05']]);

    const before = observe(h);
    await expect(h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.05'))).rejects.toMatchObject({ code: 'OFF_TICK_GRID' });
    await expect(h.engine.submitOrder(limit('L-2', 'BUY', '0.015', '24000.10'))).rejects.toMatchObject({ code: 'OFF_LOT_GRID' });
    expect(observe(h)).toEqual(before);
    const ok = await h.engine.submitOrder(limit('L-3', 'BUY', '0.02', '24000.10'));
    expect(ok.denied).toEqual([]);
    expect(h.venue.calls.map((c) => `${c.kind} ${c.clientOrderId}`)).toEqual(['submit L-3']);
    // A modify to an off-grid price is refused the same way.
    await expect(h.engine.modifyOrder('L-3', { price: '24000.15' })).rejects.toMatchObject({ code: 'OFF_TICK_GRID' });
  });

  it('a working order placed on the old grid stays as the venue holds it: its fills in the old steps are booked', async () => {
    const h = await setup();
    await h.engine.submitOrder(limit('W-1', 'BUY', '0.015', '24000.05'));
    await settle();
    expect(h.engine.order('W-1')?.status).toBe('ACCEPTED');
    h.clock.advance(1);
    await h.engine.updateInstrument({ ...BTC_SPEC, tickSize: '0.10', lotSize: '0.010' });
    h.venue.fill('W-1', '0.005', '24000.05');
    h.venue.fill('W-1', '0.010', '24000.05');
    await settle();
    const o = h.engine.order('W-1')!;
    expect([o.status, o.filledQty.toString()]).toEqual(['FILLED', '0.015']);
    expect(h.alerts.map((a) => a.code)).toEqual(['INSTRUMENT_CHANGED']);
    // An order placed after the change is held to the new grid, fills included.
    h.clock.advance(1);
    await h.engine.submitOrder(limit('N-1', 'BUY', '0.02', '24000.10'));
    await settle();
    h.venue.fill('N-1', '0.005', '24000.10');
    await settle();
    expect(h.engine.order('N-1')?.filledQty.toString()).toBe('0.000');
    expect(h.alerts.map((a) => a.code)).toEqual(['INSTRUMENT_CHANGED', 'OFF_LOT_GRID']);
  });

  it('refuses what would change the ledger: a finer grid, another currency or multiplier; a strategy may not; nothing journaled', async () => {
    const h = await setup();
    const before = observe(h);
    await expect(h.engine.updateInstrument({ ...BTC_SPEC, tickSize: '0.001' })).rejects.toMatchObject({ code: 'INVALID_INSTRUMENT', context: { field: 'tickSize' } });
    await expect(h.engine.updateInstrument({ ...BTC_SPEC, lotSize: '0.0001' })).rejects.toMatchObject({ code: 'INVALID_INSTRUMENT', context: { field: 'lotSize' } });
    await expect(h.engine.updateInstrument({ ...BTC_SPEC, quote: Currencies.ETH })).rejects.toMatchObject({ code: 'INVALID_INSTRUMENT', context: { field: 'quote' } });
    await expect(h.engine.updateInstrument({ ...BTC_SPEC, multiplier: '2' })).rejects.toMatchObject({ code: 'INVALID_INSTRUMENT', context: { field: 'multiplier' } });
    await expect(h.engine.updateInstrument({ ...BTC_SPEC, id: 'NOPE.BINANCE' })).rejects.toMatchObject({ code: 'UNKNOWN_INSTRUMENT' });
    await expect(h.engine.updateInstrument({ ...BTC_SPEC, tickSize: '0.10' }, strategyOrigin('s1'))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect(observe(h)).toEqual(before);
    // The same definition again (the tick written another way) changes nothing and journals nothing.
    const same = h.engine.instrument(BTC);
    expect(await h.engine.updateInstrument({ ...BTC_SPEC, tickSize: '0.050' })).toBe(same);
    expect(observe(h)).toEqual(before);
  });

  it('fees and limits change too: a new minimum quantity is enforced, the new taker fee charged', async () => {
    const h = await setup();
    await h.engine.updateInstrument({ ...BTC_SPEC, minQuantity: '0.05', takerFee: '0.002' });
    await expect(h.engine.submitOrder(marketBuy('M-1', '0.01'))).rejects.toMatchObject({ code: 'QUANTITY_BELOW_MIN' });
    h.clock.advance(1);
    await h.engine.submitOrder(marketBuy('M-2', '0.1'));
    await settle();
    const fill = h.journal.all().find((r) => r.event.kind === 'OrderFilled' && r.event.clientOrderId === 'M-2')?.event;
    // 0.1 × 24,100 × 0.2% = 4.82 USDT (the scripted venue gives no commission: the fee schedule applies).
    expect(fill && 'commission' in fill ? fill.commission.toString() : undefined).toBe('4.82000000 USDT');
  });
});

describe('replay and snapshots keep the venue facts', () => {
  async function changed() {
    const h = await setup({ journal: new TailingMemoryJournal() });
    await h.engine.submitOrder(limit('W-1', 'BUY', '0.015', '24000.05'));
    await settle();
    h.clock.advance(10);
    await h.engine.updateInstrument({ ...BTC_SPEC, tickSize: '0.1', lotSize: '0.01' });
    await h.engine.setMarketStatus(maintenance);
    await h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: ETH, status: 'HALTED', reason: 'delisting review' });
    return h;
  }

  it('a full replay rebuilds the statuses and the updated instrument, and old-grid fills still book after it', async () => {
    const h = await changed();
    const back = await Engine.fromJournal(h.journal, { clock: h.clock });
    expect(back.markets.all()).toEqual(h.engine.markets.all());
    expect(back.instrument(BTC).tickSize.toString()).toBe('0.10');
    expect(back.instrument(BTC).spec).toEqual(h.engine.instrument(BTC).spec);
    expect(back.state.gridChangedAt(h.engine.instrument(BTC).id)).toBe(h.engine.state.gridChangedAt(h.engine.instrument(BTC).id));
    expect(snapshot(back)).toEqual(snapshot(h.engine));
  });

  it(`a snapshot (format ${SNAPSHOT_VERSION}) holds them: recovery from it equals the live state, text for text`, async () => {
    const h = await changed();
    const journal = h.journal as unknown as TailingMemoryJournal;
    const body = encodeSnapshot(h.engine.state.toSnapshot(h.engine.lastSeq));
    expect(body).toContain('"markets":[{"venue":"BINANCE","instrumentId":null,"status":"MAINTENANCE"');
    expect(body).toContain('"tickSize":"0.1","lotSize":"0.01"');
    expect(body).toContain('"pricePrecision":2,"sizePrecision":3');
    journal.saveSnapshot(h.engine.lastSeq, body);
    const rec = await Engine.recover(journal, { clock: h.clock, snapshotCodec: JSON_SNAPSHOTS });
    expect(rec.recovery?.snapshotSeq).toBe(h.engine.lastSeq);
    expect(encodeSnapshot(rec.state.toSnapshot(rec.lastSeq))).toBe(body);
    expect(rec.markets.statusOf('BINANCE')).toBe('MAINTENANCE');
    expect(rec.markets.statusOf('BINANCE', ETH)).toBe('HALTED');
    // The order placed before the change still fills in the old steps after a restart.
    rec.addVenue(h.venue);
    h.venue.fill('W-1', '0.005', '24000.05');
    await settle();
    expect(rec.order('W-1')?.filledQty.toString()).toBe('0.005');
  });

  it('a version 4 snapshot (before market statuses) still loads, with every market OPEN and no grid changed', async () => {
    const h = await setup();
    const v5 = encodeSnapshot(h.engine.state.toSnapshot(h.engine.lastSeq));
    const v4 = v5.replace(`"format":${SNAPSHOT_VERSION}`, '"format":4').replace(/,"markets":\[\],"gridChanges":\[\]\}$/, '}');
    expect(v4).not.toContain('markets');
    const s = decodeSnapshot(v4, 4);
    expect(s.markets).toEqual({ entries: [] });
    expect(s.gridChanges).toEqual([]);
    expect(encodeSnapshot(s)).toBe(v5);
  });

  it('a malformed market entry is JOURNAL_CORRUPT', async () => {
    const h = await changed();
    const body = encodeSnapshot(h.engine.state.toSnapshot(h.engine.lastSeq));
    expect(() => decodeSnapshot(body.replace('"status":"MAINTENANCE"', '"status":"OPEN"'))).toThrow(expect.objectContaining({ code: 'JOURNAL_CORRUPT' }) as Error);
    expect(() => decodeSnapshot(body.replace(/"gridChanges":\[\["BTCUSDT.BINANCE",\d+\]\]/, '"gridChanges":[["BTCUSDT.BINANCE"]]'))).toThrow(expect.objectContaining({ code: 'JOURNAL_CORRUPT' }) as Error);
  });

  it('property: any sequence of status changes replays and recovers from a snapshot to the live statuses', async () => {
    const change = fc.record({
      level: fc.constantFrom<string | undefined>(undefined, BTC, ETH),
      status: fc.constantFrom('OPEN', 'CLOSED', 'HALTED', 'MAINTENANCE' as const),
      cut: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(change, { maxLength: 15 }), async (changes) => {
        const h = await setup({ journal: new TailingMemoryJournal() });
        const journal = h.journal as unknown as TailingMemoryJournal;
        for (const [i, c] of changes.entries()) {
          h.clock.advance(1);
          await h.engine.setMarketStatus({ venue: 'BINANCE', ...(c.level ? { instrumentId: c.level } : {}), status: c.status, reason: `r${i}` });
          if (c.cut) journal.saveSnapshot(h.engine.lastSeq, encodeSnapshot(h.engine.state.toSnapshot(h.engine.lastSeq)));
        }
        const full = await Engine.fromJournal(journal, { clock: h.clock });
        const rec = await Engine.recover(journal, { clock: h.clock, snapshotCodec: JSON_SNAPSHOTS });
        expect(full.markets.all()).toEqual(h.engine.markets.all());
        expect(rec.markets.all()).toEqual(h.engine.markets.all());
      }),
      { numRuns: 40 },
    );
  });
});

describe('strategies are told (Strategy.onMarketStatus through the strategy host)', () => {
  function probe(seen: string[], calls: { ctx?: StrategyContext }): Strategy {
    return {
      name: 'probe',
      onBar: () => undefined,
      onStart: (ctx) => {
        calls.ctx = ctx;
      },
      onMarketStatus: (e, ctx) => {
        seen.push(`${ctx.strategyId} ${e.instrumentId ?? e.venue} ${e.status} ${ctx.marketStatus(BTC)}`);
      },
    };
  }

  async function hosted() {
    const h = await setup();
    const seen: string[] = [];
    const calls: { ctx?: StrategyContext } = {};
    const other: string[] = [];
    const host = new StrategyHost({
      engine: h.engine,
      configs: [
        { id: 'btc', name: 'probe', account: 'ACC-1', instruments: [BTC], params: {} },
        { id: 'kraken', name: 'other', account: 'ACC-1', instruments: ['XRPUSDT.KRAKEN'], params: {} },
      ],
      factories: {
        probe: { name: 'probe', description: 'records market status changes', params: [], create: () => probe(seen, calls) },
        other: { name: 'other', description: 'records too', params: [], create: () => probe(other, {}) },
      },
      route: async (order, origin) => strategyResult(await h.engine.submitOrder(order, origin)),
      runTag: '1',
    });
    await host.start();
    return { h, host, seen, other, calls };
  }

  it('a halt of its market and maintenance of its venue reach the strategy, in order, with ctx.marketStatus in step; others are not told', async () => {
    const { h, host, seen, other, calls } = await hosted();
    expect(calls.ctx?.marketStatus()).toBe('OPEN');
    await h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: BTC, status: 'HALTED', reason: 'halt' });
    await h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: ETH, status: 'HALTED', reason: 'not its market' });
    await h.engine.setMarketStatus(maintenance);
    await h.engine.setMarketStatus({ ...maintenance, status: 'OPEN' });
    await h.engine.setMarketStatus({ venue: 'BINANCE', instrumentId: BTC, status: 'OPEN', reason: 'resumed' });
    expect(seen).toEqual([`btc ${BTC} HALTED HALTED`, 'btc BINANCE MAINTENANCE MAINTENANCE', 'btc BINANCE OPEN HALTED', `btc ${BTC} OPEN OPEN`]);
    expect(other).toEqual([]);
    // And what it sends while the market is closed is denied by the gate it would meet in a node.
    await host.stop();
    await h.engine.setMarketStatus(maintenance);
    expect(seen).toHaveLength(4);
  });

  it("ctx.instrument and ctx.instruments give the venue's new definition after an update", async () => {
    const { h, calls } = await hosted();
    const ctx = calls.ctx!;
    const list = ctx.instruments;
    expect(ctx.instrument(BTC).tickSize.toString()).toBe('0.05');
    await h.engine.updateInstrument({ ...BTC_SPEC, tickSize: '0.10' });
    expect(ctx.instrument(BTC).tickSize.toString()).toBe('0.10');
    expect(ctx.instruments[0]?.tickSize.toString()).toBe('0.10');
    expect(ctx.instruments).not.toBe(list);
    expect(Object.isFrozen(ctx.instruments)).toBe(true);
  });
});
