/** Instruments and contexts for the sizing tests. */
import { Currencies } from '../../../src/model/currency.ts';
import { Instrument } from '../../../src/model/instrument.ts';
import { ValidationError } from '../../../src/model/errors.ts';
import type { SizingContext } from '../../../src/risk/sizing/index.ts';
import { expectError } from '../../model/fixtures.ts';

/** Binance BTC/USDT spot: lot 0.00001 BTC, unlevered. */
export const BTCUSDT = new Instrument({
  id: 'BTCUSDT.BINANCE',
  kind: 'SPOT',
  base: Currencies.BTC,
  quote: Currencies.USDT,
  tickSize: '0.01',
  lotSize: '0.00001',
});

/** A US equity traded in whole shares. */
export const AAPL = new Instrument({ id: 'AAPL.NASDAQ', kind: 'EQUITY', quote: Currencies.USD, tickSize: '0.01', lotSize: '1' });

/** A perpetual with 10 % initial margin, lot 0.001, at most 5 contracts, at least 0.01. */
export const BTCPERP = new Instrument({
  id: 'BTC-PERP.BYBIT',
  kind: 'PERPETUAL',
  base: Currencies.BTC,
  quote: Currencies.USDT,
  tickSize: '0.1',
  lotSize: '0.001',
  minQuantity: '0.01',
  maxQuantity: '5',
  marginInit: '0.1',
});

/** A lot of 0.5: floors 1.4 to 1.0. */
export const HALFLOT = new Instrument({ id: 'HALF.SIM', kind: 'EQUITY', quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.5' });

export const btcCtx = (over: Partial<SizingContext> = {}): SizingContext => ({ instrument: BTCUSDT, balance: 100_000, price: 30_000, ...over });
export const aaplCtx = (over: Partial<SizingContext> = {}): SizingContext => ({ instrument: AAPL, balance: 50_000, price: 150, ...over });

/** `fn` must throw ValidationError INVALID_FIELD naming `field`. */
export function expectInvalidField(fn: () => unknown, field: string): void {
  expectError(fn, ValidationError, 'INVALID_FIELD', { field });
}
