/**
 * `warden firm view --nats URL --firm NAME [--port N]`: the firm view with no engine of its own. Reads
 * every node's events from the firm's JetStream stream and serves the API and the dashboard's
 * Firm page. Its users live in its own auth store (--auth-db); the first start creates `admin`
 * and prints a one-time password here, never to the log. Runs until SIGINT/SIGTERM.
 */
import { createLogger } from '../node/logging.ts';
import { loggingSchema, serverSchema } from '../node/config/schema.ts';
import { startFirmView } from '../cluster/firm-view/start.ts';
import { wholeNumber } from './flags.ts';
import { firmTarget } from './firm.ts';

export interface FirmCliOptions {
  nats: string;
  firm: string;
  port: string;
  host: string;
  authDb: string;
  logLevel: string;
}

export async function runFirmCli(o: FirmCliOptions): Promise<void> {
  const { servers } = firmTarget(o);
  const port = wholeNumber('port', o.port, 0, 65_535);
  const server = serverSchema.parse({ host: o.host, port, auth_db: o.authDb });
  const logger = createLogger(loggingSchema.parse({ level: o.logLevel, destination: 'stderr' }), { base: { firm: o.firm } });
  const running = await startFirmView({ nats: servers, firm: o.firm, server, logger });
  const admin = await running.auth.ensureAdmin();
  console.log(`firm view of ${o.firm} on ${servers.join(', ')}: ${running.url}`);
  if (admin) console.log(`first start: user ${admin.name}, one-time password ${admin.password} (shown once)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await running.close();
}
