import type { ErrorContext } from '../model/errors.ts';
import type { RiskEvent, TradingState } from './risk-state/events.ts';
import type { RiskState } from './risk-state/risk-state.ts';
import type { Operator, OperatorAuthority, OperatorRole, Origin } from './origin.ts';

const RANK: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

export interface Refusal {
  readonly message: string;
  readonly context: ErrorContext;
}

/**
 * Whether `origin` may journal a risk event, decided on the risk state as it stands. Tightening is
 * open to every origin but a strategy's; loosening is not:
 * - the kill switch is lifted, and a breaker reset by hand, only by an issued operator with the
 *   RISK role, journaled under that operator's own identity;
 * - a breaker resets automatically only from risk control, and only once its auto-reset time has come;
 * - a trading state no stricter than the scope's current one (lifting or re-labelling it) is set
 *   by an operator, or by the same kind of source that set the current state (a venue's guard
 *   lifts the REDUCING it set on a disconnect, never one an operator set);
 * - the source an event declares must match its origin: OPERATOR only from an operator, STRATEGY never.
 * A strategy journals no risk event at all: it has no door to the engine.
 */
export function riskEventRefusal(e: RiskEvent, origin: Origin, risk: RiskState, authority: OperatorAuthority): Refusal | undefined {
  if (origin.kind === 'STRATEGY') return refuse(`a strategy (${origin.strategyId}) cannot journal ${e.kind}`, e, origin);
  const op = origin.kind === 'OPERATOR' && authority.issued(origin.operator) ? origin.operator : undefined;
  if (origin.kind === 'OPERATOR' && !op) return refuse(`${e.kind} names an operator credential this node did not issue`, e, origin);
  switch (e.kind) {
    case 'TradingStateChanged': {
      if (e.source === 'STRATEGY') return refuse(`${e.scope}: source STRATEGY cannot be journaled by ${origin.kind}`, e, origin);
      if ((e.source === 'OPERATOR') !== (op !== undefined)) return refuse(`${e.scope}: source ${e.source} does not match origin ${origin.kind}`, e, origin);
      if (op && !op.roles.includes('RISK')) return refuse(`${e.scope}: operator ${op.identity} lacks the RISK role`, e, origin);
      const current = risk.stateOf(e.scope);
      if (RANK[e.state] > RANK[current] || current === 'ACTIVE' || op) return undefined;
      const setter = risk.sourceOf(e.scope) ?? 'OPERATOR';
      if (setter === e.source) return undefined;
      return refuse(`${e.scope} is ${current}, set by ${setter}: only an operator or ${setter} may change it to ${e.state}`, e, origin);
    }
    case 'BreakerTripped':
      return undefined;
    case 'BreakerReset': {
      if (e.source === 'OPERATOR') return operatorRefusal(op, e.operator, e, origin);
      if (origin.kind !== 'RISK_CONTROL') return refuse(`an automatic reset of ${e.breaker} on ${e.scope} comes only from risk control, not ${origin.kind}`, e, origin);
      const b = risk.breaker(e.breaker, e.scope);
      if (b?.state === 'OPEN' && (b.autoResetAt === undefined || e.tsEvent < b.autoResetAt)) {
        return refuse(`${e.breaker} on ${e.scope} ${b.autoResetAt === undefined ? 'resets only by hand' : `resets automatically at ${b.autoResetAt}, not ${e.tsEvent}`}`, e, origin);
      }
      return undefined;
    }
    case 'KillSwitchEngaged':
      // Engaging only tightens: an operator with TRADE may pull it too (lifting needs RISK).
      return op ? operatorRefusal(op, e.operator, e, origin, ['RISK', 'TRADE']) : undefined;
    case 'KillSwitchReset':
      return operatorRefusal(op, e.operator, e, origin);
  }
}

function operatorRefusal(op: Operator | undefined, named: string | undefined, e: RiskEvent, origin: Origin, roles: readonly OperatorRole[] = ['RISK']): Refusal | undefined {
  if (!op) return refuse(`${e.kind} needs an operator credential issued by the node; origin was ${origin.kind}`, e, origin);
  if (!roles.some((r) => op.roles.includes(r))) return refuse(`${e.kind}: operator ${op.identity} lacks the ${roles.join(' or ')} role`, e, origin);
  if (named !== op.identity) return refuse(`${e.kind} names operator ${String(named)} but was sent by ${op.identity}`, e, origin);
  return undefined;
}

function refuse(message: string, e: RiskEvent, origin: Origin): Refusal {
  return { message, context: { event: e.kind, origin: origin.kind } };
}
