import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FILE = fileURLToPath(new URL('./results.json', import.meta.url));

/** Merges one case's figures into bench/results.json, keeping the other cases' figures. */
export function recordResult(name: string, figures: Record<string, unknown>): void {
  const all = existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>) : {};
  all[name] = { ...figures, measuredAt: new Date().toISOString(), node: process.version };
  writeFileSync(FILE, `${JSON.stringify(all, null, 2)}\n`);
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run benchmarks with node --expose-gc (npm run bench does)');
  g();
  g();
}

/** The middle value (the upper one of an even count): what alternating runs on a shared machine report. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** The value at quantile `p` (0..1) of `xs`: the sample at floor(p·n), the last for p = 1. */
export function quantile(xs: readonly number[], p: number): number {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

/** Rounded to one decimal, as the figures are recorded. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;
