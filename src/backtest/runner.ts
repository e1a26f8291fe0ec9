import type { Journal } from '../engine/journal.ts';
import type { Currency } from '../model/currency.ts';
import { ValidationError } from '../model/errors.ts';
import { instrumentId, venueOf } from '../model/identifiers.ts';
import type { Instrument, InstrumentSpec } from '../model/instrument.ts';
import type { IntrabarPath } from '../model/intrabar.ts';
import { noAlerts, type NodeConfig, type VenueConfig } from '../node/config/index.ts';
import type { MarketItem } from '../node/market-data.ts';
import { InProcessJournal } from '../node/run-journal.ts';
import { TradingNode, type TradingNodeDeps } from '../node/trading-node.ts';
import type { RiskConfig } from '../risk/config/types.ts';
import type { ExchangeModelConfig } from '../venues/sim/exchange/configured-models.ts';
import { mergeBars } from './merge.ts';
import type { Metrics, MonthlyReturn } from './metrics.ts';
import { BacktestRecorder, type RecorderOptions } from './recorder.ts';
import type { Strategy, StrategyFactory } from './strategy.ts';
import type { ClosedTrade } from './trades.ts';
import { backtestRiskConfig, type BreakerLogEntry } from './risk-log.ts';

export type { MarketItem } from '../node/market-data.ts';

export interface BacktestSource {
  readonly instrument: InstrumentSpec;
  /** Bars or trades of this instrument in time order; their instrumentId must be the instrument's id. */
  readonly bars: AsyncIterable<MarketItem> | Iterable<MarketItem>;
}

export interface BacktestOptions {
  readonly sources: readonly BacktestSource[];
  readonly strategy: Strategy;
  /** More strategies trading the same account alongside `strategy`, each under its own name. */
  readonly alsoRun?: readonly Strategy[];
  /** Starting cash in the instruments' settlement currency (decimal text). */
  readonly cash: string;
  /** Exchange models by name (slippage, fees, latency, limit fills); default none: the instrument's fees, no slippage. */
  readonly models?: ExchangeModelConfig;
  /** Seed for the seeded models (given to the limit-fill and latency configs that name none). Default 1. */
  readonly seed?: number;
  readonly intrabar?: IntrabarPath;
  readonly maxBarVolumeShare?: number;
  /** Pre-trade gate and circuit breakers from a risk config; default none (every order goes through). */
  readonly risk?: RiskConfig;
  /** Post risk alerts to the risk config's webhook (default false: a backtest never calls out). */
  readonly webhooks?: boolean;
  /** Only bars with from ≤ open time < to (epoch ms). */
  readonly from?: number;
  readonly to?: number;
  /** Bars per year for annualising; default inferred from the data (see metrics.ts). */
  readonly periodsPerYear?: number;
  /**
   * Most points kept in `BacktestResult.equity` (default 100,000; Infinity keeps every bar): past
   * it the curve is thinned (see runBacktest). Metrics are computed over every bar regardless.
   */
  readonly maxEquityPoints?: number;
  /** Keep the bars for the report's price chart (default true). */
  readonly keepBars?: boolean;
  readonly accountId?: string;
  /** The event journal; default one that keeps nothing (memory stays flat). */
  readonly journal?: Journal;
  /** Called every `progressEvery` bars (default 10,000) and at the end. */
  readonly onProgress?: (bars: number, ts: number) => void;
  readonly progressEvery?: number;
}

/** Bars kept for the report: parallel arrays, numbers. */
export interface KeptBars {
  readonly time: number[];
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
}

export interface FillRecord {
  readonly instrumentId: string;
  readonly time: number;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  readonly price: string;
  readonly fee: string;
}

export interface BacktestResult {
  readonly strategy: string;
  readonly bars: number;
  readonly startTime: number;
  readonly endTime: number;
  readonly currency: string;
  readonly initialEquity: string;
  readonly finalEquity: string;
  readonly feesPaid: string;
  readonly breakerTrips: number;
  readonly breakerResets: number;
  /** Every breaker trip and reset, in time order. */
  readonly breakerLog: readonly BreakerLogEntry[];
  readonly denied: number;
  readonly deniedByCode: Readonly<Record<string, number>>;
  readonly instruments: readonly Instrument[];
  readonly trades: readonly ClosedTrade[];
  readonly fills: readonly FillRecord[];
  /**
   * Equity at each bar close, preceded by the start (numbers, for charts and equity.csv), when the
   * run has at most `maxEquityPoints` points (bars + 1); else a thinned curve of at most
   * maxEquityPoints + 3 points: every stride-th point (stride a power of two), plus the latest point
   * and the max-drawdown peak and trough. `metrics` and `monthlyReturns` never depend on it.
   */
  readonly equity: { readonly times: number[]; readonly values: number[] };
  /** Month-by-month returns over every bar close (UTC months; see MonthlyReturns in metrics.ts). */
  readonly monthlyReturns: readonly MonthlyReturn[];
  readonly bySymbol: ReadonlyMap<string, KeptBars>;
  readonly openPositions: readonly { instrumentId: string; quantity: string }[];
  readonly metrics: Metrics;
}

