import { z } from 'zod';
import { riskConfigSchema } from '../../risk/config/schema.ts';
import { venueSchema } from './venues.ts';
import { dataSourceSchema } from '../../data/reader-options.ts';
import { alertsSchema, noAlerts } from './alerts.ts';
import { gatewaySchema } from './gateway.ts';
import { clusterSchema } from './cluster.ts';
import { advisorSchema } from '../../advisor/models/config.ts';
import { calendarsSchema } from './calendars.ts';

/** Exact amounts: decimal text ("0.01", "100000") or a number (read through its shortest text, never binary arithmetic). */
const decimal = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()], { error: 'must be a decimal number such as "0.01" (digits, an optional point and digits)' });
const nonNegativeDecimal = z.union([z.string().regex(/^\d+(\.\d+)?$/), z.number().nonnegative()], { error: 'must be a non-negative decimal amount such as "100000.00"' });

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit' });
/** As the engine's VenueId: upper case (src/model/identifiers.ts). */
export const VENUE_NAME = /^[A-Z0-9_-]{1,32}$/;
const venueName = z.string().regex(VENUE_NAME, { error: 'must be a venue name: 1-32 upper-case letters, digits, "_" or "-"' });
/** SYMBOL.VENUE, as src/model/identifiers.ts. */
const instrumentId = z.string().regex(/^[\x21-\x2d\x2f-\x7e]{1,96}\.[A-Z0-9_-]{1,32}$/, { error: 'must be an instrument id SYMBOL.VENUE, e.g. BTCUSDT.BINANCE' });
/** A bar length: 1s, 1m, 5m, 1h, 1d. */
export const INTERVAL = /^([1-9]\d*)(s|m|h|d)$/;
const interval = z.string().regex(INTERVAL, { error: 'must be a bar length such as 1m, 5m, 1h or 1d' });
const path = z.string().min(1, { error: 'must be a file path' });

