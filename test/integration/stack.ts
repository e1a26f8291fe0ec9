/**
 * The whole stack as a real run assembles it, for the end-to-end re-checks of FAULTS.md: the
 * repository's risk.example.yaml (loadRiskConfig) behind `guardedEngine` (gate, breakers,
 * RiskControl), a journal (memory, or SQLite in a temp dir where durability matters), a
 * SimulatedExchange told the CASH accounts' balances, behind a FaultInjectingVenue and optionally
 * an Executor (PAPER), a CancelChaser on risk control's cancels, an operator credential from the
 * engine's authority, and strategies that see only their narrow StrategyContext. A restart builds
 * a new engine from the same journal against the same exchange, reconciles, and only then starts
 * the chaser (and lets strategies run).
 */
import { fileURLToPath } from 'node:url';
import { createStrategyContext } from '../../src/backtest/context.ts';
import type { StrategyContext } from '../../src/backtest/strategy.ts';
import { TestClock } from '../../src/engine/clock.ts';
import type { EngineStateOptions } from '../../src/engine/state.ts';
import { MemoryJournal, type Journal } from '../../src/engine/journal.ts';
import { reconcile, type ReconcileReport } from '../../src/engine/reconcile.ts';
import { guardedEngine } from '../../src/risk/control/risk-setup.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { SubmitRequest, Venue } from '../../src/engine/venue.ts';
import { CancelChaser } from '../../src/execution/cancel-chaser.ts';
import { Executor } from '../../src/execution/executor.ts';
import { ManualTimer } from '../../src/execution/timer.ts';
import { Currencies } from '../../src/model/currency.ts';
import type { Instrument } from '../../src/model/instrument.ts';
import { Money } from '../../src/model/money.ts';
import type { OrderEvent } from '../../src/model/orders/events.ts';
import type { OrderRequest } from '../../src/model/orders/factory.ts';
import { Quantity } from '../../src/model/values.ts';
import { loadRiskConfig } from '../../src/risk/config/load.ts';
import type { RiskConfig } from '../../src/risk/config/types.ts';
import { SimulatedExchange } from '../../src/venues/sim/exchange/simulated-exchange.ts';
import { FaultInjectingVenue } from '../../src/venues/sim/faults/index.ts';
import type { ExchangeLatency } from '../../src/venues/sim/exchange/ports.ts';

export const EXAMPLE = fileURLToPath(new URL('../../risk.example.yaml', import.meta.url));
export const T0 = Date.parse('2024-01-02T15:00:00Z');
/** Listed in risk.example.yaml: order ≤ 2 BTC and ≤ 100,000 USDT, position ≤ 10 BTC, collar 2% or 200 ticks (2.00 USDT: the tighter), ≤ 20 open orders. */
export const BTC = 'BTCUSDT.BINANCE';

/** The example file as shipped, with `edit` applied; its webhook is `${WARDEN_WEBHOOK_URL}` from `env` (none by default). */
export function exampleConfig(edit: (c: RiskConfig) => RiskConfig = (c) => c, env: Record<string, string> = {}): RiskConfig {
  return edit(loadRiskConfig(EXAMPLE, env));
}

/** A config edit on the limits. */
export const limits = (over: Partial<RiskConfig['limits']>) => (c: RiskConfig): RiskConfig => ({ ...c, limits: { ...c.limits, ...over } });

export interface StackOptions {
  readonly config?: RiskConfig;
  readonly journal?: Journal;
  /** An Executor (PAPER) between the engine and the fault-injecting venue. */
  readonly executor?: boolean;
  readonly latency?: ExchangeLatency;
  readonly engine?: EngineStateOptions;
  /** ACC-1's and ACC-2's opening balances (CASH, told to the exchange too). */
  readonly acc1?: { usdt: string; btc: string };
  readonly acc2?: { usdt: string; btc: string };
}

/** What survives a process: the clock, the journal, the venue and its fault injector. */
interface World {
  readonly clock: TestClock;
  readonly journal: Journal;
  readonly ex: SimulatedExchange;
  readonly faults: FaultInjectingVenue;
  /** Submits that reached the exchange, per client order id. */
  readonly placed: Map<string, number>;
  /** Restarts so far: strategies' generated ids carry it after the first (`alpha-r1-1`), so they never repeat a journaled one. */
  readonly restarts: number;
}

export type Stack = Awaited<ReturnType<typeof assemble>>;

/** A fresh node: instruments registered and accounts opened at the engine and at the exchange. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const clock = new TestClock(T0);
  const ex = new SimulatedExchange({ id: 'BINANCE', clock, ...(opts.latency ? { latency: opts.latency } : {}) });
  const placed = new Map<string, number>();
  const inner = ex.submit.bind(ex);
  ex.submit = (req: SubmitRequest) => {
    placed.set(req.spec.clientOrderId, (placed.get(req.spec.clientOrderId) ?? 0) + 1);
    inner(req);
  };
  const world: World = { clock, journal: opts.journal ?? new MemoryJournal(), ex, faults: new FaultInjectingVenue(ex), placed, restarts: 0 };
  const s = await assemble(world, opts, false);
  const inst = await s.engine.registerInstrument({ id: BTC, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001', makerFee: '0.001' });
  ex.list(inst);
  for (const [id, b] of [['ACC-1', opts.acc1 ?? { usdt: '1000000', btc: '10' }], ['ACC-2', opts.acc2 ?? { usdt: '200000', btc: '0' }]] as const) {
    const balances = [Money.of(b.usdt, Currencies.USDT), Money.of(b.btc, Currencies.BTC)];
    await s.engine.openAccount({ id, type: 'CASH', balances });
    ex.accounts.openCashAccount(id, balances);
  }
  s.chaser.start(s.control);
  return s;
}

/**
 * The process dies and a new one starts on the same journal and venue: the engine is rebuilt from
 * the journal, reconciled with the venue before anything else runs, and only then is the chaser
 * started. `opts.journal` replaces the journal (a reopened SQLite file).
 */
