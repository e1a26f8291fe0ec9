import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRecord, EMPTY_STATE, fromSnapshot, positionKey, workingOrders, type LiveState } from '../../web/src/state/stream-state.ts';
import { admit, backoffDelay, resumeFrom, streamPath } from '../../web/src/state/resume.ts';
import { parseMessage, type WireEvent } from '../../web/src/state/wire.ts';
import { addDecimal, compareDecimal, negateDecimal } from '../../web/src/state/decimal.ts';

const init = (id: string, quantity = '1', side: 'BUY' | 'SELL' = 'BUY', type = 'LIMIT'): WireEvent => ({
  kind: 'OrderInitialized',
  clientOrderId: id,
  tsEvent: 1,
  tsInit: 1,
  spec: { type, clientOrderId: id, accountId: 'A1', instrumentId: 'BTCUSDT', side, quantity, price: '100.0' },
});
const ev = (kind: string, id: string, extra: Record<string, unknown> = {}): WireEvent => ({ kind, clientOrderId: id, tsEvent: 2, tsInit: 2, ...extra });
const fill = (id: string, tradeId: string, lastQty: string, side: 'BUY' | 'SELL' = 'BUY'): WireEvent =>
  ev('OrderFilled', id, { tradeId, accountId: 'A1', instrumentId: 'BTCUSDT', side, lastQty, lastPx: '100.0', positionId: 'P1' });

function run(records: readonly WireEvent[], start: LiveState = EMPTY_STATE): LiveState {
  return records.reduce((s, e, i) => applyRecord(s, i + 1, e), start);
}

describe('stream state: orders', () => {
  it('follows an order from initialized to filled and builds the position from its fills', () => {
    const s = run([init('o1', '2'), ev('OrderSubmitted', 'o1'), ev('OrderAccepted', 'o1', { venueOrderId: 'v1' }), fill('o1', 't1', '0.5'), fill('o1', 't2', '1.5')]);
    const o = s.orders.get('o1');
    expect(o?.status).toBe('FILLED');
    expect(o?.filledQty).toBe('2.0');
    expect(s.positions.get(positionKey('A1', 'BTCUSDT'))?.quantity).toBe('2.0');
    expect(workingOrders(s)).toEqual([]);
    expect(s.lastSeq).toBe(5);
  });

  it('a partial fill leaves the order working, a cancel ends it', () => {
    const s = run([init('o1', '2'), ev('OrderSubmitted', 'o1'), ev('OrderAccepted', 'o1'), fill('o1', 't1', '0.5')]);
    expect(s.orders.get('o1')?.status).toBe('PARTIALLY_FILLED');
    expect(workingOrders(s).map((o) => o.clientOrderId)).toEqual(['o1']);
    const pending = applyRecord(s, 5, ev('OrderPendingCancel', 'o1'));
    expect(pending.orders.get('o1')?.status).toBe('PENDING_CANCEL');
    const rejected = applyRecord(pending, 6, ev('OrderCancelRejected', 'o1', { reason: 'too late' }));
    expect(rejected.orders.get('o1')?.status).toBe('PARTIALLY_FILLED');
    const canceled = applyRecord(applyRecord(rejected, 7, ev('OrderPendingCancel', 'o1')), 8, ev('OrderCanceled', 'o1'));
    expect(canceled.orders.get('o1')?.status).toBe('CANCELED');
  });

  it('keeps the denial code and reason', () => {
    const s = run([init('o1'), ev('OrderDenied', 'o1', { code: 'KILL_SWITCH_ENGAGED', reason: 'the kill switch is engaged', context: {} })]);
    expect(s.orders.get('o1')).toMatchObject({ status: 'DENIED', code: 'KILL_SWITCH_ENGAGED', reason: 'the kill switch is engaged' });
  });

  it('a modify updates price and quantity and returns to the working status', () => {
    const s = run([init('o1', '2'), ev('OrderSubmitted', 'o1'), ev('OrderAccepted', 'o1'), ev('OrderPendingUpdate', 'o1'), ev('OrderUpdated', 'o1', { quantity: '3', price: '99.5' })]);
    expect(s.orders.get('o1')).toMatchObject({ status: 'ACCEPTED', quantity: '3', price: '99.5' });
  });

  it('a sell fill reduces the net position', () => {
    const s = run([init('o1', '1'), ev('OrderSubmitted', 'o1'), fill('o1', 't1', '1'), init('o2', '0.25', 'SELL'), ev('OrderSubmitted', 'o2'), fill('o2', 't2', '0.25', 'SELL')]);
    expect(s.positions.get(positionKey('A1', 'BTCUSDT'))?.quantity).toBe('0.75');
  });
});

