import { z } from 'zod';
import { boundaryMinutes, isTimeZone } from '../breakers/trading-day.ts';
import { BREAKER_SCOPES, type BreakerKind } from './scopes.ts';

/** Exact amounts are written as decimal text ("5000.00"), so nothing is rounded through a float. */
const decimal = z.string({ error: (iss) => (iss.input === undefined ? undefined : 'must be a decimal amount written as a quoted string, e.g. "5000.00"') }).regex(/^\d+(\.\d+)?$/, {
  error: 'must be a non-negative decimal amount such as "5000.00" (digits, an optional point and digits)',
});
const positive = z.number().positive();
const count = z.number().int().positive();
const pct100 = z.number().positive().max(100);

const instrumentLimits = z.strictObject({
  max_order_quantity: decimal.optional(),
  max_order_notional: decimal.optional(),
  max_position_quantity: decimal.optional(),
  max_position_notional: decimal.optional(),
  price_collar_pct: pct100.optional(),
  price_collar_ticks: count.optional(),
  max_open_orders: count.optional(),
});

const accountLimits = z.strictObject({
  max_gross_exposure: decimal.optional(),
  max_net_exposure: decimal.optional(),
  max_leverage: positive.optional(),
  max_concentration_pct: pct100.optional(),
  max_open_orders: count.optional(),
});

const rates = z.strictObject({ per_second: count.optional(), per_minute: count.optional(), per_hour: count.optional() }).default({});

/**
 * Limits and their defaults: no `default` instrument limits (an unlisted instrument is denied,
 * fail closed), no per-instrument or per-account entries, no firm limits, reference prices older
 * than 5,000 ms are stale, a 5% price collar, a 1,000 ms duplicate window, no throttles (each of
 * submit/modify/cancel empty), hard limit at 2x a throttle, no restricted instruments, self-trade
 * prevention on.
 */
const limits = z
  .strictObject({
    default: instrumentLimits.optional(),
    instruments: z.record(z.string().min(1), instrumentLimits).default({}),
    accounts: z.record(z.string().min(1), accountLimits).default({}),
    firm: z.strictObject({ max_gross_exposure: decimal.optional(), max_net_exposure: decimal.optional() }).default({}),
    reference_price_max_age_ms: count.default(5000),
    price_collar_pct: pct100.default(5),
    duplicate_window_ms: z.number().int().nonnegative().default(1000),
    throttles: z
      .strictObject({ submit: rates, modify: rates, cancel: rates, hard_limit_multiple: z.number().min(1).default(2) })
      .default({ submit: {}, modify: {}, cancel: {}, hard_limit_multiple: 2 }),
    restricted_instruments: z.array(z.string().min(1)).default([]),
    self_trade_prevention: z.boolean().default(true),
  })
  .default({
    instruments: {},
    accounts: {},
    firm: {},
    reference_price_max_age_ms: 5000,
    price_collar_pct: 5,
    duplicate_window_ms: 1000,
    throttles: { submit: {}, modify: {}, cancel: {}, hard_limit_multiple: 2 },
    restricted_instruments: [],
    self_trade_prevention: true,
  });

/** Every breaker's common settings and their defaults. */
const common = {
  enabled: z.boolean().default(true),
  action: z.enum(['HALT', 'REDUCE']).default('HALT'),
  cancel_orders: z.boolean().default(true),
  flatten: z.boolean().default(false),
  cooldown_minutes: z.number().nonnegative().default(0),
  auto_reset_after_minutes: z.number().positive().nullable().default(null),
  require_manual_reset: z.boolean().default(false),
  scope: z.enum(['FIRM', 'ACCOUNT', 'STRATEGY']).default('FIRM'),
};

const oneOf =
  (a: string, b: string) =>
  (v: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    if (v[a] === undefined && v[b] === undefined) ctx.addIssue({ code: 'custom', path: [a], message: `set ${a} or ${b} (or both)` });
  };

const breakers = z
  .strictObject({
    daily_loss: z.strictObject({ ...common, max_daily_loss_pct: pct100.optional(), max_daily_loss: decimal.optional() }).superRefine(oneOf('max_daily_loss_pct', 'max_daily_loss')).optional(),
    drawdown: z.strictObject({ ...common, max_drawdown_pct: pct100 }).optional(),
    consecutive_losses: z.strictObject({ ...common, max_consecutive_losses: count }).optional(),
    order_rate: z
      .strictObject({ ...common, max_orders_per_minute: count.optional(), max_orders_per_hour: count.optional() })
      .superRefine(oneOf('max_orders_per_minute', 'max_orders_per_hour'))
      .optional(),
    errors: z.strictObject({ ...common, max_consecutive_errors: count }).optional(),
    position_loss: z.strictObject({ ...common, max_position_loss_pct: pct100 }).optional(),
    portfolio_loss: z.strictObject({ ...common, max_portfolio_loss: decimal }).optional(),
    volatility: z
      .strictObject({ ...common, lookback_bars: z.number().int().min(2), max_return_sigma: positive.optional(), max_range_atr: positive.optional() })
      .superRefine(oneOf('max_return_sigma', 'max_range_atr'))
      .optional(),
    leverage: z.strictObject({ ...common, max_leverage: positive }).optional(),
    concentration: z.strictObject({ ...common, max_concentration_pct: positive }).optional(),
    repeated_executions: z.strictObject({ ...common, max_fills: count, window_seconds: positive }).optional(),
  })
  .superRefine((b, ctx) => {
    for (const [kind, cfg] of Object.entries(b) as [BreakerKind, { scope: 'FIRM' | 'ACCOUNT' | 'STRATEGY' } | undefined][]) {
      if (cfg && !BREAKER_SCOPES[kind].includes(cfg.scope)) {
        ctx.addIssue({ code: 'custom', path: [kind, 'scope'], message: `${kind} cannot watch scope ${cfg.scope}; use one of ${BREAKER_SCOPES[kind].join(', ')}` });
      }
    }
  })
  .default({});

export const riskConfigSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1 (the only version of this file format)' }),
  day: z
    .strictObject({
      timezone: z.string().refine(isTimeZone, { error: 'is not an IANA time zone this system knows, e.g. "UTC" or "America/New_York"' }).default('UTC'),
      boundary: z
        .string()
        .refine((s) => boundaryMinutes(s) !== undefined, { error: 'must be a time of day HH:MM between 00:00 and 23:59, quoted, e.g. "17:00"' })
        .default('00:00'),
    })
    .default({ timezone: 'UTC', boundary: '00:00' }),
  limits,
  breakers,
  alerts: z
    .strictObject({
      webhook_url: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
      near_miss_pct: z.number().positive().lt(100).default(80),
    })
    .default({ near_miss_pct: 80 }),
});
