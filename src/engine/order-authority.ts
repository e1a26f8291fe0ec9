import { AuthorityError } from '../model/errors.ts';
import type { OrderSpec } from '../model/orders/types.ts';
import { reservedTag } from './reserved-tags.ts';
import { originText, type OperatorAuthority, type Origin } from './origin.ts';

/** What requireSubmitter looks at: enough of a spec to check an order before it exists (an emulated child, an algorithm's slice). */
export interface SubmitterFields {
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly tags: readonly string[];
}

/**
 * Who may submit this order: a strategy only under its own strategy id, an operator only with the
 * TRADE role, and only risk control with a reserved tag (a flatten order passes a halt and every
 * other check, so a strategy-supplied one is refused, not stripped: the strategy asked for
 * something it may not have and should hear so).
 */
export function requireSubmitter(spec: SubmitterFields, origin: Origin, authority: OperatorAuthority): void {
  if (origin.kind === 'SYSTEM') {
    if (spec.tags.length > 0) requireNoReservedTag(spec, origin);
    return;
  }
  if (origin.kind === 'STRATEGY' && spec.strategyId !== origin.strategyId) {
    throw new AuthorityError('NOT_OWN_ORDER', `strategy ${origin.strategyId} cannot submit an order for strategy ${spec.strategyId}`, {
      strategyId: origin.strategyId,
      clientOrderId: spec.clientOrderId,
    });
  }
  if (origin.kind === 'OPERATOR') authority.verify(origin.operator, 'TRADE', `submitting ${spec.clientOrderId}`);
  if (origin.kind !== 'RISK_CONTROL' && spec.tags.length > 0) requireNoReservedTag(spec, origin);
}

function requireNoReservedTag(spec: SubmitterFields, origin: Origin): void {
  const tag = reservedTag(spec.tags);
  if (tag === undefined) return;
  throw new AuthorityError('RESERVED_TAG', `tag ${tag} is reserved for risk control; order ${spec.clientOrderId} from ${originText(origin)} is refused`, {
    tag,
    clientOrderId: spec.clientOrderId,
    origin: origin.kind,
  });
}

/** A strategy modifies and cancels only its own orders; risk control's orders (reserved tags) are never a strategy's. */
export function requireOwner(spec: OrderSpec, origin: Origin, what: string): void {
  if (origin.kind !== 'STRATEGY') return;
  if (spec.strategyId === origin.strategyId && (spec.tags.length === 0 || reservedTag(spec.tags) === undefined)) return;
  throw new AuthorityError('NOT_OWN_ORDER', `strategy ${origin.strategyId} cannot ${what} order ${spec.clientOrderId}: it is not its own`, {
    strategyId: origin.strategyId,
    clientOrderId: spec.clientOrderId,
  });
}
