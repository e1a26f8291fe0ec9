import { VenueCallError } from '../../model/errors.ts';
import { dictGet, textOf, type PyDict } from './py-literal.ts';

type Outcome = { readonly code: 'REJECT'; readonly reason: string } | { readonly code: 'RATE_LIMITED' } | { readonly code: 'DISCONNECTED' } | { readonly code: 'TIMEOUT' };

/**
 * The bridge's `_response` codes as Warden's: the EA's own words (the CheckOpsStatus aborts, size
 * and order-count guards, NOT_FOUND) and the terminal's error numbers it passes on, both MQL4's
 * GetLastError numbers (which the DWX EA was written for) and MT5's trade server retcodes. A
 * command the EA refused before acting is safe to send again after a pause; a trade timeout is
 * ambiguous (the order may be at the broker); anything else is a refusal with a stable code.
 */
const BY_CODE: Readonly<Record<string, Outcome>> = {
  TRADE_CONTEXT_BUSY__ABORTED_COMMAND: { code: 'RATE_LIMITED' },
  NO_BROKER_CONNECTION__ABORTED_COMMAND: { code: 'DISCONNECTED' },
  EA_IS_STOPPED: { code: 'DISCONNECTED' },
  TRADING_IS_NOT_ALLOWED__ABORTED_COMMAND: { code: 'REJECT', reason: 'TRADING_DISABLED' },
  EA_IS_DISABLED__ABORTED_COMMAND: { code: 'REJECT', reason: 'TRADING_DISABLED' },
  DLLS_DISABLED__ABORTED_COMMAND: { code: 'REJECT', reason: 'TRADING_DISABLED' },
  LIBS_DISABLED__ABORTED_COMMAND: { code: 'REJECT', reason: 'TRADING_DISABLED' },
  LOT_SIZE_ERROR: { code: 'REJECT', reason: 'INVALID_ORDER' },
  NUM_ORDERS_ERROR: { code: 'REJECT', reason: 'ORDER_LIMIT' },
  NOT_FOUND: { code: 'REJECT', reason: 'ORDER_NOT_FOUND' },
  // The bundled EA's: a MODIFY of a pending price on a ticket that has filled (is a position now).
  NOT_PENDING: { code: 'REJECT', reason: 'TOO_LATE_TO_MODIFY' },
  CLOSE_PARTIAL_FAILED: { code: 'REJECT', reason: 'ORDER_NOT_FOUND' },
  // MQL4 error numbers
  '4': { code: 'RATE_LIMITED' },
  '6': { code: 'DISCONNECTED' },
  '8': { code: 'RATE_LIMITED' },
  '128': { code: 'TIMEOUT' },
  '129': { code: 'REJECT', reason: 'INVALID_ORDER' },
  '130': { code: 'REJECT', reason: 'INVALID_ORDER' },
  '131': { code: 'REJECT', reason: 'INVALID_ORDER' },
  '132': { code: 'REJECT', reason: 'MARKET_CLOSED' },
  '133': { code: 'REJECT', reason: 'MARKET_CLOSED' },
  '134': { code: 'REJECT', reason: 'INSUFFICIENT_BALANCE' },
  '135': { code: 'REJECT', reason: 'REQUOTE' },
  '136': { code: 'REJECT', reason: 'REQUOTE' },
  '138': { code: 'REJECT', reason: 'REQUOTE' },
  '141': { code: 'RATE_LIMITED' },
  '146': { code: 'RATE_LIMITED' },
  '148': { code: 'REJECT', reason: 'ORDER_LIMIT' },
  '4106': { code: 'REJECT', reason: 'INVALID_ORDER' },
  '4108': { code: 'REJECT', reason: 'ORDER_NOT_FOUND' },
  // MT5 trade server retcodes
  '10004': { code: 'REJECT', reason: 'REQUOTE' },
  '10006': { code: 'REJECT', reason: 'REJECTED' },
  '10012': { code: 'TIMEOUT' },
  '10013': { code: 'REJECT', reason: 'INVALID_ORDER' },
  '10014': { code: 'REJECT', reason: 'INVALID_ORDER' },
  '10015': { code: 'REJECT', reason: 'INVALID_ORDER' },
  '10016': { code: 'REJECT', reason: 'INVALID_ORDER' },
  '10017': { code: 'REJECT', reason: 'MARKET_CLOSED' },
  '10018': { code: 'REJECT', reason: 'MARKET_CLOSED' },
  '10019': { code: 'REJECT', reason: 'INSUFFICIENT_BALANCE' },
  '10021': { code: 'REJECT', reason: 'REQUOTE' },
  '10024': { code: 'RATE_LIMITED' },
  '10031': { code: 'DISCONNECTED' },
  '10033': { code: 'REJECT', reason: 'ORDER_LIMIT' },
  '4301': { code: 'REJECT', reason: 'INVALID_ORDER' },
  '4754': { code: 'REJECT', reason: 'ORDER_NOT_FOUND' },
};

/** How long to wait before a command the EA refused unread is sent again. */
export const BUSY_RETRY_MS = 200;

/** The reply's error, or undefined when it is not one. The EA writes `response_value` after OPEN and `_response_value` elsewhere. */
export function replyError(reply: PyDict, what: string): VenueCallError | undefined {
  const code = textOf(dictGet(reply, '_response'));
  if (code === undefined) return undefined;
  const outcome = BY_CODE[code];
  if (outcome === undefined && !/^\d+$/.test(code) && !code.endsWith('__ABORTED_COMMAND')) return undefined;
  const words = textOf(dictGet(reply, '_response_value')) ?? textOf(dictGet(reply, 'response_value')) ?? '';
  const text = `${what}: MT5 ${code}${words ? ` (${words})` : ''}`;
  const o = outcome ?? { code: 'REJECT', reason: 'REJECTED' };
  switch (o.code) {
    case 'REJECT':
      return new VenueCallError('VENUE_REJECTED', `${o.reason}: ${text}`, { mt5: code });
    case 'RATE_LIMITED':
      return new VenueCallError('VENUE_RATE_LIMITED', text, { mt5: code }, BUSY_RETRY_MS);
    case 'DISCONNECTED':
      return new VenueCallError('VENUE_DISCONNECTED', text, { mt5: code });
    case 'TIMEOUT':
      return new VenueCallError('VENUE_TIMEOUT', text, { mt5: code });
  }
}
