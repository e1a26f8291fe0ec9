/**
 * The order in which a bar's prices are assumed to have traded. A bar only says where the
 * market opened, closed and went; stops and limits inside it need a path:
 * - NEAREST_EXTREME_FIRST (default): open → the extreme nearer the open → the other extreme → close.
 *   A bar that opens near its high is taken to have gone up first. Ties go high first.
 * - HIGH_FIRST: open → high → low → close. LOW_FIRST: open → low → high → close.
 */
export type IntrabarPath = 'NEAREST_EXTREME_FIRST' | 'HIGH_FIRST' | 'LOW_FIRST';

export interface TickBar {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** Whether the path visits the high before the low, given whether the high is at least as near the open as the low. */
export function highFirst(mode: IntrabarPath, highIsNearer: boolean): boolean {
  switch (mode) {
    case 'HIGH_FIRST':
      return true;
    case 'LOW_FIRST':
      return false;
    case 'NEAREST_EXTREME_FIRST':
      return highIsNearer;
  }
}

/** Whether the path visits the high before the low (the allocation-free core of barPath). */
export function visitsHighFirst(open: number, high: number, low: number, mode: IntrabarPath = 'NEAREST_EXTREME_FIRST'): boolean {
  return highFirst(mode, high - open <= open - low);
}

export function barPath(bar: TickBar, mode: IntrabarPath = 'NEAREST_EXTREME_FIRST'): number[] {
  const highFirst = visitsHighFirst(bar.open, bar.high, bar.low, mode);
  const path = highFirst ? [bar.open, bar.high, bar.low, bar.close] : [bar.open, bar.low, bar.high, bar.close];
  // Drop repeats (a bar that opens at its high) so each move is seen once.
  return path.filter((p, i) => i === 0 || p !== path[i - 1]);
}
