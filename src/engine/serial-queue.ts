/**
 * Steps run one at a time, in the order queued, each after the last has settled: how the thin
 * layers over the engine (risk control, the order emulator, the execution algorithms) carry out
 * their decisions without re-entering the engine mid-event. A step that fails is reported to
 * `failed` and the next one still runs.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  /** Steps queued and not yet settled (a side branch counts them down: the chain itself is not delayed). */
  private queued = 0;
  private readonly done = (): void => {
    this.queued--;
  };

  constructor(private readonly failed: (e: unknown) => void) {}

  push(step: () => Promise<void>): void {
    this.queued++;
    this.tail = this.tail.then(step).catch(this.failed);
    void this.tail.then(this.done);
  }

  /**
   * Whether a step queued may not have run yet (false: awaiting idle() would find nothing to wait
   * for). A step that just settled may still count for a microtask: `busy` errs towards waiting.
   */
  get busy(): boolean {
    return this.queued > 0;
  }

  /** Settles when the steps queued so far have run. */
  get current(): Promise<void> {
    return this.tail;
  }

  /** Settles once nothing is left, steps queued while waiting included. */
  async idle(): Promise<void> {
    let t: Promise<void>;
    do {
      t = this.tail;
      await t;
    } while (t !== this.tail);
  }
}
