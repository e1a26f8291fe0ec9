import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { Currencies } from '../../src/model/currency.ts';
import { limit, marketBuy, observe, setup } from './fixtures.ts';

describe('modify is held to the instrument limits a submit is held to', () => {
  async function withLimits() {
    const h = await setup();
    await h.engine.registerInstrument({
      id: 'BTCUSD.BINANCE', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT,
      tickSize: '0.01', lotSize: '0.001', maxQuantity: '5', maxNotional: '100000',
    });
    await h.engine.submitOrder(limit('L-1', 'BUY', '1', '20000.00', { instrumentId: 'BTCUSD.BINANCE' }));
    return h;
  }

  it('a modify to 6 BTC (max 5) is refused with QUANTITY_ABOVE_MAX and changes nothing', async () => {
    const h = await withLimits();
    const before = observe(h);
    await expect(h.engine.modifyOrder('L-1', { quantity: '6' })).rejects.toMatchObject({ code: 'QUANTITY_ABOVE_MAX' });
    expect(observe(h)).toEqual(before);
  });

  it('a modify to 4 BTC at 30,000 (notional 120,000 > 100,000) is refused with NOTIONAL_ABOVE_MAX', async () => {
    const h = await withLimits();
    await expect(h.engine.modifyOrder('L-1', { quantity: '4', price: '30000.00' })).rejects.toMatchObject({ code: 'NOTIONAL_ABOVE_MAX' });
    expect(h.engine.order('L-1')?.status).toBe('ACCEPTED');
    expect(h.engine.order('L-1')?.quantity.toString()).toBe('1.000');
  });

  it('a modify within the limits goes through', async () => {
    const h = await withLimits();
    await h.engine.modifyOrder('L-1', { quantity: '4', price: '24000.00' });
    expect(h.engine.order('L-1')?.quantity.toString()).toBe('4.000');
  });
});

describe('CancelAllOrders names only things that exist', () => {
  it.each([
    [{ instrumentId: 'NOPE.BINANCE' }, 'UNKNOWN_INSTRUMENT'],
    [{ accountId: 'ACC-404' }, 'UNKNOWN_ACCOUNT'],
  ])('%o is refused with %s, nothing canceled', async (filter, code) => {
    const h = await setup();
    await h.engine.submitOrder(limit('A', 'BUY', '0.1', '24000.00'));
    const before = observe(h);
    await expect(h.engine.execute({ kind: 'CancelAllOrders', ...filter })).rejects.toMatchObject({ code });
    expect(observe(h)).toEqual(before);
    expect(h.engine.order('A')?.status).toBe('ACCEPTED');
  });
});

describe('client order ids are remembered beyond the closed-order window', () => {
  it('with 5 closed orders kept but 10 ids remembered, O-1 is refused after 8 more orders, and still after 10 (the journal remembers it)', async () => {
    const h = await setup({ retainClosedOrders: 5, retainClientOrderIds: 10 });
    for (let i = 1; i <= 9; i++) await h.engine.submitOrder(marketBuy(`O-${i}`, '0.01'));
    expect(h.engine.order('O-1')).toBeUndefined(); // the order itself is out of memory
    await expect(h.engine.submitOrder(marketBuy('O-1', '0.01'))).rejects.toMatchObject({ code: 'DUPLICATE_CLIENT_ORDER_ID' });
    await h.engine.submitOrder(marketBuy('O-10', '0.01'));
    await h.engine.submitOrder(marketBuy('O-11', '0.01'));
    expect(h.engine.state.isKnownClientOrderId('O-1' as never)).toBe(false);
    await expect(h.engine.submitOrder(marketBuy('O-1', '0.01'))).rejects.toMatchObject({ code: 'DUPLICATE_CLIENT_ORDER_ID' });
  });

  it('a journal with a reused id (written before the journal index) replays under any retention, with the same positions and balances', async () => {
    const journal = new MemoryJournal();
    // As code from before issue 11 item 16 wrote journals: no index of journaled ids.
    Object.assign(journal, { hasClientOrderId: undefined });
    const h = await setup({ journal, retainClosedOrders: 1, retainClientOrderIds: 2 });
    for (const id of ['O-1', 'O-2', 'O-3', 'O-1']) await h.engine.submitOrder(marketBuy(id, '0.01'));
    for (const retainClosedOrders of [1, 100]) {
      const replayed = await Engine.fromJournal(h.journal, { clock: h.clock, retainClosedOrders });
      expect(replayed.portfolio.openPositions()[0]?.quantity.toString()).toBe('0.040');
      expect(replayed.portfolio.account('ACC-1' as never).balance(Currencies.USDT).total.toDecimalString()).toBe(
        h.engine.portfolio.account('ACC-1' as never).balance(Currencies.USDT).total.toDecimalString(),
      );
      expect(replayed.order('O-1')?.status).toBe('FILLED');
    }
  });

  it('an open order id is never reusable, whatever the windows', async () => {
    const h = await setup({ retainClosedOrders: 1, retainClientOrderIds: 1 });
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.00'));
    for (let i = 1; i <= 3; i++) await h.engine.submitOrder(marketBuy(`O-${i}`, '0.01'));
    await expect(h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.00'))).rejects.toMatchObject({ code: 'DUPLICATE_CLIENT_ORDER_ID' });
  });
});

