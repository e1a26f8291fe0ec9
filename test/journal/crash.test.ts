import { describe, expect, it } from 'vitest';
import { runCrashTest } from '../../scripts/crash-test.ts';
import { postgresAvailable, useService } from '../services.ts';

const pgOk = useService('PostgreSQL', await postgresAvailable());

/** A handful of SIGKILL runs; `npm run crash-test -- --runs 50` is the long version. */
describe('crash (SIGKILL) under load and restart (FAULTS 25, 29)', () => {
  it.each([
    ['SQLite', 'sqlite' as const, true],
    ['PostgreSQL', 'postgres' as const, pgOk],
  ])('%s: 4 kills: no acknowledged command lost, no order seen twice, every recovery equals the replay of the durable log', async (_n, journal, run) => {
    if (!run) return;
    const lines: string[] = [];
    const r = await runCrashTest({ runs: 4, journal, maxMs: 250, log: (l) => lines.push(l) });
    expect(lines).toEqual([]);
    expect(r).toMatchObject({ runs: 4, lost: 0, duplicated: 0, recoveryMismatches: 0 });
    expect(r.acknowledged).toBeGreaterThan(0);
  }, 120_000);
});
