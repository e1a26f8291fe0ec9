import { EngineError, LookupError, ValidationError } from '../model/errors.ts';
import type { ClientOrderId } from '../model/identifiers.ts';
import type { OrderRequest } from '../model/orders/factory.ts';
import type { Command } from './commands.ts';
import type { Journal } from './journal.ts';
import type { EngineState } from './state.ts';

/** The shape of the ids the engine generates (`W-<now>-<seq>`), its seq part captured. */
const GENERATED = /^W-\d+-(\d+)$/;

/**
 * The duplicate check for client order ids beyond the engine's memory (issue 11 item 16). The
 * engine remembers a bounded window of ids; an id that fell out of it must still be refused, or
 * the venue receives the same id twice. So a caller's id the engine does not remember is looked
 * up in the journal's index of every id ever journaled (`Journal.hasClientOrderId`).
 *
 * Ids the engine generates need no lookup: `W-<now>-<seq>` takes a sequence number past every one
 * journaled so far, so no earlier generated id can equal it, also after a restart (the sequence
 * continues from the journal). A caller's id of that shape with a seq part not yet reached is
 * refused, so no caller can take an id the engine will generate later.
 *
 * Returns nothing when the answer is known at once (memory, SQLite: the check stays synchronous,
 * inside the command's turn), a promise when the journal must be asked (PostgreSQL). Either way
 * the engine's own check in `plan` runs after it and catches an id journaled meanwhile.
 */
export function checkJournaledIds(journal: Journal, state: EngineState, cmd: Command, seq: number): void | Promise<void> {
  if (!journal.hasClientOrderId || typeof cmd !== 'object' || cmd === null) return;
  if (cmd.kind === 'SubmitOrder') return checkOne(journal, state, cmd.order, seq);
  if (cmd.kind !== 'SubmitOrderList' || !Array.isArray(cmd.orders)) return;
  let pending: Promise<void>[] | undefined;
  for (const order of cmd.orders) {
    const p = checkOne(journal, state, order, seq);
    if (p) (pending ??= []).push(p);
  }
  if (pending) return Promise.all(pending).then(() => undefined);
}

function checkOne(journal: Journal, state: EngineState, order: unknown, seq: number): void | Promise<void> {
  const id: unknown = typeof order === 'object' && order !== null ? (order as Partial<OrderRequest>).clientOrderId : undefined;
  if (typeof id !== 'string') return; // generated, or malformed (plan refuses it)
  if (id.startsWith('W-')) {
    const generated = GENERATED.exec(id);
    if (generated && Number(generated[1]) > seq) {
      throw new ValidationError('INVALID_IDENTIFIER', `client order id ${id} has the shape of an id the engine will generate (W-<time>-<seq> past seq ${seq})`, {
        kind: 'ClientOrderId',
        input: id,
      });
    }
  }
  if (state.isKnownClientOrderId(id as ClientOrderId)) return; // plan refuses it
  let known: boolean | Promise<boolean>;
  try {
    known = journal.hasClientOrderId!(id);
  } catch (e) {
    // Through the promise, so that the engine stops on it as on a failed asynchronous lookup.
    return Promise.reject(lookupError(id, e));
  }
  if (known === true) throw duplicate(id);
  if (known !== false) return known.then((k) => (k ? Promise.reject(duplicate(id)) : undefined), lookupFailed(id));
}

function duplicate(id: string): LookupError {
  return new LookupError('DUPLICATE_CLIENT_ORDER_ID', `client order id ${id} was already used by a journaled order`, { clientOrderId: id });
}

function lookupFailed(id: string): (e: unknown) => never {
  return (e) => {
    throw lookupError(id, e);
  };
}

/** A journal that cannot say whether an id was used cannot be trusted to write either. */
function lookupError(id: string, e: unknown): EngineError {
  return e instanceof EngineError
    ? e
    : new EngineError('JOURNAL_WRITE_FAILED', `journal lookup of client order id ${id} failed: ${(e as Error)?.message ?? String(e)}`, { clientOrderId: id });
}
