/**
 * Fixtures for the portfolio tests: three instruments with readable grids, money helpers, a
 * hand-built OrderFilled, and a working order (submitted and accepted) to lock against.
 */
import { BTCUSDT_SPEC } from '../model/fixtures.ts';
import { Currencies } from '../../src/model/currency.ts';
import { accountId, positionId, strategyId, tradeId, venueOrderId, clientOrderId } from '../../src/model/identifiers.ts';
import type { AccountId, PositionId, StrategyId } from '../../src/model/identifiers.ts';
import { Instrument } from '../../src/model/instrument.ts';
import { Money } from '../../src/model/money.ts';
import type { OrderFilled } from '../../src/model/orders/events.ts';
import { createOrderSpec, type OrderRequest } from '../../src/model/orders/factory.ts';
import { Order } from '../../src/model/orders/order.ts';
import type { LiquiditySide, OrderSide } from '../../src/model/orders/types.ts';

/** 2023-11-14T22:13:20Z in epoch milliseconds. */
export const NOW = 1_700_000_000_000;

/** Binance BTC/USDT spot: tick 0.01, lot 0.00001; notional scale 7 <= USDT's 8 decimals. */
export const BTCUSDT = new Instrument(BTCUSDT_SPEC);

/**
 * A USD-settled linear perpetual: tick 0.05, lot 1 contract, 10% initial margin. Notional scale is
 * 2 = USD's decimals, so margin (notional × 0.1, three decimals) has to be rounded up to cents.
 */
export const ETHUSD_PERP = new Instrument({
  id: 'ETHUSD-PERP.BITMEX',
  kind: 'PERPETUAL',
  base: Currencies.ETH,
  quote: Currencies.USD,
  tickSize: '0.05',
  lotSize: '1',
  marginInit: '0.1',
  takerFee: '0.00075',
  makerFee: '-0.00025',
});

/** Nasdaq equities: tick 0.01 USD, lot 1 share; notional is exact in cents and nothing finer. */
export const AAPL = new Instrument({ id: 'AAPL.XNAS', kind: 'EQUITY', quote: Currencies.USD, tickSize: '0.01', lotSize: '1' });
export const MSFT = new Instrument({ id: 'MSFT.XNAS', kind: 'EQUITY', quote: Currencies.USD, tickSize: '0.01', lotSize: '1' });

/** An option-like contract: ×100 multiplier, tick 0.05, lot 1; notional = qty × price × 100, exact in cents. */
export const AAPL_CALL = new Instrument({
  id: 'AAPL-C200.OPRA',
  kind: 'EQUITY',
  quote: Currencies.USD,
  tickSize: '0.05',
  lotSize: '1',
  multiplier: '100',
});

export const usd = (v: string): Money => Money.of(v, Currencies.USD);
export const usdt = (v: string): Money => Money.of(v, Currencies.USDT);
export const btc = (v: string): Money => Money.of(v, Currencies.BTC);
export const bnb = (v: string): Money => Money.of(v, Currencies.BNB);

export const ACC = accountId('ACC-1');
export const S1 = strategyId('S-1');
export const S2 = strategyId('S-2');

export interface FillArgs {
  qty: string;
  px: string;
  /** Defaults to zero in the instrument's settlement currency. */
  commission?: Money;
  account?: string;
  strategy?: string;
  /** Defaults to the NETTING id `instrument-strategy`. */
  position?: string;
  order?: string;
  trade?: string;
  ts?: number;
  liquidity?: LiquiditySide;
}

let tradeSeq = 0;

/** An OrderFilled built by hand: `fillOf(AAPL, 'BUY', { qty: '3', px: '200.00' })`. */
export function fillOf(inst: Instrument, side: OrderSide, a: FillArgs): OrderFilled {
  const ts = a.ts ?? NOW;
  const strategy = a.strategy ?? 'S-1';
  return {
    kind: 'OrderFilled',
    clientOrderId: clientOrderId(a.order ?? 'O-1'),
    tsEvent: ts,
    tsInit: ts,
    tradeId: tradeId(a.trade ?? `T-${++tradeSeq}`),
    venueOrderId: venueOrderId('V-1'),
    accountId: accountId(a.account ?? 'ACC-1'),
    strategyId: strategyId(strategy),
    instrumentId: inst.id,
    positionId: positionId(a.position ?? `${inst.id}-${strategy}`),
    side,
    lastQty: inst.quantity(a.qty),
    lastPx: inst.price(a.px),
    commission: a.commission ?? Money.zero(inst.settlement),
    liquidity: a.liquidity ?? 'TAKER',
  };
}

export function pid(v: string): PositionId {
  return positionId(v);
}
export function sid(v: string): StrategyId {
  return strategyId(v);
}
export function aid(v: string): AccountId {
  return accountId(v);
}

/** An order built through the factory and taken to ACCEPTED (submitted, then accepted). */
export function workingOrder(inst: Instrument, req: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'type' | 'quantity'>): Order {
  const order = newOrder(inst, req);
  order.apply({ kind: 'OrderSubmitted', clientOrderId: order.clientOrderId, tsEvent: NOW + 1, tsInit: NOW + 1 });
  order.apply({ kind: 'OrderAccepted', clientOrderId: order.clientOrderId, tsEvent: NOW + 2, tsInit: NOW + 2, venueOrderId: venueOrderId('V-1') });
  return order;
}

/** An order built through the factory, still INITIALIZED. */
export function newOrder(inst: Instrument, req: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'type' | 'quantity'>): Order {
  const full: OrderRequest = { clientOrderId: 'O-1', accountId: 'ACC-1', strategyId: 'S-1', instrumentId: inst.id, ...req };
  return new Order(createOrderSpec(full, inst, NOW), NOW);
}

/** A fill for `order` (same order id, side, instrument, account, strategy). */
export function fillFor(order: Order, inst: Instrument, a: Omit<FillArgs, 'order' | 'account' | 'strategy'>): OrderFilled {
  return fillOf(inst, order.side, { ...a, order: order.clientOrderId, account: order.spec.accountId, strategy: order.spec.strategyId });
}
