/**
 * What spot and futures order entry share: reading Binance's order parameters, the filter checks
 * Binance applies before matching (PRICE_FILTER, LOT_SIZE), finding an order by orderId or
 * origClientOrderId, and turning the matching core's refusals into Binance's errors.
 */
import { FakeReject, type FakeMarketSpec, type FakeOrder, type FakePlaceRequest } from '../fake-venue/matching.ts';
import { onGrid } from './decimal.ts';
import { BinanceError, err, fromReject, MSG } from './errors.ts';
import type { BinanceVenue } from './venue.ts';

export function required(p: Readonly<Record<string, string>>, name: string): string {
  const v = p[name];
  if (v === undefined || v === '') throw err.mandatory(name);
  return v;
}

export function listedMarket(venue: BinanceVenue, symbol: string): FakeMarketSpec {
  const m = venue.matching.market(symbol);
  if (!m) throw new BinanceError(400, -1121, MSG.invalidSymbol);
  return m;
}

export function side(p: Readonly<Record<string, string>>): 'BUY' | 'SELL' {
  const s = required(p, 'side');
  if (s !== 'BUY' && s !== 'SELL') throw new BinanceError(400, -1100, "Illegal characters found in parameter 'side'; legal range is 'BUY, SELL'.");
  return s;
}

export function timeInForce(p: Readonly<Record<string, string>>): 'GTC' | 'IOC' | 'FOK' | undefined {
  const t = p['timeInForce'];
  if (t === undefined || t === 'GTX') return undefined;
  if (t !== 'GTC' && t !== 'IOC' && t !== 'FOK') throw new BinanceError(400, -1115, 'Invalid timeInForce.');
  return t;
}

/** Binance's PRICE_FILTER and LOT_SIZE checks, run before the order reaches matching. */
export function checkGrid(m: FakeMarketSpec, prices: readonly (string | undefined)[], quantity: string): void {
  for (const px of prices) if (px !== undefined && !onGrid(px, m.tickSize)) throw new BinanceError(400, -1013, 'Filter failure: PRICE_FILTER');
  if (!onGrid(quantity, m.lotSize)) throw new BinanceError(400, -1013, 'Filter failure: LOT_SIZE');
}

export function placeOrThrow(venue: BinanceVenue, req: FakePlaceRequest): FakeOrder {
  if (venue.status(req.symbol) !== 'TRADING') throw new BinanceError(400, -1013, MSG.marketClosed);
  try {
    return venue.matching.place(req);
  } catch (e) {
    if (e instanceof FakeReject) throw fromReject(e, venue.kind === 'usdm');
    throw e;
  }
}

/** The order named by orderId or origClientOrderId; `missing` is the error Binance gives. */
export function findOrder(venue: BinanceVenue, p: Readonly<Record<string, string>>, missing: () => BinanceError): FakeOrder {
  const ref = orderRef(p);
  const o = venue.matching.find(venue.account, ref);
  if (!o || o.symbol !== required(p, 'symbol')) throw missing();
  return o;
}

export function orderRef(p: Readonly<Record<string, string>>): { orderId?: number; clientOrderId?: string } {
  if (p['orderId'] !== undefined) return { orderId: Number(p['orderId']) };
  if (p['origClientOrderId'] !== undefined) return { clientOrderId: p['origClientOrderId'] };
  throw new BinanceError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
}

export function cancelOrThrow(venue: BinanceVenue, p: Readonly<Record<string, string>>): FakeOrder {
  const found = venue.matching.find(venue.account, orderRef(p));
  if (!found || found.symbol !== required(p, 'symbol')) throw err.unknownCancel();
  venue.newCancelId(found.orderId, p['newClientOrderId']);
  try {
    venue.matching.cancel(venue.account, { orderId: found.orderId });
  } catch (e) {
    if (e instanceof FakeReject) throw err.unknownCancel();
    throw e;
  }
  return venue.matching.find(venue.account, { orderId: found.orderId })!;
}

/** Binance's `limit`, `startTime`/`endTime` and `fromId` windows over a list sorted by id. */
export function window<T>(items: readonly T[], p: Readonly<Record<string, string>>, id: (t: T) => number, ts: (t: T) => number, max = 1000): T[] {
  const limit = Math.min(Number(p['limit'] ?? 500), max);
  let out = [...items];
  if (p['fromId'] !== undefined) out = out.filter((t) => id(t) >= Number(p['fromId']));
  if (p['startTime'] !== undefined) out = out.filter((t) => ts(t) >= Number(p['startTime']));
  if (p['endTime'] !== undefined) out = out.filter((t) => ts(t) <= Number(p['endTime']));
  return p['fromId'] !== undefined || p['startTime'] !== undefined ? out.slice(0, limit) : out.slice(-limit);
}
