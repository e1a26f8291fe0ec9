/**
 * Kraken's private-call authentication: `API-Key` names the key, `API-Sign` is
 * base64(HMAC-SHA512(base64decode(secret), uri_path + SHA256(nonce + postdata))), and each key's
 * nonce must keep increasing. The order of the checks and the error strings are Kraken's.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function krakenSignature(secretB64: string, uriPath: string, nonce: string, postData: string): string {
  const inner = createHash('sha256').update(nonce + postData).digest();
  return createHmac('sha512', Buffer.from(secretB64, 'base64'))
    .update(Buffer.concat([Buffer.from(uriPath), inner]))
    .digest('base64');
}

/** A fresh secret as Kraken hands them out: 64 random bytes, base64. */
export function newSecret(): string {
  return randomBytes(64).toString('base64');
}

export type AuthVerdict = { ok: true } | { ok: false; error: 'EAPI:Invalid key' | 'EAPI:Invalid signature' | 'EAPI:Invalid nonce' };

/**
 * Checks one key's signed requests and keeps its nonce high-water mark. `nonceWindow` is
 * Kraken's per-key "nonce window" setting: a nonce up to that much below the highest seen is
 * still accepted (0 = strictly increasing, a new key's default).
 */
export class KrakenAuth {
  private lastNonce = 0n;
  private refuseNextNonce = false;

  constructor(
    private readonly apiKey: string,
    private readonly secret: string,
    private readonly nonceWindow = 0n,
  ) {}

  verify(req: { apiKey: string | undefined; apiSign: string | undefined; uriPath: string; nonce: string | undefined; postData: string }): AuthVerdict {
    if (req.apiKey !== this.apiKey) return { ok: false, error: 'EAPI:Invalid key' };
    if (req.nonce === undefined || !/^\d+$/.test(req.nonce)) return { ok: false, error: 'EAPI:Invalid nonce' };
    const expected = Buffer.from(krakenSignature(this.secret, req.uriPath, req.nonce, req.postData));
    const given = Buffer.from(req.apiSign ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, error: 'EAPI:Invalid signature' };
    const nonce = BigInt(req.nonce);
    if (this.refuseNextNonce || nonce <= this.lastNonce - this.nonceWindow) {
      this.refuseNextNonce = false;
      return { ok: false, error: 'EAPI:Invalid nonce' };
    }
    if (nonce > this.lastNonce) this.lastNonce = nonce;
    return { ok: true };
  }

  /**
   * The next signed request is refused with `EAPI:Invalid nonce`, as when another client using
   * the same key has moved the nonce past ours (the way it happens on Kraken).
   */
  nonceReset(): void {
    this.refuseNextNonce = true;
  }
}
