import { VenueCallError } from '../../model/errors.ts';

/**
 * What an IB error message (code, id) means to the adapter. TWS reports everything through one
 * `error` message: order refusals, cancels, lost connectivity and harmless notices alike; this
 * sorts them once (pure), and the adapter acts on the kind.
 */
export type IbError =
  | { readonly kind: 'NOTICE' }
  | { readonly kind: 'CONNECTIVITY_LOST' }
  | { readonly kind: 'CONNECTIVITY_RESTORED'; readonly dataLost: boolean }
  | { readonly kind: 'ORDER_REFUSED'; readonly code: string }
  | { readonly kind: 'ORDER_CANCELED' }
  | { readonly kind: 'MODIFY_REFUSED'; readonly code: string }
  | { readonly kind: 'NOT_CANCELABLE'; readonly code: string }
  | { readonly kind: 'DUPLICATE_ORDER_ID' }
  | { readonly kind: 'RATE_LIMITED' }
  | { readonly kind: 'NOT_CONNECTED' }
  | { readonly kind: 'REQUEST_FAILED'; readonly code: string };

export function classifyIbError(code: number): IbError {
  switch (code) {
    case 1100:
      return { kind: 'CONNECTIVITY_LOST' };
    case 1101:
      return { kind: 'CONNECTIVITY_RESTORED', dataLost: true };
    case 1102:
      return { kind: 'CONNECTIVITY_RESTORED', dataLost: false };
    case 202:
      return { kind: 'ORDER_CANCELED' };
    case 100:
      return { kind: 'RATE_LIMITED' };
    case 103:
      return { kind: 'DUPLICATE_ORDER_ID' };
    case 104:
    case 105:
    case 106:
    case 107:
      return { kind: 'MODIFY_REFUSED', code: code === 104 ? 'ORDER_FILLED' : 'INVALID_MODIFY' };
    case 135:
    case 10147:
      return { kind: 'NOT_CANCELABLE', code: 'ORDER_NOT_FOUND' };
    case 161:
    case 10148:
      return { kind: 'NOT_CANCELABLE', code: 'ORDER_NOT_OPEN' };
    case 200:
      return { kind: 'ORDER_REFUSED', code: 'INVALID_INSTRUMENT' };
    case 201:
    case 203:
      return { kind: 'ORDER_REFUSED', code: 'REJECTED' };
    case 110:
      return { kind: 'ORDER_REFUSED', code: 'OFF_TICK_GRID' };
    case 321:
    case 387:
    case 10052:
      return { kind: 'ORDER_REFUSED', code: 'INVALID_ORDER' };
    case 502:
    case 504:
    case 1300:
      return { kind: 'NOT_CONNECTED' };
    default:
      // 2100–2199 are farm and data notices; 399 is a warning about an order that stands (next session, …).
      if ((code >= 2100 && code < 2200) || code === 399 || code === 10167) return { kind: 'NOTICE' };
      return { kind: 'REQUEST_FAILED', code: `IB_${code}` };
  }
}

/** The failure an order call gets for an error TWS sent about it. */
export function callErrorOf(e: IbError, code: number, message: string, read: boolean): VenueCallError {
  const text = `${message} (IB ${code})`;
  switch (e.kind) {
    case 'RATE_LIMITED':
      return new VenueCallError('VENUE_RATE_LIMITED', text, { ib: code });
    case 'NOT_CONNECTED':
    case 'CONNECTIVITY_LOST':
      return new VenueCallError('VENUE_DISCONNECTED', text, { ib: code });
    // Our ids are fresh from nextValidId: TWS has this one from an attempt whose answer was lost.
    case 'DUPLICATE_ORDER_ID':
      return new VenueCallError('VENUE_NETWORK', text, { ib: code });
    case 'ORDER_REFUSED':
    case 'MODIFY_REFUSED':
    case 'NOT_CANCELABLE':
    case 'REQUEST_FAILED':
      return new VenueCallError(read ? 'VENUE_QUERY_FAILED' : 'VENUE_REJECTED', `${e.code}: ${text}`, { ib: code });
    case 'ORDER_CANCELED':
    case 'CONNECTIVITY_RESTORED':
    case 'NOTICE':
      return new VenueCallError(read ? 'VENUE_QUERY_FAILED' : 'VENUE_REJECTED', `REJECTED: ${text}`, { ib: code });
  }
}
