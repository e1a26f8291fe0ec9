import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { generateCdpKey, verifyJwt } from './jwt.ts';

/** Tokens made by ccxt itself (its createAuthToken, as sign() uses it). */
function ccxtToken(apiKey: string, secret: string, seconds: number, method?: string, url?: string): string {
  const cb = new ccxt.coinbase({ apiKey, secret });
  return cb.createAuthToken(seconds, method, url);
}

describe('CDP JWT verification', () => {
  const key = generateCdpKey();
  const now = 1_800_000_000;

  it('accepts ccxt ES256 tokens for this key: kid/sub are the key name, 2-minute validity, uri bound to method+host+path', () => {
    expect(key.name).toMatch(/^organizations\/[0-9a-f-]{36}\/apiKeys\/[0-9a-f-]{36}$/);
    expect(key.privateKeyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    const token = ccxtToken(key.name, key.privateKeyPem, now, 'GET', 'http://127.0.0.1:5000/api/v3/brokerage/accounts?limit=250');
    const v = verifyJwt(token, key, now + 60, 'GET 127.0.0.1:5000/api/v3/brokerage/accounts');
    expect(v).toEqual({ ok: true, claims: { iss: 'coinbase-cloud', sub: key.name, nbf: now, exp: now + 120, uri: 'GET http://127.0.0.1:5000/api/v3/brokerage/accounts' } });
  });

  it('refuses a token replayed on another path or method, expired, not yet valid, for another key, or tampered', () => {
    const token = ccxtToken(key.name, key.privateKeyPem, now, 'GET', 'http://127.0.0.1:5000/api/v3/brokerage/accounts');
    const reason = (t: string, at: number, uri?: string): string | undefined => {
      const v = verifyJwt(t, key, at, uri);
      return v.ok ? undefined : v.reason;
    };
    expect(reason(token, now, 'POST 127.0.0.1:5000/api/v3/brokerage/accounts')).toBe('uri mismatch');
    expect(reason(token, now, 'GET 127.0.0.1:5000/api/v3/brokerage/orders')).toBe('uri mismatch');
    expect(reason(token, now + 120)).toBe('token expired');
    expect(reason(token, now - 1)).toBe('token not yet valid');
    const other = generateCdpKey();
    expect(reason(ccxtToken(other.name, other.privateKeyPem, now), now)).toBe('unknown key');
    expect(reason(ccxtToken(key.name, other.privateKeyPem, now), now)).toBe('bad signature');
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ iss: 'cdp', sub: key.name, nbf: now, exp: now + 9999 })).toString('base64url');
    expect(reason(`${h!}.${forged}.${s!}`, now)).toBe('bad signature');
    expect(reason('not-a-jwt', now)).toBe('malformed token');
  });
});
