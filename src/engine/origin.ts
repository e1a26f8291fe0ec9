import { AuthorityError } from '../model/errors.ts';

/**
 * What an operator may do. RISK: engage and lift the kill switch, reset breakers, set and loosen
 * trading states. TREASURY: deposits and withdrawals. TRADE: submit, modify and cancel orders as
 * an operator.
 */
export type OperatorRole = 'RISK' | 'TREASURY' | 'TRADE';

/**
 * A person's credential, issued by the composition root's OperatorAuthority. It is proven by
 * identity (the very object the authority issued), never by its text: a strategy that writes
 * `{ identity: 'ops', roles: ['RISK'] }` holds a look-alike the authority refuses.
 */
export interface Operator {
  readonly identity: string;
  readonly roles: readonly OperatorRole[];
}

/**
 * Who sent a command. Every command the engine runs carries one; what a command may do depends on
 * it (see README "What a strategy may and may not do"):
 * - STRATEGY: a strategy's context; only its own orders, never a reserved tag, no risk events.
 * - OPERATOR: a person with an issued credential; loosening and resets need the RISK role.
 * - RISK_CONTROL: RiskControl's own actions (cancel on a trip, flatten, automatic resets).
 * - RECONCILIATION: what reconciling with a venue decides (adopting an order, halting on a mismatch).
 * - SYSTEM: the composition root (wiring, funding at open, the connection guard, tests).
 */
export type Origin =
  | { readonly kind: 'STRATEGY'; readonly strategyId: string }
  /** `advice`: the advisor consultation whose proposal this operator confirmed (journaled with the order). */
  | { readonly kind: 'OPERATOR'; readonly operator: Operator; readonly advice?: string }
  | { readonly kind: 'RISK_CONTROL' }
  | { readonly kind: 'RECONCILIATION' }
  | { readonly kind: 'SYSTEM' };

export type OriginKind = Origin['kind'];

export const SYSTEM: Origin = Object.freeze({ kind: 'SYSTEM' });
export const RISK_CONTROL: Origin = Object.freeze({ kind: 'RISK_CONTROL' });
export const RECONCILIATION: Origin = Object.freeze({ kind: 'RECONCILIATION' });

export function strategyOrigin(strategyId: string): Origin {
  return Object.freeze({ kind: 'STRATEGY', strategyId });
}

export function operatorOrigin(operator: Operator, advice?: string): Origin {
  return Object.freeze(advice === undefined ? { kind: 'OPERATOR', operator } : { kind: 'OPERATOR', operator, advice });
}

/**
 * The journaled form of an origin (on OrderInitialized): `STRATEGY:<id>`, `OPERATOR:<identity>`
 * (with ` ADVICE:<consultation id>` for a confirmed advisor proposal), or the kind.
 */
export function originText(o: Origin): string {
  switch (o.kind) {
    case 'STRATEGY':
      return `STRATEGY:${o.strategyId}`;
    case 'OPERATOR':
      return o.advice === undefined ? `OPERATOR:${o.operator.identity}` : `OPERATOR:${o.operator.identity} ADVICE:${o.advice}`;
    default:
      return o.kind;
  }
}

/**
 * An origin back from its journaled text (originText), for what the journal replays on someone's
 * behalf after a restart (an emulated order released, a contingent child placed). Undefined for
 * an operator, whose credential is proven by identity and dies with the process (no text can
 * stand for it), and for text that is no origin (absent in older journals).
 */
export function originFromText(text: string | undefined): Origin | undefined {
  if (text === undefined) return undefined;
  if (text.startsWith('STRATEGY:')) return text.length > 'STRATEGY:'.length ? strategyOrigin(text.slice('STRATEGY:'.length)) : undefined;
  switch (text) {
    case 'SYSTEM':
      return SYSTEM;
    case 'RISK_CONTROL':
      return RISK_CONTROL;
    case 'RECONCILIATION':
      return RECONCILIATION;
    default:
      return undefined;
  }
}

const ROLES: ReadonlySet<string> = new Set<OperatorRole>(['RISK', 'TREASURY', 'TRADE']);

/**
 * Issues operator credentials and recognises them. Owned by the composition root (given to the
 * Engine, which RiskControl asks); strategies never see it. Membership in a WeakSet is the proof,
 * so a credential cannot be forged from text, copied with a spread, or widened after issue
 * (it is frozen). Credentials live as long as the process: after a restart operators are issued
 * new ones.
 */
export class OperatorAuthority {
  readonly #issued = new WeakSet<object>();

  issue(identity: string, roles: readonly OperatorRole[]): Operator {
    if (typeof identity !== 'string' || identity.trim() === '' || identity !== identity.trim()) {
      throw new AuthorityError('NOT_AUTHORIZED', 'an operator needs a non-empty identity without surrounding spaces', { field: 'identity' });
    }
    for (const r of roles) if (!ROLES.has(r)) throw new AuthorityError('NOT_AUTHORIZED', `unknown operator role ${String(r)}`, { field: 'roles', input: String(r) });
    const op: Operator = Object.freeze({ identity, roles: Object.freeze([...roles]) });
    this.#issued.add(op);
    return op;
  }

  /** Whether `op` is a credential this authority issued. */
  issued(op: unknown): op is Operator {
    return typeof op === 'object' && op !== null && this.#issued.has(op);
  }

  /** The operator, if `op` was issued here and holds `role`; else a typed refusal naming what was tried. */
  verify(op: unknown, role: OperatorRole, what: string): Operator {
    if (!this.issued(op)) throw new AuthorityError('NOT_AUTHORIZED', `${what} needs an operator credential issued by the node; none was given`, { role, action: what });
    if (!op.roles.includes(role)) {
      throw new AuthorityError('NOT_AUTHORIZED', `${what} needs the ${role} role; operator ${op.identity} has ${op.roles.join(', ') || 'none'}`, {
        role,
        action: what,
        operator: op.identity,
      });
    }
    return op;
  }

  /** An origin as sent, its operator checked when it claims one (any role: the action checks its own). */
  check(origin: unknown, what: string): Origin {
    const o = origin as Origin | null | undefined;
    switch (o?.kind) {
      case 'OPERATOR':
        if (!this.issued(o.operator)) throw new AuthorityError('NOT_AUTHORIZED', `${what}: the operator credential was not issued by this node`, { action: what });
        return o;
      case 'STRATEGY':
        if (typeof o.strategyId !== 'string' || o.strategyId === '') throw new AuthorityError('NOT_AUTHORIZED', `${what}: a strategy origin needs its strategy id`, { action: what });
        return o;
      case 'RISK_CONTROL':
      case 'RECONCILIATION':
      case 'SYSTEM':
        return o;
      default:
        throw new AuthorityError('NOT_AUTHORIZED', `${what}: unknown command origin`, { action: what });
    }
  }
}
