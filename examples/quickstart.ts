// The README's library example; test/readme-example.test.ts runs it.
import { Currencies, Engine, MemoryJournal, Money } from 'warden';
import { ScriptedVenue, TestClock } from 'warden/testing';

export async function quickstart(): Promise<string[]> {
  const clock = new TestClock(Date.parse('2023-03-13T00:00:00Z'));
  const journal = new MemoryJournal();
  const engine = new Engine({ clock, journal });
  // A venue that accepts everything and fills market orders at 24,100.
  engine.addVenue(new ScriptedVenue({ id: 'BINANCE', clock, marketPrice: () => '24100.00' }));

  await engine.registerInstrument({
    id: 'BTCUSDT.BINANCE', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT,
    tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001',
  });
  await engine.openAccount({ id: 'ACC-1', type: 'CASH', balances: [Money.of('100000', Currencies.USDT)] });

  // Resolves once the order's events are in the journal.
  const result = await engine.submitOrder({
    clientOrderId: 'O-1', accountId: 'ACC-1', instrumentId: 'BTCUSDT.BINANCE',
    side: 'BUY', type: 'MARKET', quantity: '0.5',
  });

  // Bad input is a typed error with a stable code, and changes nothing.
  let refused = '';
  try {
    await engine.submitOrder({
      clientOrderId: 'O-2', accountId: 'ACC-1', instrumentId: 'BTCUSDT.BINANCE',
      side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '24100.005',
    });
  } catch (e) {
    refused = (e as { code: string }).code; // 'OFF_TICK_GRID'
  }

  const position = engine.portfolio.openPositions()[0]!;
  const usdt = engine.portfolio.account(position.accountId).balance(Currencies.USDT);
  // State is a fold over the journal: a replay rebuilds it exactly.
  const replayed = await Engine.fromJournal(journal, { clock });

  return [
    `order ${result.orders[0]!.clientOrderId} ${result.orders[0]!.status}`,
    `position ${position.side} ${position.quantity.toString()} BTC`,
    `USDT free ${usdt.free.toDecimalString()}`,
    `refused ${refused}`,
    `replayed position ${replayed.portfolio.openPositions()[0]!.quantity.toString()}`,
  ];
}
