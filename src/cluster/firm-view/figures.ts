/**
 * What the firm view shows of one node's folded state, and the firm's totals: decimals as exact
 * strings. A firm view has no market data: positions are marked at their last fill on that node
 * (Portfolio.markFor's fallback), so unrealized PnL and exposure are "at last fill".
 */
import type { Currency } from '../../model/currency.ts';
import { Money } from '../../model/money.ts';
import type { EngineState } from '../../engine/state.ts';
import type { Position } from '../../portfolio/position.ts';
import { orderView, positionView } from '../../server/views.ts';

/** One currency's figures: raw minor units, summed exactly. */
interface RawFigures {
  readonly currency: Currency;
  gross: bigint;
  net: bigint;
  realized: bigint;
  unrealized: bigint;
}

export interface CurrencyFigures {
  readonly currency: string;
  /** Sum of |market value| of open positions, at each one's last fill. */
  readonly grossExposure: string;
  /** Signed sum of market values (short negative). */
  readonly netExposure: string;
  /** Realized PnL of every position kept (before commissions). */
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
}

export interface NodeRisk {
  readonly node: string;
  readonly killSwitch: { readonly engaged: boolean; readonly by?: string; readonly reason?: string };
  readonly tradingStates: readonly { readonly scope: unknown; readonly state: string }[];
  readonly openOrders: number;
  readonly openPositions: number;
  readonly byCurrency: readonly CurrencyFigures[];
}

export function positionFigures(node: string, p: Position, state: EngineState): Record<string, unknown> {
  return { node, ...positionView(p, state) };
}

export function orderFigures(node: string, state: EngineState, which: 'open' | 'all'): Record<string, unknown>[] {
  const orders = which === 'open' ? state.openOrders.values() : state.orders.values();
  return [...orders].map((o) => ({ node, ...orderView(o) }));
}

function rawFigures(state: EngineState, into: Map<string, RawFigures>): void {
  for (const p of state.portfolio.allPositions()) {
    const c = p.instrument.settlement;
    let f = into.get(c.code);
    if (!f) into.set(c.code, (f = { currency: c, gross: 0n, net: 0n, realized: 0n, unrealized: 0n }));
    f.realized += p.realizedRaw;
    if (!p.isOpen) continue;
    const mark = state.portfolio.markFor(p);
    if (!mark) continue;
    const v = p.marketValueRaw(mark);
    f.net += v;
    f.gross += v < 0n ? -v : v;
    f.unrealized += p.unrealizedRaw(mark);
  }
}

function shown(figures: Map<string, RawFigures>): CurrencyFigures[] {
  const text = (raw: bigint, c: Currency): string => Money.fromRaw(raw, c).toDecimalString();
  return [...figures.values()]
    .sort((a, b) => a.currency.code.localeCompare(b.currency.code))
    .map((f) => ({
      currency: f.currency.code,
      grossExposure: text(f.gross, f.currency),
      netExposure: text(f.net, f.currency),
      realizedPnl: text(f.realized, f.currency),
      unrealizedPnl: text(f.unrealized, f.currency),
    }));
}

export function nodeRisk(node: string, state: EngineState): NodeRisk {
  const figures = new Map<string, RawFigures>();
  rawFigures(state, figures);
  const ks = state.risk.killSwitch;
  return {
    node,
    killSwitch: ks ? { engaged: true, by: ks.operator, reason: ks.reason } : { engaged: false },
    tradingStates: state.risk.scopedStates().map(([scope, s]) => ({ scope, state: s })),
    openOrders: state.openOrders.size,
    openPositions: state.portfolio.openPositions().length,
    byCurrency: shown(figures),
  };
}

/** The firm's totals: each currency's figures summed exactly over the nodes; counts added. */
export function firmTotal(states: readonly EngineState[]): Omit<NodeRisk, 'node' | 'killSwitch' | 'tradingStates'> & { readonly killSwitchesEngaged: number } {
  const figures = new Map<string, RawFigures>();
  let openOrders = 0;
  let openPositions = 0;
  let engaged = 0;
  for (const s of states) {
    rawFigures(s, figures);
    openOrders += s.openOrders.size;
    openPositions += s.portfolio.openPositions().length;
    if (s.risk.killSwitch) engaged++;
  }
  return { openOrders, openPositions, killSwitchesEngaged: engaged, byCurrency: shown(figures) };
}