describe('stream state: kill switch and trading states', () => {
  it('engage, then reset', () => {
    const engaged = run([{ kind: 'KillSwitchEngaged', tsEvent: 5, tsInit: 5, operator: 'user:risk1', reason: 'drill', flatten: false }]);
    expect(engaged.killSwitch).toMatchObject({ engaged: true, by: 'user:risk1', reason: 'drill', since: 5 });
    const state = applyRecord(engaged, 2, { kind: 'TradingStateChanged', tsEvent: 6, scope: { kind: 'GLOBAL' }, state: 'HALTED', source: 'KILL_SWITCH', reason: 'x' });
    expect(state.tradingStates.get('GLOBAL')).toBe('HALTED');
    const reset = applyRecord(state, 3, { kind: 'KillSwitchReset', tsEvent: 7, operator: 'user:risk1', reason: 'ok' });
    expect(reset.killSwitch.engaged).toBe(false);
    expect(reset.riskVersion).toBe(3);
  });
});

describe('stream state: exactly once', () => {
  it('a record at or below lastSeq changes nothing', () => {
    const s = run([init('o1'), ev('OrderSubmitted', 'o1'), fill('o1', 't1', '1')]);
    expect(applyRecord(s, 3, fill('o1', 't9', '1'))).toBe(s);
    expect(applyRecord(s, 1, init('o9'))).toBe(s);
  });

  it('a fill already counted in the snapshot (same trade id seen) is not counted twice', () => {
    const s = run([init('o1', '2'), ev('OrderSubmitted', 'o1'), fill('o1', 't1', '1')]);
    const again = applyRecord(s, 10, fill('o1', 't1', '1'));
    expect(again.orders.get('o1')?.filledQty).toBe('1');
    expect(again.positions.get(positionKey('A1', 'BTCUSDT'))?.quantity).toBe('1');
  });

  it('property: a stream replayed after any number of reconnects (each resuming from the last applied seq) ends in the same state as one pass', () => {
    const records: WireEvent[] = [];
    for (let i = 0; i < 6; i++) {
      const id = `o${i}`;
      records.push(init(id, '3'), ev('OrderSubmitted', id), ev('OrderAccepted', id), fill(id, `t${i}a`, '1'));
      if (i % 2 === 0) records.push(fill(id, `t${i}b`, '2'));
      else records.push(ev('OrderPendingCancel', id), ev('OrderCanceled', id));
    }
    const once = run(records);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: records.length }), { maxLength: 8 }), (cuts) => {
        // Each cut is a disconnect after which the server replays from resumeFrom(lastSeq) (inclusive).
        let s = EMPTY_STATE;
        let delivered = 0;
        for (const cut of [...cuts.sort((a, b) => a - b), records.length]) {
          const from = resumeFrom(s.lastSeq) ?? 1;
          for (let seq = from; seq <= Math.max(cut, delivered); seq++) s = applyRecord(s, seq, records[seq - 1] as WireEvent);
          delivered = Math.max(delivered, cut);
        }
        expect([...s.orders.entries()]).toEqual([...once.orders.entries()]);
        expect([...s.positions.entries()]).toEqual([...once.positions.entries()]);
        expect(s.lastSeq).toBe(records.length);
      }),
    );
  });
});

describe('snapshot', () => {
  it('starts from the REST answers at their seq and applies only later records', () => {
    const snap = fromSnapshot(
      7,
      [{ clientOrderId: 'o1', instrumentId: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '2', filledQty: '0', status: 'ACCEPTED' }],
      [{ accountId: 'A1', instrumentId: 'BTCUSDT', quantity: '1', side: 'SHORT' }],
    );
    expect(snap.positions.get(positionKey('A1', 'BTCUSDT'))?.quantity).toBe('-1');
    expect(applyRecord(snap, 7, fill('o1', 't1', '2'))).toBe(snap);
    const next = applyRecord(snap, 8, fill('o1', 't1', '2'));
    expect(next.orders.get('o1')?.status).toBe('FILLED');
    expect(next.positions.get(positionKey('A1', 'BTCUSDT'))?.quantity).toBe('1');
  });
});

