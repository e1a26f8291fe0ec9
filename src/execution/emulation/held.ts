/**
 * An order held engine-side, as plain data: its validated spec, where its trigger stands and what
 * became of it. Every emulated type (stop-market, stop-limit, market/limit-if-touched, trailing)
 * is one record and one decision (`observeHeld`): a trailing stop keeps a TrailingState, the
 * others a TouchState. Nothing here holds a closure, so the record can be journaled as it is.
 */
import type { OrderRequest } from '../../model/orders/factory.ts';
import { expiryTimeOf, type OrderSpecOf, type OrderType } from '../../model/orders/types.ts';
import type { Price, Quantity } from '../../model/values.ts';
import { initialTrailing, limitFrom, trailingTrigger, type TrailingState } from './trailing.ts';
import { firingDirection, initialTouch, touchTrigger, watchedPrice, type Observation, type TouchState } from './triggers.ts';

/** Tag on every order the emulator releases. */
export const EMULATED_TAG = 'emulated';

export const EMULATED_ORDER_TYPES = ['STOP_MARKET', 'STOP_LIMIT', 'MARKET_IF_TOUCHED', 'LIMIT_IF_TOUCHED', 'TRAILING_STOP_MARKET', 'TRAILING_STOP_LIMIT'] as const;
export type EmulatedOrderType = (typeof EMULATED_ORDER_TYPES)[number];
export type EmulatedSpec = OrderSpecOf<EmulatedOrderType>;

export type HeldTrigger = { readonly kind: 'TRAILING'; readonly state: TrailingState } | { readonly kind: 'TOUCH'; readonly state: TouchState };

export type EmulatedStatus = 'HELD' | 'RELEASED' | 'CANCELED';

export interface HeldOrder {
  readonly clientOrderId: string;
  readonly spec: EmulatedSpec;
  /** When it was first held (epoch ms): a DAY order expires at its session's close, or the next UTC midnight on a 24/7 venue. */
  readonly heldAt: number;
  readonly status: EmulatedStatus;
  readonly trigger: HeldTrigger;
  /** The order released when it fired (MARKET or LIMIT, same client order id). */
  readonly released: OrderRequest | undefined;
}

export function isEmulatedType(type: OrderType): type is EmulatedOrderType {
  return (EMULATED_ORDER_TYPES as readonly string[]).includes(type);
}

/** A new held record; its trigger is armed but has seen no price. */
export function holdSpec(spec: EmulatedSpec, tickSize: Price, heldAt: number): HeldOrder {
  return { clientOrderId: spec.clientOrderId, spec, heldAt, status: 'HELD', trigger: initialTrigger(spec, tickSize), released: undefined };
}

/**
 * When a DAY order held at `heldAt` ends, where its venue keeps trading hours (the session's close
 * on an exchange calendar); undefined: at the next UTC midnight, as a 24/7 venue's day.
 */
export type DayEnd = (spec: EmulatedSpec, heldAt: number) => number | undefined;

/** When a held order expires unfired (epoch ms): as a venue order placed when it was held would. */
export function expiryOf(h: HeldOrder, dayEnd?: DayEnd): number | undefined {
  return (h.spec.timeInForce === 'DAY' ? dayEnd?.(h.spec, h.heldAt) : undefined) ?? expiryTimeOf(h.spec, h.heldAt);
}

function initialTrigger(spec: EmulatedSpec, tickSize: Price): HeldTrigger {
  switch (spec.type) {
    case 'STOP_MARKET':
    case 'STOP_LIMIT':
      return { kind: 'TOUCH', state: initialTouch('STOP', spec.side, spec.triggerPrice) };
    case 'MARKET_IF_TOUCHED':
    case 'LIMIT_IF_TOUCHED':
      return { kind: 'TOUCH', state: initialTouch('IF_TOUCHED', spec.side, spec.triggerPrice) };
    case 'TRAILING_STOP_MARKET':
    case 'TRAILING_STOP_LIMIT':
      return { kind: 'TRAILING', state: initialTrailing({ side: spec.side, offset: spec.trailingOffset, tickSize, activationPrice: spec.activationPrice }) };
  }
}

