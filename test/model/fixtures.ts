/**
 * Shared fixtures for the model tests: a real-looking spot instrument, order requests, and one
 * builder per order event kind so state-machine tests can speak in events.
 */
import { expect } from 'vitest';
import { Currencies } from '../../src/model/currency.ts';
import { WardenError, type ErrorCode } from '../../src/model/errors.ts';
import { accountId, positionId, strategyId, tradeId, venueOrderId } from '../../src/model/identifiers.ts';
import { Instrument, type InstrumentSpec } from '../../src/model/instrument.ts';
import { Money } from '../../src/model/money.ts';
import type { OrderEvent, OrderEventKind, OrderFilled } from '../../src/model/orders/events.ts';
import { createOrderSpec, type OrderRequest } from '../../src/model/orders/factory.ts';
import { Order } from '../../src/model/orders/order.ts';
import type { LiquiditySide, OrderSpec } from '../../src/model/orders/types.ts';
import type { Price, Quantity } from '../../src/model/values.ts';

/** 2023-11-14T22:13:20Z in epoch milliseconds: the fixed "now" of every model test. */
export const NOW = 1_700_000_000_000;

/** Binance BTC/USDT spot: tick 0.01 USDT, lot 0.00001 BTC, 2 + 5 = 7 <= 8 USDT decimals. */
export const BTCUSDT_SPEC: InstrumentSpec = {
  id: 'BTCUSDT.BINANCE',
  kind: 'SPOT',
  base: Currencies.BTC,
  quote: Currencies.USDT,
  tickSize: '0.01',
  lotSize: '0.00001',
  makerFee: '0.0002',
  takerFee: '0.001',
};
export const BTCUSDT = new Instrument(BTCUSDT_SPEC);

export function instrumentWith(overrides: Partial<InstrumentSpec>): Instrument {
  return new Instrument({ ...BTCUSDT_SPEC, ...overrides });
}

/** A valid BUY LIMIT 1 BTC @ 30000.00 GTC request; override any field. */
export function limitRequest(overrides: Partial<OrderRequest> = {}): OrderRequest {
  return {
    clientOrderId: 'O-1',
    accountId: 'ACC-1',
    strategyId: 'S-1',
    instrumentId: 'BTCUSDT.BINANCE',
    side: 'BUY',
    type: 'LIMIT',
    quantity: '1',
    price: '30000.00',
    ...overrides,
  };
}

/** A request with only the fields every order needs; the test adds the rest. */
export function baseRequest(overrides: Partial<OrderRequest>): OrderRequest {
  return {
    clientOrderId: 'O-1',
    accountId: 'ACC-1',
    instrumentId: 'BTCUSDT.BINANCE',
    side: 'BUY',
    type: 'MARKET',
    quantity: '1',
    ...overrides,
  };
}

export function spec(overrides: Partial<OrderRequest> = {}, instrument: Instrument = BTCUSDT, now = NOW): OrderSpec {
  return createOrderSpec(limitRequest(overrides), instrument, now);
}

/** A new order: BUY LIMIT 1 BTC @ 30000.00 unless overridden. */
export function newOrder(overrides: Partial<OrderRequest> = {}): Order {
  return new Order(spec(overrides), NOW);
}

export const qty = (v: string): Quantity => BTCUSDT.quantity(v);
export const px = (v: string): Price => BTCUSDT.price(v);

export interface FillOptions {
  qty?: string;
  px?: string;
  tradeId?: string;
  liquidity?: LiquiditySide;
  side?: 'BUY' | 'SELL';
  instrumentId?: string;
  ts?: number;
}

/** An OrderFilled for `order`; default 0.25 BTC @ 30000.00, trade id T-1, TAKER, fee from the instrument. */
export function fill(order: Order, o: FillOptions = {}): OrderFilled {
  const lastQty = qty(o.qty ?? '0.25');
  const lastPx = px(o.px ?? '30000.00');
  const liquidity = o.liquidity ?? 'TAKER';
  const ts = o.ts ?? NOW + 1;
  return {
    kind: 'OrderFilled',
    clientOrderId: order.clientOrderId,
    tsEvent: ts,
    tsInit: ts,
    tradeId: tradeId(o.tradeId ?? 'T-1'),
    venueOrderId: venueOrderId('V-1'),
    accountId: accountId('ACC-1'),
    strategyId: strategyId('S-1'),
    instrumentId: (o.instrumentId ?? order.instrumentId) as OrderFilled['instrumentId'],
    positionId: positionId('P-1'),
    side: o.side ?? order.side,
    lastQty,
    lastPx,
    commission: BTCUSDT.fee(lastQty, lastPx, liquidity),
    liquidity,
  };
}

