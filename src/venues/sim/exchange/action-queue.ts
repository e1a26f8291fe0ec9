/** Actions due at a time (an order reaching the exchange after its latency), run in due order, ties in arrival order. */
export class ActionQueue {
  private items: { readonly due: number; readonly seq: number; readonly run: () => void }[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  add(due: number, run: () => void): void {
    const item = { due, seq: ++this.seq, run };
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.due > due) i--;
    this.items.splice(i, 0, item);
  }

  /** Runs every action due at or before `now`, including ones they add that are due too. */
  runDue(now: number): void {
    while (this.items.length > 0 && this.items[0]!.due <= now) this.items.shift()!.run();
  }
}
