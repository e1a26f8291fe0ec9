import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/runner.ts';
import type { Strategy, StrategyContext } from '../../src/backtest/strategy.ts';
import { Currencies } from '../../src/model/currency.ts';
import type { Bar } from '../../src/model/bar.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import type { Quote } from '../../src/model/quote.ts';

const ID = 'BTCUSDT.SIM';
const spec = { id: ID, kind: 'SPOT' as const, base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0', takerFee: '0' };
const T0 = Date.parse('2024-01-02T00:00:00Z');
const q = (s: number, bid: string, ask: string): Quote => ({ instrumentId: instrumentId(ID), ts: T0 + s * 1000, bid, ask });

/** Takes the ask on the first quote, then offers the position 10.00 above what it paid. */
class QuoteScalper implements Strategy {
  readonly name = 'quote-scalper';
  readonly seen: number[] = [];
  onBar(_b: Bar): void {}
  async onQuote(quote: Quote, ctx: StrategyContext): Promise<void> {
    this.seen.push(quote.ts);
    if (this.seen.length === 1) {
      await ctx.market(ID, 'BUY', '1');
      await ctx.submit({ instrumentId: ID, side: 'SELL', type: 'LIMIT', quantity: '1', price: (Number(quote.ask) + 10).toFixed(2) });
    }
  }
}

describe('a backtest driven by quotes', () => {
  it('a market buy takes the ask at once; a resting sell fills, as maker, when the bid reaches it', async () => {
    const s = new QuoteScalper();
    const quotes = [q(0, '42000.00', '42000.50'), q(1, '42005.00', '42005.50'), q(2, '42010.50', '42011.00'), q(3, '42009.00', '42009.50')];
    const r = await runBacktest({ sources: [{ instrument: spec, bars: quotes }], strategy: s, cash: '100000' });
    expect(s.seen).toEqual(quotes.map((x) => x.ts));
    expect(r.fills.map((f) => `${f.side} ${f.quantity} @ ${f.price} t+${(f.time - T0) / 1000}s`)).toEqual(['BUY 1.000 @ 42000.50 t+0s', 'SELL 1.000 @ 42010.50 t+2s']);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]!.pnl).toBe('10.00000000');
  });
});
