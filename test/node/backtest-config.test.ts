import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfigBacktestCli } from '../../src/cli/backtest-config.ts';
import { EXAMPLES } from './support.ts';

describe('warden backtest --config', () => {
  it('runs examples/warden.backtest.yaml: both strategies trade NVDA and ORCL over 9,048 daily bars, no order denied for missing limits, the four report files written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'warden-btcfg-'));
    const lines: string[] = [];
    const { summary, files } = await runConfigBacktestCli({ config: join(EXAMPLES, 'warden.backtest.yaml'), out }, (l) => lines.push(l));
    expect(summary.bars).toBe(9048);
    expect(summary.instruments).toEqual(['NVDA.YAHOO', 'ORCL.YAHOO']);
    expect(summary.trades).toBeGreaterThan(10);
    expect(summary.deniedByCode['NO_RISK_LIMITS_FOR_INSTRUMENT']).toBeUndefined();
    for (const f of [files.html, files.trades, files.equity, files.summary]) expect(existsSync(f)).toBe(true);
    const trades = readFileSync(files.trades, 'utf8').trim().split('\n');
    expect(trades.length - 1).toBe(summary.trades);
    expect(new Set(trades.slice(1).map((l) => l.split(',')[0]))).toEqual(new Set(['NVDA.YAHOO', 'ORCL.YAHOO']));
    // The console shows the same summary table as the flag-driven backtest, breakers included.
    expect(lines).toContain(`  trades             ${summary.trades}`);
    expect(lines).toContain('  annualisation      252 bars / year: daily bars, weekdays only');
    expect(lines.some((l) => l.startsWith('  denied orders      ') && l.includes('TRADING_HALTED'))).toBe(true);
  });
});
