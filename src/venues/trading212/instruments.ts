import type { InstrumentSpec } from '../../model/instrument.ts';
import { currency, type Currency } from '../../model/currency.ts';
import { ValidationError } from '../../model/errors.ts';
import { figure } from './orders.ts';
import type { T212Instrument } from './wire.ts';

/** Minor units of the currencies Trading 212 lists equities in (ISO 4217; GBX is pence). */
const PLACES: Readonly<Record<string, number>> = { GBX: 2, JPY: 0, HUF: 2 };

/**
 * The account currency as Warden's ledger keeps it for Trading 212: fractional shares make a
 * fill's notional finer than the currency's minor unit (0.0001 share × 150.01), and a notional
 * must be exact, so the ledger carries the places of tick × quantity step (the broker itself
 * settles cash to the cent; see the README notes).
 */
/** The currency's ISO minor units: what the broker settles cash in. */
export function minorUnits(code: string): number {
  return PLACES[code] ?? 2;
}

export function currencyOfCode(code: string, grid?: { tickSize: string; quantityStep: string }): Currency {
  const places = (t: string) => (t.split('.')[1] ?? '').replace(/0+$/, '').length;
  const ledger = grid ? Math.min(16, places(grid.tickSize) + places(grid.quantityStep)) : 0;
  return currency(code, Math.max(PLACES[code] ?? 2, ledger), 'FIAT');
}

/**
 * A Trading 212 instrument as a Warden spec. The broker publishes no tick or lot size, so the grid
 * is the configured one (tick_size, quantity_step); the minimum is its own minTradeQuantity where
 * given (checked on that grid, never rounded), the maximum its maxOpenQuantity.
 */
export function instrumentSpecOf(id: string, x: T212Instrument, grid: { tickSize: string; quantityStep: string }): InstrumentSpec {
  if (x.type !== 'STOCK' && x.type !== 'ETF') throw new ValidationError('INVALID_INSTRUMENT', `${x.ticker} is a ${x.type}; Warden trades Trading 212 stocks and ETFs`, { ticker: x.ticker });
  const quote = currencyOfCode(x.currencyCode, grid);
  return {
    id,
    kind: 'EQUITY',
    quote,
    tickSize: grid.tickSize,
    lotSize: grid.quantityStep,
    ...(x.minTradeQuantity !== undefined ? { minQuantity: figure(x.minTradeQuantity, 'minTradeQuantity') } : {}),
    ...(x.maxOpenQuantity !== undefined ? { maxQuantity: figure(x.maxOpenQuantity, 'maxOpenQuantity') } : {}),
    makerFee: '0',
    takerFee: '0',
  };
}
