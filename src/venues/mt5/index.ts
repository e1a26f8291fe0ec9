import type { BrokerDeps, BrokerVenue } from '../broker/contract.ts';
import type { Mt5VenueConfig } from './config.ts';
import { Mt5Venue } from './mt5-venue.ts';

export { Mt5VenueConfigSchema, type Mt5VenueConfig } from './config.ts';

/** MetaTrader 5 through the DWX ZeroMQ bridge expert advisor (see mt5-venue.ts). */
export function createMt5Venue(config: Mt5VenueConfig, deps: BrokerDeps): BrokerVenue {
  return new Mt5Venue(config, deps);
}
