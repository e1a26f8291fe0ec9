import type { AlgoRequest } from '../algos/types.ts';
import type { Denial, Engine } from '../engine/engine.ts';
import type { OrderEmulator } from '../execution/emulation/emulator.ts';
import { originText, type Origin } from '../engine/origin.ts';
import { AuthorityError, ValidationError } from '../model/errors.ts';
import type { OrderRequest } from '../model/orders/factory.ts';
import type { Quantity } from '../model/values.ts';
import type { StrategyContext, StrategyOrder, StrategyResult } from './strategy.ts';

/** What the context needs of the order emulator (the node's, or one a backtest builds when first asked). */
export type StrategyEmulator = Pick<OrderEmulator, 'submitTrailingStop' | 'submitBracket' | 'submitOco' | 'submitOto' | 'cancel' | 'get'>;

/** What the context needs of the execution algorithms (src/algos/runner.ts ExecutionAlgorithms). */
export interface StrategyAlgos {
  start(req: AlgoRequest, origin: Origin): Promise<string>;
  cancel(parentId: string): Promise<boolean>;
}

/** The emulator and algorithms a context sends its list, trailing and algorithm commands through. */
export interface StrategyEmulation {
  readonly emulator: StrategyEmulator;
  readonly algos: StrategyAlgos;
}

export interface CommandDeps {
  readonly engine: Engine;
  readonly strategyId: string;
  readonly accountId: string;
  readonly origin: Origin;
  nextOrderId(): string;
  /** Sends a plain order (the node's emulator-aware route, or the engine). */
  send(order: OrderRequest): Promise<StrategyResult>;
  /** The emulation to use; undefined when the run has none. */
  emulation: (() => StrategyEmulation) | undefined;
  /** Throws when the strategy may not open anything now (paused or stopped); cancels never ask. */
  admit?: (() => void) | undefined;
}

export type CommandName = 'bracket' | 'oco' | 'oto' | 'trailingStop' | 'twap' | 'vwap' | 'iceberg' | 'cancelAlgo' | 'closePosition';
type Commands = Pick<StrategyContext, CommandName>;

/**
 * The context's list, trailing-stop, algorithm and close commands. Every order is this strategy's
 * (its account, its strategy id, ids from its sequence, whatever the caller wrote) and goes with
 * its STRATEGY origin, so the emulator and the algorithms check it as the engine would: its own
 * orders only, never a reserved tag (on every leg and child, before anything is sent).
 */
export function strategyCommands(d: CommandDeps, ctx: Pick<StrategyContext, 'position' | 'sellable'>): Commands {
  const { engine, origin } = d;
  const own = <T extends { clientOrderId?: string }>(o: T): T & { clientOrderId: string; accountId: string; strategyId: string } => ({
    ...o,
    clientOrderId: o.clientOrderId ?? d.nextOrderId(),
    accountId: d.accountId,
    strategyId: d.strategyId,
  });
  const emulation = (): StrategyEmulation => {
    if (!d.emulation) throw new ValidationError('INVALID_FIELD', 'this run has no order emulator or execution algorithms: run the strategy in a node or runBacktest', { field: 'emulation' });
    return d.emulation();
  };
  /** The emulation for a command that sends something new: the host may refuse it (a paused strategy). */
  const opening = (): StrategyEmulation => {
    d.admit?.();
    return emulation();
  };
  /** Runs a command and collects the denials of the named orders it brought (list commands return none themselves). */
  const watched = async (ids: readonly string[], run: () => Promise<unknown>): Promise<StrategyResult> => {
    const denied: Denial[] = [];
    const off = engine.bus.subscribe('order', (e) => {
      if (e.kind === 'OrderDenied' && ids.includes(e.clientOrderId)) denied.push(Object.freeze({ clientOrderId: e.clientOrderId, code: e.code, reason: e.reason }));
    });
    try {
      await run();
    } finally {
      off();
    }
    return Object.freeze({ clientOrderIds: Object.freeze([...ids]), denied: Object.freeze(denied) });
  };
  const algo = async (req: AlgoRequest): Promise<string> => opening().algos.start(req, origin);
  const algoBase = <T extends { parentId?: string }>(r: T) => ({ ...r, parentId: r.parentId ?? d.nextOrderId(), accountId: d.accountId, strategyId: d.strategyId });

  return {
    bracket(b) {
      const entry = own(b.entry);
      return watched([entry.clientOrderId], () => opening().emulator.submitBracket({ ...b, entry }, origin));
    },
    oco(a, b) {
      const [la, lb] = [own(a), own(b)];
      return watched([la.clientOrderId, lb.clientOrderId], () => opening().emulator.submitOco(la, lb, origin));
    },
    oto(o) {
      const parent = own(o.parent);
      const child = own(o.child);
      return watched([parent.clientOrderId], () => opening().emulator.submitOto({ ...o, parent, child }, origin));
    },
    trailingStop(t) {
      const req = own(t);
      return watched([req.clientOrderId], () => opening().emulator.submitTrailingStop(req, origin));
    },
    twap: (r) => algo({ ...algoBase(r), kind: 'TWAP' }),
    vwap: (r) => algo({ ...algoBase(r), kind: 'VWAP' }),
    iceberg: (r) => algo({ ...algoBase(r), kind: 'ICEBERG' }),
    async cancelAlgo(parentId) {
      const running = engine.state.algos.running().find((a) => a.parentId === parentId);
      if (!running) return false;
      if (running.origin !== originText(origin)) {
        throw new AuthorityError('NOT_OWN_ORDER', `strategy ${d.strategyId} cannot cancel execution algorithm ${parentId}: it is not its own`, { strategyId: d.strategyId, parentId });
      }
      return emulation().algos.cancel(parentId);
    },
    async closePosition(instrumentId) {
      const p = ctx.position(instrumentId);
      if (!p || !p.isOpen) return EMPTY;
      const quantity: Quantity = p.side === 'LONG' ? ctx.sellable(instrumentId) : p.quantity;
      if (quantity.isZero()) return EMPTY;
      return d.send(own<StrategyOrder>({ instrumentId, side: p.side === 'LONG' ? 'SELL' : 'BUY', type: 'MARKET', quantity, reduceOnly: true }));
    },
  };
}

const EMPTY: StrategyResult = Object.freeze({ clientOrderIds: Object.freeze([]), denied: Object.freeze([]) });
