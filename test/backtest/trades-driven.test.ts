import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/runner.ts';
import type { Strategy, StrategyContext } from '../../src/backtest/strategy.ts';
import { readBinanceTrades } from '../../src/data/binance.ts';
import { Currencies } from '../../src/model/currency.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import type { Bar } from '../../src/model/bar.ts';
import type { Trade } from '../../src/model/trade.ts';

const FILE = new URL('../../../shared/data/market/binance-XRP_ETH-trades.json.gz', import.meta.url).pathname;
const ID = 'XRPETH.BINANCE';
const spec = { id: ID, kind: 'SPOT' as const, base: Currencies.XRP, quote: Currencies.ETH, tickSize: '0.00000001', lotSize: '1', takerFee: '0' };

/** Buys 100 XRP on the 10th print, sells them on the 50th; remembers the prints it heard. */
class PrintCounter implements Strategy {
  readonly name = 'print-counter';
  readonly heard: Trade[] = [];
  onBar(_bar: Bar): void {}
  onTrade(trade: Trade, ctx: StrategyContext): void {
    this.heard.push(trade);
    if (this.heard.length === 10) void ctx.market(ID, 'BUY', '100');
    if (this.heard.length === 50) void ctx.market(ID, 'SELL', '100');
  }
}

describe('a backtest driven by trades (Binance XRP/ETH prints)', () => {
  it('hears every print; a market order takes from the following prints, each up to its size, at its price', async () => {
    const s = new PrintCounter();
    const r = await runBacktest({ sources: [{ instrument: spec, bars: readBinanceTrades(FILE, { instrumentId: instrumentId(ID) }) }], strategy: s, cash: '10', to: Date.UTC(2019, 9, 11, 1) });
    expect(s.heard.length).toBeGreaterThan(50);
    const buys = r.fills.filter((f) => f.side === 'BUY');
    const sells = r.fills.filter((f) => f.side === 'SELL');
    expect(buys.reduce((a, f) => a + Number(f.quantity), 0)).toBe(100);
    expect(sells.reduce((a, f) => a + Number(f.quantity), 0)).toBe(100);
    // The buy sent at print 10 takes print 11, 12, ... in turn, each up to that print's size and at its price.
    let need = 100;
    const expected: { price: string; quantity: string; time: number }[] = [];
    for (const t of s.heard.slice(10)) {
      if (need === 0) break;
      const q = Math.min(need, Math.floor(Number(t.size)));
      if (q === 0) continue;
      expected.push({ price: Number(t.price).toFixed(8), quantity: String(q), time: t.ts });
      need -= q;
    }
    expect(buys.map((f) => ({ price: f.price, quantity: f.quantity, time: f.time }))).toEqual(expected);
    expect(r.trades).toHaveLength(1);
  });
});
