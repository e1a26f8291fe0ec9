/**
 * Kraken's own names for what it lists: asset ids with their X/Z prefixes (`XXBT`, `ZUSD`), pair
 * ids (`XXBTZUSD`) with their altname (`XBTUSD`), the v1 wsname (`XBT/USD`) and the v2 WebSocket
 * symbol (`BTC/USD`), as AssetPairs, Assets and the v2 channels spell them.
 */
import type { FakeMarketSpec } from '../fake-venue/matching.ts';

export interface KrakenAssetSpec {
  /** Kraken's asset id (`XXBT`, `ZUSD`, `SOL`). */
  readonly id: string;
  /** Its altname (`XBT`, `USD`). */
  readonly altname: string;
  /** The v2 WebSocket name (`BTC`, `USD`). */
  readonly wsName: string;
  readonly decimals: number;
  readonly displayDecimals: number;
}

export interface KrakenPairSpec {
  readonly id: string;
  readonly altname: string;
  readonly wsname: string;
  /** v2 WebSocket symbol. */
  readonly wsV2: string;
  readonly base: KrakenAssetSpec;
  readonly quote: KrakenAssetSpec;
  readonly pairDecimals: number;
  readonly lotDecimals: number;
  readonly costDecimals: number;
  readonly ordermin: string;
  readonly costmin: string;
  readonly tickSize: string;
  /** First-tier fees in percent, as AssetPairs lists them (`0.26`). */
  readonly takerFeePct: string;
  readonly makerFeePct: string;
  readonly status: 'online' | 'cancel_only' | 'post_only' | 'limit_only' | 'reduce_only';
}

export const XXBT: KrakenAssetSpec = { id: 'XXBT', altname: 'XBT', wsName: 'BTC', decimals: 10, displayDecimals: 5 };
export const XETH: KrakenAssetSpec = { id: 'XETH', altname: 'ETH', wsName: 'ETH', decimals: 10, displayDecimals: 5 };
export const ZUSD: KrakenAssetSpec = { id: 'ZUSD', altname: 'USD', wsName: 'USD', decimals: 4, displayDecimals: 2 };

/** Kraken's XBT/USD and ETH/USD as AssetPairs described them in 2025 (fees: the first tier). */
export const DEFAULT_PAIRS: readonly KrakenPairSpec[] = [
  {
    id: 'XXBTZUSD', altname: 'XBTUSD', wsname: 'XBT/USD', wsV2: 'BTC/USD', base: XXBT, quote: ZUSD,
    pairDecimals: 1, lotDecimals: 8, costDecimals: 5, ordermin: '0.00005', costmin: '0.5', tickSize: '0.1',
    takerFeePct: '0.26', makerFeePct: '0.16', status: 'online',
  },
  {
    id: 'XETHZUSD', altname: 'ETHUSD', wsname: 'ETH/USD', wsV2: 'ETH/USD', base: XETH, quote: ZUSD,
    pairDecimals: 2, lotDecimals: 8, costDecimals: 5, ordermin: '0.002', costmin: '0.5', tickSize: '0.01',
    takerFeePct: '0.26', makerFeePct: '0.16', status: 'online',
  },
];

/** The matching core's view of a pair: grid and fees as fractions. */
export function matchingSpec(p: KrakenPairSpec): FakeMarketSpec {
  return {
    symbol: p.id,
    base: p.base.id,
    quote: p.quote.id,
    tickSize: p.tickSize,
    lotSize: `0.${'0'.repeat(p.lotDecimals - 1)}1`,
    minQty: p.ordermin,
    minNotional: p.costmin,
    makerFee: pctToFraction(p.makerFeePct),
    takerFee: pctToFraction(p.takerFeePct),
  };
}

function pctToFraction(pct: string): string {
  return (Number(pct) / 100).toFixed(6);
}

/** Looks pairs up by any of Kraken's names for them (id, altname, wsname, v2 symbol). */
export class PairDirectory {
  private readonly byName = new Map<string, KrakenPairSpec>();
  readonly assets: KrakenAssetSpec[] = [];

  constructor(readonly pairs: readonly KrakenPairSpec[]) {
    for (const p of pairs) {
      for (const n of [p.id, p.altname, p.wsname, p.wsV2]) this.byName.set(n, p);
      for (const a of [p.base, p.quote]) if (!this.assets.some((x) => x.id === a.id)) this.assets.push(a);
    }
  }

  find(name: string): KrakenPairSpec | undefined {
    return this.byName.get(name);
  }

  asset(id: string): KrakenAssetSpec | undefined {
    return this.assets.find((a) => a.id === id);
  }
}