describe('resume bookkeeping', () => {
  it('admits only records above lastSeq', () => {
    expect(admit(5, 6)).toBe('apply');
    expect(admit(5, 5)).toBe('duplicate');
    expect(admit(5, 2)).toBe('duplicate');
  });
  it('resumes from the last applied record', () => {
    expect(streamPath(0)).toBe('/api/stream');
    expect(streamPath(42)).toBe('/api/stream?from=42');
  });
  it('backoff grows, is capped, and stays within [exp/2, exp]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, u) => {
        const exp = Math.min(10_000, 250 * 2 ** Math.min(attempt, 30));
        const d = backoffDelay(attempt, u);
        expect(d).toBeGreaterThanOrEqual(exp / 2);
        expect(d).toBeLessThanOrEqual(exp);
      }),
    );
    expect(backoffDelay(0, 0)).toBe(125);
    expect(backoffDelay(20, 0)).toBe(5000);
  });
});

describe('wire parsing', () => {
  it('knows the message types and ignores anything else', () => {
    expect(parseMessage('{"type":"hello","lastSeq":3}')).toEqual({ type: 'hello', lastSeq: 3 });
    expect(parseMessage('{"type":"event","seq":4,"event":{"kind":"OrderSubmitted"}}')).toMatchObject({ type: 'event', seq: 4 });
    expect(parseMessage('{"type":"event","seq":"4","event":{"kind":"X"}}')).toBeUndefined();
    expect(parseMessage('not json')).toBeUndefined();
    expect(parseMessage('{"type":"nope"}')).toBeUndefined();
  });
});

describe('decimal text', () => {
  it('adds exactly', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(addDecimal('1', '-1.50')).toBe('-0.50');
    expect(negateDecimal('-0.25')).toBe('0.25');
    expect(compareDecimal('2.0', '2')).toBe(0);
    expect(() => addDecimal('1e3', '1')).toThrow(/not a decimal/);
  });
});

describe('permissions', () => {
  it('disables with a reason what the roles do not allow', async () => {
    const { permission } = await import('../../web/src/state/permissions.ts');
    expect(permission(['trader'], 'killSwitch.reset')).toEqual({ ok: false, reason: 'needs the risk role' });
    expect(permission(['risk'], 'killSwitch.reset')).toEqual({ ok: true });
    expect(permission(['trader'], 'killSwitch.engage')).toEqual({ ok: true });
    expect(permission(['viewer', 'admin'], 'order.submit')).toEqual({ ok: false, reason: 'needs the trader role' });
  });
});

describe('blotter view', () => {
  it('filters, sorts newest first and maps keys', async () => {
    const { visibleOrders, keyCommand, moveSelection } = await import('../../web/src/state/blotter-view.ts');
    const s = run([init('o1'), ev('OrderSubmitted', 'o1'), ev('OrderAccepted', 'o1'), init('o2'), { ...ev('OrderDenied', 'o2', { code: 'MAX_NOTIONAL', reason: 'r' }), tsEvent: 9 }]);
    expect(visibleOrders(s.orders.values(), 'working', '').map((o) => o.clientOrderId)).toEqual(['o1']);
    expect(visibleOrders(s.orders.values(), 'all', '').map((o) => o.clientOrderId)).toEqual(['o2', 'o1']);
    expect(visibleOrders(s.orders.values(), 'all', 'max_not').map((o) => o.clientOrderId)).toEqual(['o2']);
    expect(keyCommand('j', false)).toEqual({ do: 'move', by: 1 });
    expect(keyCommand('c', true)).toBeUndefined();
    expect(keyCommand('Escape', true)).toEqual({ do: 'escape' });
    expect(moveSelection(0, -1, 3)).toBe(0);
    expect(moveSelection(2, 1, 3)).toBe(2);
    expect(moveSelection(5, 1, 0)).toBe(0);
  });

  it('the selection follows its order when the rows re-sort (c must never cancel another order)', async () => {
    const { selectedRow, moveSelectionById } = await import('../../web/src/state/blotter-view.ts');
    const before = [{ clientOrderId: 'newer' }, { clientOrderId: 'older' }];
    // `older` updated (a trailing stop's trigger moved): it is now first.
    const after = [{ clientOrderId: 'older' }, { clientOrderId: 'newer' }];
    const id = moveSelectionById(before, undefined, 0);
    expect(id).toBe('newer');
    expect(selectedRow(after, id)).toEqual({ index: 1, row: { clientOrderId: 'newer' } });
    expect(moveSelectionById(after, id, -1)).toBe('older');
    expect(moveSelectionById(after, id, 1)).toBe('newer');
    // A selection no longer shown falls back to the first row; an empty blotter selects nothing.
    expect(selectedRow(after, 'gone').row).toEqual({ clientOrderId: 'older' });
    expect(selectedRow([], 'newer').row).toBeUndefined();
  });
});

