/**
 * Reading a Binance-style HTTP request (query and form body as one set of parameters, headers),
 * for the gateway and the fake Binance alike.
 */
import type { IncomingMessage } from 'node:http';

/** A query string or form body as parameters (the last of a repeated name wins). */
export function decodeParams(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!s) return out;
  for (const [k, v] of new URLSearchParams(s)) out[k] = v;
  return out;
}

/** A request header's (first) value. */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const h = req.headers[name];
  return Array.isArray(h) ? h[0] : h;
}

/** The request body as text; past `maxBytes` it rejects with `tooLarge()` and reads no more. */
export function readBody(req: IncomingMessage, limit?: { readonly maxBytes: number; readonly tooLarge: () => Error }): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (limit && size > limit.maxBytes) return reject(limit.tooLarge());
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
