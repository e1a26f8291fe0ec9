import { describe, expect, it } from 'vitest';
import { positionId } from '../../src/model/identifiers.ts';
import { hedgingPositionId, nettingPositionId, requireOwnPosition } from '../../src/portfolio/position-id.ts';

describe('derived position ids carry the account', () => {
  it('ACC-1 and ACC-2 trading BTCUSDT.BINANCE with s1 get two ids: ACC-1/BTCUSDT.BINANCE/s1 and ACC-2/BTCUSDT.BINANCE/s1', () => {
    expect(nettingPositionId('ACC-1', 'BTCUSDT.BINANCE', 's1')).toBe('ACC-1/BTCUSDT.BINANCE/s1');
    expect(nettingPositionId('ACC-2', 'BTCUSDT.BINANCE', 's1')).toBe('ACC-2/BTCUSDT.BINANCE/s1');
    expect(hedgingPositionId('ACC-1', 'BTCUSDT.BINANCE', 's1', 'O-1')).toBe('ACC-1/BTCUSDT.BINANCE/s1/O-1');
  });

  it('parts holding the separator cannot collide: account "A/B" + strategy "s" ≠ account "A" + instrument "B/…"', () => {
    const a = nettingPositionId('A/B', 'X.V', 's');
    const b = nettingPositionId('A', 'B/X.V', 's');
    const c = nettingPositionId('A', 'B', 'X.V/s');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(a).toBe('A%2FB/X.V/s');
    // an escaped-looking part stays apart from the escape of a real separator
    expect(nettingPositionId('A%2FB', 'X.V', 's')).not.toBe(a);
  });

  it('three 128-character parts give an id of at most 128 characters the journal accepts, different per account', () => {
    const long = (c: string): string => c.repeat(128);
    const one = nettingPositionId(long('a'), `${'i'.repeat(120)}.VENUE`, long('s'));
    const two = nettingPositionId(long('b'), `${'i'.repeat(120)}.VENUE`, long('s'));
    expect(one.length).toBeLessThanOrEqual(128);
    expect(positionId(one)).toBe(one);
    expect(one).not.toBe(two);
  });
});

describe('an order may name only its own account’s position', () => {
  const spec = { accountId: 'ACC-3', instrumentId: 'BTCUSDT.BINANCE', clientOrderId: 'O-9' };
  it('a position of ACC-1 named by an order of ACC-3 is refused with POSITION_NOT_OWNED', () => {
    expect(() => requireOwnPosition({ id: 'P', accountId: 'ACC-1', instrumentId: 'BTCUSDT.BINANCE' }, spec)).toThrow(expect.objectContaining({ code: 'POSITION_NOT_OWNED' }));
  });
  it('a position of ACC-3 in another instrument is refused too; its own position, or none yet, passes', () => {
    expect(() => requireOwnPosition({ id: 'P', accountId: 'ACC-3', instrumentId: 'ETHUSDT.BINANCE' }, spec)).toThrow(expect.objectContaining({ code: 'POSITION_NOT_OWNED' }));
    expect(() => requireOwnPosition({ id: 'P', accountId: 'ACC-3', instrumentId: 'BTCUSDT.BINANCE' }, spec)).not.toThrow();
    expect(() => requireOwnPosition(undefined, spec)).not.toThrow();
  });
});
