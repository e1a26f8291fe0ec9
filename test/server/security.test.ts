/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- the API's JSON answers are checked by the assertions, not by types */
/**
 * Authentication and authorization against the real server (FAULTS 30, 31, 39): the whole role ×
 * mutation matrix from ROUTE_TABLE, each call audited; token expiry; key revocation; lockout;
 * 401/403 rate limiting; no secret in any answer or log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_TABLE } from '../../src/server/access.ts';
import { ROLES, type Role } from '../../src/server/auth/types.ts';
import { PASSWORD, ROLE_USERS, testServer, type TestServer } from './support.ts';

let s: TestServer;
const answers: string[] = [];
beforeAll(async () => {
  s = await testServer({ warmSteps: 5, create: { failureLimit: 100_000 } });
}, 60_000);
afterAll(async () => s?.close());

const call = async (...a: Parameters<TestServer['call']>) => {
  const r = await s.call(...a);
  answers.push(r.text);
  return r;
};
const pathOf = (url: string) => url.replace(/:(\w+)/g, 'nobody');

describe('the role × mutation matrix (from ROUTE_TABLE)', () => {
  const mutations = ROUTE_TABLE.filter((r) => r.method !== 'GET' && Array.isArray(r.need));
  it('covers every mutation of the contract', () => {
    expect(mutations.length).toBeGreaterThanOrEqual(23);
  });

  for (const route of mutations) {
    it(`${route.method} ${route.url}: allowed to ${(route.need as Role[]).join('/')}, 403 FORBIDDEN to the others, each attempt audited`, async () => {
      for (const role of ROLES) {
        // An empty body: an allowed role passes the guard and meets validation or a missing target (400/404/409), never 401/403.
        const r = await call(route.method, pathOf(route.url), { token: s.tokens[role], ...(route.method === 'DELETE' ? {} : { body: {} }) });
        const may = (route.need as readonly Role[]).includes(role);
        if (may) expect([401, 403], `${role} ${r.text}`).not.toContain(r.status);
        else {
          expect(r.status, `${role} ${r.text}`).toBe(403);
          expect(r.body.error.code).toBe('FORBIDDEN');
        }
      }
      const audit = (await s.call('GET', '/api/audit?limit=8', { token: s.tokens.viewer })).body as { action: string; principal: string; outcome: string; source: string; roles: string[] }[];
      const mine = audit.filter((a) => a.action === `${route.method} ${route.url}`);
      expect(mine).toHaveLength(ROLES.length);
      for (const role of ROLES) {
        const a = mine.find((x) => x.principal === `user:${ROLE_USERS[role]}`)!;
        expect(a.roles).toEqual([role]);
        expect(a.source).toBe('127.0.0.1');
        expect(a.outcome).toEqual((route.need as readonly Role[]).includes(role) ? expect.stringMatching(/^(OK|INVALID|DENIED|ERROR)$/) : 'FORBIDDEN');
      }
    });
  }

  it('every read needs only authentication: each role reads each GET route', async () => {
    const reads = ROUTE_TABLE.filter((r) => r.method === 'GET' && r.need === 'authenticated' && r.url !== '/api/stream' && !r.url.includes(':'));
    for (const route of reads) for (const role of ROLES) expect((await call('GET', route.url, { token: s.tokens[role] })).status, `${role} ${route.url}`).toBe(200);
  });

  it('a mutation without credentials is 401, audited as UNAUTHENTICATED', async () => {
    const r = await call('POST', '/api/risk/kill-switch', { body: { reason: 'x' } });
    expect(r.status).toBe(401);
    const audit = (await s.call('GET', '/api/audit?limit=3', { token: s.tokens.viewer })).body;
    expect(audit[0]).toMatchObject({ principal: 'anonymous', action: 'POST /api/risk/kill-switch', outcome: 'UNAUTHENTICATED' });
  });

  it('an allowed, valid mutation is audited OK with its target', async () => {
    expect((await call('POST', '/api/strategies/bb-btcusdc/pause', { token: s.tokens.trader })).status).toBe(200);
    const audit = (await s.call('GET', '/api/audit?limit=1', { token: s.tokens.viewer })).body;
    expect(audit[0]).toMatchObject({ principal: 'user:tom', action: 'POST /api/strategies/:id/pause', target: 'bb-btcusdc', outcome: 'OK' });
  });
});

describe('sessions, keys, lockout', () => {
  it('login sets an HttpOnly SameSite=Strict cookie that authenticates; logout ends the session', async () => {
    const res = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'vera', password: PASSWORD }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^warden_session=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const pair = cookie.split(';')[0]!;
    const me = await call('GET', '/api/auth/me', { headers: { cookie: pair } });
    expect(me.body.name).toBe('vera');
    expect((await call('POST', '/api/auth/logout', { headers: { cookie: pair } })).status).toBe(200);
    const after = await call('GET', '/api/auth/me', { headers: { cookie: pair } });
    expect(after.status).toBe(401);
  });

  it('a session token expires: 401 SESSION_EXPIRED after its lifetime', async () => {
    const r = await s.auth.login('rita', PASSWORD, '127.0.0.1');
    if (!r.ok) throw new Error(r.code);
    expect((await call('GET', '/api/risk', { token: r.token })).status).toBe(200);
    const t0 = s.wall.t;
    s.wall.t += 3_600_001;
    try {
      const x = await call('GET', '/api/risk', { token: r.token });
      expect(x.status).toBe(401);
      expect(x.body.error.code).toBe('SESSION_EXPIRED');
    } finally {
      s.wall.t = t0;
    }
  });

  it('an API key works for its role until revoked: then 401 KEY_REVOKED; beyond its role 403', async () => {
    const k = await call('POST', '/api/keys', { token: s.tokens.admin, body: { name: 'bot', roles: ['viewer'] } });
    const key = k.body.key as string;
    expect((await call('GET', '/api/orders', { token: key })).status).toBe(200);
    const trade = await call('POST', '/api/orders', { token: key, body: { instrumentId: 'BTCUSDT.BINANCEUS', side: 'BUY', type: 'MARKET', quantity: '0.001' } });
    expect(trade.status).toBe(403);
    expect((await call('DELETE', `/api/keys/${k.body.id}`, { token: s.tokens.admin })).status).toBe(200);
    const r = await call('GET', '/api/orders', { token: key });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('KEY_REVOKED');
  });

  it('lockout (FAULTS 39): after 3 failed logins 423 LOCKED_OUT, even with the right password', async () => {
    await s.auth.users.add('lou', PASSWORD, ['viewer']);
    for (let i = 0; i < 3; i++) {
      const r = await call('POST', '/api/auth/login', { body: { username: 'lou', password: 'wrong password!' } });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const locked = await call('POST', '/api/auth/login', { body: { username: 'lou', password: PASSWORD } });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('LOCKED_OUT');
    expect(locked.body.error.context.retryAt).toBeGreaterThan(s.wall.t);
  });
});

describe('401/403 are logged and rate limited', () => {
  it('past the limit an address gets 429 RATE_LIMITED, even with good credentials, until the window ends', async () => {
    const t = await testServer({ warmSteps: 0, create: { failureLimit: 5 } });
    try {
      for (let i = 0; i < 5; i++) expect((await t.call('POST', '/api/risk/kill-switch/reset', { token: t.tokens.viewer, body: { reason: 'x' } })).status).toBe(403);
      const r = await t.call('GET', '/api/orders', { token: t.tokens.viewer });
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('RATE_LIMITED');
      const refused = t.logs.filter((l) => l.includes('request refused'));
      expect(refused).toHaveLength(5);
      expect(JSON.parse(refused[0]!)).toMatchObject({ route: '/api/risk/kill-switch/reset', status: 403, code: 'FORBIDDEN', ip: '127.0.0.1' });
      expect((await t.call('GET', '/api/health')).status).toBe(200);
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('secrets (FAULTS 31)', () => {
  it('no password, session token or API key in any answer (but the login and key creation that issue them) or any log line', async () => {
    const k = await s.call('POST', '/api/keys', { token: s.tokens.admin, body: { name: 'secret-bot', roles: ['trader'] } });
    await s.call('GET', '/api/orders', { token: k.body.key });
    await s.call('POST', '/api/users', { token: s.tokens.admin, body: { name: 'pat', password: 'pat password 12345', roles: ['viewer'] } });
    const journal = (await s.call('GET', '/api/journal?from=1&limit=10000', { token: s.tokens.viewer })).text;
    const secrets = [PASSWORD, 'pat password 12345', k.body.key as string, ...Object.values(s.tokens)];
    for (const secret of secrets) {
      for (const a of [...answers, journal]) expect(a.includes(secret)).toBe(false);
      for (const l of s.logs) expect(l.includes(secret)).toBe(false);
    }
    expect(s.logs.length).toBeGreaterThan(0);
  });
});
