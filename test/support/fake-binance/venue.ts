/**
 * The fake Binance's state every layer shares: the matching core (observed), the faults, the
 * credentials, the one account the key trades for, and the exchange's clock.
 */
import type { FakeMarketSpec } from '../fake-venue/matching.ts';
import { BinanceFaults } from './faults.ts';
import { ObservedMatching } from './market-data.ts';

export type BinanceMarketKind = 'spot' | 'usdm';

export interface VenueOptions {
  readonly kind: BinanceMarketKind;
  readonly markets: readonly FakeMarketSpec[];
  readonly balances: Readonly<Record<string, string>>;
  readonly apiKey: string;
  readonly secret: string;
  /** Size shown at the top of book (the matching core quotes prices only). */
  readonly bookQty: string;
  /** How long a futures listenKey lives without a keepalive (Binance: 60 minutes). */
  readonly listenKeyTtlMs: number;
}

export class BinanceVenue {
  readonly account = 'main';
  readonly faults = new BinanceFaults();
  readonly matching: ObservedMatching;
  /** Binance's own symbol status, changed by maintenance. */
  readonly halted = new Set<string>();
  /** The client id Binance gives a cancel request (executionReport `c` on CANCELED; `C` is the order's). */
  readonly cancelIds = new Map<number, string>();
  private nextCancelId = 1;

  constructor(readonly o: VenueOptions) {
    const clock = { now: () => this.now() };
    this.matching = new ObservedMatching({ markets: o.markets, clock }, () => this.now());
    this.matching.openAccount(this.account, o.balances);
  }

  get kind(): BinanceMarketKind {
    return this.o.kind;
  }

  /** The exchange's clock: wall time plus the test's skew. */
  now(): number {
    return Date.now() + this.faults.skewMs;
  }

  newCancelId(orderId: number, requested: string | undefined): string {
    const id = requested ?? `cancel${String(this.nextCancelId++).padStart(18, '0')}`;
    this.cancelIds.set(orderId, id);
    return id;
  }

  status(symbol: string): 'TRADING' | 'BREAK' {
    return this.faults.inMaintenance || this.halted.has(symbol) ? 'BREAK' : 'TRADING';
  }
}
