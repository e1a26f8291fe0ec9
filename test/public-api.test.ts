import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entryPoints, NAMES_FILE, publicNames } from '../scripts/public-api.ts';

/** Engine internals that were exported by the old barrel and must stay importable by path only. */
const INTERNAL = [
  'EngineState',
  'EngineStateOptions',
  'settleSubmit',
  'settleModify',
  'settleCancel',
  'modifyApplied',
  'holdSpec',
  'observeHeld',
  'releaseOf',
  'checkSequence',
  'decideFailure',
  'backoffDelay',
  'ContingencyManager',
  'ChildLedger',
  'planTwap',
  'planVwap',
  'decideScheduled',
  'decideIceberg',
  'RiskState',
  'reconcileOrder',
  'reportsForVenueStatus',
  'initialTrailing',
  'trailingTrigger',
  'newOuoGroup',
  'asError',
  'shown',
  'assertNever',
  'parseDecimal',
  'formatRaw',
  'roundRaw',
  'OrderBook',
];

describe('public API', () => {
  const committed = JSON.parse(readFileSync(NAMES_FILE, 'utf8')) as Record<string, string[]>;
  const actual = publicNames();

  it('has eight entry points: warden, warden/backtest, strategy, risk, sim, journal, data and testing', () => {
    expect(Object.keys(entryPoints())).toEqual(['warden', 'warden/backtest', 'warden/strategy', 'warden/risk', 'warden/sim', 'warden/journal', 'warden/data', 'warden/testing']);
  });

  it('exports exactly the committed names from each entry point (npm run api:names after a deliberate change)', () => {
    expect(actual).toEqual(committed);
  });

  it('exports no engine internal from any entry point', () => {
    const all = new Set(Object.values(actual).flat());
    expect(INTERNAL.filter((n) => all.has(n))).toEqual([]);
  });

  it('exports each name from one entry point only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [entry, names] of Object.entries(actual)) {
      for (const n of names) {
        const first = seen.get(n);
        if (first !== undefined) twice.push(`${n} (${first}, ${entry})`);
        seen.set(n, entry);
      }
    }
    expect(twice).toEqual([]);
  });

  it('loads every entry point through the package name, its runtime values all on the list', async () => {
    const loaded = {
      warden: await import('warden'),
      'warden/backtest': await import('warden/backtest'),
      'warden/strategy': await import('warden/strategy'),
      'warden/risk': await import('warden/risk'),
      'warden/sim': await import('warden/sim'),
      'warden/journal': await import('warden/journal'),
      'warden/data': await import('warden/data'),
      'warden/testing': await import('warden/testing'),
    };
    for (const [entry, module] of Object.entries(loaded)) {
      const values = Object.keys(module);
      expect(values.length, entry).toBeGreaterThan(3);
      expect(values.filter((v) => !committed[entry]!.includes(v) && !committed[entry]!.some((n) => n.startsWith(`${v}.`))), entry).toEqual([]);
    }
  });
});
