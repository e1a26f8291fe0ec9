import { z } from 'zod';

/**
 * An Interactive Brokers venue: Warden talks to a running TWS or IB Gateway over its socket API
 * (the login and two-factor happen there, so no credential lives in this config).
 */
export const IbkrVenueConfigSchema = z.strictObject({
  type: z.literal('ibkr'),
  /** Where TWS / IB Gateway listens (loopback unless it is configured to trust this host). */
  host: z.string().min(1).default('127.0.0.1'),
  /** TWS: 7497 paper, 7496 live; IB Gateway: 4002 paper, 4001 live. */
  port: z.number().int().min(1).max(65_535).default(7497),
  /** The API client id: orders are owned by it, and seen again after a restart only under the same id. */
  client_id: z.number().int().min(0).max(2_147_483_647).default(1),
  /** The IB account code (DU… paper, U… live); default the first account TWS manages. */
  account: z.string().min(1).optional(),
  /** Where orders route and contracts are looked up. */
  exchange: z.string().min(1).default('SMART'),
  /** Currency of the contracts looked up by symbol. */
  currency: z.string().length(3).default('USD'),
  /** Orders may also work outside regular trading hours (an order tagged `ibkr:outside_rth` may too). */
  outside_rth: z.boolean().default(false),
  /** How long the handshake (to nextValidId) may take. */
  connect_timeout_ms: z.number().int().positive().default(10_000),
  /** How long an order call waits for TWS's first word on it before it is ambiguous (VENUE_TIMEOUT). */
  ack_timeout_ms: z.number().int().positive().default(5_000),
  /** How long a read (open orders, executions, positions, contract details) may take. */
  query_timeout_ms: z.number().int().positive().default(10_000),
  /** How long a fill waits for its commission report before it is told without one. */
  commission_wait_ms: z.number().int().nonnegative().default(2_000),
  /** Reconnect backoff after the socket drops: doubling from base to max. */
  reconnect_base_ms: z.number().int().positive().default(500),
  reconnect_max_ms: z.number().int().positive().default(30_000),
});

export type IbkrVenueConfig = z.infer<typeof IbkrVenueConfigSchema>;
