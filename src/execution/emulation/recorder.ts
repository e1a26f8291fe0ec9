import type { Quantity, Price } from '../../model/values.ts';
import { ValidationError } from '../../model/errors.ts';
import type { Engine } from '../../engine/engine.ts';
import { originText, type Origin } from '../../engine/origin.ts';
import { contingentGroupId } from './contingent.ts';
import type { ContingencyKind, EmulationEvent } from '../../engine/emulation/events.ts';
import type { EmulatedSpec, HeldOrder } from './held.ts';
import { requestText } from './recovery.ts';

/**
 * The OrderEmulator's journal: each decision as an EmulationEvent, through the engine (applied
 * to its state at once, durable when the promise settles), so held orders and contingent groups
 * survive a restart.
 */
export class EmulationRecorder {
  constructor(
    private readonly engine: Engine,
    /** A write that failed after the fact (the engine stops itself on a failed write). */
    private readonly failed: (e: unknown) => void,
  ) {}

  /** Held for `origin`, which its release is sent as (after a restart too). */
  held(spec: EmulatedSpec, origin: Origin): Promise<void> {
    return this.record({ kind: 'EmulatedOrderHeld', clientOrderId: spec.clientOrderId, spec, origin: originText(origin), ...this.ts() });
  }

  /** A trailing stop's state as it stands (activated, extreme, stop). */
  moved(h: HeldOrder): Promise<void> {
    const st = h.trigger.kind === 'TRAILING' ? h.trigger.state : undefined;
    return this.record({ kind: 'EmulatedOrderMoved', clientOrderId: h.spec.clientOrderId, activated: st?.activated ?? true, extreme: st?.extreme, stop: st?.stop, ...this.ts() });
  }

  resized(h: HeldOrder, quantity: Quantity): Promise<void> {
    return this.record({ kind: 'EmulatedOrderResized', clientOrderId: h.spec.clientOrderId, quantity, ...this.ts() });
  }

  released(h: HeldOrder, triggerPrice: Price | undefined): Promise<void> {
    return this.record({ kind: 'EmulatedOrderReleased', clientOrderId: h.spec.clientOrderId, triggerPrice, ...this.ts() });
  }

  canceled(h: HeldOrder, reason: string): Promise<void> {
    return this.record({ kind: 'EmulatedOrderCanceled', clientOrderId: h.spec.clientOrderId, reason, ...this.ts() });
  }

  /** A contingent group as asked (canonical text) and who placed it, before any of its orders is placed. */
  registered(kind: ContingencyKind, firstId: string | undefined, request: unknown, origin: Origin): Promise<void> {
    if (firstId === undefined) return Promise.reject(new ValidationError('INVALID_FIELD', `a ${kind} needs client order ids on its orders`, { field: 'clientOrderId' }));
    return this.record({ kind: 'ContingencyRegistered', groupId: contingentGroupId(kind, firstId), contingency: kind, request: requestText(request), origin: originText(origin), ...this.ts() });
  }

  completed(groupId: string): Promise<void> {
    return this.record({ kind: 'ContingencyCompleted', groupId, ...this.ts() });
  }

  /** For a synchronous step (a price, a cancel): the write is not awaited, a failure is reported. */
  later(write: Promise<void>): void {
    write.catch(this.failed);
  }

  private record(e: EmulationEvent): Promise<void> {
    return this.engine.recordEmulation([e]);
  }

  private ts(): { tsEvent: number; tsInit: number } {
    const t = this.engine.now();
    return { tsEvent: t, tsInit: t };
  }
}
