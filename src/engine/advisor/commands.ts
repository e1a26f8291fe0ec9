/**
 * The decision behind Engine.recordProposal: who may journal an advisor proposal or its rejection,
 * and what it may hold. A proposal only SYSTEM (the node's advisor; a strategy, risk control or a
 * model never), a rejection only an operator, under its own identity. Bad fields throw
 * INVALID_FIELD, a wrong origin NOT_AUTHORIZED; nothing is journaled then.
 */
import { AuthorityError, ValidationError } from '../../model/errors.ts';
import { requireObject } from '../input-guards.ts';
import type { Origin } from '../origin.ts';
import { PROPOSAL_ACTIONS, type AdvisorEvent, type AdvisorProposalRejected, type AdvisorProposed } from './events.ts';

export type ProposalInput = Omit<AdvisorProposed, 'tsEvent' | 'tsInit'> | Omit<AdvisorProposalRejected, 'tsEvent' | 'tsInit' | 'operator'>;

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,95}$/;

function text(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) throw new ValidationError('INVALID_FIELD', `${field} must be 1 to ${max} characters`, { field });
  return v;
}

function id(v: unknown, field: string): string {
  if (typeof v !== 'string' || !ID.test(v)) throw new ValidationError('INVALID_FIELD', `${field} must be an identifier (letters, digits, _ . : -)`, { field });
  return v;
}

export function planProposal(input: ProposalInput, origin: Origin, now: number): AdvisorEvent {
  requireObject(input, 'proposal');
  switch (input.kind) {
    case 'AdvisorProposed': {
      if (origin.kind !== 'SYSTEM') throw new AuthorityError('NOT_AUTHORIZED', `${origin.kind} does not record advisor proposals`, { origin: origin.kind });
      if (!(PROPOSAL_ACTIONS as readonly unknown[]).includes(input.action)) throw new ValidationError('INVALID_FIELD', `action must be one of ${PROPOSAL_ACTIONS.join(', ')}`, { field: 'action' });
      return {
        kind: 'AdvisorProposed',
        proposalId: id(input.proposalId, 'proposalId'),
        consultation: id(input.consultation, 'consultation'),
        action: input.action,
        ticket: text(input.ticket, 'ticket', 2_000),
        rationale: text(input.rationale, 'rationale', 1_000),
        tsEvent: now,
        tsInit: now,
      };
    }
    case 'AdvisorProposalRejected': {
      if (origin.kind !== 'OPERATOR') throw new AuthorityError('NOT_AUTHORIZED', `only an operator rejects an advisor proposal, not ${origin.kind}`, { origin: origin.kind });
      return { kind: 'AdvisorProposalRejected', proposalId: id(input.proposalId, 'proposalId'), operator: origin.operator.identity, reason: text(input.reason, 'reason', 500), tsEvent: now, tsInit: now };
    }
    default: {
      const kind: unknown = (input as { kind?: unknown }).kind;
      throw new ValidationError('INVALID_FIELD', `unknown proposal record ${String(kind)}`, { field: 'kind' });
    }
  }
}