/**
 * Runs strategies over historical data: the TradingNode in backtest mode, on a simulated clock
 * (the data's time), with the simulated exchanges called directly (no executor), the risk stack
 * ticked on data time, the order emulator, the execution algorithms and the cancel chaser (on a
 * ManualTimer run at each step), the strategies in the node's StrategyHost. The options become a
 * node config (one sim venue per instrument venue, one CASH account, the strategies on every
 * instrument) and deps (the merged sources as the feed, the instruments as specs, the journal);
 * a BacktestRecorder gathers the result while the node runs. See TradingNode.run for a step:
 *   1. the clock is set to the step's open and each exchange walks its item (orders sent at the
 *      previous close fill at this open, plus slippage; resting orders fill along the bar);
 *   2. the clock is set to the step's close and risk control's tick runs on it (breakers reset by
 *      themselves, trading days roll); strategies' timers due by then fire;
 *   3. the engine marks each item and the strategies see it; their orders go through the engine
 *      (and gate, and the emulator for types the venue lacks) to the exchange.
 * Nothing reads the system time or an unseeded random source, so the same inputs and seed give
 * the same result.
 */
export async function runBacktest(o: BacktestOptions): Promise<BacktestResult> {
  if (o.sources.length === 0) throw new ValidationError('INVALID_FIELD', 'a backtest needs at least one data source', { field: 'sources' });
  const all = [o.strategy, ...(o.alsoRun ?? [])];
  const names = new Set<string>();
  for (const st of all) {
    if (names.has(st.name)) throw new ValidationError('INVALID_FIELD', `two strategies in one run are both named ${st.name}`, { field: 'strategies', input: st.name });
    names.add(st.name);
  }
  const specs = o.sources.map((s) => s.instrument);
  const currency = settlementOf(specs);
  const accountId = o.accountId ?? 'BACKTEST';
  const deps: TradingNodeDeps = {
    journal: new InProcessJournal(o.journal),
    feed: mergeBars(o.sources.map((s) => s.bars)),
    range: { ...(o.from !== undefined ? { from: o.from } : {}), ...(o.to !== undefined ? { to: o.to } : {}) },
    instruments: specs,
    webhooks: o.webhooks ?? false,
    strategies: Object.fromEntries(all.map((st, i) => [instanceKey(i), instanceFactory(st)])),
  };
  return runNodeBacktest(backtestNodeConfig(o, specs, currency, accountId), deps, { ...o, name: o.strategy.name });
}

export interface NodeBacktestOptions extends RecorderOptions {
  /** The result's strategy name. */
  readonly name: string;
  readonly keepBars?: boolean;
  /** Where the clock starts when there is no data in range (runBacktest: its `from`). */
  readonly from?: number;
}

/**
 * Runs a backtest-mode TradingNode to the end of its data and reports it as a BacktestResult:
 * the account of the config's first strategy (or first account), its equity at every step's close,
 * the trades and fills of the run. runBacktest builds the config from its options; `warden
 * backtest --config` loads it from warden.yaml.
 */
