import { describe, expect, it } from 'vitest';
import { MessageBus } from '../../src/engine/bus.ts';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import type { EngineTopics } from '../../src/engine/topics.ts';
import type { EngineEvent } from '../../src/engine/events.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { EngineState } from '../../src/engine/state.ts';
import { Currencies } from '../../src/model/currency.ts';
import { accountId, positionId, tradeId } from '../../src/model/identifiers.ts';
import { Instrument } from '../../src/model/instrument.ts';
import { Money } from '../../src/model/money.ts';
import { createOrderSpec } from '../../src/model/orders/factory.ts';
import type { OrderFilled } from '../../src/model/orders/events.ts';
import { JSON_SNAPSHOTS } from '../../src/journal/snapshot.ts';
import { hedgingPositionId, nettingPositionId } from '../../src/portfolio/position-id.ts';
import { expectDenied, gateSetup } from '../risk/gate/fixtures.ts';
import { BTC, BTC_SPEC, T0, defaultVenue, marketBuy, settle, snapshot } from './fixtures.ts';

const usdt = (h: { engine: Engine }, acct: string): string => h.engine.portfolio.account(accountId(acct)).balance(Currencies.USDT).total.toString();
const btc = (h: { engine: Engine }, acct: string): string => h.engine.portfolio.account(accountId(acct)).balance(Currencies.BTC).total.toString();
const qty = (h: { engine: Engine }, acct: string, strat = 's1'): string | undefined => h.engine.portfolio.position(nettingPositionId(acct, BTC, strat))?.quantity.toString();

describe('two accounts trading BTC with the same strategy s1 hold two positions (issue 11.1)', () => {
  async function twoAccountsLong() {
    const h = await gateSetup();
    await h.engine.openAccount({ id: 'ACC-3', type: 'CASH', balances: [Money.of('50000', Currencies.USDT), Money.of('5', Currencies.BTC)] });
    await h.engine.submitOrder(marketBuy('A1-BUY', '2'));
    await h.engine.submitOrder(marketBuy('A2-BUY', '1', { accountId: 'ACC-2' }));
    await settle();
    return h;
  }

  it('ACC-1 is long 2 and ACC-2 long 1, each paying its own 24,100.00 × qty + 10 bps, with no FILL_MISMATCH', async () => {
    const h = await twoAccountsLong();
    expect(h.alerts.map((a) => a.code)).toEqual([]);
    expect(qty(h, 'ACC-1')).toBe('2.000');
    expect(qty(h, 'ACC-2')).toBe('1.000');
    expect(h.engine.portfolio.openPositions().map((p) => [p.id, p.accountId])).toEqual([
      ['ACC-1/BTCUSDT.BINANCE/s1', 'ACC-1'],
      ['ACC-2/BTCUSDT.BINANCE/s1', 'ACC-2'],
    ]);
    // ACC-1: 1,000,000 − 48,200 − 48.20; ACC-2: 50,000 − 24,100 − 24.10.
    expect(usdt(h, 'ACC-1')).toBe('951751.80000000 USDT');
    expect(btc(h, 'ACC-1')).toBe('12.00000000 BTC');
    expect(usdt(h, 'ACC-2')).toBe('25875.90000000 USDT');
    expect(btc(h, 'ACC-2')).toBe('1.00000000 BTC');
    expect(usdt(h, 'ACC-3')).toBe('50000.00000000 USDT');
  });

  it('a reduce-only SELL 1 from the flat ACC-3 is denied REDUCE_ONLY_WOULD_INCREASE (not checked against ACC-1’s long 2)', async () => {
    const h = await twoAccountsLong();
    await expectDenied(h, marketBuy('A3-SELL', '1', { accountId: 'ACC-3', side: 'SELL', reduceOnly: true }), 'REDUCE_ONLY_WOULD_INCREASE');
    expect(qty(h, 'ACC-3')).toBeUndefined();
  });

  it('a reduce-only SELL 1.5 from ACC-2 (long 1) is denied, a SELL 1 passes: each account reduces its own position', async () => {
    const h = await twoAccountsLong();
    await expectDenied(h, marketBuy('A2-SELL-1.5', '1.5', { accountId: 'ACC-2', side: 'SELL', reduceOnly: true }), 'REDUCE_ONLY_WOULD_INCREASE');
    await h.engine.submitOrder(marketBuy('A2-SELL-1', '1', { accountId: 'ACC-2', side: 'SELL', reduceOnly: true }));
    await settle();
    expect(qty(h, 'ACC-2')).toBe('0.000');
    expect(qty(h, 'ACC-1')).toBe('2.000');
  });

  it('an order naming another account’s position is refused with POSITION_NOT_OWNED and changes nothing', async () => {
    const h = await twoAccountsLong();
    const before = h.engine.lastSeq;
    await expect(
      h.engine.submitOrder(marketBuy('A3-STEAL', '1', { accountId: 'ACC-3', side: 'SELL', reduceOnly: true, positionId: nettingPositionId('ACC-1', BTC, 's1') })),
    ).rejects.toMatchObject({ code: 'POSITION_NOT_OWNED' });
    expect(h.engine.lastSeq).toBe(before);
  });

  it('replaying the journal rebuilds both positions and every balance', async () => {
    const h = await twoAccountsLong();
    const replayed = await Engine.fromJournal(h.journal, { clock: h.clock });
    expect(snapshot(replayed)).toEqual(snapshot(h.engine));
    expect(qty({ engine: replayed }, 'ACC-2')).toBe('1.000');
  });
});

