import { ValidationError } from '../../model/errors.ts';
import { exactText } from '../ccxt/exact.ts';
import { dictGet, isDict, textOf, type PyDict, type PyValue } from './py-literal.ts';

/** One deal that filled (part of) an order: the bundled EA's `{'_deal': .., '_lots': .., '_price': ..}`, figures exact. */
export interface OpenFill {
  readonly deal: string;
  readonly lots: string;
  readonly price: string;
}

/** One ticket of GET_OPEN_TRADES: a position (type 0/1) or a pending order (2..5), figures exact. */
export interface OpenTrade {
  readonly ticket: string;
  readonly type: number;
  readonly symbol: string;
  /** A position's volume; a pending order's volume still to fill. */
  readonly lots: string;
  readonly openPrice: string;
  readonly comment: string;
  readonly magic: string;
  /** A pending order's volume filled so far (the bundled EA's `_lots_filled`); undefined from an EA that does not say. */
  readonly lotsFilled?: string;
  /** The deals that filled the order this ticket is (the bundled EA's `_fills`); undefined from an EA that does not list them (the stock DWX EA). */
  readonly fills?: readonly OpenFill[];
}

/** The `_trades` of an OPEN_TRADES reply (`{ticket: {'_magic': .., '_symbol': .., ...}, ...}`). */
export function openTradesOf(reply: PyDict): OpenTrade[] {
  if (dictGet(reply, '_action') !== 'OPEN_TRADES') throw invalid('not an OPEN_TRADES reply');
  const trades = dictGet(reply, '_trades');
  if (!isDict(trades)) throw invalid('OPEN_TRADES has no _trades');
  return trades.entries.map(([k, v]) => tradeOf(textOf(k), v));
}

function tradeOf(ticket: string | undefined, v: unknown): OpenTrade {
  if (ticket === undefined || !/^\d+$/.test(ticket) || !isDict(v as never)) throw invalid(`an open trade ${String(ticket)} is malformed`);
  const d = v as PyDict;
  const field = (name: string): string => {
    const t = textOf(dictGet(d, name));
    if (t === undefined) throw invalid(`open trade ${ticket} has no ${name}`);
    return t;
  };
  const type = Number(field('_type'));
  if (!Number.isInteger(type) || type < 0 || type > 5) throw invalid(`open trade ${ticket} has type ${field('_type')}`);
  const filled = textOf(dictGet(d, '_lots_filled'));
  const fills = fillsOf(dictGet(d, '_fills'), `open trade ${ticket}`);
  return {
    ticket,
    type,
    symbol: field('_symbol'),
    lots: exactText(field('_lots'), `trade ${ticket} _lots`),
    openPrice: exactText(field('_open_price'), `trade ${ticket} _open_price`),
    comment: textOf(dictGet(d, '_comment')) ?? '',
    magic: textOf(dictGet(d, '_magic')) ?? '0',
    ...(filled !== undefined ? { lotsFilled: exactText(filled, `trade ${ticket} _lots_filled`) } : {}),
    ...(fills !== undefined ? { fills } : {}),
  };
}

/** A `_fills` list (of an open trade or an EXECUTION reply), or undefined where the EA wrote none. */
export function fillsOf(v: PyValue | undefined, what: string): OpenFill[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw invalid(`${what}: _fills is not a list`);
  return v.map((f, i) => {
    const deal = textOf(dictGet(f, '_deal'));
    const lots = textOf(dictGet(f, '_lots'));
    const price = textOf(dictGet(f, '_price'));
    if (deal === undefined || !/^\d+$/.test(deal) || lots === undefined || price === undefined) throw invalid(`${what}: fill ${i} is malformed`);
    return { deal, lots: exactText(lots, `${what} fill ${deal} _lots`), price: exactText(price, `${what} fill ${deal} _price`) };
  });
}

function invalid(message: string): ValidationError {
  return new ValidationError('INVALID_FIELD', `MT5 bridge: ${message}`, { field: '_trades' });
}
