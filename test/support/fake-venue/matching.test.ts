import { describe, expect, it } from 'vitest';
import { FakeMatching, FakeReject, type FakeExecution } from './matching.ts';

const markets = [{ symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', lotSize: '0.00001', minNotional: '5' }];

describe('the fakes matching core', () => {
  it('fills a market order at the quote, rests a limit until a trade reaches it, and books balances', () => {
    const m = new FakeMatching({ markets });
    m.openAccount('A', { USDT: '100000', BTC: '0' });
    const seen: FakeExecution[] = [];
    m.onExecution((e) => seen.push(e));
    m.quote('BTCUSDT', '30000.00', '30001.00');
    const mkt = m.place({ account: 'A', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.5', clientOrderId: 'c1' });
    expect(mkt.status).toBe('FILLED');
    expect(mkt.executedQty).toBe('0.50000');
    expect(mkt.trades[0]!.price).toBe('30001.00');
    const lim = m.place({ account: 'A', symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: '0.2', price: '30100.00', clientOrderId: 'c2' });
    expect(lim.status).toBe('NEW');
    expect(m.balances('A').BTC!.locked).toBe('0.20000000');
    m.trade('BTCUSDT', '30100.00', '1');
    expect(m.find('A', { clientOrderId: 'c2' })!.status).toBe('FILLED');
    expect(seen.map((e) => e.exec)).toEqual(['NEW', 'TRADE', 'NEW', 'TRADE']);
    expect(m.trades('A').length).toBe(2);
  });

  it('refuses what the exchange would: unaffordable, below min notional, duplicate working id, unknown cancel', () => {
    const m = new FakeMatching({ markets });
    m.openAccount('A', { USDT: '100' });
    m.quote('BTCUSDT', '30000.00', '30001.00');
    expect(() => m.place({ account: 'A', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '1', price: '29000', clientOrderId: 'x' })).toThrow(FakeReject);
    expect(() => m.place({ account: 'A', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.0001', price: '29000' })).toThrow(/NOTIONAL/);
    m.place({ account: 'A', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '29000', clientOrderId: 'y' });
    expect(() => m.place({ account: 'A', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '29000', clientOrderId: 'y' })).toThrow(/duplicate/);
    expect(m.cancel('A', { clientOrderId: 'y' }).status).toBe('CANCELED');
    expect(() => m.cancel('A', { clientOrderId: 'y' })).toThrow(/Unknown order/);
    try {
      m.place({ account: 'A', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '1', price: '29000', clientOrderId: 'x' });
    } catch (e) {
      expect((e as FakeReject).code).toBe('INSUFFICIENT_BALANCE');
    }
    expect.assertions(6);
  });
});
