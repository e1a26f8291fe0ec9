/**
 * Warden's refusals as Binance answers: the closest Binance code (HTTP 400) with Warden's own
 * code and reason in `msg`, so a Binance client sees an error it knows how to class and a person
 * reading the message sees why Warden said no.
 */
import type { DenialCode } from '../../model/denial-codes.ts';
import { WardenError } from '../../model/errors.ts';
import { BinanceError } from './wire/errors.ts';

/** -2010 NEW_ORDER_REJECTED; -1013 a filter failure (size, price, market state); -1015 too many orders. */
const BINANCE_CODE: Readonly<Record<DenialCode, -2010 | -1013 | -1015>> = {
  KILL_SWITCH_ENGAGED: -2010,
  TRADING_HALTED: -2010,
  TRADING_REDUCING: -2010,
  VENUE_UNAVAILABLE: -1013,
  MARKET_CLOSED: -1013,
  PDT_RESTRICTED: -2010,
  INSTRUMENT_RESTRICTED: -2010,
  NO_RISK_LIMITS_FOR_INSTRUMENT: -2010,
  DUPLICATE_ORDER: -2010,
  RATE_LIMIT_EXCEEDED: -1015,
  MAX_OPEN_ORDERS_EXCEEDED: -1013,
  MAX_ORDER_QUANTITY_EXCEEDED: -1013,
  MAX_ORDER_NOTIONAL_EXCEEDED: -1013,
  REFERENCE_PRICE_MISSING: -2010,
  REFERENCE_PRICE_STALE: -2010,
  PRICE_OUTSIDE_COLLAR: -1013,
  REDUCE_ONLY_WOULD_INCREASE: -2010,
  SELF_TRADE: -2010,
  MAX_POSITION_QUANTITY_EXCEEDED: -2010,
  MAX_POSITION_NOTIONAL_EXCEEDED: -2010,
  MAX_GROSS_EXPOSURE_EXCEEDED: -2010,
  MAX_NET_EXPOSURE_EXCEEDED: -2010,
  FIRM_GROSS_EXPOSURE_EXCEEDED: -2010,
  FIRM_NET_EXPOSURE_EXCEEDED: -2010,
  FIRM_BUDGET_EXCEEDED: -2010,
  FIRM_NET_BUDGET_EXCEEDED: -2010,
  FIRM_DAILY_LOSS_EXCEEDED: -2010,
  FIRM_ORDER_RATE_EXCEEDED: -1015,
  FIRM_BUDGET_UNAVAILABLE: -2010,
  CONCENTRATION_EXCEEDED: -2010,
  LEVERAGE_EXCEEDED: -2010,
  INSUFFICIENT_BUYING_POWER: -2010,
  // The exhaustive map needs every denial code; the gateway never asks the advisor, so it never sees this one.
  ADVISOR_DENIED: -2010,
};

export function binanceCodeOf(code: DenialCode): number {
  return BINANCE_CODE[code];
}

/** A gate denial: `Warden KILL_SWITCH_ENGAGED: <reason>`. */
export function denialError(code: DenialCode, reason: string): BinanceError {
  return new BinanceError(400, binanceCodeOf(code), `Warden ${code}: ${reason}`);
}

/**
 * An order Warden refused before the gate (off the tick or lot grid, a bad field, not the key's
 * own): -1013 for a validation failure (Binance's filter failures), -2010 otherwise.
 */
export function wardenError(e: WardenError): BinanceError {
  const binance = e.name === 'ValidationError' ? -1013 : -2010;
  return new BinanceError(400, binance, `Warden ${e.code}: ${e.message}`);
}
