import { loopbackServer } from './http.ts';

export interface SlackPost {
  readonly at: number;
  readonly body: { text: string; blocks?: unknown[] };
}

/**
 * A Slack incoming webhook as Slack answers it: POST JSON to /services/T…/B…/<secret> → 200 `ok`;
 * an unknown hook 404 `no_service`; a body that is not JSON or has no text/blocks 400
 * `invalid_payload`; `rateLimitNext(n, s)` makes the next n posts 429 with `Retry-After: s`.
 */
export async function fakeSlack(path = '/services/T0001/B0001/XXXXsecretXXXXslack') {
  const posts: SlackPost[] = [];
  const attempts: number[] = [];
  let limited = 0;
  let retryAfterS = 1;
  const server = await loopbackServer((req, body, res) => {
    if (req.method !== 'POST' || req.url !== path) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no_service');
    attempts.push(Date.now());
    if (limited > 0) {
      limited--;
      return void res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(retryAfterS) }).end('rate_limited');
    }
    let parsed: { text?: unknown; blocks?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json') || (typeof parsed.text !== 'string' && !Array.isArray(parsed.blocks))) {
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
    }
    posts.push({ at: Date.now(), body: parsed as SlackPost['body'] });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  return {
    ...server,
    hookUrl: `${server.url}${path}`,
    posts,
    attempts,
    rateLimitNext(n: number, seconds: number): void {
      limited = n;
      retryAfterS = seconds;
    },
  };
}