export interface EventOptions {
  ts?: number;
  /** For OrderFilled. */
  fill?: FillOptions;
  /** For OrderUpdated. */
  quantity?: Quantity;
  price?: Price;
}

/** A well-formed event of any kind for `order`. */
export function event(kind: OrderEventKind, order: Order, o: EventOptions = {}): OrderEvent {
  const ts = o.ts ?? NOW + 1;
  const base = { clientOrderId: order.clientOrderId, tsEvent: ts, tsInit: ts };
  switch (kind) {
    case 'OrderInitialized':
      return { ...base, kind, spec: order.spec };
    case 'OrderDenied':
      return { ...base, kind, code: 'MAX_ORDER_QUANTITY_EXCEEDED', reason: 'risk: too big', context: { field: 'quantity' } };
    case 'OrderSubmitted':
    case 'OrderTriggered':
    case 'OrderPendingUpdate':
    case 'OrderPendingCancel':
    case 'OrderCanceled':
    case 'OrderExpired':
      return { ...base, kind };
    case 'OrderAccepted':
      return { ...base, kind, venueOrderId: venueOrderId('V-1') };
    case 'OrderStatusUnknown':
      return { ...base, kind, request: 'SUBMIT', reason: 'timed out' };
    case 'OrderFillBusted': {
      // Busts the order's first trade (T-1, 0.25 at the fill fixture's price) unless told otherwise.
      const f = fill(order, { ts, tradeId: 'T-1', ...o.fill });
      return { ...base, kind, tradeId: f.tradeId, accountId: f.accountId, strategyId: f.strategyId, instrumentId: f.instrumentId, positionId: f.positionId, side: f.side, lastQty: f.lastQty, lastPx: f.lastPx, commission: f.commission, reason: 'venue busted the trade' };
    }
    case 'OrderRejected':
    case 'OrderModifyRejected':
    case 'OrderCancelRejected':
      return { ...base, kind, reason: 'venue says no' };
    case 'OrderUpdated':
      return { ...base, kind, quantity: o.quantity, price: o.price, triggerPrice: undefined, venueOrderId: undefined };
    case 'OrderFilled':
      return fill(order, { ts, ...o.fill });
  }
}

/** Applies the given kinds in order (fills get trade ids T-1, T-2, ... of 0.25 BTC each). */
export function applyAll(order: Order, kinds: readonly OrderEventKind[]): Order {
  let fills = 0;
  for (const kind of kinds) {
    const opts: EventOptions = kind === 'OrderFilled' ? { fill: { tradeId: `T-${++fills}` } } : {};
    order.apply(event(kind, order, opts));
  }
  return order;
}

/** Everything observable about an order, as plain values, for before/after comparisons. */
export function snapshot(order: Order): Record<string, unknown> {
  return {
    status: order.status,
    quantity: order.quantity.toString(),
    price: order.price?.toString(),
    triggerPrice: order.triggerPrice?.toString(),
    filledQty: order.filledQty.toString(),
    leavesQty: order.leavesQty.toString(),
    fillCostRaw: order.fillCostRaw,
    overfilledQty: order.overfilledQty?.toString(),
    venueOrderId: order.venueOrderId,
    isTriggered: order.isTriggered,
    lateFill: order.lateFill,
    eventCount: order.eventCount,
    tsLast: order.tsLast,
    avgPx: order.avgPx,
  };
}

/** Runs `fn`, which must throw; returns what it threw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw, it returned normally');
}

/** Asserts `fn` throws a WardenError of class `cls` with `code` (and context fields, if given). */
export function expectError(
  fn: () => unknown,
  cls: abstract new (...args: never[]) => WardenError,
  code: ErrorCode,
  context?: Record<string, unknown>,
): WardenError {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(cls);
  const err = e as WardenError;
  expect(err.code).toBe(code);
  if (context) expect(err.context).toMatchObject(context);
  expect(err.message.length).toBeGreaterThan(0);
  return err;
}

export const usdt = (v: string): Money => Money.of(v, Currencies.USDT);
