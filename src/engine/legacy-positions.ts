/**
 * Journals and snapshots written before a position's id carried its account hold derived ids of
 * the old form (`instrument-strategy`, or `instrument-strategy-clientOrderId` when hedging).
 * Replaying them as they are would book an old fill to a position that no new fill reaches, so
 * a fold maps every such id to the id the same order gets now. Only derived ids are mapped: an
 * id the order named itself (`positionId` in its spec) is the caller's and is left alone.
 */
import type { PositionId } from '../model/identifiers.ts';
import type { OrderFillBusted, OrderFilled } from '../model/orders/events.ts';
import type { Order } from '../model/orders/order.ts';
import type { Portfolio, PortfolioSnapshot } from '../portfolio/portfolio.ts';
import type { PositionMode } from '../portfolio/position.ts';
import { hedgingPositionId, legacyHedgingPositionId, legacyNettingPositionId, nettingPositionId } from '../portfolio/position-id.ts';

/** The fill (or bust) with the position id its order derives now, when it carries the old form of it. */
export function upgradeTradePositionId<E extends OrderFilled | OrderFillBusted>(event: E, order: Order, portfolio: Portfolio): E {
  const s = order.spec;
  if (s.positionId !== undefined || !portfolio.hasAccount(s.accountId)) return event;
  const current = portfolio.positionIdFor(order);
  if (event.positionId === current) return event;
  const legacy =
    portfolio.account(s.accountId).positionMode === 'NETTING'
      ? legacyNettingPositionId(s.instrumentId, s.strategyId)
      : legacyHedgingPositionId(s.instrumentId, s.strategyId, s.clientOrderId);
  return event.positionId === legacy ? { ...event, positionId: current } : event;
}

/**
 * A portfolio snapshot with old-form position ids mapped to the current ones (the snapshot's
 * accounts give each position's mode); `named` holds the ids orders named themselves, kept as they are.
 */
export function upgradeSnapshotPositionIds(s: PortfolioSnapshot, named: ReadonlySet<string>): PortfolioSnapshot {
  const modes = new Map<string, PositionMode>(s.accounts.map((a) => [a.id, a.positionMode]));
  const renamed = new Map<PositionId, PositionId>();
  const positions = s.positions.map((p) => {
    if (named.has(p.id)) return p;
    const id = currentIdOf(p.id, modes.get(p.accountId), p.accountId, p.instrumentId, p.strategyId);
    if (id === p.id) return p;
    renamed.set(p.id, id);
    return { ...p, id };
  });
  if (renamed.size === 0) return s;
  return { ...s, positions, closedPositions: s.closedPositions.map((id) => renamed.get(id) ?? id) };
}

function currentIdOf(id: PositionId, mode: PositionMode | undefined, account: string, instrument: string, strategy: string): PositionId {
  if (mode === 'NETTING') return id === legacyNettingPositionId(instrument, strategy) ? nettingPositionId(account, instrument, strategy) : id;
  if (mode === 'HEDGING') {
    const prefix = legacyNettingPositionId(instrument, strategy) + '-';
    if (id.startsWith(prefix) && id.length > prefix.length) return hedgingPositionId(account, instrument, strategy, id.slice(prefix.length));
  }
  return id;
}
