/**
 * Reconciliation after a node restart: a new adapter and an engine recovered from the first one's
 * journal learn, from Trading 212's history and pending orders, the fills made while it was down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/engine/reconcile.ts';
import type { FakeTrading212 } from '../../support/fake-trading212/index.ts';
import { AAPL, connectHarness, startFake, until, type Harness } from './harness.ts';

let fake: FakeTrading212 | undefined;
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  await fake?.close();
});

describe('Trading 212 after a restart', () => {
  it('a fill made while the node was down, and an order still working, are found from the journal and the broker, once', async () => {
    fake = await startFake();
    fake.book.trade('AAPL_US_EQ', '150.00', '1');
    const first = await connectHarness(fake);
    for (const [id, price] of [
      ['a', '149.00'],
      ['b', '140.00'],
    ] as const)
      await first.engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: AAPL, side: 'BUY', type: 'LIMIT', quantity: '1.25', price, timeInForce: 'GTC' });
    await until(() => first.engine.order('a')?.status === 'ACCEPTED' && first.engine.order('b')?.status === 'ACCEPTED', 'both accepted');
    await first.close();

    fake.book.trade('AAPL_US_EQ', '148.50', '2'); // fills a, not b, while nobody watches
    h = await connectHarness(fake, { journal: first.journal });
    const r = await reconcile(h.engine, h.executor);
    expect(r.halted).toBe(false);
    expect(r.positionMismatches).toEqual([]);
    await until(() => h!.engine.order('a')?.status === 'FILLED', 'a FILLED');
    expect(h.engine.order('b')!.status).toBe('ACCEPTED');
    const fills = h.events.filter((e) => e.kind === 'OrderFilled');
    expect(fills.map((f) => [f.clientOrderId, f.lastQty.toString(), f.lastPx.toString()])).toEqual([['a', '1.2500', '148.50']]);
    // The poll sees the same fill afterwards: still once.
    await new Promise((res) => setTimeout(res, 500));
    expect(h.events.filter((e) => e.kind === 'OrderFilled')).toHaveLength(1);
    expect(fake.requests.filter((x) => x.method === 'POST')).toHaveLength(2);
  }, 30_000);
});
