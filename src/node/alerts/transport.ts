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
