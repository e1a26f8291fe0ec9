import { DeliveryError, retryAfterHeader, transientStatus, wallClock } from './delivery.ts';
import { bodyOf, titleOf, type Outgoing } from './message.ts';
import { postJson, type AlertTransport, type HttpOptions } from './transport.ts';

/** The JSON a Slack incoming webhook takes: `text` (the notification's fallback) and Block Kit blocks. */
export function slackBody(out: Outgoing): { text: string; blocks: unknown[] } {
  const title = titleOf(out);
  const body = bodyOf(out);
  return {
    // The notification text is mrkdwn too: `<!channel>` in an alert's message would ping everyone.
    text: escapeMrkdwn(`${title}: ${body.split('\n')[0] ?? ''}`),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(body).slice(0, 3000) } },
    ],
  };
}

/** Slack reads &, < and > as markup in mrkdwn. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Posts to a Slack incoming webhook. Slack answers 200 `ok`; 400 `invalid_payload`, 403, 404
 * `no_service` and 410 are permanent (the text Slack gave is the error, never the URL); 429
 * carries Retry-After (seconds), which the retry waits.
 */
export class SlackTransport implements AlertTransport {
  readonly label = 'slack';

  constructor(
    private readonly url: string,
    private readonly o: HttpOptions,
  ) {}

  async send(out: Outgoing): Promise<void> {
    const { res, text: answer } = await postJson(this.o, this.url, slackBody(out));
    const text = answer.slice(0, 200);
    if (res.ok) return;
    const retryAfterMs = res.status === 429 ? retryAfterHeader(res.headers.get('retry-after'), (this.o.now ?? wallClock)()) : undefined;
    throw new DeliveryError(`slack answered ${res.status} ${safeWord(text)}`.trim(), { permanent: !transientStatus(res.status), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
}

/** Slack's error bodies are one word (invalid_payload, no_service, channel_not_found...); anything else is not echoed. */
function safeWord(text: string): string {
  return /^[a-z_]{1,64}$/.test(text.trim()) ? text.trim() : '';
}
