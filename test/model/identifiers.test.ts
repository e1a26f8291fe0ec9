import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/model/errors.ts';
import {
  accountId,
  clientOrderId,
  instrumentId,
  orderListId,
  positionId,
  strategyId,
  symbolOf,
  tradeId,
  venueId,
  venueOf,
  venueOrderId,
} from '../../src/model/identifiers.ts';
import { expectError } from './fixtures.ts';

describe('instrumentId: SYMBOL.VENUE', () => {
  it('accepts BTCUSDT.BINANCE as symbol BTCUSDT on venue BINANCE', () => {
    const id = instrumentId('BTCUSDT.BINANCE');
    expect(id).toBe('BTCUSDT.BINANCE');
    expect(symbolOf(id)).toBe('BTCUSDT');
    expect(venueOf(id)).toBe('BINANCE');
  });

  it('splits BRK.B.NYSE at the last dot: symbol BRK.B, venue NYSE', () => {
    const id = instrumentId('BRK.B.NYSE');
    expect(symbolOf(id)).toBe('BRK.B');
    expect(venueOf(id)).toBe('NYSE');
  });

  it('accepts a venue with digits, underscore and dash: ES-202412.CME_GLOBEX-2', () => {
    expect(venueOf(instrumentId('ES-202412.CME_GLOBEX-2'))).toBe('CME_GLOBEX-2');
  });

  it.each(['', 'NOVENUE', 'a b.X', '.X', 'X.', 'BTC.binance', 'BTC.BIN ANCE', 'BTC.BIN.', ' BTC.X', 'BTC.X\n', 'BTC.VENUE!'])(
    'refuses %j with INVALID_IDENTIFIER',
    (input) => {
      expectError(() => instrumentId(input), ValidationError, 'INVALID_IDENTIFIER');
    },
  );

  it('names the kind and the input in the error context for NOVENUE', () => {
    expectError(() => instrumentId('NOVENUE'), ValidationError, 'INVALID_IDENTIFIER', { kind: 'InstrumentId', input: 'NOVENUE' });
  });

  it.each([undefined, null, 42, {}])('refuses the non-string %j with INVALID_IDENTIFIER', (input) => {
    expectError(() => instrumentId(input), ValidationError, 'INVALID_IDENTIFIER');
  });

  it('refuses payload values String() cannot convert ({"toString": {}}, a bigint, a cycle) with INVALID_IDENTIFIER', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectError(() => instrumentId(JSON.parse('{"toString": {}}')), ValidationError, 'INVALID_IDENTIFIER', { input: '{"toString":{}}' });
    expectError(() => instrumentId(10n), ValidationError, 'INVALID_IDENTIFIER', { input: '10' });
    expectError(() => instrumentId(cyclic), ValidationError, 'INVALID_IDENTIFIER', { input: '[object Object]' });
    expectError(() => venueId(JSON.parse('[{"toString": {}}]')), ValidationError, 'INVALID_IDENTIFIER', { kind: 'VenueId' });
  });

  it('refuses a venue longer than 32 characters', () => {
    expectError(() => instrumentId(`BTC.${'V'.repeat(33)}`), ValidationError, 'INVALID_IDENTIFIER', { kind: 'VenueId' });
    expect(venueOf(instrumentId(`BTC.${'V'.repeat(32)}`))).toHaveLength(32);
  });
});

describe('venueId', () => {
  it('accepts BINANCE and refuses binance, "" and "NY SE"', () => {
    expect(venueId('BINANCE')).toBe('BINANCE');
    for (const bad of ['binance', '', 'NY SE']) expectError(() => venueId(bad), ValidationError, 'INVALID_IDENTIFIER', { kind: 'VenueId' });
  });
});

describe('token identifiers (client order, venue order, trade, position, account, strategy, order list)', () => {
  const makers = { clientOrderId, venueOrderId, tradeId, positionId, accountId, strategyId, orderListId } as const;

  it.each(Object.entries(makers))('%s accepts printable ASCII without spaces, e.g. "O-20240101-000001_a:b"', (_name, make) => {
    expect(make('O-20240101-000001_a:b')).toBe('O-20240101-000001_a:b');
  });

  it.each(Object.entries(makers))('%s accepts exactly 128 characters and refuses 129', (_name, make) => {
    expect(make('x'.repeat(128))).toHaveLength(128);
    expectError(() => make('x'.repeat(129)), ValidationError, 'INVALID_IDENTIFIER');
  });

  it.each(Object.entries(makers))('%s refuses "", "a b", a tab, non-ASCII "ordré" and a number', (_name, make) => {
    for (const bad of ['', 'a b', 'a\tb', 'ordré', 7]) expectError(() => make(bad), ValidationError, 'INVALID_IDENTIFIER');
  });

  it('names the identifier kind in the error: ClientOrderId', () => {
    expectError(() => clientOrderId(''), ValidationError, 'INVALID_IDENTIFIER', { kind: 'ClientOrderId', input: '' });
  });
});
