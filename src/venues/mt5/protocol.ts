import type { OrderSide } from '../../model/orders/types.ts';
import { dictGet, textOf, type PyDict } from './py-literal.ts';

/**
 * The DWX ZeroMQ bridge's wire format (darwinex/dwx-zeromq-connector: the Python client
 * DWX_ZeroMQ_Connector and the expert advisor DWX_ZeroMQ_Server). Commands are `;`-separated text
 * PUSHed to the bridge; every TRADE command has the client's eleven fields
 * `TRADE;ACTION;TYPE;SYMBOL;PRICE;SL;TP;COMMENT;LOTS;MAGIC;TICKET`. Replies come back in the order
 * the commands were taken, as Python dict literals, named by `_action`; prices are published as
 * `SYMBOL:|:BID;ASK`.
 */

/** MQL's order types as DWX numbers them (OP_BUY .. OP_SELLSTOP). */
export const MT_TYPES = { BUY: 0, SELL: 1, BUY_LIMIT: 2, SELL_LIMIT: 3, BUY_STOP: 4, SELL_STOP: 5 } as const;
export type MtType = (typeof MT_TYPES)[keyof typeof MT_TYPES];

export function isMarketType(t: number): t is 0 | 1 {
  return t === 0 || t === 1;
}

export function sideOfType(t: MtType): OrderSide {
  return t % 2 === 0 ? 'BUY' : 'SELL';
}

/** The `_action` a command's reply carries (the EA writes `heartbeat` in lower case). */
export type ReplyAction = 'EXECUTION' | 'MODIFY' | 'CLOSE' | 'OPEN_TRADES' | 'heartbeat' | 'TRACK_PRICES' | 'SYMBOL_INFO' | 'GET_ACCOUNT_INFORMATION';

/** A command to the bridge: its text and the reply that answers it. */
export interface Command {
  readonly text: string;
  readonly replyAction: ReplyAction;
  /** What an EXECUTION or CLOSE reply names (magic, ticket), so that a late one is matched to its command. */
  readonly magic?: number;
  readonly ticket?: string;
}

export interface TradeFields {
  readonly type: number;
  readonly symbol: string;
  readonly price: string;
  readonly comment: string;
  readonly lots: string;
  readonly magic: number;
  readonly ticket: string;
}

/** The eleven fields of a TRADE command. SL and TP are sent as 0 points: Warden keeps its stops as its own orders (see the notes). */
function trade(action: string, f: TradeFields): string {
  for (const [name, v] of [['symbol', f.symbol], ['comment', f.comment]] as const) {
    if (v.includes(';') || v === '') throw new Error(`a DWX ${name} cannot be empty or hold ";": ${JSON.stringify(v)}`);
  }
  return ['TRADE', action, f.type, f.symbol, f.price, 0, 0, f.comment, f.lots, f.magic, f.ticket].join(';');
}

export const commands = {
  open: (f: Omit<TradeFields, 'ticket'>): Command => ({ text: trade('OPEN', { ...f, ticket: '0' }), replyAction: 'EXECUTION', magic: f.magic }),
  /** A pending order's new price (the EA takes PRICE for pending orders, and SL/TP in points from it). */
  modify: (f: TradeFields): Command => ({ text: trade('MODIFY', f), replyAction: 'MODIFY', ticket: f.ticket }),
  /** Deletes a pending order, or closes a position at market. */
  close: (f: TradeFields): Command => ({ text: trade('CLOSE', f), replyAction: 'CLOSE', ticket: f.ticket }),
  closePartial: (f: TradeFields): Command => ({ text: trade('CLOSE_PARTIAL', f), replyAction: 'CLOSE', ticket: f.ticket }),
  openTrades: (): Command => ({ text: 'TRADE;GET_OPEN_TRADES;0;NULL;0;0;0;warden;0;0;0', replyAction: 'OPEN_TRADES' }),
  accountInfo: (): Command => ({ text: 'TRADE;GET_ACCOUNT_INFO;0;NULL;0;0;0;warden;0;0;0', replyAction: 'GET_ACCOUNT_INFORMATION' }),
  heartbeat: (): Command => ({ text: 'HEARTBEAT;', replyAction: 'heartbeat' }),
  trackPrices: (symbols: readonly string[]): Command => ({ text: ['TRACK_PRICES', ...symbols].join(';'), replyAction: 'TRACK_PRICES' }),
  /** Warden's extension of the protocol (the bundled EA answers it; the stock DWX EA does not). */
  symbolInfo: (symbol: string): Command => ({ text: `DATA;SYMBOL_INFO;${symbol}`, replyAction: 'SYMBOL_INFO' }),
};

/** Whether `reply` answers `cmd`: its action, and where the reply names one, the same magic or ticket. */
export function answers(cmd: Command, reply: PyDict): boolean {
  const action = dictGet(reply, '_action');
  // A command the EA refused before acting (CheckOpsStatus) is answered without an action.
  if (action === undefined) return true;
  if (action !== cmd.replyAction) return false;
  const magic = textOf(dictGet(reply, '_magic'));
  if (cmd.magic !== undefined && magic !== undefined && magic !== String(cmd.magic)) return false;
  const ticket = textOf(dictGet(reply, '_ticket'));
  if (cmd.ticket !== undefined && ticket !== undefined && ticket !== cmd.ticket) return false;
  return true;
}

/** A published price: `SYMBOL:|:BID;ASK` (the EA's `%f;%f`); undefined for another kind of message (rates). */
export function parsePriceMessage(text: string): { symbol: string; bid: string; ask: string } | undefined {
  const at = text.indexOf(':|:');
  if (at <= 0) return undefined;
  const parts = text.slice(at + 3).split(';');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  return { symbol: text.slice(0, at), bid: parts[0]!, ask: parts[1]! };
}
