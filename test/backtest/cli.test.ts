import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bpsToRate, parseDataArg } from '../../src/backtest/instruments.ts';
import { TRADE_COLUMNS } from '../../src/backtest/report.ts';
import { runBacktestCli } from '../../src/cli/backtest.ts';

const FILE = new URL('../../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url).pathname;
const KEYS = ['trades', 'finalEquity', 'totalReturn', 'cagr', 'sharpe', 'sortino', 'calmar', 'maxDrawdown', 'winRate', 'profitFactor', 'feesPaid', 'breakerTrips'];

describe('warden backtest', () => {
  it('with --json prints summary.json only, and writes the four report files', async () => {
    const out = mkdtempSync(join(tmpdir(), 'warden-bt-'));
    const lines: string[] = [];
    await runBacktestCli(
      { data: [FILE], strategy: 'sma-cross', param: ['fast=5', 'slow=20'], cash: '50000', feeBps: '7.5', seed: '1', to: '2023-03-02', out, json: true },
      (l) => lines.push(l),
    );
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const k of KEYS) expect(printed, k).toHaveProperty(k);
    expect(printed.params).toEqual({ fast: 5, slow: 20, fraction: 0.95 });
    expect(printed.instruments).toEqual(['BTCUSDT.BINANCEUS']);
    expect(typeof printed.finalEquity).toBe('string'); // exact money from the ledger
    expect(typeof printed.sharpe).toBe('number');
    for (const f of ['report.html', 'trades.csv', 'equity.csv', 'summary.json']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toEqual(printed);
    const csv = readFileSync(join(out, 'trades.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(TRADE_COLUMNS.join(','));
    expect(csv.length - 1).toBe(printed.trades);
    expect(csv[1]).toMatch(/^BTCUSDT\.BINANCEUS,LONG,2023-03-01T\d\d:\d\d:00\.000Z,\d+\.\d\d,2023-03-0[12]T/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('TradingView Lightweight Charts');
    expect(html).toContain('@license');
    expect(html).not.toMatch(/<script[^>]+src=/); // self-contained
  });

  it('names the instrument from the file name or @SYMBOL.VENUE, and turns bps into exact rates', () => {
    expect(parseDataArg('../x/binanceus-BTCUSDT-1m-2023-03-01_21.csv')).toEqual({ file: '../x/binanceus-BTCUSDT-1m-2023-03-01_21.csv', instrumentId: 'BTCUSDT.BINANCEUS' });
    expect(parseDataArg('bars.csv@ethusdt.binance')).toEqual({ file: 'bars.csv', instrumentId: 'ETHUSDT.BINANCE' });
    expect(() => parseDataArg('bars.csv')).toThrow(/SYMBOL\.VENUE/);
    expect(bpsToRate('10')).toBe('0.0010');
    expect(bpsToRate('7.5')).toBe('0.00075');
  });

  it('refuses an unknown strategy or parameter with a typed error', async () => {
    const base = { data: [FILE], param: [], cash: '1000', feeBps: '10', seed: '1', out: tmpdir(), json: true };
    await expect(runBacktestCli({ ...base, strategy: 'nope' })).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    await expect(runBacktestCli({ ...base, strategy: 'sma-cross', param: ['fast=30', 'slow=10'] })).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    await expect(runBacktestCli({ ...base, strategy: 'sma-cross', param: ['speed=3'] })).rejects.toMatchObject({ code: 'INVALID_FIELD' });
  });
});
