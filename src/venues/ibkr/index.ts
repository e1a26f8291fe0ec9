import type { BrokerDeps, BrokerVenue } from '../broker/contract.ts';
import type { IbkrVenueConfig } from './config.ts';
import { IbkrVenue } from './ibkr-venue.ts';

export { IbkrVenueConfigSchema, type IbkrVenueConfig } from './config.ts';
export { IbkrVenue } from './ibkr-venue.ts';

/** Interactive Brokers through a running TWS or IB Gateway (config: src/venues/ibkr/config.ts). */
export function createIbkrVenue(config: IbkrVenueConfig, deps: BrokerDeps): BrokerVenue {
  return new IbkrVenue(config, deps);
}
