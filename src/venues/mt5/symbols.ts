import { currency, type Currency } from '../../model/currency.ts';
import { ValidationError } from '../../model/errors.ts';
import { Instrument, type InstrumentSpec } from '../../model/instrument.ts';
import { exactText } from '../ccxt/exact.ts';
import { dictGet, textOf, type PyDict } from './py-literal.ts';

/** A symbol's figures as the bundled EA's SYMBOL_INFO gives them (SymbolInfoInteger/Double/String). */
export interface SymbolInfo {
  readonly symbol: string;
  readonly digits: number;
  readonly point: string;
  readonly volumeMin: string;
  readonly volumeMax: string;
  readonly volumeStep: string;
  readonly contractSize: string;
  readonly base: string;
  readonly profit: string;
}

export function symbolInfoOf(reply: PyDict, symbol: string): SymbolInfo {
  const field = (name: string): string => {
    const t = textOf(dictGet(reply, name));
    if (t === undefined) throw bad(symbol, `no ${name} in SYMBOL_INFO`);
    return t;
  };
  const digits = Number(field('_digits'));
  if (!Number.isInteger(digits) || digits < 0 || digits > 10) throw bad(symbol, `digits ${field('_digits')}`);
  return {
    symbol,
    digits,
    point: exactText(field('_point'), '_point'),
    volumeMin: exactText(field('_volume_min'), '_volume_min'),
    volumeMax: exactText(field('_volume_max'), '_volume_max'),
    volumeStep: exactText(field('_volume_step'), '_volume_step'),
    contractSize: exactText(field('_contract_size'), '_contract_size'),
    base: field('_currency_base'),
    profit: field('_currency_profit'),
  };
}

const CODE = /^[A-Z0-9]{2,12}$/;

/** Places of a decimal text. */
function places(text: string): number {
  return text.split('.')[1]?.length ?? 0;
}

/**
 * An MT5 symbol as a Warden instrument, exact. Quantity is in lots, as MT5 counts it (the lot step
 * is the grid, the minimum and maximum lots the limits) and the multiplier is the contract size
 * (100 000 for a standard FX lot), so notional = lots × price × contract size in the profit
 * currency. The kind is PERPETUAL: an MT5 FX or CFD position is a margined contract that settles
 * its PnL in the profit currency and never delivers the base currency (a SPOT instrument would move
 * base balances). The profit currency gets the places a notional needs (point + lot step + contract
 * size places), at least 2.
 */
export function instrumentSpecOf(id: string, info: SymbolInfo, marginInit: string | undefined): InstrumentSpec {
  if (!CODE.test(info.base) || !CODE.test(info.profit)) throw bad(info.symbol, `currencies ${info.base}/${info.profit} are not codes Warden takes`);
  const tick = info.point;
  if (places(tick) !== info.digits && !(info.digits === 0 && places(tick) === 0)) throw bad(info.symbol, `point ${tick} does not match ${info.digits} digits`);
  const quote: Currency = currency(info.profit, Math.min(16, Math.max(2, places(tick) + places(info.volumeStep) + places(info.contractSize))), 'FIAT');
  const base: Currency = currency(info.base, Math.min(16, Math.max(2, places(info.volumeStep))), 'FIAT');
  const spec: InstrumentSpec = {
    id,
    kind: 'PERPETUAL',
    base,
    quote,
    tickSize: tick,
    lotSize: info.volumeStep,
    minQuantity: info.volumeMin,
    maxQuantity: info.volumeMax,
    ...(info.contractSize !== '1' ? { multiplier: info.contractSize } : {}),
    ...(marginInit !== undefined ? { marginInit } : {}),
  };
  try {
    new Instrument(spec);
  } catch (e) {
    throw bad(info.symbol, `does not fit Warden's exact grid: ${(e as Error).message}`);
  }
  return spec;
}

function bad(symbol: string, message: string): ValidationError {
  return new ValidationError('INVALID_INSTRUMENT', `MT5 symbol ${symbol}: ${message}`, { symbol });
}
