import type { Outgoing } from './message.ts';

/**
 * One way of delivering a message to people: a Slack or Discord webhook, a Telegram chat, an
 * email. `send` resolves when the service took it and throws a DeliveryError (or a network
 * error) when it did not; the channel retries. `label` names it in logs (never its URL or token).
 */
export interface AlertTransport {
  readonly label: string;
  send(out: Outgoing): Promise<void>;
  close?(): Promise<void> | void;
}

export interface HttpOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs: number;
  readonly now?: () => number;
}

/** POSTs `body` as JSON within the timeout; the answer and its text (empty when unreadable). A webhook's URL holds its secret: it is never in what this throws of its own. */
export async function postJson(o: HttpOptions, url: string, body: unknown): Promise<{ readonly res: Response; readonly text: string }> {
  const res = await (o.fetch ?? fetch)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(o.timeoutMs),
  });
  return { res, text: await res.text().catch(() => '') };
}
