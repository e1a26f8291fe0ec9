import type { Logger } from 'pino';
import type { MessageBus } from '../../engine/bus.ts';
import type { Engine } from '../../engine/engine.ts';
import type { EngineTopics } from '../../engine/topics.ts';
import { WebhookAlertSink, type WebhookOptions } from '../../risk/alerts/webhook.ts';
import type { AlertsConfig, AlertSinkConfig, NodeConfig } from '../config/index.ts';
import { errorText, scrubber } from '../secrets.ts';
import { AlertChannel, type ChannelOptions } from './channel.ts';
import type { RetryPolicy } from './delivery.ts';
import { DiscordTransport } from './discord.ts';
import { EmailTransport } from './email.ts';
import type { Outgoing } from './message.ts';
import { SlackTransport } from './slack.ts';
import { TelegramApi } from './telegram-api.ts';
import { TelegramBot, type NodeCommands } from './telegram-bot.ts';
import { TelegramTransport } from './telegram.ts';
import type { AlertTransport } from './transport.ts';

export interface AlertSinkOptions {
  /** Values never to post or log (LoadedNodeConfig.secrets): each webhook body is scrubbed of them, and every logged error. */
  readonly secrets?: Iterable<string>;
  /** Undeliverable alerts and refused commands are logged here (URLs and tokens never: they are secrets). */
  readonly logger?: Logger;
  /** The fetch to use (tests). */
  readonly fetch?: typeof fetch;
  /** First retry backoff, ms (default the webhook's 100, the sinks' 500). */
  readonly backoffMs?: number;
  /** Retries of the sinks (default 3). */
  readonly retries?: number;
  /** The wall clock the sinks' throttles count in (default the system's). */
  readonly now?: () => number;
  /** The Telegram commands' callbacks (absent: no sink answers commands). */
  readonly commands?: NodeCommands;
  /** Telegram halt confirmation codes (tests); default random. */
  readonly newCode?: () => string;
}

/**
 * The node's alert outlets on the engine's alert topic: each `alerts.webhooks` entry (every alert
 * as JSON, unthrottled, as before), and each `alerts.sinks` entry as an AlertChannel (routed by
 * code and severity, de-duplicated, rate limited; a Telegram sink has one channel per chat and,
 * with `commands: true`, a bot answering /status, /positions and /halt).
 */
export class NodeAlerts {
  readonly sinks: readonly WebhookAlertSink[];
  readonly channels: readonly AlertChannel[];
  readonly bots: readonly TelegramBot[];
  private readonly detach: (() => void)[] = [];

  constructor(alerts: AlertsConfig, o: AlertSinkOptions = {}) {
    const secrets = [...(o.secrets ?? [])];
    const scrub = scrubber(secrets);
    this.sinks = alerts.webhooks.map((w, i) => {
      const opts: WebhookOptions = {
        headers: w.headers,
        timeoutMs: w.timeout_ms,
        scrub,
        ...(o.fetch ? { fetch: o.fetch } : {}),
        ...(o.backoffMs !== undefined ? { backoffMs: o.backoffMs } : {}),
        onFailure: (alert, error) => o.logger?.warn({ webhook: i, code: alert.code, err: errorText(error, secrets) }, 'alert webhook undeliverable'),
      };
      return new WebhookAlertSink(w.url, opts);
    });
    const channels: AlertChannel[] = [];
    const bots: TelegramBot[] = [];
    alerts.sinks.forEach((sink, i) => {
      const built = buildSink(sink, o, secrets);
      const options = channelOptions(sink, alerts, o, (out, e) =>
        o.logger?.warn({ sink: i, type: sink.type, ...(out.kind === 'alert' ? { code: out.code } : { summary: out.held.count }), err: errorText(e, secrets) }, 'alert undeliverable'),
      );
      for (const t of built.transports) channels.push(new AlertChannel(t, options));
      if (built.bot) bots.push(built.bot);
    });
    this.channels = channels;
    this.bots = bots;
  }

  /** Posts every alert published on the bus from now on; starts the Telegram bots' polling. */
  attach(bus: MessageBus<EngineTopics>): void {
    for (const s of this.sinks) this.detach.push(s.attach(bus));
    if (this.channels.length > 0) this.detach.push(bus.subscribe('alert', (a) => this.channels.forEach((c) => c.offer(a))));
    for (const b of this.bots) b.start();
  }

