import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backtest } from '../examples/backtest.ts';
import { marketData } from '../examples/data.ts';
import { durableJournal } from '../examples/journal.ts';
import { quickstart } from '../examples/quickstart.ts';
import { risk } from '../examples/risk.ts';
import { simulatedExchange } from '../examples/sim.ts';
import { testing } from '../examples/testing.ts';
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

  // One example per entry point, each importing through the package's own name ('warden/...').
  it.each([
    ['backtest', 'warden/backtest', backtest, ['bars 6', 'final equity 1007.00000000', 'open 1.000']],
    ['sim', 'warden/sim', simulatedExchange, ['L-1 ACCEPTED then FILLED at 39900']],
    ['journal', 'warden/journal', durableJournal, ['records 6', 'J-1 FILLED', 'position 1.000']],
    ['risk', 'warden/risk', risk, ['R-1 FILLED', 'R-2 DENIED MAX_ORDER_QUANTITY_EXCEEDED', 'R-3 KILL_SWITCH_ENGAGED']],
    [
      'data',
      'warden/data',
      marketData,
      ['2024-01-01T00:00:00.000Z O 100 H 104 L 99 C 103 V 12', '2024-01-01T00:02:00.000Z O 103 H 103 L 96 C 99 V 10'],
    ],
    ['testing', 'warden/testing', testing, ['T-1 PARTIALLY_FILLED then FILLED', 'alerts OVERFILL']],
  ] as const)('the %s example imports %s, runs and prints what the README says', async (_name, entry, run, lines) => {
    const example = readFileSync(new URL(`../examples/${_name}.ts`, import.meta.url), 'utf8');
    expect(example).toContain(`from '${entry}';`);
    expect(await run()).toEqual(lines);
  });

  it.each(['quickstart', 'backtest', 'sim', 'journal', 'risk', 'data', 'testing'])('shows examples/%s.ts verbatim, imports included', (name) => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL(`../examples/${name}.ts`, import.meta.url), 'utf8');
    const body = example.slice(example.indexOf('\n') + 1).trimEnd();
    expect(readme).toContain('```ts\n' + body + '\n```');
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
