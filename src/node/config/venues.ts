import { z } from 'zod';
import type { VenueReportKind } from '../../engine/venue.ts';
import { CALENDAR_NAMES, type CalendarName } from '../../risk/compliance/calendar.ts';
import { alpacaVenueConfigSchema } from '../../venues/alpaca/config.ts';
import { IbkrVenueConfigSchema } from '../../venues/ibkr/config.ts';
import { Mt5VenueConfigSchema } from '../../venues/mt5/config.ts';
import { trading212VenueSchema } from '../../venues/trading212/config.ts';
import { FEE_MODELS, LATENCY_MODELS, LIMIT_FILL_MODELS, SLIPPAGE_MODELS } from '../../venues/sim/models/index.ts';

/**
 * A model chosen by name with its parameters beside it (`{ model: fixed_bps, bps: 5 }`). The
 * parameters are checked by the model library itself (src/venues/sim/models), which refuses
 * unknown ones; see checks.ts.
 */
function modelChoice<const T extends readonly [string, ...string[]]>(names: T, family: string) {
  return z.looseObject({ model: z.enum(names, { error: `must name a ${family} model: ${names.join(', ')}` }) });
}

const names = <T extends object>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

const positiveInt = z.number().int().positive();
const times = z.union([positiveInt, z.literal('always')], { error: 'must be a whole number > 0 or "always"' });

const callFault = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal(['TIMEOUT', 'SERVER_ERROR', 'NETWORK_RESET']), placed: z.boolean().default(false), drop_reports: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('REJECT'), reason: z.string().optional() }),
  z.strictObject({ kind: z.literal('RATE_LIMIT'), retry_after_ms: z.number().int().nonnegative().optional() }),
  z.strictObject({ kind: z.literal('DELAY') }),
]);

const REPORT_KINDS = [
  'OrderAccepted',
  'OrderRejected',
  'OrderTriggered',
  'OrderUpdated',
  'OrderModifyRejected',
  'OrderCancelRejected',
  'OrderStatusUnknown',
  'OrderCanceled',
  'OrderExpired',
  'OrderFilled',
  'FillBusted',
] as const satisfies readonly VenueReportKind[];
const reportKind = z.enum(REPORT_KINDS);

/** Fault injection on a simulated venue (src/venues/sim/faults), in the file's snake_case. */
export const faultsSchema = z.strictObject({
  queries_while_down: z.boolean().optional(),
  calls: z
    .array(z.strictObject({ call: z.enum(['SUBMIT', 'MODIFY', 'CANCEL']), nth: positiveInt.optional(), client_order_id: z.string().min(1).optional(), times: times.optional(), fault: callFault }))
    .default([]),
  reports: z
    .array(
      z.strictObject({
        fault: z.enum(['DUPLICATE', 'REORDER', 'DROP']),
        report_kind: z.union([reportKind, z.array(reportKind)]).optional(),
        client_order_id: z.string().min(1).optional(),
        times: times.optional(),
        order: z.enum(['REVERSE', 'SHUFFLE']).optional(),
        seed: z.number().int().optional(),
        flush_after: positiveInt.optional(),
      }),
    )
    .default([]),
  queries: z
    .array(
      z.strictObject({
        code: z.enum(['VENUE_NETWORK', 'VENUE_UNAVAILABLE']),
        query: z.enum(['orderStatus', 'openOrders', 'fillsSince', 'positions']).optional(),
        times: times.optional(),
      }),
    )
    .default([]),
});

/** `calendar: none`: no exchange calendar, trading 24/7, said explicitly (the opt-out of a US-equity broker's default). */
export const NO_CALENDAR = 'none';

/**
 * Venue types whose instruments are US equities unless the config says otherwise: without a
 * `calendar` they take NYSE's (XNYS), so a forgotten line fails closed (MARKET_CLOSED outside the
 * session, the PDT rule on MARGIN accounts) instead of trading 24/7. `calendar: none` opts out.
 */
