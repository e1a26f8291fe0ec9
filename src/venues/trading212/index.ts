import type { BrokerDeps, BrokerVenue } from '../broker/contract.ts';
import { T212Client } from './client.ts';
import { trading212VenueSchema, TRADING212_BASE_URLS, type Trading212VenueConfig } from './config.ts';
import { DOCUMENTED_LIMITS, type RateLimit, type T212Endpoint } from './rate-limits.ts';
import { Trading212Venue } from './venue.ts';

export { trading212VenueSchema, type Trading212VenueConfig } from './config.ts';
export { Trading212Venue } from './venue.ts';

/**
 * Trading 212 as a Warden broker venue. `limits` replaces the documented rate limits (tests run a
 * fake whose periods are short; a live node never passes it).
 */
export function createTrading212Venue(config: Trading212VenueConfig, deps: BrokerDeps, limits: Readonly<Record<T212Endpoint, RateLimit>> = DOCUMENTED_LIMITS): BrokerVenue {
  const c = trading212VenueSchema.parse(config);
  const client = new T212Client({
    baseUrl: c.base_url ?? TRADING212_BASE_URLS[c.environment],
    apiKey: c.api_key,
    secret: c.secret,
    clock: deps.clock,
    timer: deps.timer,
    limits,
    guardMs: c.rate_guard_ms,
    timeoutMs: c.request_timeout_ms,
    maxQueueMs: c.max_queue_ms,
  });
  return new Trading212Venue({
    id: deps.name,
    accountId: deps.accountId,
    client,
    clock: deps.clock,
    timer: deps.timer,
    pollIntervalMs: c.poll_interval_ms,
    downAfterFailures: c.down_after_failures,
    grid: { tickSize: c.tick_size, quantityStep: c.quantity_step },
    onAlert: deps.onAlert,
  });
}
