import type { CommandResult, Engine } from '../engine/engine.ts';
import { strategyOrigin, type Origin } from '../engine/origin.ts';
import type { OrderRequest } from '../model/orders/factory.ts';
import type { Currency } from '../model/currency.ts';
import { ValidationError } from '../model/errors.ts';
import type { AccountId, PositionId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import type { Order } from '../model/orders/order.ts';
import { Quantity } from '../model/values.ts';
import { sellableOf } from '../portfolio/sellable.ts';
import type { Position } from '../portfolio/position.ts';
import { nettingPositionId } from '../portfolio/position-id.ts';
import { AuthorityError } from '../model/errors.ts';
import { strategyCommands, type CommandName, type StrategyEmulation } from './commands.ts';
import { INDICATORS } from './indicators.ts';
import { SILENT_LOGGER, type StrategyLogger } from './logger.ts';
import { strategyState } from './state.ts';
import type { OrderView, PositionView, Strategy, StrategyContext, StrategyOrder, StrategyResult } from './strategy.ts';

export interface ContextDeps {
  readonly engine: Engine;
  readonly strategyId: string;
  readonly accountId: string;
  readonly instruments: readonly Instrument[];
  readonly currency: Currency;
  /** The next client order id of this strategy. */
  nextOrderId(): string;
  /** The signed position in raw lots, by position id (the runner's trade tracker). */
  netRaw(positionId: string): bigint;
  /** Schedules onTimer for this strategy. */
  setTimer(at: number): void;
  /**
   * Where a new order goes; default engine.submitOrder. The trading node routes through its
   * OrderEmulator, so an order type the venue lacks (a trailing stop on the simulated exchange) is
   * held engine-side without the strategy asking.
   */
  readonly route?: (order: OrderRequest, origin: Origin) => Promise<StrategyResult>;
  /**
   * The order emulator and execution algorithms that bracket, OCO, OTO, trailing stops, TWAP,
   * VWAP and icebergs go through, asked for when first needed (a backtest builds them then). Absent:
   * those commands fail with a typed error.
   */
  readonly emulation?: () => StrategyEmulation;
  /** Throws when the strategy may not open anything now (the node's host: a paused or stopped strategy); cancels never ask. */
  readonly admit?: () => void;
  /** The strategy's logger (default: silent). */
  readonly log?: StrategyLogger;
}

/** Calls a strategy's onStop (or, for one written before it, onEnd). */
export function stopStrategy(strategy: Strategy, ctx: StrategyContext): void | Promise<void> {
  if (strategy.onStop) return strategy.onStop(ctx);
  if (strategy.onEnd) return strategy.onEnd(ctx);
}

/**
 * Builds a strategy's context: closures over the engine, never the engine itself, so nothing a
 * strategy can reach (not even at run time, through a property) leads to the engine, the
 * portfolio, the clock or a mutable ledger object. Commands carry the strategy's STRATEGY origin.
 * Views are frozen and cached per position and order until they change, so the per-bar path
 * (position, netQuantity, hasOpenOrders) allocates nothing.
 */
export function createStrategyContext(d: ContextDeps): StrategyContext {
  const { engine, strategyId: sid, accountId } = d;
  const origin = strategyOrigin(sid);
  const account = accountId as AccountId;
  const ids = Object.freeze(d.instruments.map((i) => i.id));
  const byId = new Map<string, Instrument>(d.instruments.map((i) => [i.id, i]));
  // The engine's instrument in force: a venue may change a tick or lot while running (FAULTS 35).
  const current = (i: Instrument): Instrument => engine.state.instruments.get(i.id) ?? i;
  let listed: readonly Instrument[] = Object.freeze([...d.instruments]);
  const positionIds = new Map<string, PositionId>();
  const positionViews = new WeakMap<Position, { fills: number; view: PositionView }>();
  const orderViews = new WeakMap<Order, { view: OrderView }>();

  const instrument = (id?: string): Instrument => {
    const inst = byId.get(id ?? ids[0]!);
    if (!inst) throw new ValidationError('INVALID_FIELD', `instrument ${String(id)} is not in this run`, { field: 'instrumentId', input: String(id) });
    return current(inst);
  };
  /** The run's instruments as now defined: the same frozen array until one of them changes. */
  const instruments = (): readonly Instrument[] => {
    if (listed.some((i) => current(i) !== i)) listed = Object.freeze(listed.map(current));
    return listed;
  };
  /** This strategy's netting position id in an instrument (the one place that spells it). */
  const positionId = (id: string): PositionId => {
    let p = positionIds.get(id);
    if (p === undefined) {
      p = nettingPositionId(account, id, sid);
      positionIds.set(id, p);
    }
    return p;
  };
  const own = (id: string): Order | undefined => {
    const o = engine.order(id);
    return o && o.spec.strategyId === sid && o.spec.accountId === account ? o : undefined;
  };
  const send = async (req: OrderRequest): Promise<StrategyResult> => (d.route ? d.route(req, origin) : result(await engine.submitOrder(req, origin)));
  const positionView = (p: Position): PositionView => {
    const cached = positionViews.get(p);
    if (cached && cached.fills === p.fillCount) return cached.view;
    const view: PositionView = Object.freeze({
      instrumentId: p.instrumentId,
      side: p.side,
      isOpen: p.isOpen,
      quantity: p.quantity,
      avgEntryPx: p.avgEntryPx,
      fillCount: p.fillCount,
    });
    positionViews.set(p, { fills: p.fillCount, view });
    return view;
  };
  const orderView = (o: Order): OrderView => {
    const cached = orderViews.get(o);
    if (cached && sameOrder(cached.view, o)) return cached.view;
    const view: OrderView = Object.freeze({
      clientOrderId: o.clientOrderId,
      instrumentId: o.instrumentId,
      side: o.side,
      type: o.spec.type,
      status: o.status,
      quantity: o.quantity,
      filledQty: o.filledQty,
      leavesQty: o.leavesQty,
      price: o.price,
      triggerPrice: o.triggerPrice,
      isOpen: o.isOpen,
    });
    orderViews.set(o, { view });
    return view;
  };
  const result = (r: CommandResult): StrategyResult => Object.freeze({ clientOrderIds: Object.freeze(r.orders.map((o) => o.clientOrderId as string)), denied: Object.freeze(r.denied.map((x) => Object.freeze({ ...x }))) });

  const base: Omit<StrategyContext, CommandName> = {
    strategyId: sid,
    accountId,
    instruments: listed,
    currency: d.currency,
    instrument,
    marketStatus: (id?: string) => {
      const inst = instrument(id);
      return engine.markets.effective(inst)?.status ?? 'OPEN';
    },
    now: () => engine.now(),
    equity: () => engine.portfolio.equity(account, d.currency),
    balance: (c?: Currency) => Object.freeze({ ...engine.portfolio.account(account).balance(c ?? d.currency) }),
    lastPrice: (id: string) => engine.portfolio.quote(instrument(id).id)?.last,
    sellable(id: string): Quantity {
      const p = engine.portfolio.position(positionId(id));
      if (!p || !p.isOpen || p.side !== 'LONG') return Quantity.zero(instrument(id).sizePrecision);
      return sellableOf(p, engine.portfolio.account(account));
    },
    position(id: string): PositionView | undefined {
      const p = engine.portfolio.position(positionId(id));
      return p && positionView(p);
    },
    netQuantity(id: string): number {
      const raw = d.netRaw(positionId(id));
      return raw === 0n ? 0 : Number(raw) / 10 ** instrument(id).sizePrecision;
    },
    hasOpenOrders(id: string): boolean {
      for (const o of engine.openOrders()) if (o.instrumentId === id && o.spec.strategyId === sid && o.spec.accountId === account) return true;
      return false;
    },
    order(id: string): OrderView | undefined {
      const o = own(id);
      return o && orderView(o);
    },
    submit: (order: StrategyOrder): Promise<StrategyResult> => send({ ...order, clientOrderId: order.clientOrderId ?? d.nextOrderId(), accountId, strategyId: sid }),
    market: (id: string, side: 'BUY' | 'SELL', quantity: Quantity | string): Promise<StrategyResult> =>
      send({ clientOrderId: d.nextOrderId(), accountId, strategyId: sid, instrumentId: id, side, type: 'MARKET', quantity }),
    async cancel(id: string): Promise<StrategyResult> {
      // A held (emulated) order is not an engine order: the emulator cancels it, if it is this strategy's.
      const held = engine.order(id) ? undefined : d.emulation?.().emulator.get(id);
      if (held && held.status === 'HELD') {
        if (held.spec.strategyId !== sid || held.spec.accountId !== account) throw new AuthorityError('NOT_OWN_ORDER', `strategy ${sid} cannot cancel order ${id}: it is not its own`, { strategyId: sid, clientOrderId: id });
        d.emulation!().emulator.cancel(id);
        return Object.freeze({ clientOrderIds: Object.freeze([id]), denied: Object.freeze([]) });
      }
      return result(await engine.cancelOrder(id, origin));
    },
    async modify(id, changes): Promise<StrategyResult> {
      return result(await engine.modifyOrder(id, changes, origin));
    },
    setTimer: (at: number) => d.setTimer(at),
    openOrders(id?: string): readonly OrderView[] {
      const out: OrderView[] = [];
      for (const o of engine.openOrders()) if ((id === undefined || o.instrumentId === id) && o.spec.strategyId === sid && o.spec.accountId === account) out.push(orderView(o));
      return Object.freeze(out);
    },
    positions(): readonly PositionView[] {
      const out: PositionView[] = [];
      for (const p of engine.portfolio.openPositions()) if (p.accountId === account && p.strategyId === sid) out.push(positionView(p));
      return Object.freeze(out);
    },
    balances: () => Object.freeze(engine.portfolio.account(account).balances().map((b) => Object.freeze({ ...b }))),
    indicators: INDICATORS,
    log: d.log ?? SILENT_LOGGER,
    state: strategyState(engine, sid),
  };
  const ctx: StrategyContext = { ...base, ...strategyCommands({ engine, strategyId: sid, accountId, origin, nextOrderId: () => d.nextOrderId(), send, emulation: d.emulation, admit: d.admit }, base) };
  Object.defineProperty(ctx, 'instruments', { get: instruments, enumerable: true });
  return Object.freeze(ctx);
}


/** Whether a view still shows the order as it stands (values are immutable: compared by identity). */
function sameOrder(v: OrderView, o: Order): boolean {
  return v.status === o.status && v.filledQty === o.filledQty && v.quantity === o.quantity && v.price === o.price && v.triggerPrice === o.triggerPrice;
}
