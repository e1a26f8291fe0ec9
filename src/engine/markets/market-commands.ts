/**
 * The decisions behind Engine.setMarketStatus and Engine.updateInstrument: who may, what input is
 * valid, and whether anything changes. Each returns the event to journal, or undefined when the
 * venue only repeated what the engine knows (a status poll must not fill the journal); a refusal
 * throws a typed error and journals nothing.
 */
import { AuthorityError, LookupError, shown, ValidationError } from '../../model/errors.ts';
import { parseDecimal, pow10, type NumericInput } from '../../model/decimal.ts';
import { instrumentId, type InstrumentId } from '../../model/identifiers.ts';
import { Instrument, type InstrumentSpec, type Rate } from '../../model/instrument.ts';
import type { Currency } from '../../model/currency.ts';
import { originText, type OperatorAuthority, type Origin } from '../origin.ts';
import { requireObject, requireText } from '../input-guards.ts';
import { MARKET_STATUSES, type InstrumentUpdated, type MarketStatus, type MarketStatusChanged } from './events.ts';
import type { MarketStatuses } from './market-statuses.ts';

/** What a venue adapter (or an operator) says about a venue, or one of its markets when `instrumentId` is given. */
export interface MarketStatusUpdate {
  readonly venue: string;
  readonly instrumentId?: string;
  readonly status: MarketStatus;
  readonly reason: string;
}

/**
 * A strategy never says what a venue is doing; an operator needs the RISK role (reopening a market
 * lets orders through again). Venue adapters, reconciliation and risk control may.
 */
export function requireMarketAuthority(origin: Origin, authority: OperatorAuthority, what: string): void {
  if (origin.kind === 'STRATEGY') throw new AuthorityError('NOT_AUTHORIZED', `a strategy (${origin.strategyId}) cannot ${what}`, { action: what, origin: origin.kind });
  if (origin.kind === 'OPERATOR') authority.verify(origin.operator, 'RISK', what);
}

export interface MarketStatusContext {
  readonly markets: MarketStatuses;
  instrument(id: InstrumentId): Instrument;
  /** Whether a venue of this name is added to the engine or lists a registered instrument. */
  knownVenue(venue: string): boolean;
  readonly now: number;
}

/** The MarketStatusChanged to journal, or undefined when the level already has this status. */
export function planMarketStatus(u: MarketStatusUpdate, origin: Origin, c: MarketStatusContext): MarketStatusChanged | undefined {
  requireObject(u, 'market status');
  requireText(u.venue, 'venue');
  requireText(u.reason, 'reason');
  if (!(MARKET_STATUSES as readonly unknown[]).includes(u.status)) {
    throw new ValidationError('INVALID_FIELD', `status must be one of ${MARKET_STATUSES.join(', ')}, got ${shown(u.status)}`, { field: 'status', input: shown(u.status) });
  }
  let id: InstrumentId | undefined;
  if (u.instrumentId !== undefined) {
    const inst = c.instrument(instrumentId(u.instrumentId));
    if (inst.venue !== u.venue) {
      throw new ValidationError('INVALID_FIELD', `instrument ${inst.id} trades on ${inst.venue}, not ${u.venue}`, { field: 'instrumentId', input: inst.id, venue: u.venue });
    }
    id = inst.id;
  } else if (!c.knownVenue(u.venue)) {
    throw new LookupError('UNKNOWN_VENUE', `no venue ${shown(u.venue)} is added or lists a registered instrument`, { venue: u.venue });
  }
  if (c.markets.statusOf(u.venue, id) === u.status) return undefined;
  return { kind: 'MarketStatusChanged', venue: u.venue, instrumentId: id, status: u.status, reason: u.reason, origin: originText(origin), tsEvent: c.now, tsInit: c.now };
}

/**
 * The InstrumentUpdated to journal for a venue's new definition of a registered instrument, or
 * undefined when nothing a trade depends on changed. The definition keeps the registered grid
 * precision (a tick of "0.1" for an instrument registered with "0.05" is a price precision of 2
 * still): orders, positions and the gate's figures are exact integers at that precision, so a
 * grid that needs more decimals, or another kind, currency or multiplier, is refused
 * (INVALID_INSTRUMENT).
 */
export function planInstrumentUpdate(spec: InstrumentSpec, origin: Origin, current: (id: InstrumentId) => Instrument, now: number): InstrumentUpdated | undefined {
  requireObject(spec, 'instrument');
  const old = current(instrumentId(spec.id));
  requireDecimals(spec.tickSize, old.pricePrecision, 'tickSize', old.id);
  requireDecimals(spec.lotSize, old.sizePrecision, 'lotSize', old.id);
  const normalized: InstrumentSpec = { ...spec, pricePrecision: old.pricePrecision, sizePrecision: old.sizePrecision };
  const next = new Instrument(normalized);
  const fixed: [string, boolean][] = [
    ['kind', next.kind === old.kind],
    ['base', sameCurrency(next.base, old.base)],
    ['quote', sameCurrency(next.quote, old.quote)],
    ['settlement', sameCurrency(next.settlement, old.settlement)],
    ['multiplier', sameRate(next.multiplier, old.multiplier)],
  ];
  const changed = fixed.find(([, same]) => !same);
  if (changed) {
    throw new ValidationError('INVALID_INSTRUMENT', `${old.id}: ${changed[0]} cannot change while running (the ledger is kept in it)`, { instrument: old.id, field: changed[0] });
  }
  if (sameTerms(next, old)) return undefined;
  return { kind: 'InstrumentUpdated', spec: normalized, origin: originText(origin), tsEvent: now, tsInit: now };
}

/** A tick or lot that needs more decimals than the registered precision is refused, never rounded. */
function requireDecimals(v: NumericInput, precision: number, field: string, id: string): void {
  const { scale } = parseDecimal(v, field);
  if (scale > precision) {
    throw new ValidationError('INVALID_INSTRUMENT', `${id}: ${field} ${shown(v)} needs ${scale} decimals, the instrument was registered with ${precision}: a finer grid cannot be taken while running`, {
      instrument: id,
      field,
      input: shown(v),
      precision,
    });
  }
}

function sameCurrency(a: Currency | undefined, b: Currency | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.code === b.code && a.precision === b.precision && a.kind === b.kind);
}

function sameRate(a: Rate, b: Rate): boolean {
  return a.digits * pow10(b.scale) === b.digits * pow10(a.scale);
}

function sameOptional<T extends { cmp(o: T): number }>(a: T | undefined, b: T | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.cmp(b) === 0;
}

/** Grid, limits and fees: what orders are checked and charged against. */
function sameTerms(a: Instrument, b: Instrument): boolean {
  return (
    a.tickSize.raw === b.tickSize.raw &&
    a.lotSize.raw === b.lotSize.raw &&
    sameOptional(a.minQuantity, b.minQuantity) &&
    sameOptional(a.maxQuantity, b.maxQuantity) &&
    sameOptional(a.minNotional, b.minNotional) &&
    sameOptional(a.maxNotional, b.maxNotional) &&
    sameRate(a.makerFee, b.makerFee) &&
    sameRate(a.takerFee, b.takerFee) &&
    sameRate(a.marginInit, b.marginInit) &&
    a.allowNonPositivePrice === b.allowNonPositivePrice
  );
}
