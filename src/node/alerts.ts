import type { Logger } from 'pino';
import type { MessageBus } from '../engine/bus.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineTopics } from '../engine/topics.ts';
import { WebhookAlertSink, type WebhookOptions } from '../risk/alerts/webhook.ts';
import type { NodeConfig, WebhookConfig } from './config/index.ts';
import { errorText, scrubber } from './secrets.ts';

export interface AlertSinkOptions {
  /** Values never to post (LoadedNodeConfig.secrets): each body is scrubbed of them. */
  readonly secrets?: Iterable<string>;
  /** Undeliverable alerts are logged here (the URL never: it may hold a token). */
  readonly logger?: Logger;
  /** The fetch to use (tests). */
  readonly fetch?: typeof fetch;
  /** First retry backoff, ms (default the sink's 100). */
  readonly backoffMs?: number;
}

/** Each configured `alerts.webhooks` entry as a sink on the engine's alert topic. */
export class NodeAlerts {
  readonly sinks: readonly WebhookAlertSink[];
  private readonly detach: (() => void)[] = [];

  constructor(webhooks: readonly WebhookConfig[], o: AlertSinkOptions = {}) {
    const scrub = scrubber(o.secrets ?? []);
    this.sinks = webhooks.map((w, i) => {
      const opts: WebhookOptions = {
        headers: w.headers,
        timeoutMs: w.timeout_ms,
        scrub,
        ...(o.fetch ? { fetch: o.fetch } : {}),
        ...(o.backoffMs !== undefined ? { backoffMs: o.backoffMs } : {}),
        onFailure: (alert, error) => o.logger?.warn({ webhook: i, code: alert.code, err: errorText(error, o.secrets ?? []) }, 'alert webhook undeliverable'),
      };
      return new WebhookAlertSink(w.url, opts);
    });
  }

  /** Posts every alert published on the bus from now on. */
  attach(bus: MessageBus<EngineTopics>): void {
    for (const s of this.sinks) this.detach.push(s.attach(bus));
  }

  /** Waits until each sink has delivered or given up on what it holds. */
  async idle(): Promise<void> {
    for (const s of this.sinks) await s.idle();
  }

  /** No more alerts are taken (those queued still go). */
  close(): void {
    for (const d of this.detach.splice(0)) d();
  }

  get delivered(): number {
    return this.sinks.reduce((n, s) => n + s.delivered, 0);
  }

  get failed(): number {
    return this.sinks.reduce((n, s) => n + s.failed, 0);
  }
}

/**
 * Every engine alert is logged (warn; debug in a backtest, whose report lists every breaker trip,
 * reset and denial, so thousands of simulated near misses do not bury the summary) and, outside a
 * backtest, posted to each `alerts.webhooks` entry, its body scrubbed of the configured secrets.
 * Returns the sinks to wait on at stop, if any.
 */
export function watchAlerts(engine: Engine, config: NodeConfig, o: { readonly secrets?: ReadonlySet<string>; readonly logger?: Logger }): NodeAlerts | undefined {
  const logger = o.logger;
  if (logger) {
    const level = config.node.mode === 'backtest' ? 'debug' : 'warn';
    engine.bus.subscribe('alert', (a) => logger[level]({ code: a.code, context: a.context }, a.message));
  }
  if (config.node.mode === 'backtest' || config.alerts.webhooks.length === 0) return undefined;
  const alerts = new NodeAlerts(config.alerts.webhooks, { ...(o.secrets ? { secrets: o.secrets } : {}), ...(logger ? { logger } : {}) });
  alerts.attach(engine.bus);
  return alerts;
}
