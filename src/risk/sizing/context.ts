/** The account and market facts every sizer needs, validated once. */
import type { Instrument } from '../../model/instrument.ts';
import { finite, invalidField, nonNegative, positive } from '../analytics/validate.ts';
import { rateToNumber, type Audit } from './result.ts';

export interface SizingContext {
  instrument: Instrument;
  /** Account equity in the settlement currency; must be >= 0. */
  balance: number;
  /** Current (entry) price; used for notional and margin. */
  price: number;
  /**
   * Money gained or lost per 1.0 move in price per 1 unit of quantity. Default: the instrument's
   * contract multiplier (1 for spot and equities). Override for e.g. FX pip values.
   */
  valuePerPoint?: number;
}

export interface ResolvedContext {
  instrument: Instrument;
  balance: number;
  price: number;
  valuePerPoint: number;
}

export function resolveContext(ctx: SizingContext, audit: Audit): ResolvedContext {
  if (!ctx || typeof ctx !== 'object' || !ctx.instrument) invalidField('instrument', 'is required');
  const balance = nonNegative(ctx.balance, 'balance');
  const price = positive(ctx.price, 'price');
  const valuePerPoint = ctx.valuePerPoint === undefined ? rateToNumber(ctx.instrument.multiplier) : positive(finite(ctx.valuePerPoint, 'valuePerPoint'), 'valuePerPoint');
  audit.num('balance', balance, 'account equity');
  audit.num('price', price, 'entry price');
  audit.num('valuePerPoint', valuePerPoint, ctx.valuePerPoint === undefined ? 'instrument multiplier' : 'given');
  return { instrument: ctx.instrument, balance, price, valuePerPoint };
}
