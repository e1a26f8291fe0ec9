/**
 * The Alpaca adapter's edge: instruments from Alpaca's asset fields, exact figures (strings from
 * REST, doubles from the market data stream), trailing offsets, the config's URLs, secrets kept
 * out of errors, and market data through the SDK's stock stream.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WallClock } from '../../../src/engine/clock.ts';
import { RealTimer } from '../../../src/execution/timer.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { parseDecimal } from '../../../src/model/decimal.ts';
import { Instrument } from '../../../src/model/instrument.ts';
import { createOrderSpec } from '../../../src/model/orders/factory.ts';
import type { BrokerMarketItem } from '../../../src/venues/broker/contract.ts';
import { alpacaUrls, alpacaVenueConfigSchema } from '../../../src/venues/alpaca/config.ts';
import { alpacaDecimal } from '../../../src/venues/alpaca/exact.ts';
import { createAlpacaVenue } from '../../../src/venues/alpaca/index.ts';
import { instrumentSpecOf } from '../../../src/venues/alpaca/instruments.ts';
import { toAlpacaOrder } from '../../../src/venues/alpaca/orders.ts';
import { startFakeAlpaca, type FakeAlpacaServer } from '../../support/fake-alpaca/index.ts';
import { configFor, until } from './harness.ts';

/** The stable code of what `fn` throws. */
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

const asset = (over: Record<string, unknown> = {}) => ({ id: 'x', _class: 'us_equity', exchange: 'NASDAQ', symbol: 'AAPL', name: 'Apple', status: 'active', tradable: true, marginable: true, shortable: true, fractionable: true, ...over }) as never;

describe('instruments from Alpaca assets', () => {
  it('a US equity in USD on a cent grid in whole shares (a fractionable asset too), its price_increment and a minimum of whole shares taken exactly', () => {
    expect(instrumentSpecOf('AAPL.ALPACA', asset({ minTradeIncrement: '0.000000001', minOrderSize: '0.000000001' }))).toEqual({ id: 'AAPL.ALPACA', kind: 'EQUITY', quote: Currencies.USD, tickSize: '0.01', lotSize: '1', makerFee: '0', takerFee: '0' });
    expect(instrumentSpecOf('X.ALPACA', asset({ priceIncrement: '0.05', minOrderSize: '100' }))).toMatchObject({ tickSize: '0.05', minQuantity: '100' });
  });

  it('refuses what cannot be traded or expressed exactly with INVALID_INSTRUMENT', () => {
    // A sub-cent tick would make a notional finer than a cent: refused, never rounded.
    for (const bad of [{ _class: 'crypto' }, { status: 'inactive' }, { tradable: false }, { priceIncrement: '0.0001' }, { minOrderSize: '1.5' }, { priceIncrement: 'abc' }]) {
      expect(() => instrumentSpecOf('AAPL.ALPACA', asset(bad)), JSON.stringify(bad)).toThrow(/cannot be traded|not a decimal number/);
      expect(codeOf(() => instrumentSpecOf('AAPL.ALPACA', asset(bad)))).toMatch(/^(INVALID_INSTRUMENT|INVALID_NUMBER)$/);
    }
  });
});

describe('exact figures', () => {
  it('any decimal text Alpaca sends comes through with the same value, digit for digit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 9 }), (digits, scale) => {
        const s = digits.toString().padStart(scale + 1, '0');
        const text = scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
        const a = parseDecimal(text);
        const b = parseDecimal(alpacaDecimal(text, 'f'));
        expect(a.digits * 10n ** BigInt(b.scale)).toBe(b.digits * 10n ** BigInt(a.scale));
      }),
    );
  });

  it('a double from the market data stream is read as its shortest round-trip text, never rounded further', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.0001, max: 1e6, noNaN: true }), (x) => {
        expect(Number(alpacaDecimal(x, 'p'))).toBe(x);
      }),
    );
    expect(alpacaDecimal(187.4, 'p')).toBe('187.4');
    expect(() => alpacaDecimal(Number.NaN, 'p')).toThrow(expect.objectContaining({ code: 'INVALID_NUMBER' }));
  });

  it('a trailing offset in basis points goes as trail_percent, exactly bps / 100', () => {
    const inst = new Instrument({ id: 'AAPL.ALPACA', kind: 'EQUITY', quote: { code: 'USD', precision: 2, kind: 'FIAT' } as never, tickSize: '0.01', lotSize: '1' });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 2 }), (units, scale) => {
        const bps = (units / 10 ** scale).toFixed(scale);
        const spec = createOrderSpec({ clientOrderId: 'tr', accountId: 'A', instrumentId: inst.id, side: 'SELL', type: 'TRAILING_STOP_MARKET', quantity: '1', trailingOffset: bps, trailingOffsetType: 'BASIS_POINTS', timeInForce: 'GTC' }, inst, 0);
        const m = toAlpacaOrder(spec, 'AAPL', 'tr', inst);
        if (!m.ok) throw new Error(m.reason);
        const pct = parseDecimal(String(m.body.trailPercent));
        const b = parseDecimal(bps);
        expect(pct.digits * 100n * 10n ** BigInt(b.scale)).toBe(b.digits * 10n ** BigInt(pct.scale));
      }),
    );
  });
});

