// The README's market data example; test/readme-example.test.ts runs it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instrumentId } from 'warden';
import { readCsvBars, resampleBars } from 'warden/data';

export async function marketData(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-'));
  const file = join(dir, 'BTCUSDT-1m.csv');
  writeFileSync(file, [
    'time,open,high,low,close,volume',
    '2024-01-01T00:00:00Z,100,102,99,101,5',
    '2024-01-01T00:01:00Z,101,104,100,103,7',
    '2024-01-01T00:02:00Z,103,103,97,98,4',
    '2024-01-01T00:03:00Z,98,99,96,99,6',
  ].join('\n'));
  try {
    // Bars stream from the file (plain or gzip) with prices as exact decimal text.
    const minutes = readCsvBars(file, { instrumentId: instrumentId('BTCUSDT.SIM') });
    const lines: string[] = [];
    for await (const b of resampleBars(minutes, 2 * 60_000)) lines.push(`${new Date(b.ts).toISOString()} O ${b.open} H ${b.high} L ${b.low} C ${b.close} V ${b.volume}`);
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
