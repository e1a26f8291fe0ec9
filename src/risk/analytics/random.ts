/**
 * Seeded randomness for Monte Carlo. The kernel never calls Math.random: a caller passes an `Rng`
 * so that the same seed gives the same simulation, bit for bit.
 */
import { finite } from './validate.ts';

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state generator with period 2^32, fast and
 * good enough for simulation (not for cryptography). The seed is taken modulo 2^32.
 */
export function mulberry32(seed: number): Rng {
  let a = finite(seed, 'seed') >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal draws by the Box-Muller transform: two uniforms give two independent N(0, 1)
 * values; the second is kept for the next call. u1 is taken in (0, 1] so log(u1) is finite.
 */
export function normalSource(rng: Rng): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u1 = 1 - rng();
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
}
