/**
 * CDP key authentication as Coinbase checks it: an ES256 JWT in `Authorization: Bearer`, signed
 * with the key's EC P-256 private key, naming the key in `sub` and the header's `kid`, valid from
 * `nbf` to `exp` (ccxt issues two minutes) and, for REST, bound to one `uri` ("GET host/path").
 * The fake holds only the public key; the private key PEM is handed to the client as its secret.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';

export interface CdpKey {
  /** `organizations/{org}/apiKeys/{id}`: what ccxt takes as apiKey. */
  readonly name: string;
  /** SEC1 PEM (`-----BEGIN EC PRIVATE KEY-----`): what ccxt takes as secret. */
  readonly privateKeyPem: string;
  readonly publicKey: KeyObject;
}

export function generateCdpKey(): CdpKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateKeyPem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  const org = uuidFrom(randomBytes(16));
  const id = uuidFrom(randomBytes(16));
  return { name: `organizations/${org}/apiKeys/${id}`, privateKeyPem, publicKey: createPublicKey(privateKey) };
}

export type JwtVerdict = { ok: true; claims: JwtClaims } | { ok: false; reason: string };

export interface JwtClaims {
  readonly iss: string;
  readonly sub: string;
  readonly nbf: number;
  readonly exp: number;
  readonly uri?: string;
}

/**
 * Checks a token for `key`. `nowSec` is the exchange's (possibly skewed) clock; `expectedUri`,
 * when given, is "METHOD host/path" as the request reached the fake (WebSocket tokens carry none).
 */
export function verifyJwt(token: string, key: CdpKey, nowSec: number, expectedUri?: string): JwtVerdict {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed token' };
  const [h, p, s] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'malformed token' };
  }
  if (header['alg'] !== 'ES256') return { ok: false, reason: 'unsupported alg' };
  if (header['kid'] !== key.name || claims['sub'] !== key.name) return { ok: false, reason: 'unknown key' };
  if (typeof header['nonce'] !== 'string' || header['nonce'] === '') return { ok: false, reason: 'missing nonce' };
  // ES256 signatures in a JWT are r||s (IEEE P1363), not DER.
  const signed = verify('sha256', Buffer.from(`${h}.${p}`), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  if (!signed) return { ok: false, reason: 'bad signature' };
  // ccxt's ES256 path issues "coinbase-cloud"; the CDP SDKs issue "cdp". Coinbase accepts both.
  if (claims['iss'] !== 'cdp' && claims['iss'] !== 'coinbase-cloud') return { ok: false, reason: 'bad issuer' };
  const nbf = claims['nbf'];
  const exp = claims['exp'];
  if (typeof nbf !== 'number' || typeof exp !== 'number') return { ok: false, reason: 'missing validity' };
  if (nowSec < nbf) return { ok: false, reason: 'token not yet valid' };
  if (nowSec >= exp) return { ok: false, reason: 'token expired' };
  const uri = typeof claims['uri'] === 'string' ? claims['uri'] : undefined;
  if (expectedUri !== undefined && (uri === undefined || stripScheme(uri) !== expectedUri)) return { ok: false, reason: 'uri mismatch' };
  return { ok: true, claims: { iss: claims['iss'], sub: key.name, nbf, exp, ...(uri !== undefined ? { uri } : {}) } };
}

/** ccxt strips only `https://` from the URL it signs, so a token for a plain-http fake keeps `http://`. */
function stripScheme(uri: string): string {
  const space = uri.indexOf(' ');
  const rest = uri.slice(space + 1).replace(/^https?:\/\//, '');
  return `${uri.slice(0, space)} ${rest}`;
}

export function uuidFrom(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
