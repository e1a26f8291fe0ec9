/**
 * Compliance through the node config: a venue with `calendar: XNYS` denies orders outside the
 * session (here the early close of 2025-07-03 at 13:00 New York time) in a backtest node run from
 * its validated config; a bad calendar is a config error naming its path; `pdt` per account.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Strategy, StrategyFactory } from '../../../src/backtest/strategy.ts';
import type { EngineEvent } from '../../../src/engine/events.ts';
import { parseNodeConfig } from '../../../src/node/config/index.ts';
import { complianceOf } from '../../../src/node/compliance.ts';
import { TradingNode } from '../../../src/node/trading-node.ts';
import { tempDir } from '../../node/support.ts';

/** Ten one-minute AAPL bars from 2025-07-03 16:55 UTC (12:55 EDT, the early close day). */
function bars(dir: string): string {
  const t0 = Date.UTC(2025, 6, 3, 16, 55);
  const rows = Array.from({ length: 10 }, (_, i) => [new Date(t0 + i * 60_000).toISOString(), '200.00', '200.50', '199.50', '200.10', '1000'].join(','));
  const file = join(dir, 'aapl.csv');
  writeFileSync(file, ['time,open,high,low,close,volume', ...rows].join('\n'));
  return file;
}

function config(dir: string, venue: Record<string, unknown>, account: Record<string, unknown> = {}): string {
  return stringify({
    node: { id: 'hours', mode: 'backtest', journal: { memory: true } },
    venues: { SIM: { type: 'sim', ...venue } },
    accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'SIM', balances: { USD: '100000' }, ...account }],
    instruments: [{ id: 'AAPL.SIM', kind: 'EQUITY', quote: 'USD', tick_size: '0.01', lot_size: '1' }],
    data: { replay: [{ file: bars(dir), instrument: 'AAPL.SIM' }] },
    logging: { level: 'silent' },
  });
}

/** Buys 1 share at market on every bar. */
const buyer: Record<string, StrategyFactory> = {
  buyer: {
    name: 'buyer',
    description: 'test: buys at market on every bar',
    params: [],
    create: (): Strategy => ({
      name: 'buyer',
      async onBar(bar, ctx) {
        await ctx.submit({ instrumentId: bar.instrumentId, side: 'BUY', type: 'MARKET', quantity: '1' });
      },
    }),
  },
};

/** Minutes after midnight in New York, by toLocaleTimeString (an oracle apart from the code under test). */
const newYorkMinutes = (t: number): number => {
  const [h, m] = new Date(t).toLocaleTimeString('en-GB', { timeZone: 'America/New_York', hour12: false }).split(':').map(Number) as [number, number];
  return h * 60 + m;
};

async function events(node: TradingNode): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const r of node.engine.journal.read(1)) out.push(r.event);
  return out;
}

describe('a venue with a calendar in the node config', () => {
  it('a backtest across the 13:00 early close of 2025-07-03: orders before it are sent, from 13:00 on they are denied MARKET_CLOSED', async () => {
    const dir = tempDir();
    const { config: c } = parseNodeConfig(config(dir, { calendar: 'XNYS' }));
    expect(c.venues.SIM).toMatchObject({ calendar: 'XNYS' });
    const node = await TradingNode.start({ ...c, strategies: [{ name: 'buyer', id: 'b-1', params: {}, instruments: ['AAPL.SIM'], account: 'ACC-1' }] }, { strategies: buyer });
    const { completed, status } = await node.run();
    expect(completed).toBe(true);
    const all = await events(node);
    const sent = all.filter((e) => e.kind === 'OrderSubmitted');
    const denied = all.flatMap((e) => (e.kind === 'OrderDenied' ? [e] : []));
    expect(sent.length).toBeGreaterThan(0);
    expect(denied.length).toBeGreaterThan(0);
    expect(status.deniedByCode.MARKET_CLOSED).toBe(denied.length);
    for (const e of sent) expect(newYorkMinutes(e.tsInit)).toBeLessThan(13 * 60);
    for (const e of denied) {
      expect(newYorkMinutes(e.tsInit)).toBeGreaterThanOrEqual(13 * 60);
      expect(e.context).toMatchObject({ actual: 'POST', calendar: 'XNYS', venue: 'SIM' });
    }
  });

  it('the same run without a calendar sends every order (24/7)', async () => {
    const dir = tempDir();
    const { config: c } = parseNodeConfig(config(dir, {}));
    expect(complianceOf(c)).toBeUndefined();
    const node = await TradingNode.start({ ...c, strategies: [{ name: 'buyer', id: 'b-1', params: {}, instruments: ['AAPL.SIM'], account: 'ACC-1' }] }, { strategies: buyer });
    const { status } = await node.run();
    expect(status.denied).toBe(0);
    expect(status.orders).toBeGreaterThanOrEqual(9);
  });

  it('an unknown calendar is a config error naming the path; pdt and extended_hours are read into the compliance', () => {
    const dir = tempDir();
    expect(() => parseNodeConfig(config(dir, { calendar: 'XLON' }))).toThrow(/venues\.SIM\.calendar.*must be an exchange calendar: XNYS, us_equities/s);
    expect(() => parseNodeConfig(config(dir, { calendar: 'XNYS' }, { pdt: { max_day_trades: -1 } }))).toThrow(/accounts\[0\]\.pdt\.max_day_trades/);
    expect(() => parseNodeConfig(config(dir, { extended_hours: true }))).toThrow(/venues\.SIM\.extended_hours.*need a calendar/s);
    const { config: c } = parseNodeConfig(config(dir, { calendar: 'us_equities', extended_hours: true }, { type: 'MARGIN', pdt: { min_equity: '30000', window_days: 10 } }));
    const compliance = complianceOf(c);
    expect(compliance?.config).toEqual({
      venues: { SIM: { calendar: 'us_equities', extendedHours: true } },
      pdt: { 'ACC-1': { enabled: true, minEquity: '30000', maxDayTrades: 3, windowDays: 10 } },
    });
  });
});
