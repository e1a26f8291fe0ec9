/** The ledger's pure decisions: grants within the room the other nodes leave, expiry by lease, sweeping, the stored form. */
import { describe, expect, it } from 'vitest';
import { EMPTY_LEDGER, grantLine, NO_EXPOSURE, sweepExpired, withEntry, type Exposure, type FirmLimits, type NodeEntry } from '../../../src/cluster/budget/ledger.ts';
import { decodeLedger, encodeLedger } from '../../../src/cluster/budget/ledger-codec.ts';
import { amountOf } from './support.ts';

const gross = (g: string): Exposure => ({ gross: amountOf(g), long: new Map(), short: new Map() });
const limits: FirmLimits = { gross: amountOf('1000'), net: new Map([['X', amountOf('300')]]), rate: 10 };
const entry = (line: string, held: string, leaseUntil: number, rate = 0): NodeEntry => ({ line: gross(line), rate, held: gross(held), loss: 0n, day: '2026-12-07', leaseUntil });

describe('firm ledger', () => {
  it('grants up to the room the other live nodes leave, and denies a need beyond it with FIRM_BUDGET_EXCEEDED', () => {
    const l = withEntry(EMPTY_LEDGER, 'a', entry('700', '0', 2_000));
    const g = grantLine(l, 'b', { need: gross('200'), want: gross('500'), needRate: 0, wantRate: 0 }, limits, 1_000);
    expect(g).toMatchObject({ ok: true, line: { gross: amountOf('300') } });
    const d = grantLine(l, 'b', { need: gross('301'), want: gross('301'), needRate: 0, wantRate: 0 }, limits, 1_000);
    expect(d).toMatchObject({ ok: false, code: 'FIRM_BUDGET_EXCEEDED' });
  });

  it('counts an expired line as its holdings only, so the room comes back when a lease lapses', () => {
    const l = withEntry(EMPTY_LEDGER, 'dead', entry('900', '100', 1_000));
    expect(grantLine(l, 'b', { need: gross('850'), want: gross('850'), needRate: 0, wantRate: 0 }, limits, 999)).toMatchObject({ ok: false });
    expect(grantLine(l, 'b', { need: gross('850'), want: gross('850'), needRate: 0, wantRate: 0 }, limits, 1_000)).toMatchObject({ ok: true });
    const swept = sweepExpired(l, 'b', 1_000)!;
    expect(swept.swept).toEqual(['dead']);
    expect(swept.ledger.nodes.get('dead')!.line.gross).toBe(amountOf('100'));
    expect(sweepExpired(swept.ledger, 'b', 1_000)).toBeUndefined();
  });

  it('denies net exposure per instrument side and the order rate beyond the firm limits', () => {
    const l = withEntry(EMPTY_LEDGER, 'a', { ...entry('0', '0', 5_000, 8), line: { gross: 0n, long: new Map([['X', amountOf('250')]]), short: new Map() } });
    const net = { gross: amountOf('60'), long: new Map([['X', amountOf('60')]]), short: new Map() };
    expect(grantLine(l, 'b', { need: net, want: net, needRate: 0, wantRate: 0 }, limits, 1_000)).toMatchObject({ ok: false, code: 'FIRM_NET_BUDGET_EXCEEDED' });
    expect(grantLine(l, 'b', { need: NO_EXPOSURE, want: NO_EXPOSURE, needRate: 3, wantRate: 3 }, limits, 1_000)).toMatchObject({ ok: false, code: 'FIRM_ORDER_RATE_EXCEEDED' });
  });

  it('stores exact decimals and reads them back; a malformed value is refused naming the field', () => {
    const l = withEntry(EMPTY_LEDGER, 'a', { ...entry('123.4567890123', '0.1', 42, 3), loss: amountOf('7.25') });
    expect(decodeLedger(encodeLedger(l))).toEqual(l);
    expect(() => decodeLedger('{"v":1,"nodes":{"a":{"line":{"gross":1}}}}')).toThrow(/nodes.a/);
  });
});
