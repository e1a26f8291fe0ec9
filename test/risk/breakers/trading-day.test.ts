import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TradingDay, isTimeZone } from '../../../src/risk/breakers/index.ts';

const utc = (s: string): number => Date.parse(s);

describe('trading day', () => {
  it('with the default (00:00 UTC) the day is the UTC date', () => {
    const d = new TradingDay();
    expect(d.key(utc('2024-01-02T00:00:00Z'))).toBe('2024-01-02');
    expect(d.key(utc('2024-01-01T23:59:59.999Z'))).toBe('2024-01-01');
  });

  it('17:00 America/New_York is 22:00 UTC in winter and 21:00 UTC in summer', () => {
    const d = new TradingDay('America/New_York', '17:00');
    expect(d.key(utc('2024-01-02T21:59:00Z'))).toBe('2024-01-01');
    expect(d.key(utc('2024-01-02T22:00:00Z'))).toBe('2024-01-02');
    expect(d.key(utc('2024-07-02T20:59:00Z'))).toBe('2024-07-01');
    expect(d.key(utc('2024-07-02T21:00:00Z'))).toBe('2024-07-02');
  });

  it('a boundary before midnight in a zone east of UTC: 08:00 Asia/Tokyo is 23:00 UTC the day before', () => {
    const d = new TradingDay('Asia/Tokyo', '08:00');
    expect(d.key(utc('2024-03-04T22:59:00Z'))).toBe('2024-03-04');
    expect(d.key(utc('2024-03-04T23:00:00Z'))).toBe('2024-03-05');
  });

  it('the trading day never goes backwards in time and changes at most once a 23-hour step (property)', () => {
    const d = new TradingDay('Europe/London', '06:30');
    fc.assert(
      fc.property(fc.integer({ min: utc('2020-01-01T00:00:00Z'), max: utc('2030-01-01T00:00:00Z') }), fc.integer({ min: 0, max: 23 * 3_600_000 }), (t, step) => {
        const a = d.key(t);
        const b = d.key(t + step);
        expect(b >= a).toBe(true);
        const next = new Date(Date.parse(`${a}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        expect([a, next]).toContain(b);
      }),
    );
  });

  it('refuses an unknown zone and a malformed boundary', () => {
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(() => new TradingDay('Mars/Olympus_Mons')).toThrow(/time zone/);
    expect(() => new TradingDay('UTC', '24:00')).toThrow(/HH:MM/);
  });
});
