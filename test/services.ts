/**
 * External services the tests may use (PostgreSQL). A test whose service is absent is skipped
 * with the reason printed, unless WARDEN_REQUIRE_SERVICES=1 (CI), where an absent service fails.
 */
import pg from 'pg';

export const requireServices = process.env.WARDEN_REQUIRE_SERVICES === '1';

export interface ServiceCheck {
  readonly available: boolean;
  /** Why it is unavailable ('' when available). */
  readonly reason: string;
}

export const PG_URL = process.env.WARDEN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgCheck: Promise<ServiceCheck> | undefined;

/** Whether PostgreSQL answers at PG_URL (checked once per test file, 2 s timeout). */
export function postgresAvailable(): Promise<ServiceCheck> {
  pgCheck ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { available: true, reason: '' };
    } catch (e) {
      return { available: false, reason: `PostgreSQL not reachable at ${PG_URL}: ${(e as Error).message}` };
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgCheck;
}

/**
 * Decides what a suite does about a service: true to run, false to skip (reason printed). With
 * WARDEN_REQUIRE_SERVICES=1 an absent service throws, failing the suite.
 */
export function useService(name: string, check: ServiceCheck): boolean {
  if (check.available) return true;
  if (requireServices) throw new Error(`${name} is required (WARDEN_REQUIRE_SERVICES=1) but unavailable: ${check.reason}`);
  console.warn(`[skip] ${name} tests skipped: ${check.reason} (set WARDEN_REQUIRE_SERVICES=1 to fail instead)`);
  return false;
}

export const NATS_URL = process.env.WARDEN_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

let natsCheck: Promise<ServiceCheck> | undefined;

/** Whether the shared NATS server answers at NATS_URL with JetStream on (checked once per file). */
export function natsAvailable(): Promise<ServiceCheck> {
  natsCheck ??= (async () => {
    try {
      const { connect } = await import('@nats-io/transport-node');
      const { jetstreamManager } = await import('@nats-io/jetstream');
      const nc = await connect({ servers: NATS_URL, timeout: 2_000, reconnect: false });
      try {
        await (await jetstreamManager(nc)).getAccountInfo();
        return { available: true, reason: '' };
      } finally {
        await nc.close();
      }
    } catch (e) {
      return { available: false, reason: `NATS with JetStream not reachable at ${NATS_URL}: ${(e as Error).message}` };
    }
  })();
  return natsCheck;
}