describe('order ticket', () => {
  it('sends only the fields the kind uses, to the endpoint it belongs to', async () => {
    const { EMPTY_TICKET, ticketRequest } = await import('../../web/src/state/ticket.ts');
    const base = { ...EMPTY_TICKET, instrumentId: 'BTCUSDT', quantity: '0.5', price: '100', triggerPrice: '90' };
    expect(ticketRequest({ ...base, kind: 'MARKET' }, 0)).toEqual({
      path: '/api/orders',
      checkPath: '/api/orders/check',
      body: { instrumentId: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.5', timeInForce: 'GTC' },
    });
    expect(ticketRequest({ ...base, kind: 'STOP_LIMIT' }, 0).body).toMatchObject({ type: 'STOP_LIMIT', price: '100', triggerPrice: '90' });
    expect(ticketRequest({ ...base, kind: 'TRAILING_STOP_MARKET', trailingOffset: '25' }, 0).body).toMatchObject({ trailingOffset: '25', trailingOffsetType: 'PRICE' });
    const bracket = ticketRequest({ ...base, kind: 'BRACKET', takeProfitPrice: '110', stopLossTriggerPrice: '95' }, 0);
    expect(bracket.path).toBe('/api/order-lists');
    expect(bracket.checkPath).toBeUndefined();
    expect(ticketRequest({ ...base, kind: 'TWAP', durationMinutes: '2' }, 1000).body).toMatchObject({ kind: 'twap', endTime: 121_000, slices: 5 });
    expect(ticketRequest({ ...base, kind: 'VWAP', weights: '1,3' }, 0).body).toMatchObject({ kind: 'vwap', weights: [1, 3] });
    expect(ticketRequest({ ...base, kind: 'OCO', ocoStopTrigger: '80' }, 0).body).toEqual({
      kind: 'oco',
      orders: [
        { instrumentId: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '100', timeInForce: 'GTC' },
        { instrumentId: 'BTCUSDT', side: 'BUY', type: 'STOP_MARKET', quantity: '0.5', triggerPrice: '80', timeInForce: 'GTC' },
      ],
    });
  });
});

describe('display helpers', () => {
  it('equity points: seconds, increasing, last value of a second wins, non-numbers dropped', async () => {
    const { chartPoints } = await import('../../web/src/components/chart-points.ts');
    expect(chartPoints([{ ts: 3000, value: '3' }, { ts: 1000, value: '1' }, { ts: 1500, value: '1.5' }, { ts: 2000, value: 'x' }])).toEqual([
      { time: 1, value: 1.5 },
      { time: 3, value: 3 },
    ]);
  });
});

describe('formatting', () => {
  it('amounts lose a trailing currency, signs pick a class, times are UTC', async () => {
    const { amount, signClass, fmtTime, fmtValue } = await import('../../web/src/state/format.ts');
    expect(amount('-12.50 USDT')).toBe('-12.50');
    expect(amount('12.50')).toBe('12.50');
    expect(amount(null)).toBeNull();
    expect(signClass('-1')).toBe('neg');
    expect(signClass('0.000')).toBe('');
    expect(signClass('2')).toBe('pos');
    expect(fmtTime(Date.UTC(2023, 2, 1, 0, 5))).toBe('2023-03-01 00:05:00');
    expect(fmtValue({ a: 1 })).toBe('{"a":1}');
  });
});
