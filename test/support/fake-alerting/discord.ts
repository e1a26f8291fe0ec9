import { json, loopbackServer } from './http.ts';

export interface DiscordPost {
  readonly at: number;
  readonly body: { content?: string; embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[]; allowed_mentions?: unknown };
}

/**
 * A Discord webhook as Discord answers it: POST JSON to /api/webhooks/<id>/<token> → 204 (200
 * with the message on ?wait=true); unknown webhook 404 `{code: 10015}`; empty message 400
 * `{code: 50006}`; content over 2,000 characters 400 `{code: 50035}`; `rateLimitNext(n, s)`
 * answers 429 `{message, retry_after: s (float seconds), global: false}` with X-RateLimit-* headers.
 */
export async function fakeDiscord(id = '112233445566778899', token = 'discord-webhook-secret-token-XYZ') {
  const path = `/api/webhooks/${id}/${token}`;
  const posts: DiscordPost[] = [];
  const attempts: number[] = [];
  let limited = 0;
  let retryAfterS = 0.25;
  const server = await loopbackServer((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'POST' || url.pathname !== path) return json(res, 404, { message: 'Unknown Webhook', code: 10015 });
    attempts.push(Date.now());
    if (limited > 0) {
      limited--;
      return json(res, 429, { message: 'You are being rate limited.', retry_after: retryAfterS, global: false }, {
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(retryAfterS),
        'x-ratelimit-bucket': 'abcd1234',
        'retry-after': String(Math.ceil(retryAfterS)),
      });
    }
    let parsed: DiscordPost['body'];
    try {
      parsed = JSON.parse(body) as DiscordPost['body'];
    } catch {
      return json(res, 400, { message: 'Cannot send an empty message', code: 50006 });
    }
    if (!parsed.content && !(parsed.embeds && parsed.embeds.length > 0)) return json(res, 400, { message: 'Cannot send an empty message', code: 50006 });
    if ((parsed.content ?? '').length > 2000) return json(res, 400, { message: 'Invalid Form Body', code: 50035 });
    posts.push({ at: Date.now(), body: parsed });
    if (url.searchParams.get('wait') === 'true') return json(res, 200, { id: String(posts.length), content: parsed.content ?? '' });
    res.writeHead(204).end();
  });
  return {
    ...server,
    hookUrl: `${server.url}${path}`,
    token,
    posts,
    attempts,
    rateLimitNext(n: number, seconds: number): void {
      limited = n;
      retryAfterS = seconds;
    },
  };
}
