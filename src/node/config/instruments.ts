import { Currencies, currency, type Currency } from '../../model/currency.ts';
import { ValidationError } from '../../model/errors.ts';
import type { InstrumentSpec } from '../../model/instrument.ts';
import type { ExplicitInstrumentConfig } from './schema.ts';

type CurrencyRef = ExplicitInstrumentConfig['quote'];

/** A currency by code (one of `Currencies`) or written out; an unknown code is INVALID_CURRENCY. */
export function currencyOf(ref: CurrencyRef): Currency {
  if (typeof ref !== 'string') return currency(ref.code, ref.precision, ref.kind);
  const known = (Currencies as Readonly<Record<string, Currency>>)[ref];
  if (!known) {
    throw new ValidationError('INVALID_CURRENCY', `unknown currency ${ref}; write it out as { code: ${ref}, precision: <decimals>, kind: CRYPTO|FIAT }`, { code: ref });
  }
  return known;
}

/** The model's InstrumentSpec for an instrument written out in the config (snake_case to camelCase). */
export function instrumentSpecOf(c: ExplicitInstrumentConfig): InstrumentSpec {
  const spec: InstrumentSpec = { id: c.id, kind: c.kind, quote: currencyOf(c.quote), tickSize: c.tick_size, lotSize: c.lot_size };
  if (c.base !== undefined) spec.base = currencyOf(c.base);
  if (c.settlement !== undefined) spec.settlement = currencyOf(c.settlement);
  if (c.min_quantity !== undefined) spec.minQuantity = c.min_quantity;
  if (c.max_quantity !== undefined) spec.maxQuantity = c.max_quantity;
  if (c.min_notional !== undefined) spec.minNotional = c.min_notional;
  if (c.max_notional !== undefined) spec.maxNotional = c.max_notional;
  if (c.multiplier !== undefined) spec.multiplier = c.multiplier;
  if (c.maker_fee !== undefined) spec.makerFee = c.maker_fee;
  if (c.taker_fee !== undefined) spec.takerFee = c.taker_fee;
  if (c.margin_init !== undefined) spec.marginInit = c.margin_init;
  if (c.allow_non_positive_price !== undefined) spec.allowNonPositivePrice = c.allow_non_positive_price;
  return spec;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A bar length from the config (`1m`, `4h`) in milliseconds. */
export function intervalMs(interval: string): number {
  const m = /^([1-9]\d*)(s|m|h|d)$/.exec(interval);
  if (!m) throw new ValidationError('INVALID_FIELD', `not a bar length: ${JSON.stringify(interval)} (1m, 5m, 1h, 1d, ...)`, { field: 'interval' });
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** An InstrumentSpec written out as the config's instrument entry (the inverse of instrumentSpecOf), for a config built in memory. */
export function instrumentConfigOf(spec: InstrumentSpec): ExplicitInstrumentConfig {
  const ref = (c: Currency): CurrencyRef => ({ code: c.code, precision: c.precision, kind: c.kind });
  const text = (v: InstrumentSpec['tickSize']): string => String(v);
  const optional: [keyof ExplicitInstrumentConfig, InstrumentSpec['tickSize'] | undefined][] = [
    ['min_quantity', spec.minQuantity],
    ['max_quantity', spec.maxQuantity],
    ['min_notional', spec.minNotional],
    ['max_notional', spec.maxNotional],
    ['multiplier', spec.multiplier],
    ['maker_fee', spec.makerFee],
    ['taker_fee', spec.takerFee],
    ['margin_init', spec.marginInit],
  ];
  return {
    id: spec.id,
    kind: spec.kind,
    quote: ref(spec.quote),
    tick_size: text(spec.tickSize),
    lot_size: text(spec.lotSize),
    ...(spec.base ? { base: ref(spec.base) } : {}),
    ...(spec.settlement ? { settlement: ref(spec.settlement) } : {}),
    ...Object.fromEntries(optional.filter(([, v]) => v !== undefined).map(([k, v]) => [k, text(v!)])),
    ...(spec.allowNonPositivePrice !== undefined ? { allow_non_positive_price: spec.allowNonPositivePrice } : {}),
  };
}
