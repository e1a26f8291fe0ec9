import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { quickstart } from '../examples/quickstart.ts';
import { alertCodeTable, withAlertTable } from '../scripts/alert-codes.ts';
import { denialCodeTable, withDenialTable } from '../scripts/denial-codes.ts';
import { errorCodeTable, withTable } from '../scripts/error-codes.ts';

describe('README', () => {
  it('the library example runs and prints what the README says', async () => {
    expect(await quickstart()).toEqual([
      'order O-1 FILLED',
      'position LONG 0.50000 BTC',
      'USDT free 87937.95000000', // 100000 − 0.5 × 24100 − 0.1% fee (12.05)
      'refused OFF_TICK_GRID',
      'replayed position 0.50000',
    ]);
  });

  it('shows the example verbatim', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../examples/quickstart.ts', import.meta.url), 'utf8');
    const body = example.slice(example.indexOf('export async function'));
    expect(readme).toContain(body.split('\n').slice(0, 12).join('\n'));
  });

  it('has the error code table generated from the closed union', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(errorCodeTable());
    expect(withTable(readme)).toBe(readme);
  });

  it('has the pre-trade denial code table generated from the closed union, right after the error codes', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(denialCodeTable());
    expect(withDenialTable(readme)).toBe(readme);
    expect(readme.indexOf('## Risk: pre-trade denial codes')).toBeGreaterThan(readme.indexOf('<!-- error-codes:end -->'));
  });

  it('has the alert code table generated from the registry, right after the denial codes', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(alertCodeTable());
    expect(withAlertTable(readme)).toBe(readme);
    expect(readme.indexOf('## Alert codes')).toBeGreaterThan(readme.indexOf('<!-- denial-codes:end -->'));
  });

  it('quickstart is exactly npm ci, npm start, npm test', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/```sh\nnpm ci\nnpm start\nnpm test\n```/);
  });
});
