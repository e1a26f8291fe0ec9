import type { Currency } from './currency.ts';
import { MAX_PRECISION, parseDecimal, pow10, type NumericInput } from './decimal.ts';
import { shown, ValidationError } from './errors.ts';
import { instrumentId, venueOf, type InstrumentId, type VenueId } from './identifiers.ts';
import { Money } from './money.ts';
import { Price, Quantity } from './values.ts';

export type InstrumentKind = 'SPOT' | 'PERPETUAL' | 'EQUITY';

export interface InstrumentSpec {
  id: string;
  kind: InstrumentKind;
  /** Base currency (spot, perpetual); equities have none. */
  base?: Currency;
  quote: Currency;
  /** Currency PnL and margin settle in; defaults to quote (linear instruments). */
  settlement?: Currency;
  tickSize: NumericInput;
  lotSize: NumericInput;
  /**
   * Decimal places of prices (quantities); default the tick's (lot's) own, and never fewer. More
   * keeps an instrument whose grid the venue coarsened while running at the precision its orders,
   * positions and figures were kept in (Engine.updateInstrument sets them).
   */
  pricePrecision?: number;
  sizePrecision?: number;
  minQuantity?: NumericInput;
  maxQuantity?: NumericInput;
  minNotional?: NumericInput;
  maxNotional?: NumericInput;
  /** Contract multiplier; notional = quantity × price × multiplier. Defaults to 1. */
  multiplier?: NumericInput;
  /** Fee rates as fractions of notional, e.g. "0.001" for 10 bps; negative for rebates. */
  makerFee?: NumericInput;
  takerFee?: NumericInput;
  /** Initial margin as a fraction of notional for margin accounts; 1 for unlevered. */
  marginInit?: NumericInput;
  /** Some spreads and futures trade at or below zero. */
  allowNonPositivePrice?: boolean;
}

/** An exact rate (fee, margin) as digits × 10^-scale. */
export interface Rate {
  readonly digits: bigint;
  readonly scale: number;
}

function rate(v: NumericInput, field: string): Rate {
  return parseDecimal(v, field);
}

/**
 * A tradable instrument with its grid and limits. Construction refuses any definition whose
 * notional could not be represented exactly in the settlement currency's minor units.
 */
export class Instrument {
  readonly id: InstrumentId;
  readonly venue: VenueId;
  readonly kind: InstrumentKind;
  readonly base: Currency | undefined;
  readonly quote: Currency;
  readonly settlement: Currency;
  readonly pricePrecision: number;
  readonly sizePrecision: number;
  readonly tickSize: Price;
  readonly lotSize: Quantity;
  readonly minQuantity: Quantity | undefined;
  readonly maxQuantity: Quantity | undefined;
  readonly minNotional: Money | undefined;
  readonly maxNotional: Money | undefined;
  readonly multiplier: Rate;
  readonly makerFee: Rate;
  readonly takerFee: Rate;
  readonly marginInit: Rate;
  readonly allowNonPositivePrice: boolean;
  /** Decimal places of price × quantity × multiplier. */
  readonly notionalScale: number;

  constructor(readonly spec: Readonly<InstrumentSpec>) {
    this.id = instrumentId(spec.id);
    this.venue = venueOf(this.id);
    this.kind = spec.kind;
    if (spec.kind !== 'EQUITY' && !spec.base) invalid(this.id, `${spec.kind} instrument needs a base currency`);
    this.base = spec.base;
    this.quote = spec.quote;
    this.settlement = spec.settlement ?? spec.quote;
    const tick = parseDecimal(spec.tickSize, 'tickSize');
    const lot = parseDecimal(spec.lotSize, 'lotSize');
    if (tick.digits <= 0n) invalid(this.id, 'tick size must be positive');
    if (lot.digits <= 0n) invalid(this.id, 'lot size must be positive');
    this.pricePrecision = precisionOf(this.id, spec.pricePrecision, tick.scale, 'pricePrecision');
    this.sizePrecision = precisionOf(this.id, spec.sizePrecision, lot.scale, 'sizePrecision');
    this.tickSize = Price.fromRaw(tick.digits * pow10(this.pricePrecision - tick.scale), this.pricePrecision);
    this.lotSize = Quantity.fromRaw(lot.digits * pow10(this.sizePrecision - lot.scale), this.sizePrecision);
    this.multiplier = rate(spec.multiplier ?? 1, 'multiplier');
    if (this.multiplier.digits <= 0n) invalid(this.id, 'multiplier must be positive');
    this.makerFee = rate(spec.makerFee ?? 0, 'makerFee');
    this.takerFee = rate(spec.takerFee ?? 0, 'takerFee');
    this.marginInit = rate(spec.marginInit ?? 1, 'marginInit');
    this.allowNonPositivePrice = spec.allowNonPositivePrice ?? false;
    this.notionalScale = this.pricePrecision + this.sizePrecision + this.multiplier.scale;
    if (this.notionalScale > this.settlement.precision) {
      invalid(
        this.id,
        `price precision ${this.pricePrecision} + size precision ${this.sizePrecision} + multiplier precision ` +
          `${this.multiplier.scale} exceeds ${this.settlement.code} precision ${this.settlement.precision}: notional would not be exact`,
      );
    }
    if (this.base && this.kind === 'SPOT' && this.sizePrecision > this.base.precision) {
      invalid(this.id, `size precision ${this.sizePrecision} exceeds ${this.base.code} precision ${this.base.precision}`);
    }
    this.minQuantity = spec.minQuantity === undefined ? undefined : this.quantity(spec.minQuantity, 'minQuantity');
    this.maxQuantity = spec.maxQuantity === undefined ? undefined : this.quantity(spec.maxQuantity, 'maxQuantity');
    this.minNotional = spec.minNotional === undefined ? undefined : Money.of(spec.minNotional, this.settlement, 'minNotional');
    this.maxNotional = spec.maxNotional === undefined ? undefined : Money.of(spec.maxNotional, this.settlement, 'maxNotional');
    if (this.minQuantity && this.maxQuantity && this.minQuantity.cmp(this.maxQuantity) > 0) invalid(this.id, 'minQuantity > maxQuantity');
    if (this.minNotional && this.maxNotional && this.minNotional.cmp(this.maxNotional) > 0) invalid(this.id, 'minNotional > maxNotional');
    Object.freeze(this);
  }