const nodeSection = z.strictObject({
  id,
  mode: z.enum(['backtest', 'paper', 'live']),
  /** Default `{ sqlite: ./var/<id>/journal.sqlite }`, relative to the config file; `{ memory: true }` keeps nothing (a backtest). */
  journal: z
    .union([z.strictObject({ sqlite: path }), z.strictObject({ postgres: z.string().regex(/^postgres(ql)?:\/\//), /** The schema holding this node's journal (default `warden`): one per node when nodes share a database. */ schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a lower-case SQL identifier' }).optional() }), z.strictObject({ memory: z.literal(true) })], {
      error: 'must be { sqlite: <path> }, { postgres: <postgres:// url>, schema?: <name> } or { memory: true } (nothing kept: backtests)',
    })
    .optional(),
  /** A snapshot once this many records have been journaled since the last (src/journal/snapshotter.ts). */
  snapshot_every: z.number().int().positive().default(10_000),
});

const currencyRef = z.union(
  [
    z.string().regex(/^[A-Z0-9]{2,12}$/),
    z.strictObject({ code: z.string().regex(/^[A-Z0-9]{2,12}$/), precision: z.number().int().min(0).max(16), kind: z.enum(['FIAT', 'CRYPTO']).default('CRYPTO') }),
  ],
  { error: 'must be a currency code (USD, USDT, BTC, ...) or { code, precision, kind }' },
);

const account = z.strictObject({
  id,
  type: z.enum(['CASH', 'MARGIN']),
  venue: venueName,
  position_mode: z.enum(['NETTING', 'HEDGING']).default('NETTING'),
  /** Starting balances of a simulated account, by currency code. */
  balances: z.record(z.string().regex(/^[A-Z0-9]{2,12}$/, { error: 'must be a currency code' }), nonNegativeDecimal).optional(),
  /**
   * The pattern-day-trader rule (FINRA 4210) for a MARGIN account on a venue with a `calendar`;
   * absent: FINRA's figures (on, 25000 USD, 3 day trades in 5 business days). `enabled: false` for a broker outside FINRA's reach.
   */
  pdt: z
    .strictObject({
      enabled: z.boolean().default(true),
      min_equity: z.string().regex(/^\d+(\.\d{1,2})?$/, { error: 'must be a USD amount written as a quoted string, e.g. "25000"' }).default('25000'),
      max_day_trades: z.number().int().nonnegative().default(3),
      window_days: z.number().int().min(1).max(20).default(5),
    })
    .optional(),
});

/** The venue's own name for the instrument where it is not the id's symbol (a broker's AAPL_US_EQ, a conid); default: the symbol before the venue. */
const venueSymbol = z.string().min(1).max(64).optional();

const explicitInstrument = z.strictObject({
  id: instrumentId,
  from_venue: z.literal(false).optional(),
  symbol: venueSymbol,
  kind: z.enum(['SPOT', 'PERPETUAL', 'EQUITY']),
  base: currencyRef.optional(),
  quote: currencyRef,
  settlement: currencyRef.optional(),
  tick_size: decimal,
  lot_size: decimal,
  min_quantity: decimal.optional(),
  max_quantity: decimal.optional(),
  min_notional: decimal.optional(),
  max_notional: decimal.optional(),
  multiplier: decimal.optional(),
  maker_fee: decimal.optional(),
  taker_fee: decimal.optional(),
  margin_init: decimal.optional(),
  allow_non_positive_price: z.boolean().optional(),
});

/** Either the instrument as the venue describes it (`from_venue: true`), or written out. */
const instrument = z.discriminatedUnion('from_venue', [z.strictObject({ id: instrumentId, from_venue: z.literal(true), symbol: venueSymbol }), explicitInstrument]);

/**
 * A replayed file: `{ file, instrument }` and the reader options of the command line's data flags,
 * with `_` for `-` (format, columns, header, time_format, utc_offset, delimiter, bar_interval),
 * checked by the same parsers (src/data/reader-options.ts); validated, it is a DataSourceSpec.
 */
const replayFile = dataSourceSchema;

const subscription = z.strictObject({
  instrument: instrumentId,
  /** Where the data comes from; default the instrument's venue (a broker without prices of its own, Trading 212, takes them from another). */
  venue: venueName.optional(),
  /** The instrument's name at the data venue; default the instrument's `symbol` at its own venue, else the id's symbol. */
  symbol: z.string().min(1).max(64).optional(),
  quotes: z.boolean().default(false),
  /** Top of book from the exchange's order book stream (watchOrderBook: snapshot and diffs), with sizes; instead of `quotes`. */
  book: z.boolean().default(false),
  trades: z.boolean().default(false),
  bars: interval.optional(),
});

const dataSection = z.strictObject({
  replay: z.array(replayFile).default([]),
  subscriptions: z.array(subscription).default([]),
  /** Paper replay pace: data seconds per wall second, or `max` (as fast as the node takes it). Ignored by a backtest. */
  speed: z.union([z.number().positive(), z.literal('max')], { error: 'must be a number > 0 (data seconds per wall second) or "max"' }).default(1),
  /** Paper only: replay the files over and over, times moving on (a demo that never runs out). */
  loop: z.boolean().default(false),
});

/** A risk file beside this one (`{ path: risk.yaml }`, relative to this file), or the risk config inline. */
export const riskRefSchema = z.strictObject({ path });
const riskSection = z.union([riskRefSchema, riskConfigSchema]);

const strategy = z.strictObject({
  /** A built-in strategy (src/strategies/index.ts). */
  name: z.string().min(1),
  id,
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  instruments: z.array(instrumentId).min(1, { error: 'must name at least one instrument' }),
  account: id,
  venue: venueName.optional(),
});

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export const loggingSchema = z.strictObject({
  level: z.enum(LOG_LEVELS).default('info'),
  format: z.enum(['json', 'pretty']).default('json'),
  destination: z.union([z.enum(['stdout', 'stderr']), z.strictObject({ file: path })], { error: 'must be stdout, stderr or { file: <path> }' }).default('stdout'),
  /** More pino redact paths, beside the built-in ones (apiKey, secret, password, token, authorization, ...). */
  redact: z.array(z.string().min(1)).default([]),
});

/** The HTTP + WebSocket API and dashboard (src/server/); absent: the node runs without one. */
export const serverSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  /** 0: any free port (tests). */
  port: z.number().int().min(0).max(65535).default(8080),
  /** Users, sessions and API keys (SQLite), relative to this file like the journal. */
  auth_db: path.default('./var/auth.sqlite'),
  session_ttl_ms: z.number().int().positive().default(43_200_000),
  /** Origins allowed to call the API from a browser; empty: CORS closed. */
  cors_origins: z.array(z.url({ protocol: /^https?$/, error: 'must be an http(s) origin such as https://ops.example.com' })).default([]),
  rate_limit: z.strictObject({ max: z.number().int().positive().default(600), window_ms: z.number().int().positive().default(60_000) }).default({ max: 600, window_ms: 60_000 }),
  /** After `failures` failed logins within `window_ms` an account is locked for `lock_ms`. */
  lockout: z
    .strictObject({ failures: z.number().int().positive().default(5), window_ms: z.number().int().positive().default(900_000), lock_ms: z.number().int().positive().default(900_000) })
    .default({ failures: 5, window_ms: 900_000, lock_ms: 900_000 }),
  /** GET /metrics without credentials. */
  metrics_public: z.boolean().default(false),
  /** Serve the dashboard (web/dist) at /. */
  dashboard: z.boolean().default(true),
});

const DEFAULT_LOGGING = { level: 'info', format: 'json', destination: 'stdout', redact: [] } as const;

export const nodeConfigSchema = z.strictObject({
  /** For editors: `$schema: ./schema/warden.schema.json`. */
  $schema: z.string().optional(),
  node: nodeSection,
  venues: z.record(venueName, venueSchema),
  /** One-off closures and early closes per exchange calendar (`calendars: { XNYS: { extra_closures: [2025-01-09] } }`); absent: the calendars as published. */
  calendars: calendarsSchema.optional(),
  accounts: z.array(account).default([]),
  instruments: z.array(instrument).default([]),
  data: dataSection.default({ replay: [], subscriptions: [], speed: 1, loop: false }),
  risk: riskSection.optional(),
  strategies: z.array(strategy).default([]),
  alerts: alertsSchema.default(noAlerts),
  logging: loggingSchema.default({ ...DEFAULT_LOGGING, redact: [] }),
  server: serverSchema.optional(),
  /** The Binance-compatible risk gateway (src/server/gateway/); absent: none. */
  gateway: gatewaySchema.optional(),
  /** The AI advisor's models (src/advisor/models/); absent: no advisor. */
  advisor: advisorSchema.optional(),
  /** One of a firm's nodes: events on NATS JetStream, firm budget, firm kill switch (src/cluster/); absent: stand-alone. */
  cluster: clusterSchema.optional(),
});

/** The file as validated, before the risk reference and relative paths are resolved. */
export type NodeConfigFile = z.infer<typeof nodeConfigSchema>;
export type LoggingConfig = z.infer<typeof loggingSchema>;
export type ServerConfig = z.infer<typeof serverSchema>;
export type AccountConfig = NodeConfigFile['accounts'][number];
export type InstrumentConfig = NodeConfigFile['instruments'][number];
export type ExplicitInstrumentConfig = z.infer<typeof explicitInstrument>;
export type ReplayConfig = NodeConfigFile['data']['replay'][number];
export type SubscriptionConfig = NodeConfigFile['data']['subscriptions'][number];
export type StrategyConfig = NodeConfigFile['strategies'][number];
export type { GatewayConfig, GatewayKeyConfig } from './gateway.ts';
export type { ClusterConfig, FirmBudgetConfig } from './cluster.ts';
export type { AdvisorConfig, ModelTierConfig } from '../../advisor/models/config.ts';
export type { AlertSinkConfig, AlertsConfig, Severity, WebhookConfig } from './alerts.ts';
export type JournalConfig = NonNullable<NodeConfigFile['node']['journal']>;
