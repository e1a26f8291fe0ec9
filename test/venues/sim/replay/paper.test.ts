import { describe, expect, it } from 'vitest';
import { readCsvBars } from '../../../../src/data/csv-bars.ts';
import { Engine } from '../../../../src/engine/engine.ts';
import { MemoryJournal } from '../../../../src/engine/journal.ts';
import { Currencies } from '../../../../src/model/currency.ts';
import { Money } from '../../../../src/model/money.ts';
import { SimulatedExchange } from '../../../../src/venues/sim/exchange/simulated-exchange.ts';
import { runPaper, SmaCrossDemo } from '../../../../src/venues/sim/replay/paper-session.ts';
import { ReplayClock } from '../../../../src/venues/sim/replay/replay-clock.ts';

const BTC = new URL('../../../../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url).pathname;
const START = Date.parse('2023-03-01T00:00:00Z');

describe('replay clock', () => {
  it('at speed 60 one wall second is one data minute, and it never goes back', () => {
    let wall = 1_000;
    const c = new ReplayClock(START, 60, () => wall);
    wall += 1_000;
    expect(c.now()).toBe(START + 60_000);
    expect(c.wallMsUntil(START + 120_000)).toBe(1_000);
    wall -= 500;
    expect(c.now()).toBe(START + 60_000);
  });
});

describe('paper trading on a replayed file', () => {
  it('paces bars by the wall clock and trades through engine and simulated exchange', async () => {
    let wall = 0;
    const clock = new ReplayClock(START, 60, () => wall);
    const engine = new Engine({ clock, journal: new MemoryJournal() });
    const exchange = new SimulatedExchange({ id: 'BINANCE', clock });
    engine.addVenue(exchange);
    const instrument = await engine.registerInstrument({ id: 'BTCUSDT.BINANCE', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001' });
    await engine.openAccount({ id: 'P', type: 'CASH', balances: [Money.of('100000', Currencies.USDT)] });
    const slept: number[] = [];
    const { bars } = await runPaper({
      engine, exchange, clock, instrument, accountId: 'P',
      bars: readCsvBars(BTC, { instrumentId: instrument.id }),
      strategy: new SmaCrossDemo(5, 20, '0.1'),
      maxBars: 300,
      sleep: (ms) => {
        slept.push(ms);
        wall += ms; // the test's wall clock moves exactly as long as asked
        return Promise.resolve();
      },
    });
    expect(bars).toBe(300);
    // Each 1-minute bar is released at its close: 1 wall second apart at speed 60.
    expect(slept.slice(0, 3)).toEqual([1000, 1000, 1000]);
    expect(clock.now()).toBe(START + 300 * 60_000);
    const orders = [...engine.state.orders.values()];
    expect(orders.length).toBeGreaterThan(2);
    expect(orders.every((o) => o.status === 'FILLED' || o.status === 'SUBMITTED' || o.status === 'ACCEPTED')).toBe(true);
    // Equity reconciles: cash + position at the last close.
    const pf = engine.portfolio;
    const usdt = pf.account('P' as never).balance(Currencies.USDT).total;
    const pos = pf.openPositions()[0];
    const mv = pos ? pos.marketValueRaw(pf.markFor(pos)!) : 0n;
    expect(pf.equity('P' as never, Currencies.USDT).raw).toBe(usdt.raw + mv);
  });
});
