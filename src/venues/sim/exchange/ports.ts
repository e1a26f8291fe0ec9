import type { Instrument } from '../../../model/instrument.ts';
import type { Money } from '../../../model/money.ts';
import type { LiquiditySide, OrderSide } from '../../../model/orders/types.ts';
import type { Price, Quantity } from '../../../model/values.ts';

/**
 * What the exchange needs from its models. The model library (../models) provides
 * implementations; these narrow interfaces keep the exchange independent of how each is built.
 */
export interface ExchangeSlippage {
  /** Execution price for a taker fill at `reference`, on the tick grid, never better for the trader. */
  price(side: OrderSide, quantity: Quantity, reference: Price, instrument: Instrument, barVolume: Quantity | undefined): Price;
}

export interface ExchangeFees {
  fee(side: OrderSide, quantity: Quantity, price: Price, liquidity: LiquiditySide, instrument: Instrument): Money;
}

export interface ExchangeLatency {
  submitMs(): number;
  modifyMs(): number;
  cancelMs(): number;
}

/** Whether a resting limit fills when the market only touches its price. */
export interface ExchangeLimitFill {
  /** Called for each resting order whose price the market touched exactly; true fills it. */
  fillsAtTouch(): boolean;
}

export const NO_SLIPPAGE: ExchangeSlippage = { price: (_s, _q, reference) => reference };
export const INSTRUMENT_FEES: ExchangeFees = { fee: (_s, q, p, liquidity, inst) => inst.fee(q, p, liquidity) };
export const NO_LATENCY: ExchangeLatency = { submitMs: () => 0, modifyMs: () => 0, cancelMs: () => 0 };
export const FILL_AT_TOUCH: ExchangeLimitFill = { fillsAtTouch: () => true };
export const FILL_ON_TRADE_THROUGH: ExchangeLimitFill = { fillsAtTouch: () => false };
