import type { UTCTimestamp } from 'lightweight-charts';

export interface EquityPoint {
  readonly ts: number;
  readonly value: string | number;
}

/** Points as the chart needs them: seconds, strictly increasing (the last value of a second wins). */
export function chartPoints(points: readonly EquityPoint[]): { time: UTCTimestamp; value: number }[] {
  const bySecond = new Map<number, number>();
  for (const p of points) {
    const v = Number(p.value);
    if (Number.isFinite(v)) bySecond.set(Math.floor(p.ts / 1000), v);
  }
  return [...bySecond.entries()].sort((a, b) => a[0] - b[0]).map(([t, value]) => ({ time: t as UTCTimestamp, value }));
}
