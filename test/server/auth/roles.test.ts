/**
 * Issue 14 section 2: a principal's roles become its engine credential (trader → TRADE, risk →
 * RISK), issued by the node's OperatorAuthority and reused for the same principal, so the engine
 * and risk control, not the API alone, decide what it may do.
 */
import { describe, expect, it } from 'vitest';
import { operatorOrigin } from '../../../src/engine/origin.ts';
import { RiskControl } from '../../../src/risk/control/risk-control.ts';
import type { Principal } from '../../../src/server/auth/types.ts';
import { marketBuy } from '../../engine/fixtures.ts';
import { authHarness, type AuthHarness } from './support.ts';

const PW = 'correct horse battery';

async function principalOf(h: AuthHarness, name: string): Promise<Principal> {
  const s = await h.auth.login(name, PW, '127.0.0.1');
  if (!s.ok) throw new Error(s.code);
  return s.principal;
}

describe('roles to engine operator roles', () => {
  it('a trader submits orders as itself but cannot lift the kill switch; a risk principal can; viewer and admin hold no engine role', async () => {
    const h = await authHarness();
    await h.auth.users.add('tina', PW, ['trader', 'viewer']);
    await h.auth.users.add('rick', PW, ['risk', 'viewer']);
    await h.auth.users.add('vera', PW, ['viewer', 'admin']);
    const [tina, rick, vera] = [await principalOf(h, 'tina'), await principalOf(h, 'rick'), await principalOf(h, 'vera')];
    expect([tina.operator, rick.operator, vera.operator].map((o) => [o.identity, o.roles])).toEqual([
      ['user:tina', ['TRADE']],
      ['user:rick', ['RISK']],
      ['user:vera', []],
    ]);
    expect(h.engine.authority.issued(tina.operator)).toBe(true);

    const r = await h.engine.submitOrder(marketBuy('T-1', '0.1'), operatorOrigin(tina.operator));
    expect(r.denied).toEqual([]);
    const init = h.journal.all().find((x) => x.event.kind === 'OrderInitialized' && x.event.spec.clientOrderId === 'T-1');
    expect(init?.event).toMatchObject({ origin: 'OPERATOR:user:tina' });
    await expect(h.engine.submitOrder(marketBuy('V-1', '0.1'), operatorOrigin(vera.operator))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await expect(h.engine.submitOrder(marketBuy('R-1', '0.1'), operatorOrigin(rick.operator))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });

    const control = new RiskControl(h.engine);
    await control.engageKillSwitch({ operator: rick.operator, reason: 'drill' });
    await expect(control.resetKillSwitch({ operator: tina.operator, reason: 'let me trade' })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await expect(control.resetKillSwitch({ operator: vera.operator, reason: 'admin says so' })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect(h.engine.risk.killSwitch).toBeDefined();
    await control.resetKillSwitch({ operator: rick.operator, reason: 'drill over' });
    expect(h.engine.risk.killSwitch).toBeUndefined();
  });

  it('the same principal gets the same credential object on every request; a user re-added with other roles gets a new one; a key is key:<id>', async () => {
    const h = await authHarness();
    await h.auth.users.add('root', 'root password 1', ['admin']);
    await h.auth.users.add('tina', PW, ['trader']);
    const s = await h.auth.login('tina', PW, 'ip');
    if (!s.ok) throw new Error(s.code);
    const a = await h.auth.authenticate({ bearer: s.token, ip: 'ip' });
    const b = await h.auth.authenticate({ sessionCookie: s.token, ip: 'ip' });
    if (!a.ok || !b.ok) throw new Error('not authenticated');
    expect(a.principal.operator).toBe(s.principal.operator);
    expect(b.principal.operator).toBe(s.principal.operator);
    expect((await principalOf(h, 'tina')).operator).toBe(s.principal.operator);

    await h.auth.users.remove('tina');
    await h.auth.users.add('tina', PW, ['risk']);
    const again = await principalOf(h, 'tina');
    expect(again.operator).not.toBe(s.principal.operator);
    expect(again.operator.roles).toEqual(['RISK']);

    const { id, key } = await h.auth.keys.create('bot', ['trader', 'risk']);
    const k1 = await h.auth.authenticate({ bearer: key, ip: 'ip' });
    const k2 = await h.auth.authenticate({ bearer: key, ip: 'ip' });
    if (!k1.ok || !k2.ok) throw new Error('key refused');
    expect(k1.principal.operator).toBe(k2.principal.operator);
    expect(k1.principal.operator).toMatchObject({ identity: `key:${id}`, roles: ['TRADE', 'RISK'] });
  });
});

describe('a refused role list', () => {
  it('names a short unknown role (a typo) but never a value as long as a password could be (12 characters or more)', async () => {
    const h = await authHarness();
    await expect(h.auth.users.add('bob', PW, ['trdaer' as never])).rejects.toThrow(/trdaer is not a role/);
    const err = await h.auth.users.add('bob', PW, ['hunter2hunter2' as never]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_FIELD' });
    expect(`${(err as Error).message} ${JSON.stringify((err as { context?: unknown }).context)}`).not.toContain('hunter2hunter2');
  });
});
