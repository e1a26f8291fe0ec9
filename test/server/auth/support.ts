/**
 * An AuthService on an in-memory (or file) store, wired to a real engine (test/engine/fixtures
 * setup: BTC and ETH on a ScriptedVenue, funded accounts) on a TestClock; the auth clock is a
 * settable number so expiry and lockout can be walked through.
 */
import { setup, type Harness } from '../../engine/fixtures.ts';
import { createAuthService, type WardenAuthService } from '../../../src/server/auth/service.ts';
import type { LockoutPolicy } from '../../../src/server/auth/lockout.ts';
import type { ScryptParams } from '../../../src/server/auth/passwords.ts';
import type { AuditRecorded } from '../../../src/engine/events.ts';
import type { AuthStore } from '../../../src/server/auth/store.ts';

/** Cheap scrypt for tests (the default costs ~32 MiB and tens of ms a hash). */
export const FAST_SCRYPT: ScryptParams = { N: 1024, r: 8, p: 1 };
export const LOCKOUT: LockoutPolicy = { failures: 3, windowMs: 60_000, lockMs: 300_000 };
export const TTL = 3_600_000;

export interface AuthHarness extends Harness {
  readonly auth: WardenAuthService;
  /** The auth clock (epoch ms); move it with `clock.t += ...`. */
  readonly wall: { t: number };
  audits(): AuditRecorded[];
}

export async function authHarness(opts: { db?: string | AuthStore; engine?: Harness } = {}): Promise<AuthHarness> {
  const h = opts.engine ?? (await setup());
  const wall = { t: 1_700_000_000_000 };
  const auth = createAuthService({ db: opts.db ?? ':memory:', engine: h.engine, now: () => wall.t, sessionTtlMs: TTL, lockout: LOCKOUT, scrypt: FAST_SCRYPT });
  const audits = (): AuditRecorded[] => h.journal.all().flatMap((r) => (r.event.kind === 'AuditRecorded' ? [r.event] : []));
  return { ...h, auth, wall, audits };
}
