/**
 * The fake Alpaca's order classes bracket, oco and oto: what POST /v2/orders takes for them and
 * Alpaca's 422 answers for what it does not (the take-profit must be better than the base price
 * by a cent, the stop-loss worse; base price: the entry's limit, or the quote a market entry would
 * take). A bracket's and an oto's legs are `held` until the entry fills; an oco (an exit: a limit
 * take-profit with its stop) has both working at once.
 */
import { add, cmp, sub } from '../fake-binance/decimal.ts';
import { AlpacaError, ERR } from './errors.ts';

export type OrderClass = 'simple' | 'bracket' | 'oco' | 'oto';

export interface ListTerms {
  readonly orderClass: OrderClass;
  readonly takeProfit?: { readonly limitPrice: string };
  readonly stopLoss?: { readonly stopPrice: string; readonly limitPrice?: string };
}

const unprocessable = (message: string) => new AlpacaError(422, ERR.unprocessable, message);

/**
 * Checks a list's terms as Alpaca does; `side` and `type` are the order's (the entry's, or an oco's
 * limit), `base` its base price. Throws Alpaca's 422.
 */
export function checkList(terms: ListTerms, o: { side: 'buy' | 'sell'; type: string; tif: string; extendedHours: boolean }, base: string | undefined): void {
  const { orderClass, takeProfit, stopLoss } = terms;
  if (orderClass === 'simple') return;
  if (o.tif !== 'day' && o.tif !== 'gtc') throw unprocessable(`invalid time_in_force for ${orderClass} order`);
  if (o.extendedHours) throw unprocessable('extended hours order must be simple order class');
  if (orderClass === 'bracket' && (!takeProfit || !stopLoss)) throw unprocessable('bracket orders require take_profit and stop_loss');
  if (orderClass === 'oco') {
    if (o.type !== 'limit') throw unprocessable('oco orders must be limit orders');
    if (!takeProfit || !stopLoss) throw unprocessable('oco orders require take_profit and stop_loss');
  }
  if (orderClass === 'oto' && (takeProfit === undefined) === (stopLoss === undefined)) throw unprocessable('oto orders require take_profit or stop_loss');
  if ((orderClass === 'bracket' || orderClass === 'oto') && o.type !== 'market' && o.type !== 'limit') throw unprocessable(`${orderClass} orders must be market or limit orders`);
  // An oco exits a position: its legs are on its own side, priced around the market, not an entry.
  if (orderClass === 'oco' || base === undefined) return;
  const exitBuys = o.side === 'sell';
  if (takeProfit) {
    const ok = exitBuys ? cmp(takeProfit.limitPrice, sub(base, '0.01')) <= 0 : cmp(takeProfit.limitPrice, add(base, '0.01')) >= 0;
    if (!ok) throw unprocessable(exitBuys ? 'take_profit.limit_price must be <= base_price - 0.01' : 'take_profit.limit_price must be >= base_price + 0.01');
  }
  if (stopLoss) {
    const ok = exitBuys ? cmp(stopLoss.stopPrice, add(base, '0.01')) >= 0 : cmp(stopLoss.stopPrice, sub(base, '0.01')) <= 0;
    if (!ok) throw unprocessable(exitBuys ? 'stop_loss.stop_price must be >= base_price + 0.01' : 'stop_loss.stop_price must be <= base_price - 0.01');
  }
}

/** The legs' orders of a list, as the book places them (the entry's side opposite, an oco's the same). */
export function legsOf(terms: ListTerms, side: 'buy' | 'sell'): { type: 'limit' | 'stop' | 'stop_limit'; side: 'buy' | 'sell'; limitPrice?: string; stopPrice?: string }[] {
  const exitSide = terms.orderClass === 'oco' ? side : side === 'buy' ? 'sell' : 'buy';
  const out: ReturnType<typeof legsOf> = [];
  // An oco's take-profit is the order itself; its only leg is the stop.
  if (terms.takeProfit && terms.orderClass !== 'oco') out.push({ type: 'limit', side: exitSide, limitPrice: terms.takeProfit.limitPrice });
  const sl = terms.stopLoss;
  if (sl) out.push(sl.limitPrice !== undefined ? { type: 'stop_limit', side: exitSide, stopPrice: sl.stopPrice, limitPrice: sl.limitPrice } : { type: 'stop', side: exitSide, stopPrice: sl.stopPrice });
  return out;
}
