/**
 * USDⓈ-M positions and wallet worked out from the fills, since the matching core books a
 * perpetual like cash (a sell credits its notional): one-way (BOTH) position per symbol with an
 * average entry price, and a wallet of cash + position cost basis (= deposits + realized PnL −
 * fees). Margin, leverage and liquidation are not modelled.
 */
import type { FakeTrade } from '../fake-venue/matching.ts';
import { add, cmp, fixed, mul, quantityForQuote, sub } from './decimal.ts';
import type { BinanceVenue } from './venue.ts';

export interface FuturesPosition {
  readonly symbol: string;
  /** Signed: negative is short. */
  readonly qty: string;
  readonly entryPrice: string;
  readonly realized: string;
  readonly updateTime: number;
}

const abs = (s: string): string => (s.startsWith('-') ? s.slice(1) : s);
const neg = (s: string): string => (s.startsWith('-') ? s.slice(1) : `-${s}`);
const ENTRY_STEP = '0.00000001';

/** The position the trades leave, oldest trade first. */
export function positionOf(symbol: string, trades: readonly FakeTrade[]): FuturesPosition {
  let qty = '0';
  let entry = '0';
  let realized = '0';
  let updateTime = 0;
  for (const t of trades) {
    const signed = t.side === 'BUY' ? t.qty : neg(t.qty);
    updateTime = t.ts;
    const sameWay = cmp(qty, '0') === 0 || cmp(qty, '0') === cmp(signed, '0');
    if (sameWay) {
      const cost = add(mul(abs(qty), entry), mul(t.qty, t.price));
      qty = add(qty, signed);
      entry = quantityForQuote(cost, abs(qty), ENTRY_STEP);
      continue;
    }
    const closed = cmp(abs(signed), abs(qty)) <= 0 ? t.qty : abs(qty);
    const pnlPerUnit = cmp(qty, '0') > 0 ? sub(t.price, entry) : sub(entry, t.price);
    realized = add(realized, mul(pnlPerUnit, closed));
    qty = add(qty, signed);
    if (cmp(qty, '0') === 0) entry = '0';
    else if (cmp(qty, '0') === cmp(signed, '0')) entry = t.price; // flipped through zero
  }
  return { symbol, qty, entryPrice: entry, realized, updateTime };
}

export function positions(venue: BinanceVenue): FuturesPosition[] {
  return venue.matching.markets().map((m) => positionOf(m.symbol, venue.matching.trades(venue.account, m.symbol)));
}

/** The mark the fake uses: last trade, else the mid of the quote, else the entry. */
export function markPrice(venue: BinanceVenue, symbol: string, fallback: string): string {
  const t = venue.matching.ticker(symbol);
  if (t.last !== undefined) return t.last;
  if (t.bid !== undefined && t.ask !== undefined) return quantityForQuote(add(t.bid, t.ask), '2', ENTRY_STEP);
  return fallback;
}

export function unrealized(venue: BinanceVenue, p: FuturesPosition): string {
  return mul(p.qty, sub(markPrice(venue, p.symbol, p.entryPrice), p.entryPrice));
}

export interface FuturesWallet {
  readonly asset: string;
  readonly walletBalance: string;
  readonly unrealizedProfit: string;
  readonly marginBalance: string;
  readonly availableBalance: string;
  readonly locked: string;
}

/** The settlement asset's wallet: cash plus the open positions' cost basis. */
export function wallet(venue: BinanceVenue, asset = 'USDT'): FuturesWallet {
  const cash = venue.matching.balances(venue.account)[asset] ?? { free: '0', locked: '0' };
  let walletBalance = add(cash.free, cash.locked);
  let upnl = '0';
  for (const p of positions(venue)) {
    walletBalance = add(walletBalance, mul(p.qty, p.entryPrice));
    upnl = add(upnl, unrealized(venue, p));
  }
  const marginBalance = add(walletBalance, upnl);
  return { asset, walletBalance: fixed(walletBalance), unrealizedProfit: fixed(upnl), marginBalance: fixed(marginBalance), availableBalance: fixed(sub(marginBalance, cash.locked)), locked: fixed(cash.locked) };
}

/** Which orders are conditional (algo) orders, and which of them have triggered. */
export class AlgoBook {
  private readonly ids = new Set<number>();
  private readonly fired = new Set<number>();

  add(orderId: number): void {
    this.ids.add(orderId);
  }

  has(orderId: number): boolean {
    return this.ids.has(orderId);
  }

  trigger(orderId: number): void {
    if (this.ids.has(orderId)) this.fired.add(orderId);
  }

  triggered(orderId: number): boolean {
    return this.fired.has(orderId);
  }
}
