import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperPlan, type PaperCliOptions } from '../../src/cli/paper-config.ts';
import { runPaperCli } from '../../src/cli/paper.ts';
import { nodeConfigHash } from '../../src/node/journal.ts';
import { count, MARKET, replayJournal, tempDir } from '../node/support.ts';

const BTCUSDT = join(MARKET, 'binanceus-BTCUSDT-1m-2023-03-01_21.csv');
const BTCUSDC = join(MARKET, 'binanceus-BTCUSDC-1m-2023-03-01_21.csv');
const RISK = resolve(import.meta.dirname, '../../risk.example.yaml');

/** The flags as commander hands them over, with its defaults. */
function flags(o: Partial<PaperCliOptions>): PaperCliOptions {
  return { data: [], strategy: 'sma-cross', param: [], feeBps: '10', speed: '60', statusEvery: '1000', logLevel: 'silent', ...o };
}

describe('warden paper: the flags become a node config in memory', () => {
  it('two files (instrument from the file name and from @SYMBOL.VENUE), any strategy and --param, --risk, --tick/--lot, --fee-bps, --slippage, --cash, --speed max', () => {
    const dir = tempDir();
    const { config, maxSteps } = paperPlan(flags({
      data: [BTCUSDT, `${BTCUSDC}@BTCUSDC.BINANCEUS`], strategy: 'bollinger-reversion', param: ['period=30', 'k=2'], risk: RISK,
      tick: '0.1', lot: '0.001', feeBps: '5', slippage: 'fixed_bps:bps=3', cash: '5000', speed: 'max', bars: '300', journal: join(dir, 'j.sqlite'),
    }));
    expect(maxSteps).toBe(300);
    expect(config.node).toEqual({ id: 'paper', mode: 'paper', journal: { sqlite: join(dir, 'j.sqlite') }, snapshot_every: 10_000 });
    expect(Object.keys(config.venues)).toEqual(['BINANCEUS']);
    expect(config.venues.BINANCEUS).toMatchObject({ type: 'sim', cancel_on_stop: true, slippage: { model: 'fixed_bps', bps: 3 } });
    expect(config.accounts).toEqual([{ id: 'PAPER', type: 'CASH', venue: 'BINANCEUS', position_mode: 'NETTING', balances: { USDT: '5000', USDC: '5000' } }]);
    expect(config.instruments.map((i) => [i.id, 'tick_size' in i && i.tick_size, 'lot_size' in i && i.lot_size, 'taker_fee' in i && i.taker_fee])).toEqual([
      ['BTCUSDT.BINANCEUS', '0.1', '0.001', '0.0005'],
      ['BTCUSDC.BINANCEUS', '0.1', '0.001', '0.0005'],
    ]);
    expect(config.data.replay.map((r) => [r.file, r.instrumentId])).toEqual([[BTCUSDT, 'BTCUSDT.BINANCEUS'], [BTCUSDC, 'BTCUSDC.BINANCEUS']]);
    expect(config.data.speed).toBe('max');
    expect(config.strategies).toEqual([{ name: 'bollinger-reversion', id: 'bollinger-reversion', params: { period: '30', k: '2' }, instruments: ['BTCUSDT.BINANCEUS', 'BTCUSDC.BINANCEUS'], account: 'PAPER', venue: 'BINANCEUS' }]);
    expect(config.risk?.breakers.drawdown).toBeDefined();
  });

  it('instruments at two venues: a venue, an account and the strategy once per venue', () => {
    const { config } = paperPlan(flags({ data: [BTCUSDT, `${BTCUSDT}@BTCUSDT.KRAKEN`], speed: 'max' }));
    expect(Object.keys(config.venues)).toEqual(['BINANCEUS', 'KRAKEN']);
    expect(config.accounts.map((a) => [a.id, a.venue])).toEqual([['PAPER-BINANCEUS', 'BINANCEUS'], ['PAPER-KRAKEN', 'KRAKEN']]);
    expect(config.strategies.map((s) => [s.id, s.account, s.instruments])).toEqual([
      ['sma-cross-BINANCEUS', 'PAPER-BINANCEUS', ['BTCUSDT.BINANCEUS']],
      ['sma-cross-KRAKEN', 'PAPER-KRAKEN', ['BTCUSDT.KRAKEN']],
    ]);
  });
});

describe('warden paper runs the TradingNode in paper mode', () => {
  it('bollinger-reversion on two instruments with the full risk stack: fills printed, 300 steps of 600 bars, journaled; the same flags again resume from the journal', async () => {
    const dir = tempDir();
    const o = flags({ data: [BTCUSDT, BTCUSDC], strategy: 'bollinger-reversion', param: ['period=20', 'k=1'], risk: RISK, speed: 'max', bars: '300', journal: join(dir, 'j.sqlite'), statusEvery: '100000' });
    const first: string[] = [];
    await runPaperCli(o, (l) => first.push(l));
    expect(first[0]).toBe(`paper: ${BTCUSDT}, ${BTCUSDC} at max speed from 2023-03-01T00:00:00.000Z; strategies bollinger-reversion; Ctrl-C stops`);
    expect(first[1]).toBe(`journal: ${join(dir, 'j.sqlite')}`);
    expect(first).toContain('paper: 600 bars replayed (300 steps)');
    const fills = first.filter((l) => / (BUY|SELL) \S+ BTCUSD[TC]\.BINANCEUS @ /.test(l));
    expect(fills.length).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'j.sqlite'))).toBe(true);
    // Read as the node itself would open it (its config hash), so the second run is the same node.
    const after1 = await replayJournal(join(dir, 'j.sqlite'), nodeConfigHash(paperPlan(o).config));
    expect(count(after1.events, 'OrderFilled')).toBe(fills.length);

    const second: string[] = [];
    await runPaperCli(o, (l) => second.push(l));
    expect(second[0]).toMatch(/ \(resumed from the journal\); strategies bollinger-reversion; /);
    const after2 = await replayJournal(join(dir, 'j.sqlite'));
    expect(count(after2.events, 'InstrumentRegistered')).toBe(2);
    expect(count(after2.events, 'AccountOpened')).toBe(1);
    expect(after2.lastSeq).toBeGreaterThan(after1.lastSeq);
  }, 60_000);
});
