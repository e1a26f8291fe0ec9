/**
 * Timestamps within a sliding window of `spanMs`: `add` then `count`. A queue with a moving head
 * (compacted now and then), so a burst costs O(1) per event.
 */
export class TimeWindow {
  private ts: number[] = [];
  private head = 0;

  constructor(readonly spanMs: number) {}

  /** Records an event at `t` and returns how many fall within (t - spanMs, t]. */
  add(t: number): number {
    this.ts.push(t);
    return this.count(t);
  }

  count(now: number): number {
    const from = now - this.spanMs;
    while (this.head < this.ts.length && (this.ts[this.head] ?? Infinity) <= from) this.head++;
    if (this.head > 1024 && this.head * 2 > this.ts.length) {
      this.ts = this.ts.slice(this.head);
      this.head = 0;
    }
    return this.ts.length - this.head;
  }

  clear(): void {
    this.ts = [];
    this.head = 0;
  }
}