/**
 * A journal written before position ids carried the account: fills name `BTCUSDT.BINANCE-s1`
 * (NETTING) and `BTCUSDT.BINANCE-s1-<order>` (HEDGING); strategy s2 opens and closes
 * a position. Built by hand, event by event.
 */
function oldJournal(): MemoryJournal {
  const inst = new Instrument(BTC_SPEC);
  const t = T0;
  const events: EngineEvent[] = [
    { kind: 'InstrumentRegistered', spec: inst.spec, tsEvent: t, tsInit: t },
    { kind: 'AccountOpened', accountId: accountId('ACC-1'), accountType: 'CASH', positionMode: 'NETTING', balances: [Money.of('100000', Currencies.USDT)], tsEvent: t, tsInit: t },
    { kind: 'AccountOpened', accountId: accountId('ACC-H'), accountType: 'CASH', positionMode: 'HEDGING', balances: [Money.of('100000', Currencies.USDT)], tsEvent: t, tsInit: t },
  ];
  let n = 0;
  const trade = (acct: string, id: string, side: 'BUY' | 'SELL', q: string, px: string, legacyPosition: string, strategy = 's1'): void => {
    const spec = createOrderSpec({ clientOrderId: id, accountId: acct, strategyId: strategy, instrumentId: BTC, side, type: 'MARKET', quantity: q }, inst, t);
    const ts = t + ++n * 1000;
    const fill: OrderFilled = {
      kind: 'OrderFilled', clientOrderId: spec.clientOrderId, tsEvent: ts, tsInit: ts, tradeId: tradeId(`T-${n}`), venueOrderId: undefined,
      accountId: spec.accountId, strategyId: spec.strategyId, instrumentId: spec.instrumentId, positionId: positionId(legacyPosition),
      side, lastQty: inst.quantity(q), lastPx: inst.price(px), commission: Money.of('1', Currencies.USDT), liquidity: 'TAKER',
    };
    events.push(
      { kind: 'OrderInitialized', clientOrderId: spec.clientOrderId, spec, tsEvent: ts, tsInit: ts },
      { kind: 'OrderSubmitted', clientOrderId: spec.clientOrderId, tsEvent: ts, tsInit: ts },
      fill,
    );
  };
  trade('ACC-1', 'OLD-1', 'BUY', '2', '20000.00', `${BTC}-s1`);
  trade('ACC-1', 'OLD-2', 'SELL', '0.5', '21000.00', `${BTC}-s1`);
  trade('ACC-H', 'OLD-H', 'BUY', '1', '20000.00', `${BTC}-s1-OLD-H`);
  // s2 goes long 1 and flat again: a closed position, kept in the retention window.
  trade('ACC-1', 'OLD-3', 'BUY', '1', '20000.00', `${BTC}-s2`, 's2');
  trade('ACC-1', 'OLD-4', 'SELL', '1', '20000.00', `${BTC}-s2`, 's2');
  const j = new MemoryJournal();
  j.append(events.map((event, i) => ({ seq: i + 1, event })));
  return j;
}

