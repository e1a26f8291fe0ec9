import { z } from 'zod';
import { ROLES, type Role } from '../auth/types.ts';
import { docOf, principalOf, routeOf, type App, type ServerContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { credentialsOf, SESSION_COOKIE } from '../guard.ts';

const T = 'auth';
const roles = z.array(z.enum(ROLES as [Role, ...Role[]])).min(1).max(4);
const name = z.string().min(1).max(64);

/** Login, logout, who am I; users and API keys (admin). Secrets: a password only in a request, a key once in its creation's answer. */
export function authRoutes(app: App, ctx: Pick<ServerContext, 'auth'>): void {
  const { auth } = ctx;

  app.route({
    ...routeOf('POST', '/api/auth/login'),
    schema: { ...docOf('POST', '/api/auth/login', T), body: z.strictObject({ username: name, password: z.string().min(1).max(1024) }) },
    handler: async (req, reply) => {
      const r = await auth.login(req.body.username, req.body.password, req.ip);
      if (!r.ok) {
        req.outcomeCode = r.code;
        throw new ApiError(r.code === 'LOCKED_OUT' ? 423 : 401, r.code, r.message, r.retryAt !== undefined ? { retryAt: r.retryAt } : {});
      }
      reply.setCookie(SESSION_COOKIE, r.token, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.protocol === 'https', expires: new Date(r.expiresAt) });
      return { token: r.token, expiresAt: r.expiresAt, user: { name: r.principal.name, roles: [...r.principal.roles] } };
    },
  });

  app.route({
    ...routeOf('POST', '/api/auth/logout'),
    schema: docOf('POST', '/api/auth/logout', T),
    handler: async (req, reply) => {
      const c = credentialsOf(req);
      const token = c.bearer ?? c.sessionCookie;
      // An API key is not a session: logging out with one ends nothing (revoke it instead).
      if (token && principalOf(req).kind === 'user') await auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  });

  app.route({
    ...routeOf('GET', '/api/auth/me'),
    schema: docOf('GET', '/api/auth/me', T),
    handler: (req) => {
      const p = principalOf(req);
      return { name: p.name, kind: p.kind, roles: [...p.roles] };
    },
  });

  app.route({ ...routeOf('GET', '/api/users'), schema: docOf('GET', '/api/users', T), handler: async () => auth.users.list() });

  app.route({
    ...routeOf('POST', '/api/users'),
    schema: { ...docOf('POST', '/api/users', T), body: z.strictObject({ name, password: z.string().min(1).max(1024), roles }) },
    handler: async (req, reply) => {
      req.auditTarget = req.body.name;
      await auth.users.add(req.body.name, req.body.password, req.body.roles);
      return reply.code(201).send({ name: req.body.name, roles: req.body.roles });
    },
  });

  app.route({
    ...routeOf('DELETE', '/api/users/:name'),
    schema: { ...docOf('DELETE', '/api/users/:name', T), params: z.strictObject({ name }) },
    handler: async (req) => {
      req.auditTarget = req.params.name;
      const known = (await auth.users.list()).some((u) => u.name === req.params.name);
      if (!known) throw new ApiError(404, 'NOT_FOUND', `no user ${req.params.name}`, { name: req.params.name });
      await auth.users.remove(req.params.name);
      return { removed: req.params.name };
    },
  });

  app.route({ ...routeOf('GET', '/api/keys'), schema: docOf('GET', '/api/keys', T), handler: async () => auth.keys.list() });

  app.route({
    ...routeOf('POST', '/api/keys'),
    schema: { ...docOf('POST', '/api/keys', T), body: z.strictObject({ name, roles }) },
    handler: async (req, reply) => {
      const k = await auth.keys.create(req.body.name, req.body.roles);
      req.auditTarget = k.id;
      return reply.code(201).send({ id: k.id, key: k.key, name: req.body.name, roles: req.body.roles });
    },
  });

  app.route({
    ...routeOf('DELETE', '/api/keys/:id'),
    schema: { ...docOf('DELETE', '/api/keys/:id', T), params: z.strictObject({ id: name }) },
    handler: async (req) => {
      req.auditTarget = req.params.id;
      const known = (await auth.keys.list()).some((k) => k.id === req.params.id);
      if (!known) throw new ApiError(404, 'NOT_FOUND', `no API key ${req.params.id}`, { id: req.params.id });
      await auth.keys.revoke(req.params.id);
      return { revoked: req.params.id };
    },
  });
}
