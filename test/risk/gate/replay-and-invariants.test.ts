import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.ts';
import { createOrderSpec, type OrderRequest } from '../../../src/model/orders/factory.ts';
import { RiskGate } from '../../../src/risk/gate/index.ts';
import { BTC, gateSetup, limit, limitsConfig, marketBuy, type Overrides } from './fixtures.ts';

describe('replay: Engine.fromJournal with a new RiskGate rebuilds the same aggregates', () => {
  it('positions, working orders, open-order counts, rates and duplicates come back; probes get the same verdicts', async () => {
    const over: Overrides = {
      duplicate_window_ms: 10_000,
      throttles: { submit: { per_minute: 12 } },
      instruments: { [BTC]: { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '10', max_position_notional: '300000', max_open_orders: 5 } },
    };
    const h = await gateSetup(over);
    await h.engine.submitOrder(marketBuy('M-1', '2'));
    await h.engine.submitOrder(limit('L-1', 'BUY', '3', '24000.00'));
    await h.engine.submitOrder(limit('L-2', 'SELL', '1', '24100.00'));
    await h.engine.submitOrder(limit('L-3', 'BUY', '1', '23900.00', { strategyId: 's2' }));
    h.venue.fill('L-1', '1', '24000.00');
    await h.engine.modifyOrder('L-3', { quantity: '2' });
    await h.engine.cancelOrder('L-2');
    await h.engine.submitOrder(limit('L-4', 'BUY', '9', '24000.00')); // denied
    await h.engine.submitOrder(limit('L-5', 'SELL', '0.5', '24200.00', { accountId: 'ACC-2' })); // denied: no BTC

    const replayGate = new RiskGate(limitsConfig(over));
    const replayed = await Engine.fromJournal(h.journal, { clock: h.clock, gate: replayGate });
    replayed.updateMarket(BTC, { last: replayed.instrument(BTC).price('24000') });
    expect(replayGate.aggregates()).toEqual(h.gate.aggregates());
    expect(replayGate.aggregates()).toContainEqual({ account: 'ACC-1', instrument: BTC, position: '3.000', workingBuy: '4.000', workingSell: '0.000', openOrders: 2 });
    expect(replayGate.openOrderCount).toBe(h.gate.openOrderCount);
    expect(replayGate.rate('submit', 's1')).toEqual(h.gate.rate('submit', 's1'));

    const inst = h.engine.instrument(BTC);
    const probes: OrderRequest[] = [
      limit('P-1', 'BUY', '2.995', '24000.00'), // 3 + 4 + 2.995 = 9.995: passes
      limit('P-2', 'BUY', '3.005', '24000.00'), // worst case over 10
      limit('P-3', 'BUY', '3', '24000.00', { strategyId: 's2' }), // duplicate of P-1? no: other strategy
      limit('P-4', 'BUY', '2', '23900.00', { strategyId: 's2' }), // L-3 as modified: duplicates are by what was submitted
      limit('P-5', 'BUY', '1', '23900.00', { strategyId: 's2' }), // identical to L-3 as sent: DUPLICATE_ORDER
      limit('P-6', 'SELL', '3', '24000.00', { reduceOnly: true }),
    ];
    const verdicts = (e: Engine, g: RiskGate) => probes.map((p) => g.check({ kind: 'submit', spec: createOrderSpec(p, inst, e.now()), instrument: inst }, e));
    const live = verdicts(h.engine, h.gate);
    expect(verdicts(replayed, replayGate)).toEqual(live);
    expect(live.map((v) => (v.ok ? 'ok' : v.code))).toEqual(['ok', 'MAX_POSITION_QUANTITY_EXCEEDED', 'ok', 'ok', 'DUPLICATE_ORDER', 'ok']);
    // 6 submit attempts (denied ones count): 5 by s1, 1 by s2.
    expect(h.gate.rate('submit', 's1').minute).toBe(5);
    expect(h.gate.rate('submit', 's2').minute).toBe(1);
  });
});

/** Worst-case exposure of ACC-1 in BTC straight from the engine's state (not the gate's aggregates). */
function worstCase(engine: Engine): { long: bigint; short: bigint } {
  let pos = 0n;
  for (const p of engine.portfolio.allPositions()) if (p.accountId === 'ACC-1' && p.instrumentId === BTC) pos += p.signedQtyRaw;
  let buys = 0n;
  let sells = 0n;
  for (const o of engine.openOrders()) {
    if (o.spec.accountId !== 'ACC-1' || o.status === 'INITIALIZED') continue;
    const leaves = o.quantity.raw - o.filledQty.raw;
    if (o.side === 'BUY') buys += leaves;
    else sells += leaves;
  }
  return { long: pos + buys, short: -(pos - sells) };
}

type Step =
  | { kind: 'limit'; side: 'BUY' | 'SELL'; lots: number; ticks: number; strategy: number }
  | { kind: 'market'; side: 'BUY' | 'SELL'; lots: number }
  | { kind: 'fill'; pick: number; part: number }
  | { kind: 'cancel'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('limit' as const), side: fc.constantFrom('BUY' as const, 'SELL' as const), lots: fc.integer({ min: 1, max: 800 }), ticks: fc.integer({ min: -200, max: 200 }), strategy: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('market' as const), side: fc.constantFrom('BUY' as const, 'SELL' as const), lots: fc.integer({ min: 1, max: 800 }) }),
  fc.record({ kind: fc.constant('fill' as const), pick: fc.nat(), part: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
);

describe('property: under random order flow no configured limit is exceeded by filled plus working exposure', () => {
  it('position ≤ 10 BTC and ≤ 200,000 USDT, account gross ≤ 150,000 USDT, worst case, after every step', async () => {
    const lot = 5n; // 0.005 BTC in raw lots of precision 3
    const maxQty = 10_000n;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps) => {
        const h = await gateSetup({
          instruments: { [BTC]: { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '10', max_position_notional: '200000' } },
          accounts: { 'ACC-1': { max_gross_exposure: '150000' } },
        });
        h.market.last = '24000.00';
        let n = 0;
        for (const s of steps) {
          const q = 'lots' in s ? (s.lots * 0.005).toFixed(3) : '';
          const open = [...h.engine.state.openOrders.values()];
          switch (s.kind) {
            case 'limit': {
              const px = (24_000 + s.ticks * 0.05).toFixed(2);
              await h.engine.submitOrder(limit(`O-${++n}`, s.side, q, px, { strategyId: `s${s.strategy}` }));
              break;
            }
            case 'market':
              await h.engine.submitOrder({ ...marketBuy(`O-${++n}`, q), side: s.side });
              break;
            case 'fill': {
              const o = open[s.pick % Math.max(1, open.length)];
              if (o && o.price) {
                const leaves = o.quantity.raw - o.filledQty.raw;
                const part = ((leaves / lot) * BigInt(s.part)) / 4n * lot || leaves;
                h.venue.fill(o.clientOrderId, (Number(part) / 1000).toFixed(3), o.price);
              }
              break;
            }
            case 'cancel': {
              const o = open[s.pick % Math.max(1, open.length)];
              if (o) await h.engine.cancelOrder(o.clientOrderId);
              break;
            }
          }
          const w = worstCase(h.engine);
          expect(w.long).toBeLessThanOrEqual(maxQty);
          expect(w.short).toBeLessThanOrEqual(maxQty);
          const worst = w.long > w.short ? w.long : w.short;
          expect(worst * 24_000n).toBeLessThanOrEqual(150_000n * 1000n); // gross (one instrument) ≤ 150,000, also ≤ 200,000
        }
      }),
      { numRuns: 60 },
    );
  });
});