/** The level the order fires at now: a trailing stop's current stop, or the fixed trigger. */
export function triggerLevel(h: HeldOrder): Price | undefined {
  return h.trigger.kind === 'TRAILING' ? h.trigger.state.stop : h.trigger.state.triggerPrice;
}

export interface HeldDecision {
  readonly held: HeldOrder;
  readonly fire: boolean;
}

/**
 * One observation for a held order: the price its trigger type watches (none: unchanged), then
 * the trigger's own decision. Firing does not release; the caller does (releaseOf).
 */
export function observeHeld(h: HeldOrder, obs: Observation, tickSize: Price): HeldDecision {
  if (h.status !== 'HELD') return { held: h, fire: false };
  const kind = h.trigger.kind === 'TRAILING' ? 'STOP' : h.trigger.state.kind;
  const px = watchedPrice(obs, h.spec.triggerType, h.spec.side, firingDirection(kind, h.spec.side), tickSize);
  if (px === undefined) return { held: h, fire: false };
  if (h.trigger.kind === 'TRAILING') {
    const d = trailingTrigger(h.trigger.state, px);
    return { held: { ...h, trigger: { kind: 'TRAILING', state: d.state } }, fire: d.trigger === 'FIRE' };
  }
  const d = touchTrigger(h.trigger.state, px);
  return { held: { ...h, trigger: { kind: 'TOUCH', state: d.state } }, fire: d.trigger === 'FIRE' };
}

/** The held order with a new quantity (an OUO leg shrunk before it fired). */
export function withQuantity(h: HeldOrder, quantity: Quantity): HeldOrder {
  return { ...h, spec: { ...h.spec, quantity } };
}

/**
 * What goes to the venue once fired: a MARKET (stop-market, market-if-touched, trailing-stop-market)
 * or a LIMIT at the order's price (stop-limit, limit-if-touched) or at the limit offset beyond the
 * stop (trailing-stop-limit), with the same client order id, tagged `emulated`, `emulated:<type>`
 * and `trigger:<level>`. Links to contingent orders are kept, so the ContingencyManager follows it.
 */
export function releaseOf(h: HeldOrder, tickSize: Price): OrderRequest {
  const s = h.spec;
  const level = triggerLevel(h);
  // A released LIMIT keeps the order's time in force (a GTD stop-limit rests until its expiry); a
  // MARKET takes IOC/FOK only, as a market order cannot be DAY or GTD.
  const tif = s.timeInForce === 'IOC' || s.timeInForce === 'FOK' ? { timeInForce: s.timeInForce } : {};
  const limitTif = { timeInForce: s.timeInForce, ...(s.expireTime !== undefined ? { expireTime: s.expireTime } : {}) };
  let priced: { type: 'MARKET' } | { type: 'LIMIT'; price: Price };
  switch (s.type) {
    case 'STOP_MARKET':
    case 'MARKET_IF_TOUCHED':
    case 'TRAILING_STOP_MARKET':
      priced = { type: 'MARKET' };
      break;
    case 'STOP_LIMIT':
    case 'LIMIT_IF_TOUCHED':
      priced = { type: 'LIMIT', price: s.price };
      break;
    case 'TRAILING_STOP_LIMIT':
      // A fired trailing stop always has a stop (it fires only on reaching one).
      priced = { type: 'LIMIT', price: limitFrom(level!, s.limitOffset, s.side, tickSize) };
      break;
  }
  return {
    clientOrderId: s.clientOrderId,
    accountId: s.accountId,
    strategyId: s.strategyId,
    instrumentId: s.instrumentId,
    side: s.side,
    quantity: s.quantity,
    ...priced,
    ...(priced.type === 'LIMIT' ? limitTif : tif),
    reduceOnly: s.reduceOnly,
    ...(s.positionId !== undefined ? { positionId: s.positionId } : {}),
    ...(s.orderListId !== undefined ? { orderListId: s.orderListId } : {}),
    ...(s.parentOrderId !== undefined ? { parentOrderId: s.parentOrderId } : {}),
    contingency: s.contingency,
    linkedOrderIds: [...s.linkedOrderIds],
    tags: [...s.tags, EMULATED_TAG, `${EMULATED_TAG}:${s.type}`, ...(level !== undefined ? [`trigger:${level.toString()}`] : [])],
  };
}
