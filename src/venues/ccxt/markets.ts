import type { MarketInterface as Market } from 'ccxt';
import { currency, type Currency } from '../../model/currency.ts';
import { LookupError, ValidationError } from '../../model/errors.ts';
import { Instrument, type InstrumentSpec } from '../../model/instrument.ts';

/** The currencies the instruments define, by code (base, quote, settlement): one precision per code across a node. */
export function currenciesOf(instruments: Iterable<Instrument>): Map<string, Currency> {
  const out = new Map<string, Currency>();
  for (const inst of instruments) for (const c of [inst.base, inst.quote, inst.settlement]) if (c) out.set(c.code, c);
  return out;
}
import { exactOptional, stepFromPrecision } from './exact.ts';

const FIAT = new Set(['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD', 'CHF']);

/** The market ccxt lists for one of our symbols: by the exchange's id (BTCUSDT, XXBTZUSD, BTC-USD), its unified symbol, or base and quote run together. */
export function findMarket(markets: readonly Market[], symbol: string, unified?: string): Market {
  const hit =
    (unified !== undefined ? markets.find((m) => m.symbol === unified) : undefined) ??
    markets.find((m) => m.id === symbol) ??
    markets.find((m) => m.symbol === symbol) ??
    markets.find((m) => `${m.base}${m.quote}` === symbol && (m.spot || m.linear === true));
  if (!hit) throw new LookupError('UNKNOWN_INSTRUMENT', `the exchange lists no market for ${symbol}${unified ? ` (${unified})` : ''}`, { symbol });
  return hit;
}

/** Decimal places of a plain decimal. */
function places(text: string): number {
  const i = text.indexOf('.');
  return i < 0 ? 0 : text.length - i - 1;
}

/** A market's grid, exact: tick and lot from ccxt's precision, limits and fees from its figures. */
export interface MarketGrid {
  readonly tick: string;
  readonly lot: string;
  readonly minQty: string | undefined;
  readonly maxQty: string | undefined;
  readonly minNotional: string | undefined;
  readonly maxNotional: string | undefined;
  readonly maker: string | undefined;
  readonly taker: string | undefined;
  readonly multiplier: string | undefined;
}

export function gridOf(m: Market, mode: 'TICK_SIZE' | 'DECIMAL_PLACES'): MarketGrid {
  const at = (f: string) => `market ${m.symbol} ${f}`;
  return {
    tick: stepFromPrecision(m.precision.price, mode, at('precision.price')),
    lot: stepFromPrecision(m.precision.amount, mode, at('precision.amount')),
    minQty: exactOptional(m.limits.amount?.min, at('limits.amount.min')),
    maxQty: exactOptional(m.limits.amount?.max, at('limits.amount.max')),
    minNotional: exactOptional(m.limits.cost?.min, at('limits.cost.min')),
    maxNotional: exactOptional(m.limits.cost?.max, at('limits.cost.max')),
    maker: exactOptional(m.maker, at('maker')),
    taker: exactOptional(m.taker, at('taker')),
    multiplier: m.contract ? exactOptional(m.contractSize, at('contractSize')) : undefined,
  };
}

/**
 * The currencies of a venue's markets at a precision that holds every notional exactly (tick
 * places + lot places), never below the usual (2 for fiat, 8 for crypto): a currency has one
 * precision across the node.
 */
export function currenciesFor(markets: readonly Market[], mode: 'TICK_SIZE' | 'DECIMAL_PLACES', known: (code: string) => Currency | undefined): Map<string, Currency> {
  const need = new Map<string, number>();
  const raise = (code: string, p: number) => need.set(code, Math.max(need.get(code) ?? 0, p));
  for (const m of markets) {
    const g = gridOf(m, mode);
    raise(m.base, places(g.lot));
    const settle = m.settle ?? m.quote;
    raise(m.quote, places(g.tick));
    raise(settle, places(g.tick) + places(g.lot) + (g.multiplier ? places(g.multiplier) : 0));
  }
  const out = new Map<string, Currency>();
  for (const [code, p] of need) {
    const k = known(code);
    if (k) {
      out.set(code, k);
      continue;
    }
    const usual = FIAT.has(code) ? 2 : 8;
    out.set(code, currency(code, Math.min(16, Math.max(usual, p)), FIAT.has(code) ? 'FIAT' : 'CRYPTO'));
  }
  return out;
}

/**
 * Warden's instrument for a ccxt market, exact: every figure read through its shortest decimal
 * text and checked by the Instrument itself (a minimum off the lot grid, a notional the settlement
 * currency cannot hold) — refused with the market named, never rounded.
 */
export function instrumentSpecOf(id: string, m: Market, mode: 'TICK_SIZE' | 'DECIMAL_PLACES', currencies: ReadonlyMap<string, Currency>): InstrumentSpec {
  if (!m.spot && !(m.swap && m.linear)) {
    throw new ValidationError('INVALID_INSTRUMENT', `market ${m.symbol} is a ${m.type ?? 'unknown'} market: Warden trades spot and linear perpetuals`, { instrument: id });
  }
  const g = gridOf(m, mode);
  const cur = (code: string): Currency => {
    const c = currencies.get(code);
    if (!c) throw new ValidationError('INVALID_CURRENCY', `no currency ${code} for market ${m.symbol}`, { instrument: id });
    return c;
  };
  const spec: InstrumentSpec = {
    id,
    kind: m.spot ? 'SPOT' : 'PERPETUAL',
    base: cur(m.base),
    quote: cur(m.quote),
    ...(m.settle && m.settle !== m.quote ? { settlement: cur(m.settle) } : {}),
    tickSize: g.tick,
    lotSize: g.lot,
    ...(g.minQty !== undefined && g.minQty !== '0' ? { minQuantity: g.minQty } : {}),
    ...(g.maxQty !== undefined ? { maxQuantity: g.maxQty } : {}),
    ...(g.minNotional !== undefined && g.minNotional !== '0' ? { minNotional: g.minNotional } : {}),
    ...(g.maxNotional !== undefined ? { maxNotional: g.maxNotional } : {}),
    ...(g.multiplier !== undefined && g.multiplier !== '1' ? { multiplier: g.multiplier } : {}),
    ...(g.maker !== undefined ? { makerFee: g.maker } : {}),
    ...(g.taker !== undefined ? { takerFee: g.taker } : {}),
  };
  try {
    new Instrument(spec);
  } catch (e) {
    throw new ValidationError('INVALID_INSTRUMENT', `market ${m.symbol} does not fit Warden's exact grid: ${(e as Error).message}`, { instrument: id });
  }
  return spec;
}

/** What changed in a reloaded market's grid (FAULTS 35), for the alert. */
export function gridChange(before: InstrumentSpec, after: InstrumentSpec): string | undefined {
  const parts: string[] = [];
  if (String(before.tickSize) !== String(after.tickSize)) parts.push(`tick ${String(before.tickSize)} → ${String(after.tickSize)}`);
  if (String(before.lotSize) !== String(after.lotSize)) parts.push(`lot ${String(before.lotSize)} → ${String(after.lotSize)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
