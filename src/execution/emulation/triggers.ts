/**
 * Stop and if-touched triggers as a pure decision, and which price an emulated order watches.
 * No bus, no clock: the OrderEmulator feeds observations in and acts on `FIRE`.
 *
 * - A stop buys once the watched price rises to its trigger and sells once it falls to it; an
 *   if-touched order (take-profit) the other way round. Reaching the trigger is enough (at or
 *   beyond it); a trigger already passed fires on the first price seen.
 * - The watched price follows the order's trigger type:
 *   LAST and DEFAULT: the last trade; BID_ASK: a buy watches the ask, a sell the bid (the side it
 *   would take); MID: (bid + ask) / 2, exact, then put on the tick grid away from firing (up for an
 *   order that fires on a fall, down for one that fires on a rise), so it fires only once the exact
 *   mid has reached the trigger; MARK: refused (the engine has no mark price feed).
 * - An observation without the price a trigger type needs (a trade for a BID_ASK order, a quote
 *   for a LAST order) is not looked at.
 */
import { floorDiv, pow10 } from '../../model/decimal.ts';
import { ValidationError } from '../../model/errors.ts';
import type { OrderSide, TriggerType } from '../../model/orders/types.ts';
import { Price } from '../../model/values.ts';

/** One look at the market: a trade, a top of book, or both (a bar's path point is all three at one price). */
export interface Observation {
  readonly last?: Price;
  readonly bid?: Price;
  readonly ask?: Price;
}

/** Which way the watched price must move for an order to fire. */
export type FiringDirection = 'FALLING' | 'RISING';

/** STOP: stop-market, stop-limit and trailing stops; IF_TOUCHED: market- and limit-if-touched (take-profit). */
export type TouchKind = 'STOP' | 'IF_TOUCHED';

export function firingDirection(kind: TouchKind, side: OrderSide): FiringDirection {
  return (kind === 'STOP') === (side === 'BUY') ? 'RISING' : 'FALLING';
}

/** A fixed trigger: plain data, so a held order can be journaled as it stands. */
export interface TouchState {
  readonly kind: TouchKind;
  readonly side: OrderSide;
  readonly triggerPrice: Price;
  readonly fired: boolean;
}

export interface TouchDecision {
  readonly state: TouchState;
  readonly trigger?: 'FIRE';
}

export function initialTouch(kind: TouchKind, side: OrderSide, triggerPrice: Price): TouchState {
  return { kind, side, triggerPrice, fired: false };
}

/** One watched price: fire when it reaches the trigger in the firing direction. A fired state stays fired. */
export function touchTrigger(state: TouchState, price: Price): TouchDecision {
  if (state.fired) return { state };
  const c = price.cmp(state.triggerPrice);
  const reached = firingDirection(state.kind, state.side) === 'RISING' ? c >= 0 : c <= 0;
  return reached ? { state: { ...state, fired: true }, trigger: 'FIRE' } : { state };
}

/** The price an order of `side` with `triggerType` watches in `obs`, or undefined when `obs` lacks it. */
export function watchedPrice(obs: Observation, triggerType: TriggerType, side: OrderSide, direction: FiringDirection, tickSize: Price): Price | undefined {
  switch (triggerType) {
    case 'DEFAULT':
    case 'LAST':
      return obs.last;
    case 'BID_ASK':
      return side === 'BUY' ? obs.ask : obs.bid;
    case 'MID':
      return obs.bid !== undefined && obs.ask !== undefined ? midOnGrid(obs.bid, obs.ask, tickSize, direction === 'FALLING' ? 'UP' : 'DOWN') : undefined;
    case 'MARK':
      // Never held (checkEmulatedTriggerType refuses it); nothing to watch.
      return undefined;
  }
}

/** (bid + ask) / 2 on the tick grid, rounded as asked; exact for any precision. */
export function midOnGrid(bid: Price, ask: Price, tickSize: Price, round: 'UP' | 'DOWN'): Price {
  const p = Math.max(bid.precision, ask.precision, tickSize.precision);
  const sum = bid.raw * pow10(p - bid.precision) + ask.raw * pow10(p - ask.precision);
  const tick = tickSize.raw * pow10(p - tickSize.precision);
  const step = 2n * tick;
  const units = round === 'DOWN' ? floorDiv(sum, step) : -floorDiv(-sum, step);
  return Price.fromRaw(units * tick, p);
}

/** Throws UNSUPPORTED_TRIGGER_TYPE for a trigger type the emulator has no prices for. */
export function checkEmulatedTriggerType(triggerType: TriggerType, clientOrderId: string): void {
  if (triggerType !== 'MARK') return;
  throw new ValidationError('UNSUPPORTED_TRIGGER_TYPE', `order ${clientOrderId}: trigger type MARK cannot be emulated (the engine has no mark price feed)`, {
    field: 'triggerType',
    input: triggerType,
    clientOrderId,
  });
}
