import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MARKET = (name: string): string => new URL(`../../../shared/data/market/${name}`, import.meta.url).pathname;
export const BTCUSDT = MARKET('binanceus-BTCUSDT-1m-2023-03-01_21.csv');
export const BTCUSD = MARKET('binanceus-BTCUSD-1m-2023-03-01_21.csv');
export const BTCUSDC = MARKET('binanceus-BTCUSDC-1m-2023-03-01_21.csv');
export const NVDA = MARKET('yahoo-NVDA-1d-1999_2014.csv');
export const ORCL = MARKET('yahoo-ORCL-1d-1995_2014.csv');
export const XRPETH_TRADES = MARKET('binance-XRP_ETH-trades.json.gz');

export function tmpFile(name: string, content: string | Buffer): string {
  const f = join(mkdtempSync(join(tmpdir(), 'warden-data-')), name);
  writeFileSync(f, content);
  return f;
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Reads a generator to the end: its items and its return value. */
export async function drain<T, R>(gen: AsyncGenerator<T, R>): Promise<{ items: T[]; result: R }> {
  const items: T[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { items, result: r.value };
    items.push(r.value);
  }
}

/** The items as an async stream; `closed.n` counts how often it was closed (ended or returned). */
export async function* from<T>(items: readonly T[], closed?: { n: number }): AsyncGenerator<T> {
  try {
    for (const x of items) yield await Promise.resolve(x);
  } finally {
    if (closed) closed.n++;
  }
}
