/**
 * One gate under load for the risk bench (bench/risk.ts): a real engine with a book of working
 * orders built through the gate, and a round of checks (throughput, then latency of batches).
 */
import { performance } from 'node:perf_hooks';
import { TestClock } from '../src/engine/clock.ts';
import { Engine } from '../src/engine/engine.ts';
import type { PreTradeRequest } from '../src/engine/gate.ts';
import { DiscardingJournal } from '../src/engine/journal.ts';
import { Currencies } from '../src/model/currency.ts';
import type { ClientOrderId } from '../src/model/identifiers.ts';
import { Money } from '../src/model/money.ts';
import { createOrderSpec } from '../src/model/orders/factory.ts';
import type { LimitsConfig } from '../src/risk/config/types.ts';
import { RiskGate } from '../src/risk/gate/index.ts';
import { ScriptedVenue } from '../src/venues/scripted/scripted-venue.ts';
import { gc } from './results.ts';

const INST = 'BTCUSDT.BINANCE';

/** Every check enabled, limits wide enough that the measured order passes all of them (the slowest path). */
const CONFIG: LimitsConfig = {
  instruments: {
    [INST]: { max_order_quantity: '10', max_order_notional: '500000', max_position_quantity: '1000000', max_position_notional: '100000000000', price_collar_pct: 5, price_collar_ticks: 100000, max_open_orders: 1_000_000 },
  },
  accounts: { A: { max_gross_exposure: '1000000000000', max_net_exposure: '1000000000000', max_leverage: 1000, max_concentration_pct: 100000, max_open_orders: 1_000_000 } },
  firm: { max_gross_exposure: '1000000000000', max_net_exposure: '1000000000000' },
  reference_price_max_age_ms: 1_000_000_000,
  price_collar_pct: 5,
  duplicate_window_ms: 1_000,
  throttles: { submit: { per_second: 1_000_000_000, per_minute: 1_000_000_000, per_hour: 1_000_000_000 }, modify: { per_second: 1_000_000_000 }, cancel: {}, hard_limit_multiple: 3 },
  restricted_instruments: ['ETHUSDT.BINANCE'],
  self_trade_prevention: true,
};

/** A real engine with `open` working orders (buys below 24,000 and sells above, on many levels) built through the gate. */
async function setup(open: number) {
  const clock = new TestClock(1_700_000_000_000);
  const gate = new RiskGate(CONFIG);
  const engine = new Engine({ clock, journal: new DiscardingJournal(), gate, retainClosedOrders: 1000 });
  const inst = await engine.registerInstrument({ id: INST, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001' });
  engine.addVenue(new ScriptedVenue({ id: 'BINANCE', clock, recordCalls: false }));
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('100000000000', Currencies.USDT), Money.of('1000000', Currencies.BTC)] });
  engine.updateMarket(INST, { last: inst.price('24000.00') });
  for (let i = 0; i < open; i++) {
    const buy = i % 2 === 0;
    const px = buy ? 23_990 - (i % 500) * 0.5 : 24_010 + (i % 500) * 0.5;
    const r = await engine.submitOrder({ clientOrderId: `W-${i}`, accountId: 'A', strategyId: `s${i % 7}`, instrumentId: INST, side: buy ? 'BUY' : 'SELL', type: 'LIMIT', quantity: '0.01', price: px.toFixed(2) });
    if (r.denied.length) throw new Error(`prefill denied: ${r.denied[0]!.code} ${r.denied[0]!.reason}`);
    clock.advance(1);
  }
  if (gate.openOrderCount !== open) throw new Error(`expected ${open} open orders in the gate, got ${gate.openOrderCount}`);
  // The measured request: a limit buy inside the spread, passing every check.
  const requests: PreTradeRequest[] = [];
  for (let i = 0; i < 64; i++) {
    const spec = createOrderSpec(
      { clientOrderId: `Q-${i}` as ClientOrderId, accountId: 'A', strategyId: 's1', instrumentId: INST, side: 'BUY', type: 'LIMIT', quantity: (0.01 + i * 0.00001).toFixed(5), price: '23999.00' },
      inst,
      clock.now(),
    );
    requests.push({ kind: 'submit', spec, instrument: inst });
  }
  return { engine, gate, requests };
}

export type Setup = Awaited<ReturnType<typeof setup>>;

export interface Round {
  readonly checksPerSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
}

/** Both books built, each request checked once (every one must pass), then warmed up. */
export async function prepare(open: number): Promise<Setup> {
  const s = await setup(open);
  for (const r of s.requests) {
    const v = s.gate.check(r, s.engine);
    if (!v.ok) throw new Error(`bench request denied: ${v.code} ${v.reason}`);
  }
  for (let i = 0; i < 50_000; i++) s.gate.check(s.requests[i & 63]!, s.engine); // warm-up
  return s;
}

/** One round: throughput in a tight loop, then latency of batches of BATCH checks (a single check is near the timer's resolution). */
export function round({ engine, gate, requests }: Setup, iterations: number): Round {
  gc();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) gate.check(requests[i & 63]!, engine);
  const checksPerSec = Math.round(iterations / ((performance.now() - t0) / 1000));
  const BATCH = Number(process.env.BENCH_RISK_BATCH ?? 16);
  const samples = new Float64Array(Math.floor(iterations / BATCH / 4));
  for (let s = 0; s < samples.length; s++) {
    const a = performance.now();
    for (let j = 0; j < BATCH; j++) gate.check(requests[(s * BATCH + j) & 63]!, engine);
    samples[s] = ((performance.now() - a) * 1000) / BATCH;
  }
  samples.sort();
  const at = (q: number): number => Number(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(3));
  return { checksPerSec, p50: at(0.5), p99: at(0.99), p999: at(0.999) };
}