  /** A price on this instrument's tick grid; anything else is rejected, never rounded. */
  price(value: NumericInput | Price, field = 'price'): Price {
    let p: Price;
    try {
      p = Price.of(value, this.pricePrecision, field);
    } catch (e) {
      throw this.offGrid(e, 'OFF_TICK_GRID', field, value);
    }
    if (p.raw % this.tickSize.raw !== 0n) {
      throw new ValidationError('OFF_TICK_GRID', `${field} ${p.toString()} is not a multiple of tick size ${this.tickSize.toString()} on ${this.id}`, {
        field,
        input: p.toString(),
        tickSize: this.tickSize.toString(),
        instrument: this.id,
      });
    }
    return p;
  }

  /**
   * More decimals than the grid has is being off the grid, whatever the digits: report it with
   * the grid's code, so a caller sees one code for "not a tradable price/quantity here".
   */
  private offGrid(e: unknown, code: 'OFF_TICK_GRID' | 'OFF_LOT_GRID', field: string, value: unknown): unknown {
    if (!(e instanceof ValidationError) || e.code !== 'PRECISION_EXCEEDED') return e;
    const grid = code === 'OFF_TICK_GRID' ? `tick size ${this.tickSize.toString()}` : `lot size ${this.lotSize.toString()}`;
    return new ValidationError(code, `${field} ${shown(value)} is not a multiple of ${grid} on ${this.id}`, { ...e.context, instrument: this.id });
  }

  /** A price that must also be positive unless the instrument allows otherwise. */
  orderPrice(value: NumericInput | Price, field = 'price'): Price {
    const p = this.price(value, field);
    if (!this.allowNonPositivePrice && p.raw <= 0n) {
      throw new ValidationError('NON_POSITIVE_PRICE', `${field} must be positive on ${this.id}, got ${p.toString()}`, {
        field,
        input: p.toString(),
        instrument: this.id,
      });
    }
    return p;
  }

  /** A quantity on this instrument's lot grid. */
  quantity(value: NumericInput | Quantity, field = 'quantity'): Quantity {
    let q: Quantity;
    try {
      q = Quantity.of(value, this.sizePrecision, field);
    } catch (e) {
      throw this.offGrid(e, 'OFF_LOT_GRID', field, value);
    }
    if (q.raw % this.lotSize.raw !== 0n) {
      throw new ValidationError('OFF_LOT_GRID', `${field} ${q.toString()} is not a multiple of lot size ${this.lotSize.toString()} on ${this.id}`, {
        field,
        input: q.toString(),
        lotSize: this.lotSize.toString(),
        instrument: this.id,
      });
    }
    return q;
  }

  /** quantity × price × multiplier as an exact raw integer at `notionalScale` decimals (signed with price). */
  notionalRaw(qty: Quantity, px: Price): bigint {
    return qty.raw * px.raw * this.multiplier.digits;
  }

  /** Exact notional in the settlement currency. */
  notional(qty: Quantity, px: Price): Money {
    return Money.fromRaw(this.notionalRaw(qty, px) * pow10(this.settlement.precision - this.notionalScale), this.settlement);
  }

  /**
   * Fee for a fill: notional × rate, rounded half-up to the settlement currency's minor unit.
   * This is the one documented rounding in the ledger: venues charge whole minor units too.
   */
  fee(qty: Quantity, px: Price, liquidity: 'MAKER' | 'TAKER'): Money {
    const r = liquidity === 'MAKER' ? this.makerFee : this.takerFee;
    const n = this.notionalRaw(qty, px);
    return Money.rounded(n < 0n ? -n * r.digits : n * r.digits, this.notionalScale + r.scale, this.settlement, 'HALF_UP');
  }
}

/** An explicit precision: an integer no smaller than what the step itself needs. */
function precisionOf(id: string, given: number | undefined, least: number, field: string): number {
  if (given === undefined) return least;
  if (!Number.isSafeInteger(given) || given < least || given > MAX_PRECISION) {
    invalid(id, `${field} ${String(given)} must be an integer from ${least} (the step's own decimals) to ${MAX_PRECISION}`);
  }
  return given;
}

function invalid(id: string, message: string): never {
  throw new ValidationError('INVALID_INSTRUMENT', `${id}: ${message}`, { instrument: id });
}