export const US_EQUITY_VENUE_TYPES: readonly string[] = ['alpaca', 'ibkr', 'trading212'];

/**
 * The calendar a venue trades on: its `calendar`, else XNYS for a US-equity broker type (alpaca,
 * ibkr, trading212), else none (sim, ccxt, mt5: 24/7). `calendar: none` is none whatever the type.
 */
export function venueCalendar(v: { readonly type?: string; readonly calendar?: CalendarName | typeof NO_CALENDAR | undefined }): CalendarName | undefined {
  if (v.calendar === NO_CALENDAR) return undefined;
  if (v.calendar !== undefined) return v.calendar;
  return v.type !== undefined && US_EQUITY_VENUE_TYPES.includes(v.type) ? 'XNYS' : undefined;
}

/** What every venue type takes. */
const venueCommon = {
  /** On a clean stop (SIGINT/SIGTERM), cancel this venue's working orders. */
  cancel_on_stop: z.boolean().default(true),
  /**
   * The exchange calendar of the venue's instruments (src/risk/compliance): orders outside its
   * session are denied MARKET_CLOSED, and its MARGIN accounts meet the pattern-day-trader rule.
   * `none`: 24/7. Absent: the venue type's default (venueCalendar): XNYS for alpaca, ibkr and
   * trading212, none for sim, ccxt and mt5. Resolved where it is used rather than filled in here,
   * so configs without it keep their hash.
   */
  calendar: z.enum([...CALENDAR_NAMES, NO_CALENDAR], { error: `must be an exchange calendar (${CALENDAR_NAMES.join(', ')}) or ${NO_CALENDAR} (24/7)` }).optional(),
  /** With a calendar (given or the type's default): orders that ask for extended hours (extendedHours) may trade pre-market (04:00–09:30 ET) and after-hours (16:00–20:00 ET). Absent: false. */
  extended_hours: z.boolean().optional(),
};

export const simVenueSchema = z.strictObject({
  type: z.literal('sim'),
  ...venueCommon,
  fees: modelChoice(names(FEE_MODELS), 'fee').optional(),
  slippage: modelChoice(names(SLIPPAGE_MODELS), 'slippage').optional(),
  latency: modelChoice(names(LATENCY_MODELS), 'latency').optional(),
  limit_fill: modelChoice(names(LIMIT_FILL_MODELS), 'limit fill').optional(),
  intrabar: z.enum(['NEAREST_EXTREME_FIRST', 'HIGH_FIRST', 'LOW_FIRST']).optional(),
  stp: z.enum(['NONE', 'CANCEL_TAKER', 'CANCEL_MAKER', 'CANCEL_BOTH']).optional(),
  max_bar_volume_share: z.number().gt(0).max(1).optional(),
  /** false: the simulated venue has no stop or if-touched orders of its own, so Warden holds them (emulation), as on a venue lacking them. Default true. */
  native_stops: z.boolean().optional(),
  faults: faultsSchema.optional(),
});

/**
 * A crypto exchange through ccxt (src/venues/ccxt). Credentials come from the environment
 * (`api_key: ${BINANCE_API_KEY}`): their values are secrets the loader collects, never logged.
 */
