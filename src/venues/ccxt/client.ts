import type { Exchange } from 'ccxt';
import { loadCcxt } from './library.ts';
import { ValidationError } from '../../model/errors.ts';
import type { CcxtProfile } from './profiles.ts';

/** What the client is built from (the node config's ccxt venue, in the adapter's words). */
export interface CcxtClientConfig {
  readonly exchange: string;
  readonly sandbox: boolean;
  readonly apiKey?: string | undefined;
  readonly secret?: string | undefined;
  readonly password?: string | undefined;
  /** Merged over ccxt's `urls.api` (a local server in tests, a regional endpoint). */
  readonly urls?: Readonly<Record<string, unknown>> | undefined;
  readonly options: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  /** WebSocket ping interval: two missed pongs drop the socket (FAULTS 33). */
  readonly heartbeatMs: number;
}

/**
 * A ccxt.pro client for one exchange account: rate limiting on, the profile's options under the
 * configured ones, the testnet when asked, and a WebSocket keepalive short enough to notice a
 * stalled socket. Credentials go to ccxt only; nothing here logs them.
 */
export async function createCcxtClient(c: CcxtClientConfig, profile: CcxtProfile): Promise<Exchange> {
  const ccxt = await loadCcxt();
  const Ctor = (ccxt.pro as unknown as Record<string, (new (o: object) => Exchange) | undefined>)[c.exchange];
  if (!Ctor) throw new ValidationError('INVALID_FIELD', `ccxt has no exchange "${c.exchange}" with WebSocket support`, { field: 'exchange' });
  const ex = new Ctor({
    enableRateLimit: true,
    timeout: c.timeoutMs,
    ...(c.apiKey !== undefined ? { apiKey: c.apiKey } : {}),
    ...(c.secret !== undefined ? { secret: c.secret } : {}),
    ...(c.password !== undefined ? { password: c.password } : {}),
    // ccxt writes into its options and urls (time offsets, stream state): it gets copies, never the config's own objects.
    options: structuredClone({ ...profile.options, ...c.options }),
  });
  if (c.sandbox) {
    const test = ex.urls['test'] as Record<string, unknown> | undefined;
    if (!test || Object.keys(test).length === 0) throw new ValidationError('INVALID_FIELD', `ccxt knows no testnet for ${c.exchange}: set sandbox: false (and trade small), or point urls at a test endpoint`, { field: 'sandbox' });
    ex.setSandboxMode(true);
  }
  if (c.urls) ex.urls = { ...ex.urls, api: { ...(ex.urls['api'] as object), ...structuredClone(c.urls) } };
  ex.streaming = { ...ex.streaming, keepAlive: c.heartbeatMs, maxPingPongMisses: 2 };
  // ccxt refuses plain ws:// (a local or test endpoint) until its http agent is loaded.
  if (JSON.stringify(c.urls ?? {}).includes('ws://')) await ex.loadHttpProxyAgent();
  return ex;
}
