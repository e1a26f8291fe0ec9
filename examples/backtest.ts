// The README's backtest example; test/readme-example.test.ts runs it.
import { Currencies, instrumentId, type Bar } from 'warden';
import { runBacktest } from 'warden/backtest';
import type { Strategy } from 'warden/strategy';

export async function backtest(): Promise<string[]> {
  const id = instrumentId('BTCUSDT.SIM');
  const closes = ['100', '101', '103', '102', '106', '108'];
  const bars: Bar[] = closes.map((close, i) => ({
    instrumentId: id, ts: Date.parse('2024-01-01T00:00:00Z') + i * 60_000, durationMs: 60_000,
    open: close, high: close, low: close, close, volume: '10',
  }));
  // Buys 1 BTC at the first bar's close; the order fills at the next bar's open.
  const buyOnce: Strategy = {
    name: 'buy-once',
    async onBar(_bar, ctx) {
      if (ctx.netQuantity(id) === 0 && !ctx.hasOpenOrders(id)) await ctx.market(id, 'BUY', '1');
    },
  };
  const result = await runBacktest({
    strategy: buyOnce,
    cash: '1000',
    sources: [{ instrument: { id, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001' }, bars }],
  });
  return [`bars ${result.bars}`, `final equity ${result.finalEquity}`, `open ${result.openPositions[0]?.quantity ?? '0'}`];
}
