import { amount } from '../../../src/cluster/budget/ledger.ts';

/** A decimal as the ledger's exact amount. */
export const amountOf = (text: string): bigint => amount(text, 'test');

/** A seeded uniform [0, 1) source (mulberry32): the CAS backoff jitter, reproducible per case. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
