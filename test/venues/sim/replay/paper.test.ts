import { describe, expect, it } from 'vitest';
import { readCsvBars } from '../../../../src/data/csv-bars.ts';
import { TestClock } from '../../../../src/engine/clock.ts';
import { ManualTimer } from '../../../../src/execution/timer.ts';
import { Currencies } from '../../../../src/model/currency.ts';
import { openPaperSession, runPaper, SmaCrossDemo } from '../../../../src/venues/sim/replay/paper-session.ts';
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
  /** 300 bars of the session `warden paper` opens, the test's wall clock moving exactly as long as asked. */
  async function paper300() {
    let wall = 0;
    const clock = new ReplayClock(START, 60, () => wall);
    // The executor's timer, never run here: nothing the session does should wait on it.
    const timer = new ManualTimer(new TestClock(0));
    const session = await openPaperSession({ clock, timer, instrumentId: 'BTCUSDT.BINANCE', accountId: 'P', balance: '100000' });
    const slept: number[] = [];
    const { bars } = await runPaper({
      ...session,
      clock,
      bars: readCsvBars(BTC, { instrumentId: session.instrument.id }),
      strategy: new SmaCrossDemo(5, 20, '0.1'),
      maxBars: 300,
      sleep: (ms) => {
        slept.push(ms);
        wall += ms;
        return Promise.resolve();
      },
    });
    return { ...session, clock, timer, bars, slept };
  }

  it('paces bars by the wall clock and trades through engine and simulated exchange', async () => {
    const { engine, clock, bars, slept } = await paper300();
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

  it('routes every order through a PAPER executor, each settled by the venue\'s own report', async () => {
    const { engine, executor, timer } = await paper300();
    const orders = [...engine.state.orders.values()];
    expect(orders.length).toBeGreaterThan(2);
    expect(executor.mode).toBe('PAPER');
    const stats = executor.statistics();
    expect(stats.executions.SUBMIT).toBe(orders.length);
    expect(stats.settled).toBe(orders.length);
    expect(stats.bySettlement.ACK).toBe(orders.length);
    expect(stats.unknowns).toBe(0);
    // The log has each order's submit: one call, answered, in order.
    const log = executor.executions();
    expect(log.map((r) => r.clientOrderId)).toEqual(orders.map((o) => o.spec.clientOrderId));
    for (const r of log) {
      expect(r.request).toBe('SUBMIT');
      expect(r.settlement).toBe('ACK');
      expect(r.attempts.map((a) => a.outcome)).toEqual(['OK']);
    }
    // Nothing left waiting on the executor's timer: no report went missing.
    expect(timer.pending).toBe(0);
  });
});
