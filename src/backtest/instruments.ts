import { basename } from 'node:path';
import { Currencies, currency, type Currency } from '../model/currency.ts';
import { parseDecimal } from '../model/decimal.ts';
import { ValidationError } from '../model/errors.ts';
import type { InstrumentSpec } from '../model/instrument.ts';

/** Quote currencies recognised at the end of a crypto symbol, longest first. */
const QUOTES = ['USDT', 'USDC', 'BUSD', 'FDUSD', 'USD', 'EUR', 'BTC', 'ETH', 'BNB'];

/**
 * A data argument: `FILE` or `FILE@SYMBOL.VENUE`. Without a name the file's does it:
 * `VENUE-SYMBOL-...` (e.g. `binanceus-BTCUSDT-1m-2023-03-01_21.csv` → `BTCUSDT.BINANCEUS`,
 * `yahoo-NVDA-1d-1999_2014.csv` → `NVDA.YAHOO`), upper-cased.
 */
export function parseDataArg(arg: string): { file: string; instrumentId: string } {
  const at = arg.lastIndexOf('@');
  if (at > 0 && /^[A-Za-z0-9_/-]+\.[A-Za-z0-9_]+$/.test(arg.slice(at + 1))) {
    return { file: arg.slice(0, at), instrumentId: arg.slice(at + 1).toUpperCase() };
  }
  const m = /^([A-Za-z0-9]+)-([A-Za-z0-9_]+)-/.exec(basename(arg));
  if (!m) {
    throw new ValidationError('INVALID_FIELD', `cannot name the instrument of ${arg}: call the file VENUE-SYMBOL-... or write ${arg}@SYMBOL.VENUE`, { field: 'data', input: arg });
  }
  return { file: arg, instrumentId: `${m[2]!.toUpperCase()}.${m[1]!.toUpperCase()}` };
}

function currencyOf(code: string, minPrecision: number): Currency {
  const known = (Currencies as Record<string, Currency>)[code];
  const base = known ?? currency(code, 8, 'CRYPTO');
  return base.precision >= minPrecision ? base : currency(code, minPrecision, base.kind);
}

export interface SpecOptions {
  readonly tick?: string;
  readonly lot?: string;
  /** Maker and taker fee in basis points of notional. */
  readonly feeBps?: string;
}

/**
 * An instrument for a symbol. A symbol ending in a known quote (USDT, USDC, USD, BTC, ...) is a
 * SPOT pair with tick 0.01 and lot 0.00001 unless told; any other symbol is an EQUITY in USD with
 * tick 0.000001 (split-adjusted prices have many decimals) and lot 1. The quote currency's
 * precision is widened when tick + lot decimals need more (so BTCUSD is exact in 7-decimal USD).
 * Fees: makerFee = takerFee = feeBps / 10,000.
 */
export function instrumentSpecFor(instrumentId: string, o: SpecOptions = {}): InstrumentSpec {
  const [symbol = ''] = instrumentId.split('.');
  const quote = QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length);
  const tick = o.tick ?? (quote ? '0.01' : '0.000001');
  const lot = o.lot ?? (quote ? '0.00001' : '1');
  const need = parseDecimal(tick, 'tick').scale + parseDecimal(lot, 'lot').scale;
  const fee = o.feeBps === undefined ? '0' : bpsToRate(o.feeBps);
  const spec: InstrumentSpec = quote
    ? { id: instrumentId, kind: 'SPOT', base: currencyOf(symbol.slice(0, -quote.length), parseDecimal(lot, 'lot').scale), quote: currencyOf(quote, need), tickSize: tick, lotSize: lot, makerFee: fee, takerFee: fee }
    : { id: instrumentId, kind: 'EQUITY', quote: currencyOf('USD', need), tickSize: tick, lotSize: lot, makerFee: fee, takerFee: fee };
  return spec;
}

/** Basis points to an exact decimal fraction: "10" → "0.001", "7.5" → "0.00075" (no binary floating point). */
export function bpsToRate(bps: string): string {
  const { digits, scale } = parseDecimal(bps, 'fee-bps');
  const neg = digits < 0n;
  const s = (neg ? -digits : digits).toString().padStart(scale + 5, '0');
  const k = scale + 4;
  return `${neg ? '-' : ''}${s.slice(0, -k)}.${s.slice(-k)}`;
}
