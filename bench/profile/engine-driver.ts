import { performance } from 'node:perf_hooks';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { setup } from '../engine.ts';

/**
 * Driver for profiling the engine bench's lifecycle (submit → fill → position, memory journal):
 *   node --cpu-prof --cpu-prof-dir=var/prof --import tsx bench/profile/engine-driver.ts [orders]
 *   npx tsx bench/profile/top-frames.ts var/prof/<file>.cpuprofile
 */
const orders = Number(process.argv[2] ?? 300_000);
const { one } = await setup(new MemoryJournal(), 10_000);
for (let i = 0; i < 20_000; i++) await one();
const t0 = performance.now();
for (let i = 0; i < orders; i++) await one();
console.log(`${Math.round(orders / ((performance.now() - t0) / 1000)).toLocaleString('en-US')} orders/s`);
