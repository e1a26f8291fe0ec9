import { DeliveryError, retryAfterHeader, transientStatus, wallClock } from './delivery.ts';
import { bodyOf, shownContext, textOf, titleOf, type Outgoing } from './message.ts';
import { postJson, type AlertTransport, type HttpOptions } from './transport.ts';
import type { Severity } from '../config/alerts.ts';

const COLOR: Readonly<Record<Severity, number>> = { info: 0x3b82f6, warning: 0xf59e0b, critical: 0xdc2626 };

/** The JSON a Discord webhook takes: `content` (≤ 2,000 characters) and one embed (title ≤ 256, description ≤ 4,096, ≤ 25 fields). */
export function discordBody(out: Outgoing): { content: string; embeds: unknown[]; allowed_mentions: { parse: never[] } } {
  const fields = out.kind === 'alert' ? shownContext(out.context).slice(0, 25).map(([name, value]) => ({ name: name.slice(0, 256), value: value.slice(0, 1024) || '-', inline: true })) : [];
  const ts = out.kind === 'alert' ? out.ts : out.until;
  return {
    content: textOf(out, 2000),
    embeds: [{ title: titleOf(out).slice(0, 256), description: bodyOf(out).slice(0, 4096), color: COLOR[out.severity], fields, timestamp: new Date(ts).toISOString() }],
    // An alert's text (an instrument, a reason) must never ping @everyone.
    allowed_mentions: { parse: [] },
  };
}

/**
 * Posts to a Discord webhook. Discord answers 204 (200 with ?wait=true); 429 carries JSON
 * `{ retry_after (seconds, a float), global }` and X-RateLimit-* headers: the retry waits
 * retry_after (else Retry-After / X-RateLimit-Reset-After). Other 4xx are permanent.
 */
export class DiscordTransport implements AlertTransport {
  readonly label = 'discord';

  constructor(
    private readonly url: string,
    private readonly o: HttpOptions,
  ) {}

  async send(out: Outgoing): Promise<void> {
    const { res, text: answer } = await postJson(this.o, this.url, discordBody(out));
    const text = answer;
    if (res.ok) return;
    const retryAfterMs = res.status === 429 ? discordRetryAfter(text, res.headers, (this.o.now ?? wallClock)()) : undefined;
    throw new DeliveryError(`discord answered ${res.status}${discordCode(text)}`, { permanent: !transientStatus(res.status), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
}

/** How long a 429 asks to wait, in ms: the body's retry_after (seconds), else the headers. */
export function discordRetryAfter(body: string, headers: Headers, now: number): number | undefined {
  try {
    const j = JSON.parse(body) as { retry_after?: unknown };
    if (typeof j.retry_after === 'number' && Number.isFinite(j.retry_after) && j.retry_after >= 0) return Math.ceil(j.retry_after * 1000);
  } catch {
    // not JSON: the headers say it
  }
  return retryAfterHeader(headers.get('retry-after') ?? headers.get('x-ratelimit-reset-after'), now);
}

/** Discord's JSON error code (e.g. 10015 Unknown Webhook), if the body has one. */
function discordCode(body: string): string {
  try {
    const j = JSON.parse(body) as { code?: unknown; message?: unknown };
    return typeof j.code === 'number' ? ` (code ${j.code}${typeof j.message === 'string' ? `: ${j.message.slice(0, 100)}` : ''})` : '';
  } catch {
    return '';
  }
}
