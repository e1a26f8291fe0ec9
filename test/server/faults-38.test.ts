/* eslint-disable @typescript-eslint/no-unsafe-member-access -- the API's JSON answers are checked by the assertions, not by types */
/**
 * FAULTS.md 38: two operators act at once (a kill-switch reset while another engages it, a breaker
 * reset beside them) → the journal's order decides, and every action is attributed to its
 * operator: the state the API shows is the fold of the journal, each kill-switch event names the
 * operator who sent it, and each call has its audit record under its own principal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from './support.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => {
  await s.close();
});

interface Rec {
  seq: number;
  event: { kind: string; operator?: string; principal?: string; action?: string; outcome?: string };
}

async function records(from: number): Promise<Rec[]> {
  const r = await s.call('GET', `/api/journal?from=${from}&limit=10000`, { token: s.tokens.viewer });
  return r.body.records as Rec[];
}

describe('FAULTS 38: operators acting at once', () => {
  it('the journal orders a reset and an engage sent together; the state follows its last word; each is attributed', async () => {
    expect((await s.call('POST', '/api/risk/kill-switch', { token: s.tokens.trader, body: { reason: 'first halt' } })).status).toBe(200);
    const from = ((await s.call('GET', '/api/journal?from=1&limit=1', { token: s.tokens.viewer })).body.lastSeq as number) + 1;
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all([
        s.call('POST', '/api/risk/kill-switch/reset', { token: s.tokens.risk, body: { reason: `reset ${round}` } }),
        s.call('POST', '/api/risk/kill-switch', { token: s.tokens.trader, body: { reason: `halt again ${round}` } }),
      ]);
      // Each call is decided on its own: done, or refused with a stable code (nothing half-done).
      for (const a of answers) expect(a.status === 200 || (a.status === 409 && typeof a.body.error.code === 'string')).toBe(true);
      const state = (await s.call('GET', '/api/risk', { token: s.tokens.viewer })).body.killSwitch.engaged as boolean;
      const kills = (await records(from)).filter((r) => r.event.kind === 'KillSwitchEngaged' || r.event.kind === 'KillSwitchReset');
      // The API shows the journal's last word on the kill switch.
      expect(state).toBe(kills.at(-1)!.event.kind === 'KillSwitchEngaged');
      // Leave it engaged for the next round.
      if (!state) expect((await s.call('POST', '/api/risk/kill-switch', { token: s.tokens.trader, body: { reason: 'halt for the next round' } })).status).toBe(200);
    }
    const all = await records(from);
    const kills = all.filter((r) => r.event.kind === 'KillSwitchEngaged' || r.event.kind === 'KillSwitchReset');
    expect(kills.some((r) => r.event.kind === 'KillSwitchReset')).toBe(true);
    // Every engage is the trader's, every reset the risk user's: never mixed up, never anonymous.
    for (const k of kills) expect(k.event.operator).toBe(k.event.kind === 'KillSwitchReset' ? 'user:rita' : 'user:tom');
    // And each call has its audit record under the principal who made it, in journal order.
    const audits = all.filter((r) => r.event.kind === 'AuditRecorded' && r.event.action?.includes('kill-switch'));
    expect(audits.filter((a) => a.event.action === 'POST /api/risk/kill-switch/reset').every((a) => a.event.principal === 'user:rita')).toBe(true);
    expect(audits.filter((a) => a.event.action === 'POST /api/risk/kill-switch').every((a) => a.event.principal === 'user:tom')).toBe(true);
    expect(audits.filter((a) => a.event.action === 'POST /api/risk/kill-switch/reset')).toHaveLength(5);
    const seqs = all.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  }, 60_000);
});
