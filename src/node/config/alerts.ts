import { z } from 'zod';
import { ALERT_CODE_LIST } from '../../engine/alert-codes.ts';
import { ERROR_CODES } from '../../model/errors.ts';

/** How much an alert matters to the people it reaches (src/node/alerts/severity.ts gives each code one). */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
/** An alert code of the registry, or an error code (a refused venue report alerts with its error's code). */
const alertCode = z.enum([...ALERT_CODE_LIST, ...(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[])], { error: 'must be an alert code (README "Alert codes") or an error code' });
const positiveInt = z.number().int().positive();

const rateLimit = z.strictObject({ max: positiveInt.default(20), window_ms: positiveInt.default(60_000) });

/** What every sink takes: which alerts it gets (all codes by default, at `min_severity` or above), and its own throttle if not the section's. */
const routing = {
  codes: z.array(alertCode).min(1).optional(),
  min_severity: z.enum(SEVERITIES).default('info'),
  dedupe_ms: z.number().int().nonnegative().optional(),
  rate_limit: rateLimit.optional(),
  timeout_ms: positiveInt.default(5000),
};

const slackSink = z.strictObject({ type: z.literal('slack'), url: httpUrl, ...routing });
const discordSink = z.strictObject({ type: z.literal('discord'), url: httpUrl, ...routing });

const POLL_TIMEOUT_RULE = 'must be 1 to 50 seconds (a long poll; 0 would poll Telegram in a tight loop)';
const chatId = z.union([z.number().int(), z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/)], { error: 'must be a chat id (a number) or @channelname' });
const telegramSink = z.strictObject({
  type: z.literal('telegram'),
  /** The bot token BotFather gave: a secret. */
  token: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, { error: 'must be a Telegram bot token (<digits>:<35 characters>)' }),
  chat_ids: z.array(chatId).min(1, { error: 'must name at least one chat id' }),
  /** Answer /status, /positions and /halt (with confirmation) from these chats, by long polling getUpdates. */
  commands: z.boolean().default(false),
  /** The Bot API's address (a local Bot API server, or a test's). */
  api_url: httpUrl.default('https://api.telegram.org'),
  /** getUpdates' long-poll wait: 0 (short polling) would make the bot ask Telegram in a tight loop. */
  poll_timeout_s: z.number().int().min(1, { error: POLL_TIMEOUT_RULE }).max(50, { error: POLL_TIMEOUT_RULE }).default(30),
  /** How long a /halt waits for its confirmation. */
  confirm_ms: positiveInt.default(60_000),
  ...routing,
});

const emailSink = z
  .strictObject({
    type: z.literal('email'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** true: TLS from the first byte (port 465). false: plain, upgraded by STARTTLS per `starttls`. */
    secure: z.boolean().default(false),
    /** required: refuse a server without STARTTLS; optional: upgrade when offered; off: never. */
    starttls: z.enum(['required', 'optional', 'off']).default('optional'),
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    from: z.email({ error: 'must be an email address' }),
    to: z.array(z.email({ error: 'must be an email address' })).min(1, { error: 'must name at least one address' }),
    subject_prefix: z.string().default('[Warden]'),
    ...routing,
  })
  .refine((e) => (e.user === undefined) === (e.password === undefined), { error: 'set user and password together (or neither: no AUTH)', path: ['password'] });

export const alertSinkSchema = z.discriminatedUnion('type', [slackSink, discordSink, telegramSink, emailSink], {
  error: 'must be a sink with type slack, discord, telegram or email',
});

const webhook = z.strictObject({
  url: httpUrl,
  headers: z.record(z.string(), z.string()).default({}),
  timeout_ms: positiveInt.default(5000),
});

export const DEFAULT_ALERTS = { webhooks: [], sinks: [], dedupe_ms: 60_000, rate_limit: { max: 20, window_ms: 60_000 } } as const;

/** An `alerts` section with nothing configured (a config built in code: a backtest, `warden paper`). */
export function noAlerts(): AlertsConfig {
  return { webhooks: [], sinks: [], dedupe_ms: DEFAULT_ALERTS.dedupe_ms, rate_limit: { ...DEFAULT_ALERTS.rate_limit } };
}

/**
 * `alerts:` — webhooks get every alert as JSON, unthrottled (as before); each sink gets the alerts
 * routed to it, de-duplicated within `dedupe_ms` and at most `rate_limit.max` per `window_ms`
 * (the rest summarised), so a flapping breaker cannot flood a channel.
 */
export const alertsSchema = z.strictObject({
  webhooks: z.array(webhook).default([]),
  sinks: z.array(alertSinkSchema).default([]),
  dedupe_ms: z.number().int().nonnegative().default(60_000),
  rate_limit: rateLimit.default({ max: 20, window_ms: 60_000 }),
});

export type AlertsConfig = z.infer<typeof alertsSchema>;
export type AlertSinkConfig = z.infer<typeof alertSinkSchema>;
export type WebhookConfig = z.infer<typeof webhook>;

/**
 * The secret values of the sinks, kept out of logs and errors with the rest: Slack and Discord
 * webhook URLs (whoever has one can post) and their path (where the secret part lives), the
 * Telegram bot token, the SMTP password.
 */
export function alertSecrets(alerts: AlertsConfig): string[] {
  return alerts.sinks.flatMap((s): string[] => {
    switch (s.type) {
      case 'slack':
      case 'discord': {
        const u = new URL(s.url);
        return [s.url, `${u.pathname}${u.search}`].filter((v) => v.length > 1);
      }
      case 'telegram':
        return [s.token];
      case 'email':
        return s.password === undefined ? [] : [s.password];
    }
  });
}
