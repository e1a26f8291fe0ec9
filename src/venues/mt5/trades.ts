import { ValidationError } from '../../model/errors.ts';
import { exactText } from '../ccxt/exact.ts';
import { dictGet, isDict, textOf, type PyDict } from './py-literal.ts';

/** One ticket of GET_OPEN_TRADES: a position (type 0/1) or a pending order (2..5), figures exact. */
export interface OpenTrade {
  readonly ticket: string;
  readonly type: number;
  readonly symbol: string;
  readonly lots: string;
  readonly openPrice: string;
  readonly comment: string;
  readonly magic: string;
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
  return {
    ticket,
    type,
    symbol: field('_symbol'),
    lots: exactText(field('_lots'), `trade ${ticket} _lots`),
    openPrice: exactText(field('_open_price'), `trade ${ticket} _open_price`),
    comment: textOf(dictGet(d, '_comment')) ?? '',
    magic: textOf(dictGet(d, '_magic')) ?? '0',
  };
}

function invalid(message: string): ValidationError {
  return new ValidationError('INVALID_FIELD', `MT5 bridge: ${message}`, { field: '_trades' });
}
