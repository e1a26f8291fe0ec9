/**
 * The order ticket's pure part: the form's fields, and the request they make (which endpoint,
 * which body). Field names follow the engine's OrderRequest; lists and algos follow the
 * emulator's BracketRequest and the algos' requests.
 */
import { ORDER_TYPES } from '../../../src/model/orders/types.ts';
/** The order types the engine knows (one list: the model's). */
export const SIMPLE_TYPES = ORDER_TYPES;
export const LIST_KINDS = ['BRACKET', 'OCO'] as const;
export const ALGO_KINDS = ['TWAP', 'VWAP', 'ICEBERG'] as const;
export type TicketKind = (typeof SIMPLE_TYPES)[number] | (typeof LIST_KINDS)[number] | (typeof ALGO_KINDS)[number];

export interface TicketForm {
  readonly instrumentId: string;
  readonly accountId: string;
  readonly side: 'BUY' | 'SELL';
  readonly kind: TicketKind;
  readonly quantity: string;
  readonly price: string;
  readonly triggerPrice: string;
  readonly timeInForce: string;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly trailingOffset: string;
  readonly trailingOffsetType: 'PRICE' | 'BASIS_POINTS' | 'TICKS';
  readonly limitOffset: string;
  readonly takeProfitPrice: string;
  readonly stopLossTriggerPrice: string;
  /** OCO's second leg: a stop at this trigger. */
  readonly ocoStopTrigger: string;
  readonly durationMinutes: string;
  readonly slices: string;
  readonly displayQuantity: string;
  /** VWAP: one weight per slice, comma separated. */
  readonly weights: string;
}

export const EMPTY_TICKET: TicketForm = {
  instrumentId: '',
  accountId: '',
  side: 'BUY',
  kind: 'LIMIT',
  quantity: '',
  price: '',
  triggerPrice: '',
  timeInForce: 'GTC',
  postOnly: false,
  reduceOnly: false,
  trailingOffset: '',
  trailingOffsetType: 'PRICE',
  limitOffset: '',
  takeProfitPrice: '',
  stopLossTriggerPrice: '',
  ocoStopTrigger: '',
  durationMinutes: '10',
  slices: '5',
  displayQuantity: '',
  weights: '1, 2, 3, 2, 1',
};

/** Which inputs a kind uses (the ticket shows only those). */
export function fieldsOf(kind: TicketKind): ReadonlySet<keyof TicketForm> {
  const f = new Set<keyof TicketForm>(['instrumentId', 'side', 'kind', 'quantity']);
  const add = (...ks: (keyof TicketForm)[]): void => ks.forEach((k) => f.add(k));
  if (kind !== 'TWAP' && kind !== 'VWAP' && kind !== 'ICEBERG') add('timeInForce', 'reduceOnly');
  if (['LIMIT', 'STOP_LIMIT', 'LIMIT_IF_TOUCHED', 'BRACKET', 'OCO', 'ICEBERG'].includes(kind)) add('price');
  if (kind === 'LIMIT' || kind === 'BRACKET') add('postOnly');
  if (['STOP_MARKET', 'STOP_LIMIT', 'MARKET_IF_TOUCHED', 'LIMIT_IF_TOUCHED'].includes(kind)) add('triggerPrice');
  if (kind.startsWith('TRAILING')) add('trailingOffset', 'trailingOffsetType');
  if (kind === 'TRAILING_STOP_LIMIT') add('limitOffset');
  if (kind === 'BRACKET') add('takeProfitPrice', 'stopLossTriggerPrice');
  if (kind === 'OCO') add('ocoStopTrigger');
  if (kind === 'TWAP') add('durationMinutes', 'slices');
  if (kind === 'VWAP') add('durationMinutes', 'weights');
  if (kind === 'ICEBERG') add('displayQuantity');
  return f;
}

export interface TicketRequest {
  readonly path: '/api/orders' | '/api/order-lists' | '/api/algos';
  /** Where the gate's verdict can be asked before sending (single orders only). */
  readonly checkPath?: '/api/orders/check';
  readonly body: Record<string, unknown>;
}

const put = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());

function simpleOrder(f: TicketForm, type: string): Record<string, unknown> {
  const uses = fieldsOf(f.kind);
  const o: Record<string, unknown> = { instrumentId: f.instrumentId, side: f.side, type, quantity: f.quantity.trim() };
  if (put(f.accountId)) o.accountId = f.accountId;
  if (uses.has('price') && put(f.price)) o.price = put(f.price);
  if (uses.has('triggerPrice') && put(f.triggerPrice)) o.triggerPrice = put(f.triggerPrice);
  if (uses.has('timeInForce')) o.timeInForce = f.timeInForce;
  if (uses.has('postOnly') && f.postOnly) o.postOnly = true;
  if (uses.has('reduceOnly') && f.reduceOnly) o.reduceOnly = true;
  if (uses.has('trailingOffset') && put(f.trailingOffset)) {
    o.trailingOffset = put(f.trailingOffset);
    o.trailingOffsetType = f.trailingOffsetType;
  }
  if (uses.has('limitOffset') && put(f.limitOffset)) o.limitOffset = put(f.limitOffset);
  return o;
}

/** An OCO's second leg: a stop market at the stop trigger, otherwise like the first. */
function stopLeg(f: TicketForm): Record<string, unknown> {
  const { price: _price, ...rest } = simpleOrder(f, 'STOP_MARKET');
  return { ...rest, triggerPrice: put(f.ocoStopTrigger) };
}

/** The request the form makes; `now` (epoch ms) places an algo's horizon. */
export function ticketRequest(f: TicketForm, now: number): TicketRequest {
  switch (f.kind) {
    case 'BRACKET':
      return {
        path: '/api/order-lists',
        body: { kind: 'bracket', entry: simpleOrder(f, 'LIMIT'), takeProfitPrice: put(f.takeProfitPrice), stopLossTriggerPrice: put(f.stopLossTriggerPrice) },
      };
    case 'OCO':
      return {
        path: '/api/order-lists',
        body: { kind: 'oco', orders: [simpleOrder(f, 'LIMIT'), stopLeg(f)] },
      };
    case 'TWAP':
    case 'VWAP': {
      const endTime = now + Math.round(Number(f.durationMinutes) * 60_000);
      const base = { kind: f.kind.toLowerCase(), instrumentId: f.instrumentId, side: f.side, quantity: f.quantity.trim(), endTime, ...(put(f.accountId) && { accountId: f.accountId }) };
      const weights = f.weights.split(',').map((w) => Number(w.trim()));
      return { path: '/api/algos', body: f.kind === 'TWAP' ? { ...base, slices: Number(f.slices) } : { ...base, weights } };
    }
    case 'ICEBERG':
      return {
        path: '/api/algos',
        body: { kind: 'iceberg', instrumentId: f.instrumentId, side: f.side, quantity: f.quantity.trim(), price: put(f.price), displayQuantity: put(f.displayQuantity), ...(put(f.accountId) && { accountId: f.accountId }) },
      };
    default:
      return { path: '/api/orders', checkPath: '/api/orders/check', body: simpleOrder(f, f.kind) };
  }
}
