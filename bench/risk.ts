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
import { gc, median, recordResult } from './results.ts';

const GOAL_P99_MICROS = 5;
const GOAL_P999_MICROS = 20;
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

type Setup = Awaited<ReturnType<typeof setup>>;

interface Round {
  readonly checksPerSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
}

/** Both books built, each request checked once (every one must pass), then warmed up. */
async function prepare(open: number): Promise<Setup> {
  const s = await setup(open);
  for (const r of s.requests) {
    const v = s.gate.check(r, s.engine);
    if (!v.ok) throw new Error(`bench request denied: ${v.code} ${v.reason}`);
  }
  for (let i = 0; i < 50_000; i++) s.gate.check(s.requests[i & 63]!, s.engine); // warm-up
  return s;
}

/** One round: throughput in a tight loop, then latency of batches of BATCH checks (a single check is near the timer's resolution). */
function round({ engine, gate, requests }: Setup, iterations: number): Round {
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

/** The median of each figure over the rounds (the machine is shared: one round can land on a busy moment). */
function medianOf(rounds: readonly Round[]): Round {
  return {
    checksPerSec: median(rounds.map((r) => r.checksPerSec)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    p999: median(rounds.map((r) => r.p999)),
  };
}

export async function runRiskBench(): Promise<Record<string, unknown>> {
  const iterations = Number(process.env.BENCH_RISK_CHECKS ?? 400_000);
  const rounds = Number(process.env.BENCH_RISK_ROUNDS ?? 5);
  const smallBook = await prepare(10);
  const largeBook = await prepare(100_000);
  // Rounds of the two cases interleaved, so that both see the same spells of load.
  const smallRounds: Round[] = [];
  const largeRounds: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    smallRounds.push(round(smallBook, iterations));
    largeRounds.push(round(largeBook, iterations));
  }
  const small = medianOf(smallRounds);
  const large = medianOf(largeRounds);
  const figures = {
    checksPerSec: small.checksPerSec,
    p50Micros: small.p50,
    p99Micros: small.p99,
    p999Micros: small.p999,
    checksPerSecAt100kOpen: large.checksPerSec,
    p50MicrosAt100kOpen: large.p50,
    p99MicrosAt100kOpen: large.p99,
    p999MicrosAt100kOpen: large.p999,
    goalP99Micros: GOAL_P99_MICROS,
    goalP999Micros: GOAL_P999_MICROS,
    slowdownAt100kOpen: Number((large.p99 / small.p99).toFixed(2)),
    iterations,
    rounds,
    p99MicrosRounds: smallRounds.map((r) => r.p99),
    p99MicrosAt100kOpenRounds: largeRounds.map((r) => r.p99),
    p999MicrosRounds: smallRounds.map((r) => r.p999),
    p999MicrosAt100kOpenRounds: largeRounds.map((r) => r.p999),
  };
  console.log(
    `risk: ${small.checksPerSec.toLocaleString('en-US')} checks/s, p50 ${small.p50} µs, p99 ${small.p99} µs, p99.9 ${small.p999} µs at 10 open orders (goal p99 < ${GOAL_P99_MICROS} µs, p99.9 < ${GOAL_P999_MICROS} µs; medians of ${rounds} rounds)\n` +
      `risk: ${large.checksPerSec.toLocaleString('en-US')} checks/s, p50 ${large.p50} µs, p99 ${large.p99} µs, p99.9 ${large.p999} µs at 100,000 open orders (${figures.slowdownAt100kOpen}x the p99 at 10)`,
  );
  recordResult('risk', figures);
  return figures;
}
