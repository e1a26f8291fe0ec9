/**
 * The gateway's keys: an API key maps to its HMAC secret, a Warden account, a strategy and a role.
 * A request proves the key by its signature; the secret never leaves this module's lookups (no
 * log line, error or answer carries it).
 */
import type { GatewayKeyConfig } from '../../node/config/index.ts';
import { BinanceError, MSG } from './wire/errors.ts';

export interface GatewayKey {
  readonly apiKey: string;
  readonly secret: string;
  readonly accountId: string;
  readonly strategyId: string;
  readonly role: 'trade' | 'read';
}

export class GatewayKeys {
  private readonly byKey: ReadonlyMap<string, GatewayKey>;

  constructor(keys: readonly GatewayKeyConfig[]) {
    this.byKey = new Map(keys.map((k) => [k.api_key, { apiKey: k.api_key, secret: k.secret, accountId: k.account, strategyId: k.strategy, role: k.role }]));
  }

  /** The key a request names (X-MBX-APIKEY or the WebSocket API's apiKey): -2014 malformed, -2015 unknown; never echoed. */
  find(header: string | undefined): GatewayKey {
    if (header === undefined || header === '' || !/^[A-Za-z0-9]+$/.test(header)) throw new BinanceError(401, -2014, MSG.keyFormat);
    const key = this.byKey.get(header);
    if (!key) throw new BinanceError(401, -2015, MSG.badKey);
    return key;
  }

  all(): readonly GatewayKey[] {
    return [...this.byKey.values()];
  }
}

/** A key with role `read` may not place or cancel (Binance's answer to a key without trading permission). */
export function requireTrade(key: GatewayKey): void {
  if (key.role !== 'trade') throw new BinanceError(401, -2015, MSG.badKey);
}
