// The README's durable journal example; test/readme-example.test.ts runs it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Currencies, Engine, Money } from 'warden';
import { SqliteJournal } from 'warden/journal';
import { ScriptedVenue, TestClock } from 'warden/testing';

export async function durableJournal(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-'));
  const path = join(dir, 'warden.sqlite');
  const clock = new TestClock(Date.parse('2024-01-01T00:00:00Z'));
  try {
    const journal = SqliteJournal.open({ path });
    const engine = new Engine({ clock, journal });
    engine.addVenue(new ScriptedVenue({ id: 'SIM', clock, marketPrice: () => '40000.00' }));
    await engine.registerInstrument({ id: 'BTCUSDT.SIM', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001' });
    await engine.openAccount({ id: 'ACC-1', type: 'CASH', balances: [Money.of('100000', Currencies.USDT)] });
    await engine.submitOrder({ clientOrderId: 'J-1', accountId: 'ACC-1', instrumentId: 'BTCUSDT.SIM', side: 'BUY', type: 'MARKET', quantity: '1' });
    await journal.close();

    // Another process, later: the same file rebuilds the same state.
    const reopened = SqliteJournal.open({ path });
    const restarted = await Engine.fromJournal(reopened, { clock });
    const lines = [`records ${restarted.lastSeq}`, `J-1 ${restarted.order('J-1')!.status}`, `position ${restarted.portfolio.openPositions()[0]!.quantity.toString()}`];
    await reopened.close();
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