describe('config', () => {
  const base = { type: 'alpaca', api_key: 'k', secret: 's' } as const;
  it('paper by default, live when paper is false, every URL overridable', () => {
    expect(alpacaUrls(alpacaVenueConfigSchema.parse(base))).toEqual({ trading: 'https://paper-api.alpaca.markets', tradingStream: 'wss://paper-api.alpaca.markets/stream', data: 'https://data.alpaca.markets', dataStream: 'wss://stream.data.alpaca.markets/v2/iex' });
    expect(alpacaUrls(alpacaVenueConfigSchema.parse({ ...base, paper: false, feed: 'sip' }))).toMatchObject({ trading: 'https://api.alpaca.markets', tradingStream: 'wss://api.alpaca.markets/stream', dataStream: 'wss://stream.data.alpaca.markets/v2/sip' });
    expect(alpacaUrls(alpacaVenueConfigSchema.parse({ ...base, base_url: 'http://127.0.0.1:1', stream_url: 'ws://127.0.0.1:1/stream', data_stream_url: 'ws://127.0.0.1:2' }))).toMatchObject({ trading: 'http://127.0.0.1:1', tradingStream: 'ws://127.0.0.1:1/stream', dataStream: 'ws://127.0.0.1:2/v2/iex' });
  });

  it('refuses unknown fields and a missing secret, naming the field', () => {
    expect(alpacaVenueConfigSchema.safeParse({ ...base, apiKey: 'x' }).error?.issues[0]?.message).toMatch(/apiKey/);
    expect(alpacaVenueConfigSchema.safeParse({ type: 'alpaca', api_key: 'k' }).error?.issues[0]?.path).toEqual(['secret']);
  });
});

describe('Alpaca through the SDK against the fake', () => {
  let server: FakeAlpacaServer;
  beforeEach(async () => {
    server = await startFakeAlpaca({ assets: { AAPL: { fractionable: true, minTradeIncrement: '0.000000001', minOrderSize: '0.000000001' } } });
  });
  afterEach(async () => server.close());
  const deps = { name: 'ALPACA', accountId: 'A', clock: new WallClock(), timer: new RealTimer(), onAlert: () => {} };

  it('reads instruments and probes with the SDK (its User-Agent, the APCA key headers)', async () => {
    const v = createAlpacaVenue(configFor(server), deps);
    expect(await v.instrumentSpec('AAPL.ALPACA', 'AAPL')).toMatchObject({ kind: 'EQUITY', lotSize: '1', tickSize: '0.01' });
    const p = await v.probe();
    expect(p.detail).toMatch(/PA3FAKE00001 \(ACTIVE\), market open/);
    expect(server.requests.map((r) => r.path)).toEqual(['/v2/assets/AAPL', '/v2/clock', '/v2/account']);
    expect(server.requests.every((r) => r.userAgent.startsWith('APCA-NODE/'))).toBe(true);
    await v.close();
  });

  it('a wrong secret is refused (401 40110000) with an error that never shows the secret; the stream refuses it too', async () => {
    const secret = 'wrong-secret-must-not-leak-42';
    const v = createAlpacaVenue({ ...configFor(server), secret }, deps);
    const e = (await v.probe().catch((x: unknown) => x)) as Error & { code?: string };
    expect([e.code, e.message]).toEqual(['VENUE_QUERY_FAILED', 'AUTHENTICATION_FAILED: request is not authorized (HTTP 401, code 40110000)']);
    const opened = (await v.open().catch((x: unknown) => x)) as Error;
    expect(opened.message).toMatch(/^AUTHENTICATION_FAILED/);
    expect(`${e.message} ${opened.message} ${JSON.stringify(e)}`).not.toContain(secret);
  });

  it('streams quotes, trades and minute bars from the stock stream (msgpack) as exact text under the instrument id', async () => {
    const v = createAlpacaVenue(configFor(server), deps);
    const got: BrokerMarketItem[] = [];
    const sub = v.marketData!([{ instrumentId: 'AAPL.ALPACA', symbol: 'AAPL', quotes: true, trades: true, bars: '1m' }], (x) => got.push(x));
    await until(() => server.market.subscribers('bars', 'AAPL') > 0, 'the subscription');
    server.market.quote('AAPL', '187.40', '187.42');
    server.market.print('AAPL', '187.41', '25');
    server.market.bar('AAPL', { o: 187.1, h: 187.5, l: 186.95, c: 187.41, v: 12345, t: new Date('2026-12-07T15:31:00Z') });
    await until(() => got.length === 3, 'three items');
    sub.stop();
    expect(got.map((x) => ({ ...x, ts: 'ts' in x && x.ts === Date.parse('2026-12-07T15:31:00Z') ? 'bar time' : 'now' }))).toEqual([
      { instrumentId: 'AAPL.ALPACA', ts: 'now', bid: '187.4', ask: '187.42', bidSize: '3', askSize: '2' },
      { instrumentId: 'AAPL.ALPACA', ts: 'now', tradeId: '52983525029461', price: '187.41', size: '25', aggressor: undefined },
      { instrumentId: 'AAPL.ALPACA', ts: 'bar time', durationMs: 60_000, open: '187.1', high: '187.5', low: '186.95', close: '187.41', volume: '12345' },
    ]);
    await v.close();
  });
});