export async function runNodeBacktest(config: NodeConfig, deps: TradingNodeDeps, o: NodeBacktestOptions): Promise<BacktestResult> {
  if (config.node.mode !== 'backtest') throw new ValidationError('INVALID_FIELD', `a backtest runs a node in mode backtest, not ${config.node.mode}`, { field: 'node.mode', input: config.node.mode });
  const accountId = config.strategies[0]?.account ?? config.accounts[0]?.id;
  if (accountId === undefined) throw new ValidationError('INVALID_FIELD', 'a backtest needs an account', { field: 'accounts' });
  const recorder = new BacktestRecorder(o);
  const node = await TradingNode.start(config, {
    statusEvery: Number.MAX_SAFE_INTEGER,
    ...deps,
    observe: (engine) => recorder.attach(engine),
    onStep: (items, close) => recorder.onStep(items, close),
  });
  const ids = [...(deps.instruments ?? []).map((s) => s.id), ...config.instruments.map((i) => i.id)];
  const instruments = [...new Set(ids)].map((id) => node.engine.instrument(id));
  const currency = instruments[0]!.settlement;
  const other = instruments.find((i) => i.settlement.code !== currency.code);
  if (other) {
    await node.stop();
    throw new ValidationError('INVALID_FIELD', `all instruments must settle in one currency: ${other.id} settles in ${other.settlement.code}, not ${currency.code}`, { field: 'instruments' });
  }
  recorder.start(node.dataStart ?? o.from ?? 0, accountId, instruments, o.keepBars ?? true);
  await node.run();
  return recorder.finish(o.name, instruments);
}

/** Names the run's strategy instances to the node's StrategyHost (which builds strategies by name). */
const instanceKey = (i: number): string => `backtest-instance-${i}`;

function instanceFactory(strategy: Strategy): StrategyFactory {
  return { name: strategy.name, description: 'a strategy instance given to runBacktest', params: [], create: () => strategy };
}

/** The one settlement currency of the run's instruments (a backtest's account and equity are in it). */
function settlementOf(specs: readonly InstrumentSpec[]): Currency {
  const currency = specs[0]!.settlement ?? specs[0]!.quote;
  for (const s of specs) {
    const c = s.settlement ?? s.quote;
    if (c.code !== currency.code) {
      throw new ValidationError('INVALID_FIELD', `all instruments must settle in one currency: ${s.id} settles in ${c.code}, not ${currency.code}`, { field: 'sources' });
    }
  }
  return currency;
}

/**
 * The node config a backtest runs: one simulated venue per venue of the sources (with the run's
 * exchange models, seeded), one CASH account funded with `cash` on the first, every strategy on
 * every instrument, the risk config without its webhook unless asked, nothing canceled at the end
 * (the run's open orders and positions are part of its result).
 */
function backtestNodeConfig(o: BacktestOptions, specs: readonly InstrumentSpec[], currency: Currency, accountId: string): NodeConfig {
  const models = withSeed(o.models ?? {}, o.seed ?? 1);
  const venue: VenueConfig = {
    type: 'sim',
    cancel_on_stop: false,
    ...(models.fees ? { fees: models.fees } : {}),
    ...(models.slippage ? { slippage: models.slippage } : {}),
    ...(models.latency ? { latency: models.latency } : {}),
    ...(models.limitFill ? { limit_fill: models.limitFill } : {}),
    ...(o.intrabar ? { intrabar: o.intrabar } : {}),
    ...(o.maxBarVolumeShare !== undefined ? { max_bar_volume_share: o.maxBarVolumeShare } : {}),
  } as VenueConfig;
  const venues = [...new Set(specs.map((s) => venueOf(instrumentId(s.id)) as string))];
  const ids = [...new Set(specs.map((s) => s.id))];
  const all = [o.strategy, ...(o.alsoRun ?? [])];
  return {
    node: { id: 'backtest', mode: 'backtest', journal: { memory: true }, snapshot_every: 10_000 },
    venues: Object.fromEntries(venues.map((v) => [v, venue])),
    accounts: [{ id: accountId, type: 'CASH', venue: venues[0]!, position_mode: 'NETTING', balances: { [currency.code]: o.cash } }],
    instruments: [],
    data: { replay: [], subscriptions: [], speed: 'max', loop: false },
    risk: o.risk ? backtestRiskConfig(o.risk, o.webhooks ?? false) : undefined,
    strategies: all.map((st, i) => ({ name: instanceKey(i), id: st.name, params: {}, instruments: ids, account: accountId })),
    alerts: noAlerts(),
    logging: { level: 'silent', format: 'json', destination: 'stderr', redact: [] },
  };
}

/** Seeds the seeded models (limit fills at touch, random latency) that do not name a seed. */
function withSeed(models: ExchangeModelConfig, seed: number): ExchangeModelConfig {
  const seeded = (c: ExchangeModelConfig['latency']) => (c && (c.model === 'random' || c.model === 'fill_at_touch') && c.seed === undefined ? { ...c, seed } : c);
  const out: { -readonly [K in keyof ExchangeModelConfig]: ExchangeModelConfig[K] } = { ...models };
  if (models.latency) out.latency = seeded(models.latency);
  if (models.limitFill) out.limitFill = seeded(models.limitFill);
  return out;
}
