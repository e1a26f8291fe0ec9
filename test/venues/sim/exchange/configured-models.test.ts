import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../../src/data/bar.ts';
import { TestClock } from '../../../../src/engine/clock.ts';
import { Engine } from '../../../../src/engine/engine.ts';
import { MemoryJournal } from '../../../../src/engine/journal.ts';
import { Currencies } from '../../../../src/model/currency.ts';
import { instrumentId } from '../../../../src/model/identifiers.ts';
import { Money } from '../../../../src/model/money.ts';
import type { OrderFilled } from '../../../../src/model/orders/events.ts';
import { exchangeModels, type ExchangeModelConfig } from '../../../../src/venues/sim/exchange/configured-models.ts';
import { SimulatedExchange } from '../../../../src/venues/sim/exchange/simulated-exchange.ts';

const T0 = Date.parse('2023-03-13T00:00:00Z');
const ID = 'BTCUSDT.BINANCE';

async function run(config: ExchangeModelConfig, script: (h: { order: (id: string, extra?: object) => Promise<unknown>; bar: (o: string, h: string, l: string, c: string) => void; clock: TestClock; ex: SimulatedExchange }) => Promise<void>) {
  const clock = new TestClock(T0);
  const engine = new Engine({ clock, journal: new MemoryJournal() });
  const ex = new SimulatedExchange({ id: 'BINANCE', clock, ...exchangeModels(config, clock) });
  engine.addVenue(ex);
  const inst = await engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001' });
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('10000000', Currencies.USDT)] });
  const fills: OrderFilled[] = [];
  engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderFilled') fills.push(e);
  });
  let minute = 0;
  await script({
    clock,
    ex,
    order: (id, extra = {}) => engine.submitOrder({ clientOrderId: id, accountId: 'A', instrumentId: ID, side: 'BUY', type: 'MARKET', quantity: '1', ...extra }),
    bar: (open, high, low, close) => {
      const b: Bar = { instrumentId: instrumentId(ID), ts: T0 + minute * 60_000, durationMs: 60_000, open, high, low, close, volume: '1000' };
      minute++;
      clock.set(Math.max(clock.now(), T0 + minute * 60_000));
      ex.onBar(b, inst);
    },
  });
  return { fills, engine };
}

describe('the exchange with configured models', () => {
  it('fixed 10 bps slippage: a market buy at the next open 25,000.00 fills at 25,025.00', async () => {
    const { fills } = await run({ slippage: { model: 'fixed_bps', bps: 10 } }, async (h) => {
      h.bar('24990.00', '25000.00', '24980.00', '24995.00');
      await h.order('M-1');
      h.bar('25000.00', '25010.00', '24990.00', '25005.00');
    });
    expect(fills.map((f) => f.lastPx.toString())).toEqual(['25025.00']);
  });

  it('tiered fees: the first 1 BTC at 25,000 pays the 0-volume taker rate 0.1%, the next, with 25,000 traded in 30 days, the 20,000-tier rate 0.05%', async () => {
    const { fills } = await run(
      { fees: { model: 'tiered', tiers: [{ min_volume: 0, maker: 0.001, taker: 0.001 }, { min_volume: 20000, maker: 0.0004, taker: 0.0005 }] } },
      async (h) => {
        h.bar('25000.00', '25000.00', '25000.00', '25000.00');
        await h.order('M-1');
        h.bar('25000.00', '25000.00', '25000.00', '25000.00');
        await h.order('M-2');
        h.bar('25000.00', '25000.00', '25000.00', '25000.00');
      },
    );
    expect(fills.map((f) => f.commission.toString())).toEqual(['25.00000000 USDT', '12.50000000 USDT']);
  });

  it('constant latency 250 ms: an order is accepted only once the clock passes it', async () => {
    const { engine } = await run({ latency: { model: 'constant', submit_ms: 250 } }, async (h) => {
      h.bar('25000.00', '25000.00', '25000.00', '25000.00');
      await h.order('L-1', { type: 'LIMIT', price: '24000.00' });
      h.clock.advance(249);
      h.ex.advance();
    });
    expect(engine.order('L-1')?.status).toBe('SUBMITTED');
  });

  it('fill_at_touch with probability 0 fills only through the price; with 1 at the touch', async () => {
    for (const [probability, n] of [[0, 0], [1, 1]] as const) {
      const { fills } = await run({ limitFill: { model: 'fill_at_touch', probability, seed: 7 } }, async (h) => {
        h.bar('25000.00', '25000.00', '25000.00', '25000.00');
        await h.order('L-1', { type: 'LIMIT', price: '24980.00' });
        h.bar('25000.00', '25000.00', '24980.00', '24990.00');
      });
      expect(fills).toHaveLength(n);
    }
  });

  it('seeded random latency: the same seed accepts orders at the same times, another seed at other times', async () => {
    const acceptedAt = async (seed: number) => {
      const at: number[] = [];
      const { engine } = await run({ latency: { model: 'random', seed, distribution: 'NORMAL', submit: { mean_ms: 100, stdev_ms: 30, floor_ms: 1 } } }, async (h) => {
        for (let i = 0; i < 5; i++) await h.order(`L-${i}`, { type: 'LIMIT', price: '24000.00' });
        for (let step = 0; step < 40; step++) {
          h.clock.advance(5);
          h.ex.advance();
        }
      });
      for (const r of (engine.journal as MemoryJournal).all()) if (r.event.kind === 'OrderAccepted') at.push(r.event.tsEvent - T0);
      return at;
    };
    const a = await acceptedAt(1);
    expect(a).toHaveLength(5);
    expect(await acceptedAt(1)).toEqual(a);
    expect(await acceptedAt(2)).not.toEqual(a);
  });

  it('refuses an unknown model, a bad parameter and queue_position with INVALID_FIELD naming the field', () => {
    const clock = new TestClock(T0);
    expect(() => exchangeModels({ slippage: { model: 'magic' } }, clock)).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
    expect(() => exchangeModels({ slippage: { model: 'fixed_bps', bsp: 1 } }, clock)).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
    expect(() => exchangeModels({ limitFill: { model: 'queue_position' } }, clock)).toThrow(expect.objectContaining({ code: 'INVALID_FIELD', context: { field: 'limitFill.model' } }));
  });
});
