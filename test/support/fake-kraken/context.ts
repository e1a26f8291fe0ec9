/** What the fake Kraken's routes and streams share, and the error they throw to answer in Kraken's envelope. */
import { randomBytes } from 'node:crypto';
import type { FakeMatching } from '../fake-venue/matching.ts';
import type { KrakenFaults } from './faults.ts';
import type { OrderRegistry } from './orders.ts';
import type { KrakenPairSpec, PairDirectory } from './pairs.ts';
import type { MarketTape } from './tape.ts';

/** A refusal, answered as `{"error":["<error>"],"result":{}}` like Kraken does (HTTP 200). */
export class KrakenError extends Error {
  constructor(readonly error: string) {
    super(error);
    this.name = 'KrakenError';
  }
}

/** WebSocket tokens from GetWebSocketsToken: valid for `expires` seconds, for the key's account. */
export class TokenStore {
  private readonly tokens = new Map<string, { account: string; expiresAt: number }>();

  constructor(private readonly ttlSec: number) {}

  issue(account: string, now: number): { token: string; expires: number } {
    const token = randomBytes(32).toString('base64');
    this.tokens.set(token, { account, expiresAt: now + this.ttlSec * 1000 });
    return { token, expires: this.ttlSec };
  }

  account(token: string | undefined, now: number): string | undefined {
    const t = token === undefined ? undefined : this.tokens.get(token);
    return t && t.expiresAt > now ? t.account : undefined;
  }
}

export interface KrakenContext {
  readonly pairs: PairDirectory;
  readonly matching: FakeMatching;
  readonly tape: MarketTape;
  readonly orders: OrderRegistry;
  readonly faults: KrakenFaults;
  readonly tokens: TokenStore;
  /** The matching account behind the API key. */
  readonly account: string;
  /** Size shown at the quoted top of book (the matching core quotes prices only). */
  readonly bookQty: string;
  now(): number;
  /** Timers the server must clear on close (GTD expiries). */
  readonly timers: Set<NodeJS.Timeout>;
}

export function pairOrThrow(ctx: KrakenContext, name: string | undefined): KrakenPairSpec {
  const p = name === undefined ? undefined : ctx.pairs.find(name);
  if (!p) throw new KrakenError('EQuery:Unknown asset pair');
  return p;
}
