/**
 * A node restart: the first adapter and engine stop (no cancel on stop), Alpaca goes on filling,
 * and a new adapter + engine recovered from the first one's journal reconciles: the fills made
 * while it was down are applied once, the orders end as Alpaca has them, the position is right.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { accountId } from '../../../src/model/identifiers.ts';
import { cmp } from '../../support/fake-binance/decimal.ts';
import { startFakeAlpaca, type FakeAlpacaServer } from '../../support/fake-alpaca/index.ts';
import { AAPL, connectAlpaca, fillsOf, statusOf, type AlpacaHarness } from './harness.ts';

let server: FakeAlpacaServer;
const open: AlpacaHarness[] = [];

beforeEach(async () => {
  server = await startFakeAlpaca({ cash: '100000' });
  server.market.quote('AAPL', '187.40', '187.42');
});

afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  await server.close();
});

async function start(journal?: AlpacaHarness['journal']): Promise<AlpacaHarness> {
  const h = await connectAlpaca(server, journal ? { journal } : {});
  open.push(h);
  return h;
}

describe('Alpaca after a node restart', () => {
  it('fills made while the node was down (on a replaced order too) are applied once by reconciliation', async () => {
    const first = await start();
    const limit = (id: string, price: string) => first.engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: AAPL, side: 'BUY', type: 'LIMIT', quantity: '10', price, timeInForce: 'GTC' });
    await limit('p-1', '186.00');
    await limit('p-2', '185.00');
    await statusOf(first, 'p-1', 'ACCEPTED');
    await statusOf(first, 'p-2', 'ACCEPTED');
    server.market.print('AAPL', '186.00', '4');
    await statusOf(first, 'p-1', 'PARTIALLY_FILLED');
    await first.engine.modifyOrder('p-2', { price: '185.50' });
    await statusOf(first, 'p-2', 'ACCEPTED');
    await first.adapter.settled();
    expect(first.engine.order('p-2')!.price!.toString()).toBe('185.50');
    await first.close();
    open.splice(0);

    // Down: the rest of p-1 and all of the replaced p-2 fill.
    server.market.print('AAPL', '185.50', '100');
    expect([server.book.byClientId('p-1')!.status, server.book.orders.get(String(first.engine.order('p-2')!.venueOrderId))!.status]).toEqual(['filled', 'filled']);

    const second = await start(first.journal);
    const r = await reconcile(second.engine, second.executor);
    expect(r.halted).toBe(false);
    expect([second.engine.order('p-1')!.status, second.engine.order('p-2')!.status]).toEqual(['FILLED', 'FILLED']);
    const all = [...fillsOf(first), ...fillsOf(second)].map((f) => [f.clientOrderId, f.lastQty.toString(), f.lastPx.toString()]);
    expect(all).toEqual([
      ['p-1', '4', '186.00'],
      ['p-1', '6', '186.00'],
      ['p-2', '10', '185.50'],
    ]);
    const account = second.engine.portfolio.account(accountId('A'));
    // 100000 - 10 × 186.00 - 10 × 185.50
    expect(account.balance(Currencies.USD).total.toDecimalString()).toBe('96285.00');
    expect(cmp(server.book.cash, '96285.00')).toBe(0);
  });
});
