import { z } from 'zod';

/**
 * A Trading 212 account (Invest or Stocks ISA) through its public API v0. Credentials are the API
 * key id and secret the app issues (HTTP Basic, as the current docs say); `api_key` alone is the
 * legacy form (the key sent bare in `Authorization`), kept for keys issued before the secret.
 */
export const trading212VenueSchema = z.strictObject({
  type: z.literal('trading212'),
  /** demo: paper trading (https://demo.trading212.com/api/v0); live: real money. */
  environment: z.enum(['demo', 'live']).default('demo'),
  api_key: z.string().min(1),
  secret: z.string().min(1).optional(),
  /** Overrides the environment's URL (a local fake in tests); must end in /api/v0. */
  base_url: z.url().optional(),
  /** How often the pending orders are polled (ms); paced by the endpoint's limit whatever this says. */
  poll_interval_ms: z.number().int().min(50).default(5_000),
  /** Polls failing in a row before the venue is DOWN. */
  down_after_failures: z.number().int().min(1).default(3),
  /** Per-request timeout (ms): a submit that runs over it is ambiguous and resolved by a query. */
  request_timeout_ms: z.number().int().min(100).default(10_000),
  /** Longest an order call waits for its endpoint's rate-limit slot before it is refused unsent (VENUE_RATE_LIMITED). */
  max_queue_ms: z.number().int().min(0).default(2_500),
  /** Safety margin added to every rate-limit window (ms), for clock and network skew. */
  rate_guard_ms: z.number().int().min(0).default(250),
  /** Trading 212 publishes no tick or lot size: the grid Warden checks orders on (decimal text). */
  tick_size: z.string().regex(/^\d+(\.\d+)?$/).default('0.01'),
  quantity_step: z.string().regex(/^\d+(\.\d+)?$/).default('0.000001'),
});

export type Trading212VenueConfig = z.input<typeof trading212VenueSchema>;
export type Trading212Settings = z.output<typeof trading212VenueSchema>;

export const TRADING212_BASE_URLS = {
  demo: 'https://demo.trading212.com/api/v0',
  live: 'https://live.trading212.com/api/v0',
} as const;
