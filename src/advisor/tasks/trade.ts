/**
 * Trade risk assessment: for an order ticket, Warden states the facts (notional and its share of
 * equity, distance from the reference price, what the order does to the position, a one-ATR move
 * in money, the gate's own verdict); the model gives a score (low, medium, high), the factors
 * behind it, mitigations and a recommendation. The score can only make the gate stricter
 * (trade-gate.ts); nothing here places or changes an order.
 */
import { z } from 'zod';
import type { AdvisorRequest } from '../consult.ts';
import { prose, requestOf, sig } from './common.ts';
import type { MarketFeatures } from './market.ts';

export interface TradeTicket {
  readonly instrumentId: string;
  readonly accountId: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: string;
  readonly quantity: string;
  readonly price?: string;
  readonly triggerPrice?: string;
  readonly reduceOnly?: boolean;
}

export interface TradeContext {
  /** The latest prices Warden has (decimal text) and how old the newest is. */
  readonly reference: { readonly last?: string; readonly bid?: string; readonly ask?: string; readonly ageMs?: number };
  readonly position: { readonly side: 'LONG' | 'SHORT' | 'FLAT'; readonly quantity: string };
  readonly equity?: { readonly amount: string; readonly currency: string };
  /** The risk gate's own verdict on the ticket (checked without sending). */
  readonly gate: { readonly allowed: boolean; readonly code?: string; readonly message?: string };
  readonly openOrders: number;
  readonly features?: MarketFeatures;
}

export interface TradeFacts {
  readonly ticket: TradeTicket;
  readonly referencePrice: number | null;
  readonly referenceAgeMs: number | null;
  readonly spreadPct: number | null;
  /** Quantity × (the order's price, else the reference). */
  readonly notional: number | null;
  readonly notionalPctOfEquity: number | null;
  /** How far the order's price is from the reference, signed (a buy above it is positive). */
  readonly priceVsReferencePct: number | null;
  readonly positionEffect: 'opens' | 'adds' | 'reduces' | 'closes' | 'flips';
  readonly positionBefore: TradeContext['position'];
  /** A one-ATR move against the resulting position, in the quote currency and as % of equity. */
  readonly oneAtrMove: number | null;
  readonly oneAtrMovePctOfEquity: number | null;
  readonly gate: TradeContext['gate'];
  readonly openOrders: number;
  readonly market: Pick<MarketFeatures, 'atrPct' | 'volatilityPercentile' | 'adx' | 'rsi' | 'realisedVolatility'> | null;
}

const n = (s: string | undefined): number | null => (s === undefined || !Number.isFinite(Number(s)) ? null : Number(s));

/** Pure: the facts of a ticket in its context. */
export function tradeFacts(ticket: TradeTicket, ctx: TradeContext): TradeFacts {
  const bid = n(ctx.reference.bid);
  const ask = n(ctx.reference.ask);
  const mid = bid !== null && ask !== null ? (bid + ask) / 2 : null;
  const ref = n(ctx.reference.last) ?? mid;
  const qty = n(ticket.quantity) ?? 0;
  const px = n(ticket.price) ?? n(ticket.triggerPrice) ?? ref;
  const notional = px === null ? null : qty * px;
  const equity = n(ctx.equity?.amount);
  const held = n(ctx.position.quantity) ?? 0;
  const signedHeld = ctx.position.side === 'SHORT' ? -held : ctx.position.side === 'LONG' ? held : 0;
  const after = signedHeld + (ticket.side === 'BUY' ? qty : -qty);
  const effect: TradeFacts['positionEffect'] =
    signedHeld === 0 ? 'opens' : after === 0 ? 'closes' : Math.sign(after) !== Math.sign(signedHeld) ? 'flips' : Math.abs(after) > Math.abs(signedHeld) ? 'adds' : 'reduces';
  const atr = ctx.features?.atr ?? null;
  const move = atr === null ? null : Math.abs(after) * atr;
  const f = ctx.features;
  return {
    ticket,
    referencePrice: sig(ref),
    referenceAgeMs: ctx.reference.ageMs ?? null,
    spreadPct: bid !== null && ask !== null && mid ? sig(((ask - bid) / mid) * 100) : null,
    notional: sig(notional),
    notionalPctOfEquity: notional !== null && equity ? sig((notional / equity) * 100) : null,
    priceVsReferencePct: ref && px !== null && (ticket.price ?? ticket.triggerPrice) !== undefined ? sig((px / ref - 1) * 100) : null,
    positionEffect: effect,
    positionBefore: ctx.position,
    oneAtrMove: sig(move),
    oneAtrMovePctOfEquity: move !== null && equity ? sig((move / equity) * 100) : null,
    gate: ctx.gate,
    openOrders: ctx.openOrders,
    market: f ? { atrPct: f.atrPct, volatilityPercentile: f.volatilityPercentile, adx: f.adx, rsi: f.rsi, realisedVolatility: f.realisedVolatility } : null,
  };
}

export const RISK_SCORES = ['low', 'medium', 'high'] as const;
export type RiskScore = (typeof RISK_SCORES)[number];

export const tradeSchema = z.strictObject({
  score: z.enum(RISK_SCORES),
  factors: z.array(z.strictObject({ factor: prose(120), detail: prose(500) })).min(1).max(8),
  mitigations: z.array(prose(400)).max(6),
  recommendation: z.enum(['proceed', 'proceed_with_changes', 'do_not_proceed']),
  summary: prose(1_000),
});
export type TradeAssessment = z.infer<typeof tradeSchema>;

const ROLE =
  "You are the trade risk reviewer of Warden, an order management system. For one order ticket, with the facts Warden computed (notional and its share of equity, distance from the reference price, the effect on the position, a one-ATR move in money, the risk gate's own verdict, market features), score its risk low, medium or high, list the factors, mitigations and a recommendation. You cannot approve anything the gate denied; a high score may stop the order.";

export function tradeRequest(facts: TradeFacts): AdvisorRequest<TradeAssessment> {
  return requestOf('trade', 'risk', ROLE, { trade: facts }, tradeSchema, 'trade_risk');
}

/** The ticket of an order request (decimals as text; any other side than SELL is a BUY only if it says so). */
type Decimalish = string | number | { toString(): string };
export function ticketOfRequest(o: { readonly instrumentId: string; readonly accountId: string; readonly side: string; readonly type: string; readonly quantity: Decimalish; readonly price?: Decimalish; readonly triggerPrice?: Decimalish; readonly reduceOnly?: boolean }): TradeTicket {
  return {
    instrumentId: o.instrumentId,
    accountId: o.accountId,
    side: o.side === 'SELL' ? 'SELL' : 'BUY',
    type: o.type,
    quantity: o.quantity.toString(),
    ...(o.price !== undefined ? { price: o.price.toString() } : {}),
    ...(o.triggerPrice !== undefined ? { triggerPrice: o.triggerPrice.toString() } : {}),
    ...(o.reduceOnly ? { reduceOnly: true } : {}),
  };
}
