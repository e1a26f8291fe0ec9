/**
 * The engine trading MetaTrader 5 through the DWX ZeroMQ bridge: the real zeromq client against a
 * fake bridge on 127.0.0.1 that takes the EA's commands and answers as the EA writes its replies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import type { Quote } from '../../../src/model/quote.ts';
import { FakeMt5Bridge } from '../../support/fake-mt5/fake-bridge.ts';
import { connectHarness, EURUSD, EURUSD_SPEC, fills, statusOf, until, type Harness } from './harness.ts';

let bridge: FakeMt5Bridge;
let h: Harness;

beforeEach(async () => {
  bridge = new FakeMt5Bridge();
  bridge.ea.addSymbol(EURUSD_SPEC, '1.10230', '1.10236');
  await bridge.start();
  h = await connectHarness(bridge);
});

afterEach(async () => {
  await h.close();
  await bridge.close();
});

const opens = () => bridge.ea.log.filter((c) => c.startsWith('TRADE;OPEN;'));
const order = (o: Record<string, unknown>) => h.engine.submitOrder({ accountId: 'A', instrumentId: EURUSD, ...o } as never);

describe('MetaTrader 5 through the DWX bridge', () => {
  it('learns EURUSD from SYMBOL_INFO as lots of 100 000 on a 0.00001 grid, exactly', () => {
    const i = h.engine.instrument(EURUSD);
    expect([i.kind, i.tickSize.toString(), i.lotSize.toString(), i.minQuantity?.toString(), i.maxQuantity?.toString(), `${i.multiplier.digits}e-${i.multiplier.scale}`, i.settlement.code, i.settlement.precision]).toEqual([
      'PERPETUAL', '0.00001', '0.01', '0.01', '50.00', '100000e-0', 'USD', 7,
    ]);
  });

  it('buys at market, rests a sell limit and a buy stop, moves and cancels them; fills exact, the books agree', async () => {
    await order({ clientOrderId: 'm-1', side: 'BUY', type: 'MARKET', quantity: '0.10' });
    await statusOf(h, 'm-1', 'FILLED');
    expect(opens()[0]).toBe(`TRADE;OPEN;0;EURUSD;0;0;0;m-1;0.10;${opens()[0]!.split(';')[9] ?? ''};0`);
    await order({ clientOrderId: 'l-1', side: 'SELL', type: 'LIMIT', quantity: '0.05', price: '1.10300' });
    await order({ clientOrderId: 's-1', side: 'BUY', type: 'STOP_MARKET', quantity: '0.02', triggerPrice: '1.10500' });
    await statusOf(h, 'l-1', 'ACCEPTED');
    await statusOf(h, 's-1', 'ACCEPTED');
    await h.engine.modifyOrder('s-1', { triggerPrice: '1.10600' });
    await until(() => h.engine.order('s-1')?.triggerPrice?.toString() === '1.10600', 's-1 moved');
    expect([...bridge.ea.trades.values()].find((t) => t.comment === 's-1')?.price).toBe('1.10600');
    await bridge.quote('EURUSD', '1.10300', '1.10306');
    await statusOf(h, 'l-1', 'FILLED');
    await h.engine.cancelOrder('s-1');
    await statusOf(h, 's-1', 'CANCELED');
    expect(bridge.ea.trades.size).toBe(2);
    expect(fills(h).map((f) => f.slice(0, 3))).toEqual([
      ['m-1', '0.10', '1.10236'],
      ['l-1', '0.05', '1.10300'],
    ]);
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
  });

  it('passes quotes from the SUB socket on exactly, and tracks them again after the bridge restarts', async () => {
    const got: Quote[] = [];
    h.adapter.marketData([{ instrumentId: EURUSD, symbol: 'EURUSD', quotes: true, trades: false, bars: undefined }], (q) => got.push(q as Quote));
    await until(() => bridge.ea.tracked.includes('EURUSD'), 'TRACK_PRICES');
    await bridge.quote('EURUSD', '1.10240', '1.10247');
    await until(() => got.length > 0, 'a quote');
    expect([got[0]!.bid, got[0]!.ask]).toEqual(['1.1024', '1.10247']);
    await bridge.restart();
    await until(() => bridge.ea.tracked.includes('EURUSD'), 'TRACK_PRICES again');
    await bridge.quote('EURUSD', '1.10250', '1.10251');
    await until(() => got.some((q) => q.ask === '1.10251'), 'a quote after the restart');
  });

  it('rejects what the EA refuses with its code mapped (134 not enough money), and what DWX cannot express before sending it', async () => {
    bridge.failNext('OPEN', { kind: 'ERROR', code: '134', text: 'not enough money' });
    await order({ clientOrderId: 'poor', side: 'BUY', type: 'MARKET', quantity: '1' });
    await statusOf(h, 'poor', 'REJECTED');
    const reason = (id: string) => {
      const e = h.events.find((x) => x.kind === 'OrderRejected' && x.clientOrderId === id);
      return e && 'reason' in e ? e.reason : '';
    };
    expect(reason('poor')).toMatch(/^INSUFFICIENT_BALANCE: .*134 \(not enough money\)/);
    await order({ clientOrderId: 'day', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '1.10000', timeInForce: 'DAY' });
    await statusOf(h, 'day', 'REJECTED');
    expect(reason('day')).toMatch(/^UNSUPPORTED_AT_VENUE/);
    expect(opens()).toHaveLength(1);
    expect(bridge.ea.trades.size).toBe(0);
  });

  it('maps a client id longer than MT5 keeps to a 31-character comment, and finds it back', async () => {
    const id = 'a-very-long-client-order-id-from-a-strategy-0001';
    await order({ clientOrderId: id, side: 'SELL', type: 'MARKET', quantity: '0.01' });
    await statusOf(h, id, 'FILLED');
    const comment = opens()[0]!.split(';')[7]!;
    expect(comment).toMatch(/^w[0-9a-f]{30}$/);
    expect((await h.adapter.queries.orderStatus(id))?.status).toBe('FILLED');
  });
});

describe('MT5 venue faults (FAULTS 15-24)', () => {
  it('FAULTS 15: an OPEN whose reply is lost is found among the open trades by its comment, under its ticket; never sent twice', async () => {
    bridge.dropReplies('OPEN');
    await order({ clientOrderId: 't-1', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '1.10000' });
    await statusOf(h, 't-1', 'ACCEPTED');
    await h.executor.idle();
    expect(opens()).toHaveLength(1);
    expect(h.engine.order('t-1')!.venueOrderId).toBe(String([...bridge.ea.trades.keys()][0]));
    expect(h.engine.order('t-1')!.status).toBe('ACCEPTED');
  });

  it('FAULTS 15: a late EXECUTION reply is paired with its order by magic, not taken for the next command, and its fill counted once', async () => {
    bridge.holdReplies();
    await order({ clientOrderId: 'late', side: 'BUY', type: 'MARKET', quantity: '0.03' });
    await until(() => h.events.some((e) => e.kind === 'OrderStatusUnknown' && e.clientOrderId === 'late'), 'late UNKNOWN');
    await bridge.release();
    await statusOf(h, 'late', 'FILLED');
    await order({ clientOrderId: 'next', side: 'SELL', type: 'MARKET', quantity: '0.01' });
    await statusOf(h, 'next', 'FILLED');
    expect(fills(h).map((f) => f.slice(0, 3))).toEqual([
      ['late', '0.03', '1.10236'],
      ['next', '0.01', '1.10230'],
    ]);
    expect(opens()).toHaveLength(2);
  });

  it('FAULTS 21: a busy trade context (refused unread) backs off and sends once more; one order at the broker', async () => {
    bridge.failNext('OPEN', { kind: 'ABORT', response: 'TRADE_CONTEXT_BUSY__ABORTED_COMMAND' });
    await order({ clientOrderId: 'b-1', side: 'BUY', type: 'MARKET', quantity: '0.01' });
    await statusOf(h, 'b-1', 'FILLED');
    expect(opens()).toHaveLength(2);
    expect(bridge.ea.trades.size).toBe(1);
  });

  it('FAULTS 16/17: a cancel that finds the order filled reports the fill and never closes the position', async () => {
    await order({ clientOrderId: 'c-1', side: 'BUY', type: 'LIMIT', quantity: '0.04', price: '1.10100' });
    await statusOf(h, 'c-1', 'ACCEPTED');
    bridge.ea.setQuote('EURUSD', '1.10090', '1.10096');
    await h.engine.cancelOrder('c-1');
    await statusOf(h, 'c-1', 'FILLED');
    expect(bridge.ea.log.some((c) => c.startsWith('TRADE;CLOSE;'))).toBe(false);
    expect(fills(h).map((f) => f.slice(0, 3))).toEqual([['c-1', '0.04', '1.10100']]);
  });

  it('FAULTS 16: a cancel whose reply is lost is settled, the order canceled once', async () => {
    await order({ clientOrderId: 'c-2', side: 'SELL', type: 'LIMIT', quantity: '0.01', price: '1.10900' });
    await statusOf(h, 'c-2', 'ACCEPTED');
    bridge.dropReplies('CLOSE');
    await h.engine.cancelOrder('c-2');
    await statusOf(h, 'c-2', 'CANCELED');
    expect(bridge.ea.trades.size).toBe(0);
  });

  it('FAULTS 20/22: the bridge going away and back (fills made while down) loses and duplicates nothing', async () => {
    await order({ clientOrderId: 'd-1', side: 'SELL', type: 'LIMIT', quantity: '0.02', price: '1.10400' });
    await statusOf(h, 'd-1', 'ACCEPTED');
    await bridge.stop();
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'DOWN');
    bridge.ea.setQuote('EURUSD', '1.10400', '1.10405');
    await bridge.start();
    await statusOf(h, 'd-1', 'FILLED');
    await until(() => h.alerts.some((a) => a.code === 'VENUE_RECONNECTED'), 'UP');
    const [ticket, trade] = [...bridge.ea.trades][0]!;
    expect(fills(h)).toEqual([['d-1', '0.02', '1.10400', `${ticket}:${trade.deals[0]!.deal}`]]);
  });

  it('FAULTS 18: a modify that finds the order filled reports the fill at the old price and sends no MODIFY', async () => {
    await order({ clientOrderId: 'f-1', side: 'BUY', type: 'LIMIT', quantity: '0.03', price: '1.10100' });
    await statusOf(h, 'f-1', 'ACCEPTED');
    bridge.ea.setQuote('EURUSD', '1.10090', '1.10096');
    await h.engine.modifyOrder('f-1', { price: '1.10050' }).catch(() => undefined);
    await statusOf(h, 'f-1', 'FILLED');
    await h.executor.idle();
    expect(bridge.ea.log.some((c) => c.startsWith('TRADE;MODIFY;'))).toBe(false);
    expect(h.events.some((e) => e.kind === 'OrderUpdated' && e.clientOrderId === 'f-1')).toBe(false);
    expect(fills(h).map((f) => f.slice(0, 3))).toEqual([['f-1', '0.03', '1.10100']]);
    expect(h.engine.order('f-1')!.price?.toString()).toBe('1.10100');
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
  });

  it('FAULTS 18: a fill between the read and the MODIFY is refused by the EA (NOT_PENDING), and the fill reported at the old price', async () => {
    await order({ clientOrderId: 'f-2', side: 'SELL', type: 'LIMIT', quantity: '0.02', price: '1.10300' });
    await statusOf(h, 'f-2', 'ACCEPTED');
    // The market reaches the order just as the MODIFY is taken, after the adapter read the open trades.
    bridge.ea.before.set('MODIFY', [() => void bridge.ea.setQuote('EURUSD', '1.10300', '1.10306')]);
    await h.engine.modifyOrder('f-2', { price: '1.10350' }).catch(() => undefined);
    await statusOf(h, 'f-2', 'FILLED');
    await h.executor.idle();
    expect(bridge.ea.log.filter((c) => c.startsWith('TRADE;MODIFY;'))).toHaveLength(1);
    expect(h.events.some((e) => e.kind === 'OrderUpdated' && e.clientOrderId === 'f-2')).toBe(false);
    expect(h.events.some((e) => e.kind === 'OrderModifyRejected' && e.clientOrderId === 'f-2' && /TOO_LATE_TO_MODIFY/.test(e.reason))).toBe(true);
    expect([...bridge.ea.trades.values()].map((t) => [t.type, t.price])).toEqual([[1, '1.10300']]);
    expect(fills(h).map((f) => f.slice(0, 3))).toEqual([['f-2', '0.02', '1.10300']]);
  });

  it('FAULTS 23/24: an order placed at the terminal is adopted; a position closed there is not assumed flat', async () => {
    await order({ clientOrderId: 'p-1', side: 'BUY', type: 'MARKET', quantity: '0.10' });
    await statusOf(h, 'p-1', 'FILLED');
    bridge.ea.placeExternal({ type: 2, symbol: 'EURUSD', lots: '0.01', price: '1.09000', comment: 'by hand', magic: 0 });
    for (const [ticket, t] of bridge.ea.trades) if (t.comment === 'p-1') bridge.ea.trades.delete(ticket);
    const r = await reconcile(h.engine, h.executor);
    expect(h.engine.order('MT5-' + [...bridge.ea.trades.keys()][0])?.status).toBe('ACCEPTED');
    expect(r.positionMismatches.length).toBe(1);
    expect(r.halted).toBe(true);
  });
});

describe('MT5 node restart', () => {
  it('a new adapter and engine recovered from the journal see the fill made while the node was down, once', async () => {
    await order({ clientOrderId: 'r-1', side: 'BUY', type: 'LIMIT', quantity: '0.03', price: '1.10100' });
    await statusOf(h, 'r-1', 'ACCEPTED');
    await h.close();
    bridge.ea.setQuote('EURUSD', '1.10090', '1.10100');
    h = await connectHarness(bridge, h.journal);
    await reconcile(h.engine, h.executor);
    await statusOf(h, 'r-1', 'FILLED');
    expect(h.engine.order('r-1')!.filledQty.toString()).toBe('0.03');
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
  });
});

describe('MT5 partial fills (deals listed by the bridge EA)', () => {
  const ticketOf = (comment: string) => [...bridge.ea.trades.values()].find((t) => t.comment === comment)!;
  const dealIds = (comment: string) => ticketOf(comment).deals.map((d) => `${ticketOf(comment).ticket}:${d.deal}`);

  it('a market order the server fills in part (DONE_PARTIAL): the part filled exactly, the rest canceled, nothing more after polls and reconciliation', async () => {
    bridge.ea.partialMarketFill = '0.04';
    await order({ clientOrderId: 'pm-1', side: 'BUY', type: 'MARKET', quantity: '0.10', timeInForce: 'IOC' });
    await statusOf(h, 'pm-1', 'CANCELED');
    expect(h.engine.order('pm-1')!.filledQty.toString()).toBe('0.04');
    expect(fills(h)).toEqual([['pm-1', '0.04', '1.10236', dealIds('pm-1')[0]]]);
    // Another order keeps the poll running over the position the part opened.
    await order({ clientOrderId: 'pm-2', side: 'SELL', type: 'LIMIT', quantity: '0.01', price: '1.11000' });
    await statusOf(h, 'pm-2', 'ACCEPTED');
    const polls = bridge.ea.log.filter((c) => c.includes('GET_OPEN_TRADES')).length;
    await until(() => bridge.ea.log.filter((c) => c.includes('GET_OPEN_TRADES')).length >= polls + 2, 'two polls');
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
    expect(fills(h)).toHaveLength(1);
    expect(h.engine.order('pm-1')!.filledQty.toString()).toBe('0.04');
  });

  it('a pending limit filled in two parts: two fills, each its deal, exact; the order PARTIALLY_FILLED in between, then FILLED', async () => {
    await order({ clientOrderId: 'pl-1', side: 'SELL', type: 'LIMIT', quantity: '0.05', price: '1.10300' });
    await statusOf(h, 'pl-1', 'ACCEPTED');
    bridge.ea.fillPart(ticketOf('pl-1').ticket, '0.02');
    await statusOf(h, 'pl-1', 'PARTIALLY_FILLED');
    expect(h.engine.order('pl-1')!.filledQty.toString()).toBe('0.02');
    expect((await h.adapter.queries.orderStatus('pl-1'))).toMatchObject({ status: 'OPEN' });
    expect((await h.adapter.queries.orderStatus('pl-1'))!.filledQty.toString()).toBe('0.02');
    await bridge.quote('EURUSD', '1.10300', '1.10306');
    await statusOf(h, 'pl-1', 'FILLED');
    expect(fills(h)).toEqual([
      ['pl-1', '0.02', '1.10300', dealIds('pl-1')[0]],
      ['pl-1', '0.03', '1.10300', dealIds('pl-1')[1]],
    ]);
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
    expect(fills(h)).toHaveLength(2);
  });

  it('a cancel of a limit filled in part deletes the rest: CANCELED with the part, the position it opened kept', async () => {
    await order({ clientOrderId: 'pc-1', side: 'BUY', type: 'LIMIT', quantity: '0.05', price: '1.10100' });
    await statusOf(h, 'pc-1', 'ACCEPTED');
    bridge.ea.fillPart(ticketOf('pc-1').ticket, '0.01');
    await statusOf(h, 'pc-1', 'PARTIALLY_FILLED');
    await h.engine.cancelOrder('pc-1');
    await statusOf(h, 'pc-1', 'CANCELED');
    expect(h.engine.order('pc-1')!.filledQty.toString()).toBe('0.01');
    expect([ticketOf('pc-1').type, ticketOf('pc-1').lots]).toEqual([0, '0.01']);
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
  });

  it('the bridge going away and back between two parts: each part booked once, none lost', async () => {
    await order({ clientOrderId: 'pr-1', side: 'SELL', type: 'LIMIT', quantity: '0.05', price: '1.10400' });
    await statusOf(h, 'pr-1', 'ACCEPTED');
    bridge.ea.fillPart(ticketOf('pr-1').ticket, '0.02');
    await statusOf(h, 'pr-1', 'PARTIALLY_FILLED');
    await bridge.stop();
    await until(() => h.alerts.some((a) => a.code === 'VENUE_DISCONNECTED'), 'DOWN');
    bridge.ea.fillPart(ticketOf('pr-1').ticket, '0.01');
    await bridge.start();
    await until(() => h.alerts.some((a) => a.code === 'VENUE_RECONNECTED'), 'UP');
    await until(() => h.engine.order('pr-1')!.filledQty.toString() === '0.03', 'the second part');
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
    expect(fills(h)).toEqual([
      ['pr-1', '0.02', '1.10400', dealIds('pr-1')[0]],
      ['pr-1', '0.01', '1.10400', dealIds('pr-1')[1]],
    ]);
    expect(h.engine.order('pr-1')!.status).toBe('PARTIALLY_FILLED');
  });

  it('a node restart between two parts: the recovered engine books the second part only, the order FILLED at its quantity', async () => {
    await order({ clientOrderId: 'pn-1', side: 'BUY', type: 'LIMIT', quantity: '0.05', price: '1.10100' });
    await statusOf(h, 'pn-1', 'ACCEPTED');
    bridge.ea.fillPart(ticketOf('pn-1').ticket, '0.02');
    await statusOf(h, 'pn-1', 'PARTIALLY_FILLED');
    await h.close();
    bridge.ea.setQuote('EURUSD', '1.10090', '1.10100');
    h = await connectHarness(bridge, h.journal);
    await reconcile(h.engine, h.executor);
    await statusOf(h, 'pn-1', 'FILLED');
    expect(h.engine.order('pn-1')!.filledQty.toString()).toBe('0.05');
    await h.executor.idle();
    expect(fills(h)).toEqual([['pn-1', '0.03', '1.10100', dealIds('pn-1')[1]]]);
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
    expect(h.engine.order('pn-1')!.filledQty.toString()).toBe('0.05');
  });

  it('an EA that lists no deals (stock DWX) fills a ticket whole, named <ticket>:open, once', async () => {
    bridge.ea.listsDeals = false;
    await order({ clientOrderId: 'old-1', side: 'BUY', type: 'MARKET', quantity: '0.02' });
    await order({ clientOrderId: 'old-2', side: 'SELL', type: 'LIMIT', quantity: '0.03', price: '1.10300' });
    await statusOf(h, 'old-1', 'FILLED');
    await statusOf(h, 'old-2', 'ACCEPTED');
    await bridge.quote('EURUSD', '1.10300', '1.10306');
    await statusOf(h, 'old-2', 'FILLED');
    const r = await reconcile(h.engine, h.executor);
    expect([r.halted, r.positionMismatches]).toEqual([false, []]);
    expect(fills(h)).toEqual([
      ['old-1', '0.02', '1.10236', `${ticketOf('old-1').ticket}:open`],
      ['old-2', '0.03', '1.10300', `${ticketOf('old-2').ticket}:open`],
    ]);
  });
});
