/**
 * Warden's client order ids as Alpaca's client_order_id. An order is placed under Warden's id
 * as is (Alpaca shows it, and finds it by GET /v2/orders:by_client_order_id); a replace (PATCH)
 * makes a new Alpaca order that needs a client id of its own, unique at Alpaca: Warden's id with
 * `~` and a suffix. Both map back to Warden's id.
 */
export const MAX_CLIENT_ID = 128;
const SEPARATOR = '~';

export function replacementClientId(wardenId: string, suffix: string): string {
  return `${wardenId}${SEPARATOR}${suffix}`;
}

/** Warden's id behind an Alpaca client id: the id itself, or the base of a replacement we made. */
export function wardenIdOf(alpacaClientId: string | undefined, isOurs: (id: string) => boolean): string | undefined {
  if (alpacaClientId === undefined) return undefined;
  if (isOurs(alpacaClientId)) return alpacaClientId;
  const at = alpacaClientId.lastIndexOf(SEPARATOR);
  if (at > 0 && isOurs(alpacaClientId.slice(0, at))) return alpacaClientId.slice(0, at);
  return alpacaClientId;
}
