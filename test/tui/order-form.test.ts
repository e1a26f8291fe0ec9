/** The new-order form's pure parts: which fields each type takes, the keys, and the checks before anything is sent. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKeys } from '../../src/tui/keys.ts';
import { formKey, newForm, onGrid, ticketOfForm, visibleFields, type FieldId, type OrderForm } from '../../src/tui/order-form.ts';
import { KEYS } from './support.ts';

const instruments = [{ id: 'BTCUSDT.BINANCEUS', lotSize: '0.00001', tickSize: '0.01' }, { id: 'AAPL.ALPACA', lotSize: '1', tickSize: '0.01' }, { id: 'AAPL.IBKR', lotSize: '1', tickSize: '0.01' }];
const NOW = Date.UTC(2023, 2, 1, 12);

/** Types keys into the form; the form after them, or what Enter sent. */
function type(form: OrderForm, ...data: string[]): { form: OrderForm; sent?: unknown; canceled?: true } {
  for (const d of data) {
    for (const k of decodeKeys(d)) {
      const s = formKey(form, k, instruments, NOW);
      if (s.kind === 'send') return { form, sent: s.ticket };
      if (s.kind === 'cancel') return { form, canceled: true };
      form = s.form;
    }
  }
  return { form };
}

const values = (over: Partial<Record<FieldId, string>>): Record<FieldId, string> => ({ ...newForm(instruments).values, ...over });

