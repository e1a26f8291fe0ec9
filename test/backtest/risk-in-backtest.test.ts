import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { runBacktest } from '../../src/backtest/runner.ts';
import type { Strategy } from '../../src/backtest/strategy.ts';
import { runBacktestCli } from '../../src/cli/backtest.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { loadRiskConfig } from '../../src/risk/config/load.ts';

const FILE = new URL('../../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url).pathname;
const ID = 'BTCUSDT.BINANCEUS';
const TEN_MINUTES = 600_000;

/** A volatility breaker that halts the firm on a 6-sigma bar and resets by itself 10 minutes later. */
function riskFile(webhookUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-risk-'));
  const file = join(dir, 'risk.yaml');
  writeFileSync(
    file,
    ['version: 1', 'limits:', '  default:', '    max_order_quantity: "100"', '    max_order_notional: "10000000"', '    max_position_quantity: "1000"', '    max_position_notional: "100000000"', 'breakers:', '  volatility:', '    lookback_bars: 30', '    max_return_sigma: 6', '    scope: FIRM', '    auto_reset_after_minutes: 10', 'alerts:', `  webhook_url: "${webhookUrl}"`, ''].join('\n'),
  );
  return file;
}

/** Every 5th bar: buy 0.01 when flat, else sell what it holds; counts the denials its submits get back. */
function everyFifthBar(): Strategy & { denials: number; submits: number } {
  let bars = 0;
  const s = {
    name: 'every-fifth',
    denials: 0,
    submits: 0,
    async onBar(_bar: unknown, ctx: Parameters<Strategy['onBar']>[1]): Promise<void> {
      if (++bars % 5 !== 0 || ctx.hasOpenOrders(ID)) return;
      const held = ctx.netQuantity(ID);
      const r = await ctx.market(ID, held > 0 ? 'SELL' : 'BUY', held > 0 ? String(held) : '0.01');
      s.submits++;
      s.denials += r.denied.length;
    },
  };
  return s;
}

describe('risk control in a backtest', () => {
  let server: Server;
  const posts: string[] = [];
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posts.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('resets a breaker with auto_reset_after_minutes 10 on the simulated clock, and keeps trading after', async () => {
    const strategy = everyFifthBar();
    const r = await runBacktest({
      sources: [{ instrument: instrumentSpecFor(ID, { feeBps: '10' }), bars: readCsvBars(FILE, { instrumentId: instrumentId(ID) }) }],
      strategy,
      cash: '100000',
      to: Date.parse('2023-03-02T00:00:00Z'),
      risk: loadRiskConfig(riskFile(url)),
      keepBars: false,
    });
    const trips = r.breakerLog.filter((b) => b.kind === 'TRIPPED');
    const resets = r.breakerLog.filter((b) => b.kind === 'RESET');
    expect(trips.length).toBeGreaterThanOrEqual(2); // it trips again, so it was reset in between
    expect(r.breakerTrips).toBe(trips.length);
    expect(r.breakerResets).toBe(resets.length);
    expect(resets.length).toBeGreaterThanOrEqual(trips.length - 1);
    // Each reset comes 10 simulated minutes after its trip (the next bar close at or after it), by itself.
    for (let i = 0; i < resets.length; i++) {
      expect(resets[i]!.breaker).toBe('volatility');
      expect(resets[i]).toMatchObject({ scope: 'FIRM', source: 'AUTO' });
      expect(resets[i]!.time - trips[i]!.time).toBe(TEN_MINUTES);
    }
    // Orders went through after the first reset: the run did not halt for good.
    expect(r.fills.some((f) => f.time > resets[0]!.time)).toBe(true);
    // The denials the strategy was told of are the ones counted, by code.
    expect(strategy.denials).toBeGreaterThan(0);
    expect(strategy.denials).toBeLessThan(strategy.submits);
    expect(r.denied).toBe(strategy.denials);
    expect(r.deniedByCode).toEqual({ TRADING_HALTED: strategy.denials });
  });

  it('prints every trip and reset and the denials by code, and writes them to summary.json and report.html', async () => {
    const out = mkdtempSync(join(tmpdir(), 'warden-bt-risk-'));
    const lines: string[] = [];
    const s = await runBacktestCli(
      { data: [FILE], strategy: 'sma-cross', param: ['fast=5', 'slow=20'], cash: '100000', feeBps: '10', seed: '1', to: '2023-03-02', risk: riskFile(url), out },
      (l) => lines.push(l),
    );
    expect(s.breakerTrips).toBeGreaterThanOrEqual(2);
    expect(s.breakerResets).toBeGreaterThanOrEqual(1);
    expect(s.breakers).toHaveLength(s.breakerTrips + s.breakerResets);
    expect(lines).toContain(`  breaker trips      ${s.breakerTrips}, ${s.breakerResets} reset${s.breakerResets === 1 ? '' : 's'}`);
    const tripLines = lines.filter((l) => / {2}TRIPPED {2}volatility on FIRM: [\d.]+ ≥ 6 \(auto reset at 2023-03-01T/.test(l));
    const resetLines = lines.filter((l) => / {2}RESET {4}volatility on FIRM \(automatic\)$/.test(l));
    expect([tripLines.length, resetLines.length]).toEqual([s.breakerTrips, s.breakerResets]);
    const denied = Object.values(s.deniedByCode).reduce((a, b) => a + b, 0);
    expect(denied).toBe(s.deniedOrders);
    expect(s.deniedOrders).toBeGreaterThan(0); // sma-cross signals while the firm is halted
    expect(lines).toContain(`  denied orders      ${s.deniedOrders} (TRADING_HALTED × ${s.deniedByCode.TRADING_HALTED ?? 0})`);
    const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { breakers: { kind: string; time: string }[] };
    expect(json.breakers.map((b) => b.kind)).toEqual(s.breakers.map((b) => b.kind));
    expect(json.breakers[0]!.time).toMatch(/^2023-03-01T\d\d:\d\d:00\.000Z$/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`Circuit breakers: ${s.breakerTrips} trips, ${s.breakerResets} resets`);
    expect(html).toContain('RESET    volatility on FIRM (automatic)');
  });

  it('posts nothing to the risk file\'s webhook unless asked (--webhooks), and every trip and reset when asked', async () => {
    const base = { data: [FILE], strategy: 'sma-cross', param: ['fast=5', 'slow=20'], cash: '100000', feeBps: '10', seed: '1', to: '2023-03-01T06:00', json: true };
    posts.length = 0;
    const quiet = await runBacktestCli({ ...base, risk: riskFile(url), out: mkdtempSync(join(tmpdir(), 'warden-wh-')) }, () => undefined);
    expect(quiet.breakerTrips).toBeGreaterThan(0);
    expect(posts).toEqual([]);
    const loud = await runBacktestCli({ ...base, risk: riskFile(url), webhooks: true, out: mkdtempSync(join(tmpdir(), 'warden-wh-')) }, () => undefined);
    expect(loud.breakerTrips).toBe(quiet.breakerTrips);
    const codes = posts.map((p) => (JSON.parse(p) as { code: string }).code);
    expect(codes.filter((c) => c === 'BREAKER_TRIPPED')).toHaveLength(loud.breakerTrips);
    expect(codes.filter((c) => c === 'BREAKER_RESET')).toHaveLength(loud.breakerResets);
  });
});
