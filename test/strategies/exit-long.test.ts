import { describe, expect, it } from 'vitest';
import type { StrategyContext } from '../../src/backtest/strategy.ts';
import { Portfolio } from '../../src/portfolio/portfolio.ts';
import { exitLong } from '../../src/strategies/common.ts';
import { sellableOf } from '../../src/portfolio/sellable.ts';
import { ACC, BTCUSDT, btc, fillOf, usdt } from '../portfolio/fixtures.ts';

/** A CASH account long 1 BTC bought at 30,000.00 with the commission given, and a context whose market orders are recorded. */
function longOne(commission: ReturnType<typeof btc>) {
  const pf = new Portfolio();
  pf.openAccount(ACC, 'CASH', 'NETTING', [usdt('100000')]);
  const fill = fillOf(BTCUSDT, 'BUY', { qty: '1', px: '30000.00', commission });
  pf.applyFill(fill, BTCUSDT);
  const sells: string[] = [];
  const ctx = {
    position: () => pf.position(fill.positionId),
    // What the backtest context answers (src/backtest/context.ts): the long within what the account holds.
    sellable: () => sellableOf(pf.position(fill.positionId)!, pf.account(ACC)),
    market: (_id: string, side: string, q: { toString(): string }) => {
      sells.push(`${side} ${q.toString()}`);
      return Promise.resolve({});
    },
  } as unknown as StrategyContext;
  return { pf, ctx, sells };
}

describe('exitLong sells what the account holds (issue 11.6)', () => {
  it('long 1 BTC with the 0.001 BTC fee taken in coins (holding 0.999): SELL 0.998, leaving room for the sell’s own 10 bps', async () => {
    const { ctx, sells } = longOne(btc('0.001'));
    await exitLong(ctx, BTCUSDT.id);
    expect(sells).toEqual(['SELL 0.99800']);
  });

  it('long 1 BTC with the fee paid in USDT (holding 1): SELL the whole 1.00000', async () => {
    const { ctx, sells } = longOne(usdt('30'));
    await exitLong(ctx, BTCUSDT.id);
    expect(sells).toEqual(['SELL 1.00000']);
  });

  it('long 1 BTC whose coins were withdrawn: no order at all', () => {
    const { pf, ctx, sells } = longOne(btc('0.001'));
    pf.account(ACC).adjust(btc('-0.999'));
    expect(exitLong(ctx, BTCUSDT.id)).toBeUndefined();
    expect(sells).toEqual([]);
  });
});
