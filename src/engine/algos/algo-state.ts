import { StateError } from '../../model/errors.ts';
import type { AlgoEvent, JournaledAlgoKind } from './events.ts';

/** A running algorithm as journaled: enough to plan it again and find its children in the journal. */
export interface AlgoRecord {
  readonly parentId: string;
  readonly kind: JournaledAlgoKind;
  /** The resolved request as canonical JSON text (AlgoStarted.request). */
  readonly request: string;
  /** Who started it (originText). */
  readonly origin: string;
  readonly nativeIceberg: boolean;
  /** When it started: planning the request again at this time gives its plan. */
  readonly startedAt: number;
  /** The schedule's slices as a restart respread them (decimal text), if one did. */
  readonly slices: readonly string[] | undefined;
}

export interface AlgoSnapshot {
  /** Running algorithms, in the order they started. */
  readonly running: readonly AlgoRecord[];
}

/**
 * The fold of algorithm events: the algorithms still running. An ended one is forgotten (its
 * children stay in the journal as orders), so a canceled algorithm is not taken back after a
 * restart. Slices sent and cancels asked for are checked against a running algorithm but not
 * kept: recovery reads them, with the children's fills, from the journal (src/algos/recovery.ts).
 * An event that does not fit throws a StateError and changes nothing.
 */
export class AlgoState {
  private readonly algos = new Map<string, AlgoRecord>();

  apply(e: AlgoEvent): void {
    switch (e.kind) {
      case 'AlgoStarted':
        if (this.algos.has(e.parentId)) throw refused(`execution algorithm ${e.parentId} is already running`, e.parentId);
        this.algos.set(e.parentId, {
          parentId: e.parentId,
          kind: e.algo,
          request: e.request,
          origin: e.origin,
          nativeIceberg: e.nativeIceberg,
          startedAt: e.tsEvent,
          slices: undefined,
        });
        return;
      case 'AlgoSliceSent':
      case 'AlgoChildCancelRequested':
        this.get(e.parentId);
        return;
      case 'AlgoResumed': {
        const a = this.get(e.parentId);
        if (e.slices !== undefined) this.algos.set(e.parentId, { ...a, slices: [...e.slices] });
        return;
      }
      case 'AlgoEnded':
        this.get(e.parentId);
        this.algos.delete(e.parentId);
        return;
    }
  }

  running(): AlgoRecord[] {
    return [...this.algos.values()];
  }

  isRunning(parentId: string): boolean {
    return this.algos.has(parentId);
  }

  toSnapshot(): AlgoSnapshot {
    return { running: this.running() };
  }

  restore(s: AlgoSnapshot): void {
    if (this.algos.size > 0) throw new RangeError('an algorithm snapshot loads into a new state only');
    for (const a of s.running) {
      if (this.algos.has(a.parentId)) throw new RangeError(`snapshot repeats execution algorithm ${a.parentId}`);
      this.algos.set(a.parentId, a);
    }
  }

  private get(parentId: string): AlgoRecord {
    const a = this.algos.get(parentId);
    if (!a) throw refused(`execution algorithm ${parentId} is not running`, parentId);
    return a;
  }
}

function refused(message: string, parentId: string): StateError {
  return new StateError('ILLEGAL_TRANSITION', message, { parentId });
}