describe('order form', () => {
  it('shows the fields each type takes: trigger for stops, limit for the limit types, offsets for trailing, expiry for GTD, post-only for resting', () => {
    expect(visibleFields(values({ type: 'MARKET' }))).toEqual(['side', 'type', 'instrument', 'quantity', 'tif', 'reduceOnly']);
    expect(visibleFields(values({ type: 'STOP_LIMIT', tif: 'GTD' }))).toEqual(['side', 'type', 'instrument', 'quantity', 'trigger', 'price', 'tif', 'expire', 'reduceOnly', 'postOnly']);
    expect(visibleFields(values({ type: 'TRAILING_STOP_LIMIT' }))).toEqual(['side', 'type', 'instrument', 'quantity', 'offsetType', 'offset', 'limitOffset', 'activation', 'tif', 'reduceOnly', 'postOnly']);
    expect(visibleFields(values({ type: 'MARKET_IF_TOUCHED' }))).toContain('trigger');
  });

  it('Up/Down move between fields, Left/Right and Space choose, a letter picks the choice starting with it, typing edits text', () => {
    const f = newForm(instruments);
    // From quantity up to type; S on type picks STOP_MARKET, then STOP_LIMIT.
    const stop = type(f, KEYS.up, KEYS.up, 's', 's').form;
    expect(stop.values.type).toBe('STOP_LIMIT');
    expect(type(f, KEYS.up, KEYS.up, KEYS.up, '\x1b[C').form.values.side).toBe('SELL');
    expect(type(f, KEYS.up, KEYS.up, '\x1b[D').form.values.type).toBe('TRAILING_STOP_LIMIT');
    // Down from the type over instrument and quantity to the trigger price, typed.
    const typed = type(stop, KEYS.down, KEYS.down, KEYS.down, '23000.5').form;
    expect(typed).toMatchObject({ at: 'trigger', values: { trigger: '23000.5' } });
    // Reduce-only with Space; Right on the instrument moves to the next one.
    expect(type(f, KEYS.down, KEYS.down, ' ').form.values.reduceOnly).toBe('yes');
    expect(type(f, KEYS.up, '\x1b[C').form.values.instrument).toBe('AAPL.ALPACA');
    expect(type(f, KEYS.esc).canceled).toBe(true);
  });

  it('sends a STOP_LIMIT sell, reduce-only, GTD in 30 minutes of the node clock', () => {
    const v = values({ side: 'SELL', type: 'STOP_LIMIT', quantity: '0.002', trigger: '22000.00', price: '21990.50', tif: 'GTD', expire: '30', reduceOnly: 'yes' });
    expect(ticketOfForm(v, instruments, NOW)).toEqual({
      instrumentId: 'BTCUSDT.BINANCEUS', side: 'SELL', type: 'STOP_LIMIT', quantity: '0.002', price: '21990.50', triggerPrice: '22000.00', timeInForce: 'GTD', expireTime: NOW + 1_800_000, reduceOnly: true,
    });
  });

  it('sends a trailing stop in basis points with an activation price, and a trailing stop-limit in ticks', () => {
    expect(ticketOfForm(values({ type: 'TRAILING_STOP_MARKET', offsetType: 'BASIS_POINTS', offset: '50', activation: '24000' }), instruments, NOW)).toEqual({
      instrumentId: 'BTCUSDT.BINANCEUS', side: 'BUY', type: 'TRAILING_STOP_MARKET', quantity: '0.001', trailingOffset: '50', trailingOffsetType: 'BASIS_POINTS', activationPrice: '24000', timeInForce: 'GTC',
    });
    expect(ticketOfForm(values({ type: 'TRAILING_STOP_LIMIT', offsetType: 'TICKS', offset: '25', limitOffset: '5', postOnly: 'yes' }), instruments, NOW)).toMatchObject({ type: 'TRAILING_STOP_LIMIT', trailingOffset: '25', limitOffset: '5', postOnly: true });
  });

  it('says what is wrong before sending: missing prices, off the grid, options the type does not allow, an unknown or ambiguous instrument', () => {
    const check = (over: Partial<Record<FieldId, string>>) => ticketOfForm(values(over), instruments, NOW);
    expect(check({ type: 'STOP_MARKET' })).toBe('trigger price is required');
    expect(check({ type: 'LIMIT', price: '23000.005' })).toBe('limit price 23000.005 is not a multiple of the tick size 0.01');
    expect(check({ quantity: '0.000001' })).toBe('quantity 0.000001 is not a multiple of the lot size 0.00001');
    expect(check({ quantity: '0' })).toBe('quantity must be a number above zero, e.g. 0.01');
    expect(check({ type: 'TRAILING_STOP_MARKET', offsetType: 'TICKS', offset: '2.5' })).toBe('trailing offset in ticks: a whole number above zero');
    expect(check({ type: 'TRAILING_STOP_LIMIT', offset: '10.00' })).toBe('limit offset is required');
    expect(check({ tif: 'DAY' })).toBe('a MARKET order cannot be DAY');
    expect(check({ type: 'LIMIT', price: '1.00', tif: 'IOC', postOnly: 'yes' })).toBe('post only needs a resting order, not IOC');
    expect(check({ type: 'LIMIT', price: '1.00', tif: 'GTD', expire: '0' })).toBe('expires in: whole minutes above zero');
    expect(ticketOfForm(values({ type: 'LIMIT', price: '1.00', tif: 'GTD', expire: '5' }), instruments, 0)).toMatch(/^no node time yet/);
    expect(check({ instrument: 'AAPL' })).toBe('AAPL is on several venues: give SYMBOL.VENUE');
    expect(check({ instrument: 'ETHUSDT' })).toBe('no instrument ETHUSDT');
    expect(check({ instrument: 'btcusdt' })).toMatchObject({ instrumentId: 'BTCUSDT.BINANCEUS' });
  });

  it('property: a decimal is on a grid exactly when it is a whole number of steps', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 3 }), (n, step, places, extra) => {
        const steps = (n * BigInt(step)).toString();
        const dec = (digits: string, p: number) => (p === 0 ? digits : `${digits.padStart(p + 1, '0').slice(0, -p)}.${digits.padStart(p + 1, '0').slice(-p)}`);
        const stepText = dec(String(step), places);
        // n steps (written to `places`) is on the grid; adding one unit `extra` places finer is not.
        const on = dec(steps, places);
        const off = dec(`${steps}${'0'.repeat(extra)}1`, places + extra + 1);
        return onGrid(on, stepText) && !onGrid(off, stepText);
      }),
    );
  });
});
