import type { BinanceSocket } from './sockets.ts';
import type { BinanceVenue } from './venue.ts';
export class FuturesUserStream {
  constructor(private readonly venue: BinanceVenue) {}
  claims(url: URL): boolean { void url; void this.venue; return false; }
  attach(s: BinanceSocket, url: URL): void { void s; void url; }
  liveKeys(): string[] { return []; }
  expire(key: string): void { void key; }
  close(): void {}
}