  /** Waits until each webhook and sink has delivered or given up on what it holds. */
  async idle(): Promise<void> {
    for (const s of this.sinks) await s.idle();
    for (const c of this.channels) await c.idle();
  }

  /** No more alerts are taken and the bots stop polling; what sinks hold goes out (a last summary of what they counted). */
  async close(): Promise<void> {
    for (const d of this.detach.splice(0)) d();
    await Promise.all(this.bots.map((b) => b.close()));
    await Promise.all(this.channels.map((c) => c.close()));
  }

  get delivered(): number {
    return this.sinks.reduce((n, s) => n + s.delivered, 0) + this.channels.reduce((n, c) => n + c.sent, 0);
  }

  get failed(): number {
    return this.sinks.reduce((n, s) => n + s.failed, 0) + this.channels.reduce((n, c) => n + c.failed, 0);
  }
}

function channelOptions(sink: AlertSinkConfig, alerts: AlertsConfig, o: AlertSinkOptions, onFailure: (out: Outgoing, e: unknown) => void): ChannelOptions {
  const rate = sink.rate_limit ?? alerts.rate_limit;
  const retry: Partial<RetryPolicy> = { ...(o.backoffMs !== undefined ? { backoffMs: o.backoffMs } : {}), ...(o.retries !== undefined ? { retries: o.retries } : {}) };
  return {
    route: { ...(sink.codes ? { codes: sink.codes } : {}), minSeverity: sink.min_severity },
    limits: { dedupeMs: sink.dedupe_ms ?? alerts.dedupe_ms, max: rate.max, windowMs: rate.window_ms },
    retry,
    onFailure,
    ...(o.now ? { now: o.now } : {}),
  };
}

/** A sink's transports (one per Telegram chat) and its command bot, if it answers commands. */
function buildSink(sink: AlertSinkConfig, o: AlertSinkOptions, secrets: readonly string[]): { transports: AlertTransport[]; bot?: TelegramBot } {
  const http = { timeoutMs: sink.timeout_ms, ...(o.fetch ? { fetch: o.fetch } : {}) };
  switch (sink.type) {
    case 'slack':
      return { transports: [new SlackTransport(sink.url, http)] };
    case 'discord':
      return { transports: [new DiscordTransport(sink.url, http)] };
    case 'email':
      return { transports: [new EmailTransport(sink)] };
    case 'telegram': {
      const api = new TelegramApi(sink.token, { apiUrl: sink.api_url, ...http });
      const transports = sink.chat_ids.map((id) => new TelegramTransport(api, id));
      if (!sink.commands || !o.commands) return { transports };
      const log = o.logger;
      const bot = new TelegramBot(api, {
        allowed: new Set(sink.chat_ids.map(String)),
        commands: o.commands,
        confirmMs: sink.confirm_ms,
        pollTimeoutS: sink.poll_timeout_s,
        ...(o.now ? { now: o.now } : {}),
        ...(o.newCode ? { newCode: o.newCode } : {}),
        onError: (what, e) => log?.warn({ telegram: what, err: errorText(e, secrets) }, 'telegram command bot error'),
        onRefused: (chatId, command) => log?.warn({ chatId, command }, 'telegram command refused: chat not allowed'),
        onHalt: (chatId, result) => log?.warn({ chatId, result }, 'telegram halt'),
      });
      return { transports, bot };
    }
  }
}

/**
 * Every engine alert is logged (warn; debug in a backtest, whose report lists every breaker trip,
 * reset and denial, so thousands of simulated near misses do not bury the summary) and, outside a
 * backtest, posted to each `alerts.webhooks` entry (its body scrubbed of the configured secrets)
 * and to each `alerts.sinks` entry. Returns the outlets to close at stop, if any.
 */
export function watchAlerts(engine: Engine, config: NodeConfig, o: Omit<AlertSinkOptions, 'secrets'> & { readonly secrets?: ReadonlySet<string> }): NodeAlerts | undefined {
  const logger = o.logger;
  if (logger) {
    const level = config.node.mode === 'backtest' ? 'debug' : 'warn';
    engine.bus.subscribe('alert', (a) => logger[level]({ code: a.code, context: a.context }, a.message));
  }
  if (config.node.mode === 'backtest' || (config.alerts.webhooks.length === 0 && config.alerts.sinks.length === 0)) return undefined;
  const alerts = new NodeAlerts(config.alerts, o);
  alerts.attach(engine.bus);
  return alerts;
}
