// The README's risk example; test/readme-example.test.ts runs it.
import { Currencies, Money, Price } from 'warden';
import { guardedEngine, parseRiskConfig } from 'warden/risk';
import { ScriptedVenue, TestClock } from 'warden/testing';

export async function risk(): Promise<string[]> {
  const config = parseRiskConfig(`
version: 1
limits:
  default:
    max_order_quantity: "2"
    max_order_notional: "100000"
    max_position_quantity: "5"
    max_position_notional: "200000"
`, 'yaml');
  const clock = new TestClock(Date.parse('2024-01-01T00:00:00Z'));
  // The engine with the pre-trade gate, the configured breakers and risk control wired in.
  const { engine, control } = await guardedEngine(config, { clock });
  engine.addVenue(new ScriptedVenue({ id: 'SIM', clock, marketPrice: () => '40000.00' }));
  await engine.registerInstrument({ id: 'BTCUSDT.SIM', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001' });
  await engine.openAccount({ id: 'ACC-1', type: 'CASH', balances: [Money.of('500000', Currencies.USDT)] });
  engine.updateMarket('BTCUSDT.SIM', { last: Price.of('40000.00', 2) }); // the gate's reference price

  const order = { accountId: 'ACC-1', instrumentId: 'BTCUSDT.SIM', side: 'BUY', type: 'MARKET' } as const;
  const small = await engine.submitOrder({ ...order, clientOrderId: 'R-1', quantity: '1' });
  // A denial is not an error: it is journaled (OrderDenied) and returned with its closed code.
  const big = await engine.submitOrder({ ...order, clientOrderId: 'R-2', quantity: '3' });
  // Only an operator holding a credential from the engine's authority can engage or lift the kill switch.
  const alice = engine.authority.issue('alice', ['RISK']);
  await control.engageKillSwitch({ operator: alice, reason: 'end of the example' });
  const after = await engine.submitOrder({ ...order, clientOrderId: 'R-3', quantity: '1' });
  return [`R-1 ${small.orders[0]!.status}`, `R-2 ${big.orders[0]!.status} ${big.denied[0]!.code}`, `R-3 ${after.denied[0]!.code}`];
}
