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

export function barPath(bar: TickBar, mode: IntrabarPath = 'NEAREST_EXTREME_FIRST'): number[] {
  let highFirst: boolean;
  switch (mode) {
    case 'HIGH_FIRST':
      highFirst = true;
      break;
    case 'LOW_FIRST':
      highFirst = false;
      break;
    case 'NEAREST_EXTREME_FIRST':
      highFirst = bar.high - bar.open <= bar.open - bar.low;
      break;
  }
  const path = highFirst ? [bar.open, bar.high, bar.low, bar.close] : [bar.open, bar.low, bar.high, bar.close];
  // Drop repeats (a bar that opens at its high) so each move is seen once.
  return path.filter((p, i) => i === 0 || p !== path[i - 1]);
}
