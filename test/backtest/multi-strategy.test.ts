import { describe, expect, it } from 'vitest';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { runBacktest } from '../../src/backtest/runner.ts';
import type { Strategy, StrategyContext } from '../../src/backtest/strategy.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import type { Bar } from '../../src/model/bar.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import type { OrderEvent } from '../../src/model/orders/events.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';

const FILE = new URL('../../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url).pathname;
const ID = 'BTCUSDT.BINANCEUS';
const START = Date.parse('2023-03-01T00:00:00Z');
const DAY = 86_400_000;

const source = () => ({ instrument: instrumentSpecFor(ID, { feeBps: '10' }), bars: readCsvBars(FILE, { instrumentId: instrumentId(ID) }) });

/** Buys 0.01 BTC at the first bar, sells 30 minutes later on a timer; records what it hears. */
class TimedRoundTrip implements Strategy {
  readonly events: string[] = [];
  readonly timersAt: [asked: number, clock: number][] = [];
  private started = false;
  constructor(readonly name: string) {}
  onBar(bar: Bar, ctx: StrategyContext): void {
    if (this.started) return;
    this.started = true;
    void ctx.market(ID, 'BUY', '0.01');
    ctx.setTimer(bar.ts + 30 * 60_000 + 30_000); // mid-minute: due at the next bar close after it
  }
  onTimer(at: number, ctx: StrategyContext): void {
    this.timersAt.push([at, ctx.now()]);
    void ctx.market(ID, 'SELL', '0.01');
  }
  onOrderEvent(e: OrderEvent): void {
    this.events.push(e.clientOrderId);
  }
}

describe('several strategies in one run, and timers', () => {
  it('two strategies trade one account side by side; each hears only its own orders', async () => {
    const a = new TimedRoundTrip('timed-a');
    const b = new TimedRoundTrip('timed-b');
    const r = await runBacktest({ sources: [source()], strategy: a, alsoRun: [b], cash: '100000', to: START + DAY / 4 });
    expect(r.trades).toHaveLength(2);
    expect(a.events.every((id) => id.startsWith('timed-a-'))).toBe(true);
    expect(b.events.every((id) => id.startsWith('timed-b-'))).toBe(true);
    expect(a.events.length).toBeGreaterThan(0);
    expect(b.events.length).toBe(a.events.length);
  });

  it('a timer set for 00:30:30 fires at the first bar close at or after it (00:31), once', async () => {
    const a = new TimedRoundTrip('timed');
    await runBacktest({ sources: [source()], strategy: a, cash: '100000', to: START + DAY / 4 });
    expect(a.timersAt).toEqual([[START + 30 * 60_000 + 30_000, START + 31 * 60_000]]);
  });

  it('an sma-cross next to a timed strategy enters and exits at the same times and prices as alone (sizes share the equity)', async () => {
    const alone = await runBacktest({ sources: [source()], strategy: STRATEGIES['sma-cross']!.create({}), cash: '100000', to: START + DAY });
    const together = await runBacktest({
      sources: [source()],
      strategy: STRATEGIES['sma-cross']!.create({}),
      alsoRun: [new TimedRoundTrip('timed')],
      cash: '100000',
      to: START + DAY,
    });
    const entries = (r: typeof alone) => r.trades.filter((t) => t.entryTime > START + 32 * 60_000).map((t) => `${t.entryTime}@${t.entryPrice}`);
    expect(together.trades.length).toBe(alone.trades.length + 1);
    expect(entries(together)).toEqual(entries(alone));
  });

  it('refuses two strategies with one name', async () => {
    await expect(runBacktest({ sources: [source()], strategy: new TimedRoundTrip('x'), alsoRun: [new TimedRoundTrip('x')], cash: '1000' })).rejects.toMatchObject({ code: 'INVALID_FIELD' });
  });
});
