import type { trading } from '@alpacahq/alpaca-trade-api';
import { Currencies } from '../../model/currency.ts';
import { parseDecimal } from '../../model/decimal.ts';
import { ValidationError } from '../../model/errors.ts';
import { Instrument, type InstrumentSpec } from '../../model/instrument.ts';
import { alpacaOptional } from './exact.ts';

/** US equities trade on a cent grid at $1 and above (Reg NMS Rule 612); Alpaca lists no price_increment for them. */
const EQUITY_TICK = '0.01';

/**
 * An Alpaca asset (GET /v2/assets/{symbol}) as a Warden instrument: a US equity quoted in USD, its
 * tick `price_increment` where Alpaca gives one (else a cent), whole shares, a `min_order_size` of
 * a share or more as its minimum, all exact from Alpaca's own text. Fractional shares (and sub-cent
 * ticks) are not taken: Warden's ledger keeps every notional exact in cents, and a fraction of a
 * share at a cent price is not (Alpaca rounds it). What cannot be traded or expressed is
 * INVALID_INSTRUMENT.
 */
export function instrumentSpecOf(id: string, asset: trading.Assets): InstrumentSpec {
  const refuse = (why: string): never => {
    throw new ValidationError('INVALID_INSTRUMENT', `Alpaca asset ${asset.symbol} cannot be traded as ${id}: ${why}`, { instrument: id, symbol: asset.symbol });
  };
  if (asset._class !== 'us_equity') refuse(`its class is ${String(asset._class)}, not us_equity`);
  if (asset.status !== 'active' || !asset.tradable) refuse(`it is ${asset.status}${asset.tradable ? '' : ' and not tradable'}`);
  const tick = alpacaOptional(asset.priceIncrement, 'price_increment') ?? EQUITY_TICK;
  const minimum = alpacaOptional(asset.minOrderSize, 'min_order_size');
  const min = minimum !== undefined && parseDecimal(minimum).digits >= 10n ** BigInt(parseDecimal(minimum).scale) ? minimum : undefined;
  const spec: InstrumentSpec = { id, kind: 'EQUITY', quote: Currencies.USD, tickSize: tick, lotSize: '1', ...(min !== undefined ? { minQuantity: min } : {}), makerFee: '0', takerFee: '0' };
  try {
    new Instrument(spec); // the grid, the minimum and exact notional in cents must hold
  } catch (e) {
    refuse((e as Error).message);
  }
  return spec;
}
