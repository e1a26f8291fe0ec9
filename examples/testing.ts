// The README's testing example; test/readme-example.test.ts runs it.
import { testEngine } from 'warden/testing';

export async function testing(): Promise<string[]> {
  // An engine on a TestClock with a ScriptedVenue, BTCUSDT.SIM registered and ACC-1 funded.
  const { engine, venue, accountId, instrumentId, alerts } = await testEngine({ cash: '50000' });
  await engine.submitOrder({ clientOrderId: 'T-1', accountId, instrumentId, side: 'BUY', type: 'LIMIT', quantity: '0.2', price: '42000.00' });
  venue.fill('T-1', '0.1', '42000.00'); // the venue answers exactly as the test says
  const partly = engine.order('T-1')!.status;
  venue.fill('T-1', '0.1', '41990.00');
  // A fill the order cannot take is refused, alerted, and changes nothing.
  venue.fill('T-1', '0.1', '41990.00');
  return [`T-1 ${partly} then ${engine.order('T-1')!.status}`, `alerts ${alerts.map((a) => a.code).join(',')}`];
}
