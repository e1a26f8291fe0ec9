/**
 * `warden firm view --nats URL --firm NAME [--port N]`: the firm view with no engine of its own. Reads
 * every node's events from the firm's JetStream stream and serves the API and the dashboard's
 * Firm page. Its users live in its own auth store (--auth-db); the first start creates `admin`
 * and prints a one-time password here, never to the log. Runs until SIGINT/SIGTERM.
 */
import { createLogger } from '../node/logging.ts';
import { loggingSchema, serverSchema } from '../node/config/schema.ts';
import { startFirmView } from '../cluster/firm-view/start.ts';
import { bad, wholeNumber } from './flags.ts';

export interface FirmCliOptions {
  nats: string;
  firm: string;
  port: string;
  host: string;
  authDb: string;
  logLevel: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export async function runFirmCli(o: FirmCliOptions): Promise<void> {
  if (!NAME.test(o.firm)) throw bad('firm', 'must be 1-64 letters, digits, "_" or "-", starting with a letter or digit (the firm of the nodes\' cluster.firm)');
  const port = wholeNumber('port', o.port, 0, 65_535);
  const servers = o.nats.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (servers.length === 0) throw bad('nats', 'needs at least one NATS server URL, e.g. nats://127.0.0.1:4222');
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
