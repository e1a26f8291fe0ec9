import type { trading } from '@alpacahq/alpaca-trade-api';
import { Currencies } from '../../model/currency.ts';
import { ValidationError } from '../../model/errors.ts';
import { Instrument, type InstrumentSpec } from '../../model/instrument.ts';
import { alpacaOptional } from './exact.ts';

/** US equities trade on a cent grid at $1 and above (Reg NMS Rule 612); Alpaca lists no price_increment for them. */
const EQUITY_TICK = '0.01';
/** Alpaca takes fractional quantities to 9 decimal places where it lists no min_trade_increment. */
const FRACTIONAL_LOT = '0.000000001';

/**
 * An Alpaca asset (GET /v2/assets/{symbol}) as a Warden instrument: a US equity quoted in USD, its
 * tick `price_increment` where Alpaca gives one (else a cent), whole shares, or — when fractional
 * trading is on and the asset is `fractionable` — its `min_trade_increment` and `min_order_size`,
 * all exact from Alpaca's own text. What cannot be traded or expressed is INVALID_INSTRUMENT.
 */
export function instrumentSpecOf(id: string, asset: trading.Assets, fractional: boolean): InstrumentSpec {
  const refuse = (why: string): never => {
    throw new ValidationError('INVALID_INSTRUMENT', `Alpaca asset ${asset.symbol} cannot be traded as ${id}: ${why}`, { instrument: id, symbol: asset.symbol });
  };
  if (asset._class !== 'us_equity') refuse(`its class is ${String(asset._class)}, not us_equity`);
  if (asset.status !== 'active' || !asset.tradable) refuse(`it is ${asset.status}${asset.tradable ? '' : ' and not tradable'}`);
  const tick = alpacaOptional(asset.priceIncrement, 'price_increment') ?? EQUITY_TICK;
  const fractionalLot = fractional && asset.fractionable;
  const lot = fractionalLot ? (alpacaOptional(asset.minTradeIncrement, 'min_trade_increment') ?? FRACTIONAL_LOT) : '1';
  const min = fractionalLot ? alpacaOptional(asset.minOrderSize, 'min_order_size') : undefined;
  const spec: InstrumentSpec = { id, kind: 'EQUITY', quote: Currencies.USD, tickSize: tick, lotSize: lot, ...(min !== undefined ? { minQuantity: min } : {}), makerFee: '0', takerFee: '0' };
  try {
    new Instrument(spec); // the grid and minimum must be consistent (the minimum on the lot grid)
  } catch (e) {
    refuse((e as Error).message);
  }
  return spec;
}
