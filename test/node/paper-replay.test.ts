import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.ts';
import { ManualTimer } from '../../src/execution/timer.ts';
import { Currencies } from '../../src/model/currency.ts';
import { BTC_FILE, fixedCross, START, startPaperNode } from './paper-venue.ts';

describe('a paper node replaying a file at speed 60', () => {
  /** 300 bars through the node, the test's wall clock moving exactly as long as the node sleeps. */
  async function paper300() {
    let wall = 0;
    const slept: number[] = [];
    // The executors' timer, never run here: nothing the node does should wait on it.
    const timer = new ManualTimer(new TestClock(0));
    const node = await startPaperNode(
      { balance: '100000', file: BTC_FILE, speed: 60, strategy: 'fixed-cross' },
      {
        timer,
        strategies: fixedCross(5, 20, '0.1'),
        wall: () => wall,
        sleep: (ms) => {
          slept.push(ms);
          wall += ms;
          return Promise.resolve();
        },
      },
    );
    const { status } = await node.run({ maxSteps: 300, keepOpen: true });
    const clockAtEnd = node.clock.now();
    await node.stop();
    return { node, engine: node.engine, executor: node.venues.get('BINANCE').executor!, timer, status, slept, clockAtEnd };
  }

  it('paces bars by the wall clock (one data minute per wall second) and trades through engine and simulated exchange', async () => {
    const { engine, status, slept, clockAtEnd } = await paper300();
    expect(status.steps).toBe(300);
    // The first bar starts the pace; each next 1-minute bar comes 1 wall second after the one before.
    expect(slept.slice(0, 3)).toEqual([1000, 1000, 1000]);
    expect(slept).toHaveLength(299);
    // Each bar is taken at its close.
    expect(clockAtEnd).toBe(START + 300 * 60_000);
    const orders = [...engine.state.orders.values()];
    expect(orders.length).toBeGreaterThan(2);
    expect(orders.every((o) => o.status === 'FILLED')).toBe(true);
    // Equity reconciles: cash + position at the last close.
    const pf = engine.portfolio;
    const usdt = pf.account('P' as never).balance(Currencies.USDT).total;
    const pos = pf.openPositions()[0];
    const mv = pos ? pos.marketValueRaw(pf.markFor(pos)!) : 0n;
    expect(pf.equity('P' as never, Currencies.USDT).raw).toBe(usdt.raw + mv);
  });

  it("routes every order through a PAPER executor, each settled by the venue's own report", async () => {
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
