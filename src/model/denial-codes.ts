// The closed registry of pre-trade denial codes: OrderDenied (model) and the gate's Verdict (engine)
// carry one, so it lives at the bottom of the layers; the risk gate (src/risk/gate/) produces them.

/**
 * Every pre-trade denial carries a stable code from this closed table, journaled in OrderDenied
 * (or, for a modify, OrderModifyRejected as `CODE: reason`). Codes are for programs, reasons for
 * people; the README table is generated from here (`npm run docs:denials`).
 */
export const DENIAL_CODES = {
  // trading state
  KILL_SWITCH_ENGAGED: 'The kill switch is engaged: nothing new trades until an operator lifts it (flatten orders excepted).',
  TRADING_HALTED: 'The firm, the account or the strategy is HALTED (by an operator or a breaker): no new orders or modifies that add risk.',
  TRADING_REDUCING: 'The firm, the account or the strategy is REDUCING: only orders that lower the position are allowed.',
  // the venue (FAULTS 34)
  VENUE_UNAVAILABLE: 'The venue (or the market) is in MAINTENANCE: no new orders or modifies that add risk until it is OPEN again; cancels pass.',
  MARKET_CLOSED: 'The market (or the whole venue) is CLOSED (outside its session: the venue calendar\'s regular hours, or its extended hours for an order that asks for them; a holiday; after an early close) or HALTED by the venue: no new orders or modifies that add risk until it is OPEN again; cancels pass.',
  // regulation (src/risk/compliance)
  PDT_RESTRICTED: 'Pattern day trader rule (FINRA 4210): on a MARGIN account with equity under the minimum (25,000 USD), the order would close a position opened the same trading day and so open a day trade beyond the maximum (3) within the window (5 business days), counting working orders that would too.',
  // static lists and configuration
  INSTRUMENT_RESTRICTED: 'The instrument is on the restricted list.',
  NO_RISK_LIMITS_FOR_INSTRUMENT: 'The instrument has no configured size limits and there is no default: fail closed, never "no limit".',
  // message discipline
  DUPLICATE_ORDER: 'The client order id is in use, or an identical order (account, side, instrument, quantity, prices) was sent within the duplicate window.',
  RATE_LIMIT_EXCEEDED: 'The submit or modify throttle (per second, minute or hour, per strategy or account) is used up; context.halt is true above the hard limit.',
  MAX_OPEN_ORDERS_EXCEEDED: 'The account already has the maximum number of open orders, in the instrument or in total.',
  // order size and price
  MAX_ORDER_QUANTITY_EXCEEDED: 'The order quantity is above the configured maximum for the instrument.',
  MAX_ORDER_NOTIONAL_EXCEEDED: 'The order notional is above the configured maximum for the instrument.',
  REFERENCE_PRICE_MISSING: 'There is no reference price (last trade or mid) for the instrument, so the collar and notional cannot be checked.',
  REFERENCE_PRICE_STALE: 'The reference price is older than reference_price_max_age_ms.',
  PRICE_OUTSIDE_COLLAR: 'The limit or trigger price is further from the reference price than the collar (% or ticks) allows.',
  REDUCE_ONLY_WOULD_INCREASE: 'A reduce-only order would increase or flip the position (counting working orders on its side).',
  SELF_TRADE: 'The order would cross one of our own resting orders on the same instrument and venue.',
  // position and exposure (worst case: every working order filled)
  MAX_POSITION_QUANTITY_EXCEEDED: 'The worst-case position in the instrument would exceed the maximum quantity.',
  MAX_POSITION_NOTIONAL_EXCEEDED: 'The worst-case position in the instrument would exceed the maximum notional.',
  MAX_GROSS_EXPOSURE_EXCEEDED: 'The account worst-case gross exposure would exceed its maximum.',
  MAX_NET_EXPOSURE_EXCEEDED: 'The account worst-case net exposure would exceed its maximum.',
  FIRM_GROSS_EXPOSURE_EXCEEDED: 'The firm-wide worst-case gross exposure, across accounts and strategies, would exceed its maximum.',
  FIRM_NET_EXPOSURE_EXCEEDED: 'The firm-wide worst-case net exposure, across accounts and strategies, would exceed its maximum.',
  // the firm-wide budget shared by a firm's nodes through NATS (src/cluster/budget): reserved before the gate
  FIRM_BUDGET_EXCEEDED: 'The firm-wide gross exposure budget, shared by every node of the firm (cluster.budget.max_gross_exposure), has no room for the order: all nodes together would exceed it.',
  FIRM_NET_BUDGET_EXCEEDED: 'The firm-wide net exposure budget for the instrument, all nodes together (cluster.budget.max_net_exposure), has no room for the order.',
  FIRM_DAILY_LOSS_EXCEEDED: 'The loss of the day of all the firm\'s nodes together reached cluster.budget.max_daily_loss: only orders that reduce exposure are allowed.',
  FIRM_ORDER_RATE_EXCEEDED: 'The firm-wide order rate (cluster.budget.max_order_rate orders per second, all nodes together) is used up.',
  FIRM_BUDGET_UNAVAILABLE: 'The firm budget could not be reached (NATS lost, the bucket contended past its retries) and the node\'s own reserved line does not cover the order: fail closed.',
  CONCENTRATION_EXCEEDED: 'One instrument would be more than the maximum % of the account equity.',
  LEVERAGE_EXCEEDED: 'Gross exposure / equity would exceed the account maximum leverage.',
  INSUFFICIENT_BUYING_POWER: 'The free balance does not cover the order: notional plus taker fee (cash buy), base quantity (spot sell) or initial margin plus fee.',
  // the AI advisor (src/advisor/tasks/trade-gate.ts): only ever after the gate accepted
  ADVISOR_DENIED: 'The AI advisor scored the order\'s risk high (or, with advisor.trade_gate.fail closed, could not review it) and advisor.trade_gate.deny_on is high. Checked only for orders every other check accepted: the advisor can deny, never allow.',
} as const;

export type DenialCode = keyof typeof DENIAL_CODES;

export const DENIAL_CODE_LIST = Object.keys(DENIAL_CODES) as readonly DenialCode[];
