/**
 * A firm view process: the NATS link, the firm's stream followed from its start into a FirmView,
 * the auth service (its own store; audit records to the log, there is no journal) and the server.
 * The server answers at once; the view fills as the stream is read (NATS may come later).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { OperatorAuthority } from '../../engine/origin.ts';
import type { ServerConfig } from '../../node/config/index.ts';
import { createAuthService, type WardenAuthService } from '../../server/auth/index.ts';
import type { App } from '../../server/context.ts';
import type { ScryptParams } from '../../server/auth/passwords.ts';
import { NatsLink } from '../nats/connection.ts';
import { FirmView } from './firm-view.ts';
import { createFirmServer } from './server.ts';

export interface FirmViewOptions {
  readonly nats: string | readonly string[];
  readonly firm: string;
  readonly server: ServerConfig;
  readonly logger: Logger;
  readonly webDist?: string;
  /** Cost of new password hashes (tests lower it). */
  readonly scrypt?: ScryptParams;
}

export interface RunningFirmView {
  readonly url: string;
  readonly app: App;
  readonly view: FirmView;
  readonly link: NatsLink;
  readonly auth: WardenAuthService;
  close(): Promise<void>;
}

export async function startFirmView(o: FirmViewOptions): Promise<RunningFirmView> {
  const { logger } = o;
  if (o.server.auth_db !== ':memory:') mkdirSync(dirname(o.server.auth_db), { recursive: true });
  const auth = createAuthService({
    db: o.server.auth_db,
    engine: { authority: new OperatorAuthority(), recordAudit: (entry) => Promise.resolve(logger.info({ audit: entry }, 'audit')) },
    sessionTtlMs: o.server.session_ttl_ms,
    lockout: { failures: o.server.lockout.failures, windowMs: o.server.lockout.window_ms, lockMs: o.server.lockout.lock_ms },
    ...(o.scrypt ? { scrypt: o.scrypt } : {}),
  });
  const view = new FirmView(o.firm);
  const link = NatsLink.open({ servers: o.nats, name: `warden firm view ${o.firm}` });
  link.onStatus((e) => logger[e.kind === 'disconnected' ? 'warn' : 'info']({ firm: o.firm, nats: e.kind }, 'NATS link'));
  const following = link.ready().then(
    (nc) => view.follow(nc, (e) => logger.error({ firm: o.firm, err: (e as Error).message }, 'firm feed stopped')),
    () => undefined,
  );
  const app = await createFirmServer({ view, auth, config: o.server, logger, connected: () => link.connected, ...(o.webDist ? { webDist: o.webDist } : {}) });
  await app.listen({ host: o.server.host, port: o.server.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.server.port;
  const url = `http://${o.server.host.includes(':') ? `[${o.server.host}]` : o.server.host}:${port}`;
  logger.info({ url, firm: o.firm }, 'firm view listening');
  return {
    url,
    app,
    view,
    link,
    auth,
    async close() {
      await app.close();
      await following.catch(() => undefined);
      await view.stop();
      await link.close();
      await auth.close();
    },
  };
}
