import type { Route } from './http.ts';
import type { BinanceVenue } from './venue.ts';
import type { FuturesUserStream } from './ws-user-futures.ts';
export function futuresRoutes(venue: BinanceVenue, user: FuturesUserStream): Map<string, Route> {
  void venue; void user;
  return new Map();
}