export const ccxtVenueSchema = z.strictObject({
  type: z.literal('ccxt'),
  ...venueCommon,
  /** ccxt's exchange id: binance, binanceusdm, kraken, coinbase (tested), or any other ccxt exchange (generic profile, untested). */
  exchange: z.string().regex(/^[a-z0-9]+$/, { error: "must be a ccxt exchange id such as binance, binanceusdm, kraken or coinbase" }),
  /** The exchange's testnet (ccxt setSandboxMode). */
  sandbox: z.boolean().default(false),
  api_key: z.string().min(1).optional(),
  secret: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  /** Overrides of ccxt's `urls.api` (e.g. a local or regional endpoint); merged over ccxt's own. */
  urls: z.record(z.string(), z.unknown()).optional(),
  /** More ccxt options (exchange.options), over the profile's. */
  options: z.record(z.string(), z.unknown()).default({}),
  /** ccxt's request timeout. */
  timeout_ms: z.number().int().positive().default(10_000),
  /** WebSocket keepalive: a socket silent past two of these (no pong, no message) is dropped and reconnected (FAULTS 33). */
  heartbeat_ms: z.number().int().positive().default(20_000),
  /** Reconnect backoff: the first wait, doubled on each failure up to max. */
  reconnect: z.strictObject({ base_ms: z.number().int().positive().default(500), max_ms: z.number().int().positive().default(30_000) }).default({ base_ms: 500, max_ms: 30_000 }),
  /** How often instruments are reloaded from loadMarkets (a changed tick or lot: FAULTS 35). */
  reload_instruments_ms: z.number().int().positive().default(3_600_000),
});

/**
 * What every broker venue takes beside its own fields (each broker's strict object is its
 * adapter's: src/venues/<broker>/config.ts). Credentials are `api_key`, `secret`, `password`
 * fields, given as `${ENV}` references.
 */
const brokerCommon = {
  ...venueCommon,
  /** The adapter's request timeout; the executor waits 5 s more before it calls an order's state unknown. */
  timeout_ms: z.number().int().positive().default(10_000),
  /** How often the broker is probed for the health check (connected, round trip, what it says); cached between. */
  health_check_ms: z.number().int().positive().default(30_000),
};

/** The fields every broker takes, which its adapter's own schema does not. */
export const BROKER_COMMON_FIELDS: readonly string[] = Object.keys(brokerCommon);

/** A broker's own venue schema with the fields every broker takes. */
export function brokerVenue<S extends z.ZodRawShape>(own: z.ZodObject<S, z.core.$strict>) {
  return own.extend(brokerCommon);
}

/** Venue types that trade for real. */
export const LIVE_VENUE_TYPES: readonly string[] = ['ccxt', 'alpaca', 'ibkr', 'trading212', 'mt5'];

export const VENUE_TYPES = ['sim', 'ccxt', 'alpaca', 'ibkr', 'trading212', 'mt5'] as const;

/** Alpaca, US equities (src/venues/alpaca). */
export const alpacaNodeVenueSchema = brokerVenue(alpacaVenueConfigSchema);

/** Interactive Brokers through TWS or IB Gateway (src/venues/ibkr). */
export const ibkrNodeVenueSchema = brokerVenue(IbkrVenueConfigSchema);

/** Trading 212 through its public API v0 (src/venues/trading212). */
export const trading212NodeVenueSchema = brokerVenue(trading212VenueSchema);

/** MetaTrader 5 through the DWX ZeroMQ bridge (src/venues/mt5). */
export const mt5VenueSchema = brokerVenue(Mt5VenueConfigSchema);

/**
 * A venue by its `type`. Adding a venue type is adding its strict object here (credentials as
 * `${ENV}` references in fields named like apiKey/secret, which the loader collects as secrets).
 */
export const venueSchema = z.discriminatedUnion('type', [simVenueSchema, ccxtVenueSchema, alpacaNodeVenueSchema, ibkrNodeVenueSchema, trading212NodeVenueSchema, mt5VenueSchema], {
  error: (iss) => (iss.code === 'invalid_union' ? `must be a venue type: ${VENUE_TYPES.join(', ')}` : undefined),
});

export type SimVenueConfig = z.infer<typeof simVenueSchema>;
export type CcxtVenueConfig = z.infer<typeof ccxtVenueSchema>;
export type AlpacaNodeVenueConfig = z.infer<typeof alpacaNodeVenueSchema>;
export type IbkrNodeVenueConfig = z.infer<typeof ibkrNodeVenueSchema>;
export type Trading212NodeVenueConfig = z.infer<typeof trading212NodeVenueSchema>;
export type Mt5NodeVenueConfig = z.infer<typeof mt5VenueSchema>;
export type VenueConfig = z.infer<typeof venueSchema>;
