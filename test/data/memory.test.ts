import { createWriteStream, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { readBinanceKlines } from '../../src/data/binance.ts';
import { instrumentId } from '../../src/model/identifiers.ts';

// A real collection before each heap reading, so what is measured is what is retained.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const id = instrumentId('GEN.TEST');
const dir = mkdtempSync(join(tmpdir(), 'warden-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function write(file: string, rows: number, head: string, row: (i: number) => string, tail: string): Promise<void> {
  const out = createWriteStream(file);
  out.write(head);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    buf += row(i);
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf + tail);
  await once(out, 'finish');
}

/** Reads to the end; returns the count and the largest retained-heap growth seen (after gc, every 50,000 items). */
async function measure(items: AsyncIterable<unknown>): Promise<{ count: number; growth: number }> {
  gc();
  const base = process.memoryUsage().heapUsed;
  let count = 0, growth = 0;
  for await (const _ of items) {
    if (++count % 50_000 === 0) {
      gc();
      growth = Math.max(growth, process.memoryUsage().heapUsed - base);
    }
  }
  return { count, growth };
}

const T0 = Date.parse('2000-01-01T00:00:00Z');
const MB = 1 << 20;

describe('streaming: memory stays flat', () => {
  it('a generated 1,000,000-row CSV (~43 MB) is read with under 16 MB of retained heap growth (buffering the bars would take hundreds)', async () => {
    const file = join(dir, 'big.csv');
    await write(file, 1_000_000, 'time,open,high,low,close,volume\n', (i) => `${(T0 + i * 60_000) / 1000},100.25,101.5,99.75,100.5,${i % 997}.125\n`, '');
    expect(statSync(file).size).toBeGreaterThan(40 * MB);
    const { count, growth } = await measure(readCsvBars(file, { instrumentId: id }));
    expect(count).toBe(1_000_000);
    expect(growth).toBeLessThan(16 * MB);
  });

  it('a generated 300,000-kline JSON array (one document, ~30 MB) is read with under 16 MB of retained heap growth', async () => {
    const file = join(dir, 'big.json');
    await write(file, 300_000, '[', (i) => `${i ? ',' : ''}[${T0 + i * 60_000},"100.25","101.5","99.75","100.5","${i % 997}.125",${T0 + i * 60_000 + 59_999},"0",1,"0","0","0"]`, ']');
    expect(statSync(file).size).toBeGreaterThan(25 * MB);
    const { count, growth } = await measure(readBinanceKlines(file, { instrumentId: id }));
    expect(count).toBe(300_000);
    expect(growth).toBeLessThan(16 * MB);
  });
});
