import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { allowed, type RouteAccess } from './access.ts';
import type { AuditEntry, AuthService, Principal } from './auth/types.ts';
import { sendError } from './errors.ts';
import type { CommandAudit } from '../engine/commands.ts';
import { wallNow } from './wall.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** What the call was about (an order id, a breaker), for its audit event. */
    auditTarget?: string;
    /** The code of the answer when not OK (set where the error is sent). */
    outcomeCode?: string;
    /** The call's audit record went into its command's own commit (carriedAudit): not journaled again. */
    auditJournaled?: boolean;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export const SESSION_COOKIE = 'warden_session';

/** Counts 401/403 answers per source address in a fixed window; past `max` the address gets 429 until the window ends. */
export class FailureLimiter {
  private readonly counts = new Map<string, { n: number; until: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = wallNow,
  ) {}

  blocked(ip: string): boolean {
    const c = this.counts.get(ip);
    if (!c) return false;
    if (c.until <= this.now()) {
      this.counts.delete(ip);
      return false;
    }
    return c.n >= this.max;
  }

  failed(ip: string): void {
    const t = this.now();
    const c = this.counts.get(ip);
    if (!c || c.until <= t) this.counts.set(ip, { n: 1, until: t + this.windowMs });
    else c.n++;
  }
}

export interface GuardOptions {
  readonly auth: AuthService;
  readonly logger: Logger;
  readonly limiter: FailureLimiter;
  /** GET /metrics needs no credentials. */
  readonly metricsPublic: boolean;
}

/** The credentials a request carries: a bearer token or key, else the session cookie. */
export function credentialsOf(req: FastifyRequest): { bearer?: string; sessionCookie?: string; ip: string } {
  const h = req.headers.authorization;
  const bearer = typeof h === 'string' && /^Bearer\s+/i.test(h) ? h.replace(/^Bearer\s+/i, '').trim() : undefined;
  const cookie = req.cookies?.[SESSION_COOKIE];
  return { ...(bearer ? { bearer } : {}), ...(cookie ? { sessionCookie: cookie } : {}), ip: req.ip };
}

/**
 * Authentication and authorization before any handler (onRequest), from the route's entry in
 * ROUTE_TABLE; each 401/403 logged (method, route, source, code: never a credential) and counted
 * against its source address; every audited route journaled as an audit event once answered.
 */
export function installGuard(app: FastifyInstance, o: GuardOptions): void {
  app.addHook('onRequest', async (req, reply) => {
    const access = req.routeOptions.config?.access;
    if (!access) return;
    if (access.need === 'public' || (o.metricsPublic && access.url === '/metrics')) return;
    if (o.limiter.blocked(req.ip)) {
      req.outcomeCode = 'RATE_LIMITED';
      return sendError(reply, 429, 'RATE_LIMITED', 'too many failed or refused requests from this address: wait and try again', {});
    }
    const creds = credentialsOf(req);
    // The event stream may authenticate by its first message instead (a browser cannot set headers on a WebSocket).
    if (access.url === '/api/stream' && creds.bearer === undefined && creds.sessionCookie === undefined) return;
    const r = await o.auth.authenticate(creds);
    if (!r.ok) {
      req.outcomeCode = r.code;
      const status = r.code === 'LOCKED_OUT' ? 423 : 401;
      return sendError(reply, status, r.code, r.message, r.retryAt !== undefined ? { retryAt: r.retryAt } : {});
    }
    req.principal = r.principal;
    if (!allowed(access.need, r.principal.roles)) {
      req.outcomeCode = 'FORBIDDEN';
      const needs = access.need as readonly string[];
      return sendError(reply, 403, 'FORBIDDEN', `${access.method} ${access.url} needs the role ${needs.join(' or ')}; ${r.principal.name} has ${r.principal.roles.join(', ') || 'none'}`, { need: [...needs] });
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const access = req.routeOptions.config?.access;
    if (!access) return payload;
    const status = reply.statusCode;
    if (status === 401 || status === 403 || status === 423) {
      o.limiter.failed(req.ip);
      o.logger.warn({ method: req.method, route: access.url, ip: req.ip, status, code: req.outcomeCode ?? codeIn(payload) }, 'request refused');
    }
    if (access.audited && !req.auditJournaled) await audit(o, req, reply, access, payload);
    return payload;
  });
}

async function audit(o: GuardOptions, req: FastifyRequest, reply: FastifyReply, access: RouteAccess, payload: unknown): Promise<void> {
  const status = reply.statusCode;
  const code = status < 300 ? undefined : (req.outcomeCode ?? codeIn(payload));
  const entry: AuditEntry = { ...callOf(req, access), outcome: outcomeOf(status), ...(code !== undefined ? { code } : {}) };
  try {
    await o.auth.audit(entry);
  } catch (e) {
    o.logger.error({ action: entry.action, err: (e as Error).message }, 'audit event not journaled');
  }
}

/** Who asked what of what: the audit record of a call but its outcome. */
function callOf(req: FastifyRequest, access: RouteAccess): Omit<AuditEntry, 'outcome' | 'code'> {
  const p = req.principal;
  return {
    principal: p ? `${p.kind}:${p.name}` : claimedName(req),
    roles: p?.roles ?? [],
    source: req.ip,
    action: `${access.method} ${access.url}`,
    ...(req.auditTarget !== undefined ? { target: req.auditTarget } : {}),
  };
}

/**
 * The call's audit record for its command to carry into the command's own commit (one write, not
 * two, before the answer). Once the command is durable with it, `carried()` tells the guard not to
 * journal the call again. Set `req.auditTarget` first.
 */
export function carriedAudit(req: FastifyRequest, auth: AuthService): CarriedAudit {
  const access = req.routeOptions.config?.access;
  if (!access) throw new Error(`route ${req.method} ${req.url} has no access entry to audit`);
  return { entry: auth.commandAudit(callOf(req, access)), carried: () => void (req.auditJournaled = true) };
}

/** An audit record a command carries (carriedAudit). */
export interface CarriedAudit {
  readonly entry: CommandAudit;
  /** Called once the command is durable with the record. */
  carried(): void;
}

/** A login names the user it tries (never the password); any other unauthenticated call is anonymous. */
function claimedName(req: FastifyRequest): string {
  const body = req.body as { username?: unknown } | undefined;
  if (req.routeOptions.url === '/api/auth/login' && typeof body?.username === 'string') return `user:${body.username.slice(0, 64)}`;
  return 'anonymous';
}

export function outcomeOf(status: number): AuditEntry['outcome'] {
  if (status < 300) return 'OK';
  if (status === 409) return 'DENIED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 401 || status === 423) return 'UNAUTHENTICATED';
  if (status === 400 || status === 404 || status === 422) return 'INVALID';
  return 'ERROR';
}

function codeIn(payload: unknown): string | undefined {
  if (typeof payload !== 'string' || !payload.startsWith('{"error"')) return undefined;
  try {
    return (JSON.parse(payload) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}
