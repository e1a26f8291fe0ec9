/**
 * The process the crash test kills: recovers an engine from the journal, prints the recovered
 * state's digest, then runs orders under load until SIGKILL. Every acknowledged command is
 * written to the ack file (after its promise resolved); every order the venue receives is
 * written to the venue log before the venue acts. Both are plain appends: they survive SIGKILL.
 *
 *   tsx scripts/crash-child.ts <sqlite|postgres> <store> <ack file> <venue log> <run>
 */
import { openSync, writeSync } from 'node:fs';
import { TestClock } from '../src/engine/clock.ts';
import { Engine } from '../src/engine/engine.ts';
import type { SubmitRequest } from '../src/engine/venue.ts';
import { Currencies } from '../src/model/currency.ts';
import { Money } from '../src/model/money.ts';
import { ScriptedVenue } from '../src/venues/scripted/scripted-venue.ts';
import { digest, INSTRUMENT, openJournal } from './crash-shared.ts';

const [kind, store, ackFile, venueFile, run] = process.argv.slice(2) as [string, string, string, string, string];
const ack = openSync(ackFile, 'a');
const seen = openSync(venueFile, 'a');

class LoggingVenue extends ScriptedVenue {
  override submit(req: SubmitRequest): void {
    writeSync(seen, `${req.spec.clientOrderId}\n`);
    super.submit(req);
  }
}

const journal = await openJournal(kind, store);
const clock = new TestClock(1_704_153_600_000 + journal.lastSeq() * 1_000);
const engine = await Engine.fromJournal(journal, { clock, retainClosedOrders: 1_000 });
process.stdout.write(`RECOVERED ${engine.lastSeq} ${digest(engine.state, engine.lastSeq)}\n`);
const px = '25000.00';
engine.addVenue(new LoggingVenue({ id: 'BINANCE', clock, marketPrice: () => px, recordCalls: false }));
if (engine.lastSeq === 0) {
  await engine.registerInstrument(INSTRUMENT);
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('1000000000', Currencies.USDT), Money.of('1000', Currencies.BTC)] });
}
process.stdout.write('READY\n');

let n = 0;
async function writer(w: number): Promise<void> {
  for (;;) {
    const id = `R${run}-${w}-${++n}`;
    clock.advance(1);
    const r = await engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: INSTRUMENT.id, side: n % 2 ? 'BUY' : 'SELL', type: 'MARKET', quantity: '0.01' });
    writeSync(ack, `${id} ${r.records[r.records.length - 1]?.seq ?? 0}\n`);
  }
}
await Promise.all(Array.from({ length: 16 }, (_, w) => writer(w)));
