import { createHash } from 'node:crypto';
import { StateError } from '../model/errors.ts';
import type { AccountId, ClientOrderId, InstrumentId, PositionId, StrategyId } from '../model/identifiers.ts';
import type { PositionMode } from './position.ts';

/**
 * Derived position ids. A position belongs to one account: two accounts trading the same
 * instrument with the same strategy hold two positions, so the account is part of the id.
 *
 * The parts are joined with `/`, each part escaped (`%` → `%25`, `/` → `%2F`) so that no two
 * different (account, instrument, strategy[, order]) tuples give the same id, whatever
 * characters the identifiers use. An id longer than an identifier may be (128 characters, the
 * journal refuses longer ones) keeps a readable prefix and ends in a hash of the whole.
 */
const MAX_ID = 128;
const HASH_CHARS = 32;

export function nettingPositionId(account: AccountId | string, instrument: InstrumentId | string, strategy: StrategyId | string): PositionId {
  return join([account, instrument, strategy]);
}

export function hedgingPositionId(
  account: AccountId | string,
  instrument: InstrumentId | string,
  strategy: StrategyId | string,
  clientOrderId: ClientOrderId | string,
): PositionId {
  return join([account, instrument, strategy, clientOrderId]);
}

/** The id a position of this order's fills gets, by the account's position mode. */
export function derivedPositionId(
  mode: PositionMode,
  spec: { readonly accountId: string; readonly instrumentId: string; readonly strategyId: string; readonly clientOrderId: string },
): PositionId {
  return mode === 'NETTING'
    ? nettingPositionId(spec.accountId, spec.instrumentId, spec.strategyId)
    : hedgingPositionId(spec.accountId, spec.instrumentId, spec.strategyId, spec.clientOrderId);
}

/**
 * The id Warden derived before positions were per account (`instrument-strategy`, or
 * `instrument-strategy-clientOrderId` when hedging): journals and snapshots written then carry it.
 */
export function legacyNettingPositionId(instrument: string, strategy: string): string {
  return `${instrument}-${strategy}`;
}

export function legacyHedgingPositionId(instrument: string, strategy: string, clientOrderId: string): string {
  return `${instrument}-${strategy}-${clientOrderId}`;
}

/**
 * An order may name its position (hedging); the position it names, if it exists, must be of the
 * order's own account and instrument, or its fills would land in another account's books.
 */
export function requireOwnPosition(
  named: { readonly id: string; readonly accountId: string; readonly instrumentId: string } | undefined,
  spec: { readonly accountId: string; readonly instrumentId: string; readonly clientOrderId: string },
): void {
  if (named === undefined || (named.accountId === spec.accountId && named.instrumentId === spec.instrumentId)) return;
  throw new StateError('POSITION_NOT_OWNED', `order ${spec.clientOrderId} names position ${named.id} of ${named.accountId} in ${named.instrumentId}, not of ${spec.accountId} in ${spec.instrumentId}`, {
    clientOrderId: spec.clientOrderId,
    positionId: named.id,
    accountId: spec.accountId,
  });
}

function join(parts: readonly string[]): PositionId {
  const id = parts.map(escapePart).join('/');
  if (id.length <= MAX_ID) return id as PositionId;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, HASH_CHARS);
  return `${id.slice(0, MAX_ID - HASH_CHARS - 1)}#${hash}` as PositionId;
}

function escapePart(s: string): string {
  return s.replace(/[%/]/g, (c) => (c === '%' ? '%25' : '%2F'));
}
