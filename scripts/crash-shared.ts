import { createHash } from 'node:crypto';
import type { EngineState } from '../src/engine/state.ts';
import { PostgresJournal } from '../src/journal/postgres.ts';
import { SqliteJournal } from '../src/journal/sqlite.ts';
import type { DurableJournal } from '../src/journal/types.ts';
import { Currencies } from '../src/model/currency.ts';

export const PG_URL = process.env.WARDEN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const INSTRUMENT = {
  id: 'BTCUSDT.BINANCE',
  kind: 'SPOT',
  base: Currencies.BTC,
  quote: Currencies.USDT,
  tickSize: '0.01',
  lotSize: '0.00001',
  takerFee: '0.001',
} as const;

/** SQLite: store is a file; PostgreSQL: a schema. A killed writer's session may take a moment to go: retried. */
export async function openJournal(kind: string, store: string): Promise<DurableJournal> {
  if (kind === 'sqlite') return SqliteJournal.open({ path: store });
  for (let attempt = 0; ; attempt++) {
    try {
      return await PostgresJournal.open({ connectionString: PG_URL, schema: store });
    } catch (e) {
      if (attempt >= 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A digest of the engine's whole observable state: orders, positions, balances, sequence. */
export function digest(s: EngineState, lastSeq: number): string {
  const state = {
    lastSeq,
    orders: [...s.orders.values()].map((o) => [o.clientOrderId, o.status, o.filledQty.toString(), o.venueOrderId ?? null]),
    positions: s.portfolio.allPositions().map((p) => [p.id, p.signedQtyRaw.toString(), p.costRaw.toString(), p.realizedRaw.toString()]),
    balances: s.portfolio.allAccounts().map((a) => [a.id, a.balances().map((b) => [b.currency.code, b.total.raw.toString(), b.locked.raw.toString()])]),
  };
  return createHash('sha256').update(JSON.stringify(state)).digest('hex').slice(0, 16);
}
