import { generateWide, replayOurs } from '../match-wide.ts';

/**
 * Driver for profiling our book on the wide-book workload of `match` (no peer):
 *   node --expose-gc --cpu-prof --cpu-prof-dir=var/prof --import tsx bench/profile/wide-book-driver.ts [levels] [ops]
 *   npx tsx bench/profile/top-frames.ts var/prof/<file>.cpuprofile
 */
const levels = Number(process.argv[2] ?? 100_000);
const ops = Number(process.argv[3] ?? 300_000);
const w = generateWide(levels, ops, 0x5eed + 2);
for (let r = 0; r < 3; r++) {
  const { secs, filled, resting } = replayOurs(w);
  console.log(`${levels} levels: ${Math.round(ops / secs).toLocaleString('en-US')} ops/s, filled ${filled}, resting ${resting}`);
}
