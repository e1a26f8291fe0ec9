/** Fixtures for the simulated-exchange model tests: instruments with readable grids and context builders. */
import { BTCUSDT_SPEC } from '../../../model/fixtures.ts';
import { expect } from 'vitest';
import { Currencies } from '../../../../src/model/currency.ts';
import { WardenError, type ErrorCode } from '../../../../src/model/errors.ts';
import { Instrument } from '../../../../src/model/instrument.ts';
import type { OrderSide } from '../../../../src/model/orders/types.ts';
import type { Price, Quantity } from '../../../../src/model/values.ts';
import type { FeeContext } from '../../../../src/venues/sim/models/fees.ts';
import type { SlippageContext } from '../../../../src/venues/sim/models/slippage.ts';

/** Binance BTC/USDT spot: tick 0.01, lot 0.00001, maker 0.02 %, taker 0.1 %. */
export const BTCUSDT = new Instrument(BTCUSDT_SPEC);

/** XRP/USDT: tick 0.0001, lot 0.1; XRP has 6 decimals. */
export const XRPUSDT = new Instrument({
  id: 'XRPUSDT.BINANCE',
  kind: 'SPOT',
  base: Currencies.XRP,
  quote: Currencies.USDT,
  tickSize: '0.0001',
  lotSize: '0.1',
});

/** US equity: tick 0.01 USD, whole shares, taker 0.1 %. */
export const AAPL = new Instrument({ id: 'AAPL.XNAS', kind: 'EQUITY', quote: Currencies.USD, tickSize: '0.01', lotSize: '1', takerFee: '0.001', makerFee: '0.001' });

export const px = (v: string, i: Instrument = BTCUSDT): Price => i.price(v);
export const qty = (v: string, i: Instrument = BTCUSDT): Quantity => i.quantity(v);

export interface CtxOptions {
  side?: OrderSide;
  qty?: string;
  ref?: string;
  barVolume?: string;
  volume24h?: string;
  spread?: string;
  volatility?: number;
}

/** A slippage context on BTCUSDT: default BUY 1 BTC at 25,000.00, nothing else known. */
export function ctx(o: CtxOptions = {}, instrument: Instrument = BTCUSDT): SlippageContext {
  return {
    instrument,
    side: o.side ?? 'BUY',
    quantity: qty(o.qty ?? '1', instrument),
    referencePrice: px(o.ref ?? '25000.00', instrument),
    ...(o.barVolume !== undefined && { barVolume: qty(o.barVolume, instrument) }),
    ...(o.volume24h !== undefined && { volume24h: qty(o.volume24h, instrument) }),
    ...(o.spread !== undefined && { spread: px(o.spread, instrument) }),
    ...(o.volatility !== undefined && { volatility: o.volatility }),
  };
}

/** A fee context: TAKER BUY unless told otherwise. */
export function feeCtx(instrument: Instrument, q: string, p: string, o: Partial<FeeContext> = {}): FeeContext {
  return { instrument, side: 'BUY', qty: instrument.quantity(q), price: instrument.price(p), liquidity: 'TAKER', ...o };
}

/** Asserts `fn` throws a WardenError with `code` (and the given context fields). */
export function expectError(fn: () => unknown, code: ErrorCode, context?: Record<string, unknown>): WardenError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(WardenError);
  const err = caught as WardenError;
  expect(err.code).toBe(code);
  if (context) expect(err.context).toMatchObject(context);
  return err;
}
