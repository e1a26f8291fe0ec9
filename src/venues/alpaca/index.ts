import type { BrokerDeps, BrokerVenue } from '../broker/contract.ts';
import { AlpacaVenue } from './alpaca-venue.ts';
import { alpacaUrls, alpacaVenueConfigSchema, type AlpacaVenueConfig } from './config.ts';

export { alpacaVenueConfigSchema, type AlpacaVenueConfig } from './config.ts';
export { ALPACA_CAPABILITIES, AlpacaVenue } from './alpaca-venue.ts';

/** Alpaca (US equities) as a broker venue, paper or live, through @alpacahq/alpaca-trade-api. */
export function createAlpacaVenue(config: AlpacaVenueConfig, deps: BrokerDeps): BrokerVenue {
  const c = alpacaVenueConfigSchema.parse(config);
  return new AlpacaVenue(
    {
      keyId: c.api_key,
      secret: c.secret,
      urls: alpacaUrls(c),
      timeoutMs: c.timeout_ms,
      reconnectBaseMs: c.reconnect_base_ms,
      reconnectMaxMs: c.reconnect_max_ms,
    },
    deps,
  );
}