describe('a journal written before position ids carried the account still replays (issue 11.1)', () => {
  it('old NETTING fills (2 − 0.5) land on ACC-1/BTCUSDT.BINANCE/s1 = 1.5, old HEDGING on ACC-H/…/s1/OLD-H = 1; no old-form id is left', async () => {
    const engine = await Engine.fromJournal(oldJournal(), { clock: new TestClock(T0 + 10_000) });
    expect(engine.portfolio.allPositions().map((p) => [p.id, p.quantity.toString()])).toEqual([
      ['ACC-1/BTCUSDT.BINANCE/s1', '1.500'],
      ['ACC-H/BTCUSDT.BINANCE/s1/OLD-H', '1.000'],
      ['ACC-1/BTCUSDT.BINANCE/s2', '0.000'],
    ]);
    // 100,000 − 40,000 + 10,500 − 20,000 + 20,000 − 4 × 1 commission
    expect(engine.portfolio.account(accountId('ACC-1')).balance(Currencies.USDT).total.toString()).toBe('70496.00000000 USDT');
  });

  it('a new fill after the old ones nets into the same position (1.5 + 1 = 2.5), and a replay of old + new agrees', async () => {
    const journal = oldJournal();
    const clock = new TestClock(T0 + 10_000);
    const engine = await Engine.fromJournal(journal, { clock });
    const market = { last: '24100.00' as string | undefined };
    engine.addVenue(defaultVenue(clock, market));
    await engine.submitOrder(marketBuy('NEW-1', '1'));
    await settle();
    expect(engine.portfolio.openPositions().map((p) => [p.id, p.quantity.toString()])).toEqual([
      ['ACC-1/BTCUSDT.BINANCE/s1', '2.500'],
      ['ACC-H/BTCUSDT.BINANCE/s1/OLD-H', '1.000'],
    ]);
    const again = await Engine.fromJournal(journal, { clock });
    expect(snapshot(again)).toEqual(snapshot(engine));
  });

  it('what watches the replay (the bus) sees the old fills with the current position ids', async () => {
    const seen: string[] = [];
    const bus = new MessageBus<EngineTopics>();
    bus.subscribe('order', (e) => {
      if (e.kind === 'OrderFilled') seen.push(e.positionId);
    });
    await Engine.fromJournal(oldJournal(), { clock: new TestClock(T0), bus });
    expect(seen).toEqual(['ACC-1/BTCUSDT.BINANCE/s1', 'ACC-1/BTCUSDT.BINANCE/s1', 'ACC-H/BTCUSDT.BINANCE/s1/OLD-H', 'ACC-1/BTCUSDT.BINANCE/s2', 'ACC-1/BTCUSDT.BINANCE/s2']);
  });

  it('a snapshot written with old-form position ids restores them under the current ids (closed ones too)', async () => {
    const engine = await Engine.fromJournal(oldJournal(), { clock: new TestClock(T0) });
    const snap = engine.state.toSnapshot(engine.lastSeq);
    const legacy = new Map([
      [nettingPositionId('ACC-1', BTC, 's1'), `${BTC}-s1`],
      [hedgingPositionId('ACC-H', BTC, 's1', 'OLD-H'), `${BTC}-s1-OLD-H`],
      [nettingPositionId('ACC-1', BTC, 's2'), `${BTC}-s2`],
    ]);
    const old = {
      ...snap,
      portfolio: {
        ...snap.portfolio,
        positions: snap.portfolio.positions.map((p) => ({ ...p, id: positionId(legacy.get(p.id) ?? p.id) })),
        closedPositions: snap.portfolio.closedPositions.map((id) => positionId(legacy.get(id) ?? id)),
      },
    };
    expect(old.portfolio.positions.map((p) => p.id)).toEqual([`${BTC}-s1`, `${BTC}-s1-OLD-H`, `${BTC}-s2`]);
    expect(old.portfolio.closedPositions).toEqual([`${BTC}-s2`]);
    const decoded = JSON_SNAPSHOTS.decode(JSON_SNAPSHOTS.encode(old), JSON_SNAPSHOTS.version);
    const state = new EngineState();
    state.restore(decoded);
    expect(state.portfolio.allPositions().map((p) => [p.id, p.quantity.toString()])).toEqual([
      ['ACC-1/BTCUSDT.BINANCE/s1', '1.500'],
      ['ACC-H/BTCUSDT.BINANCE/s1/OLD-H', '1.000'],
      ['ACC-1/BTCUSDT.BINANCE/s2', '0.000'],
    ]);
    expect(state.portfolio.toSnapshot().closedPositions).toEqual(['ACC-1/BTCUSDT.BINANCE/s2']);
  });
});
