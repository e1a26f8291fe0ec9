import { amount } from '../../../src/cluster/budget/ledger.ts';

/** A decimal as the ledger's exact amount. */
export const amountOf = (text: string): bigint => amount(text, 'test');

/** A seeded uniform [0, 1) source: the CAS backoff jitter, reproducible per case. */
export { mulberry32 as seeded } from '../../../src/risk/analytics/random.ts';
