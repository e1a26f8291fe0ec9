import { shown, ValidationError } from './errors.ts';

declare const brand: unique symbol;
type Branded<T extends string> = string & { readonly [brand]: T };

export type InstrumentId = Branded<'InstrumentId'>;
export type VenueId = Branded<'VenueId'>;
export type ClientOrderId = Branded<'ClientOrderId'>;
export type VenueOrderId = Branded<'VenueOrderId'>;
export type TradeId = Branded<'TradeId'>;
export type PositionId = Branded<'PositionId'>;
export type AccountId = Branded<'AccountId'>;
export type StrategyId = Branded<'StrategyId'>;
export type OrderListId = Branded<'OrderListId'>;

const TOKEN = /^[\x21-\x7e]{1,128}$/; // printable ASCII, no white space
const VENUE = /^[A-Z0-9_-]{1,32}$/;


function token<T extends string>(kind: string, value: unknown): Branded<T> {
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    throw new ValidationError('INVALID_IDENTIFIER', `${kind} must be 1-128 printable characters without spaces, got ${shown(value)}`, {
      kind,
      input: typeof value === 'string' ? value : shown(value),
    });
  }
  return value as Branded<T>;
}

export function venueId(value: unknown): VenueId {
  if (typeof value !== 'string' || !VENUE.test(value)) {
    throw new ValidationError('INVALID_IDENTIFIER', `venue must be 1-32 of A-Z 0-9 _ -, got ${shown(value)}`, {
      kind: 'VenueId',
      input: typeof value === 'string' ? value : shown(value),
    });
  }
  return value as VenueId;
}

/** `SYMBOL.VENUE`, split at the last dot so symbols like `BRK.B` keep theirs. */
export function instrumentId(value: unknown): InstrumentId {
  const s = token<'InstrumentId'>('InstrumentId', value) as string;
  const dot = s.lastIndexOf('.');
  if (dot <= 0 || dot === s.length - 1) {
    throw new ValidationError('INVALID_IDENTIFIER', `instrument id must be SYMBOL.VENUE, got ${JSON.stringify(s)}`, {
      kind: 'InstrumentId',
      input: s,
    });
  }
  venueId(s.slice(dot + 1));
  return s as InstrumentId;
}

export function symbolOf(id: InstrumentId): string {
  return id.slice(0, id.lastIndexOf('.'));
}

export function venueOf(id: InstrumentId): VenueId {
  return id.slice(id.lastIndexOf('.') + 1) as VenueId;
}

export const clientOrderId = (v: unknown): ClientOrderId => token('ClientOrderId', v);
export const venueOrderId = (v: unknown): VenueOrderId => token('VenueOrderId', v);
export const tradeId = (v: unknown): TradeId => token('TradeId', v);
export const positionId = (v: unknown): PositionId => token('PositionId', v);
export const accountId = (v: unknown): AccountId => token('AccountId', v);
export const strategyId = (v: unknown): StrategyId => token('StrategyId', v);
export const orderListId = (v: unknown): OrderListId => token('OrderListId', v);