export async function restartStack(old: Stack, opts: StackOptions = {}): Promise<Stack & { reconciled: ReconcileReport }> {
  old.world.ex.connect(() => {}); // the dead process hears nothing more
  const world: World = { ...old.world, journal: opts.journal ?? old.world.journal, restarts: old.world.restarts + 1 };
  const s = await assemble(world, { ...old.opts, ...opts }, true);
  const reconciled = await reconcile(s.engine, s.venue);
  await s.settle();
  s.chaser.start(s.control);
  return { ...s, reconciled };
}

async function assemble(world: World, opts: StackOptions, fromJournal: boolean) {
  const { clock, journal, ex, faults, placed } = world;
  const timer = new ManualTimer(clock);
  const config = opts.config ?? exampleConfig();
  const g = await guardedEngine(config, { clock, journal, ...opts.engine }, fromJournal);
  const { engine, control, gate, webhook } = g;
  const alerts: EngineAlert[] = [];
  const venue: Venue = opts.executor ? new Executor(faults, { mode: 'PAPER', clock, timer, onAlert: (a) => alerts.push(a) }) : faults;
  engine.addVenue(venue);
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  const events: OrderEvent[] = [];
  engine.bus.subscribe('order', (e) => events.push(e));
  const chaser = new CancelChaser(engine, { timer, queries: () => ex.queries });
  const operator = engine.authority.issue('ops-1', ['RISK']);
  const inst = (): Instrument => engine.instrument(BTC);

  /** Lets every promise chain, risk action and timer finish. */
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      await timer.runUntilIdle();
      await control.idle();
    }
  };
  /** Bid and ask at the exchange (market orders take them) and a fresh last price at the engine. */
  const quote = (bid: string, ask: string, last = bid): void => {
    ex.onQuote(inst(), inst().price(bid), inst().price(ask));
    engine.updateMarket(BTC, { last: inst().price(last) });
  };
  /** A print at the exchange: resting orders it reaches fill, up to `size`; the engine sees the last. */
  const trade = (px: string, size: string): void => {
    ex.onTrade(inst(), inst().price(px), size);
    engine.updateMarket(BTC, { last: inst().price(px) });
  };
  let n = 0;
  /** A strategy of ACC-1 (or `account`) that sees only its StrategyContext. */
  const strategy = (strategyId: string, account = 'ACC-1'): StrategyContext =>
    createStrategyContext({
      engine,
      strategyId,
      accountId: account,
      instruments: [inst()],
      currency: Currencies.USDT,
      nextOrderId: () => (world.restarts === 0 ? `${strategyId}-${++n}` : `${strategyId}-r${world.restarts}-${++n}`),
      netRaw: (pid) => engine.portfolio.position(pid as never)?.signedQtyRaw ?? 0n,
      setTimer: () => undefined,
    });
  const submit = (o: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId' | 'side' | 'type'>) =>
    engine.submitOrder({ accountId: 'ACC-1', strategyId: 's1', instrumentId: BTC, quantity: '1', ...o });
  /** ACC-x's net BTC position (all strategies), signed text. */
  const position = (account = 'ACC-1'): string => {
    let raw = 0n;
    for (const p of engine.portfolio.openPositions()) if (p.accountId === account && p.instrumentId === BTC) raw += p.signedQtyRaw;
    const q = Quantity.fromRaw(raw < 0n ? -raw : raw, inst().sizePrecision).toString();
    return raw < 0n ? `-${q}` : q;
  };
  /** The exchange's net BTC lots for an account, as the venue reports positions. */
  const venuePosition = async (account = 'ACC-1'): Promise<string> => {
    const p = (await ex.queries.positions()).find((x) => x.instrumentId === BTC && x.accountId === account);
    return !p || p.side === 'FLAT' ? Quantity.zero(inst().sizePrecision).toString() : `${p.side === 'SHORT' ? '-' : ''}${p.quantity.toString()}`;
  };
  const balance = (account: string, ccy: 'USDT' | 'BTC') => engine.portfolio.account(account as never).balance(ccy === 'USDT' ? Currencies.USDT : Currencies.BTC);
  const venueBalance = (account: string, ccy: 'USDT' | 'BTC') => ex.accounts.balance(account, ccy === 'USDT' ? Currencies.USDT : Currencies.BTC);
  const codes = (code: string) => alerts.filter((a) => a.code === code);
  const kinds = (id: string) => events.filter((e) => e.clientOrderId === id).map((e) => e.kind);
  return {
    world, opts, clock, timer, journal, ex, faults, placed, engine, control, gate, webhook, venue, chaser, operator, alerts, events,
    inst, settle, quote, trade, strategy, submit, position, venuePosition, balance, venueBalance, codes, kinds,
  };
}
