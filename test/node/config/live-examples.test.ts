/**
 * The live examples (one per exchange, and paper on live prices) pass `warden config check` as
 * shipped, with their credentials from the environment, and never print them.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../../src/cli/config-check.ts';

const EXAMPLES = join(import.meta.dirname, '../../../examples');
const ENV = {
  BINANCE_API_KEY: 'binance-key-123',
  BINANCE_SECRET: 'binance-secret-456',
  BINANCE_FUTURES_API_KEY: 'futures-key-123',
  BINANCE_FUTURES_SECRET: 'futures-secret-456',
  KRAKEN_API_KEY: 'kraken-key-123',
  KRAKEN_SECRET: 'kraken-secret-456',
  COINBASE_API_KEY: 'organizations/o/apiKeys/k',
  COINBASE_SECRET: '-----BEGIN EC PRIVATE KEY-----\ncoinbase-secret\n-----END EC PRIVATE KEY-----',
  APCA_API_KEY_ID: 'PKALPACA123456',
  APCA_API_SECRET_KEY: 'alpaca-secret-789',
  T212_API_KEY: 't212-key-123',
  T212_API_SECRET: 't212-secret-456',
};

describe('live examples', () => {
  for (const [file, venue, mode] of [
    ['warden.binance.yaml', 'BINANCE (ccxt)', 'live'],
    ['warden.binance-futures.yaml', 'BINANCE_USDM (ccxt)', 'live'],
    ['warden.kraken.yaml', 'KRAKEN (ccxt)', 'live'],
    ['warden.coinbase.yaml', 'COINBASE (ccxt)', 'live'],
    ['warden.paper-live.yaml', 'PAPER (sim), BINANCE (ccxt)', 'paper'],
    ['warden.alpaca.yaml', 'ALPACA (alpaca)', 'live'],
    ['warden.ibkr.yaml', 'IBKR (ibkr), ALPACA (alpaca)', 'live'],
    ['warden.trading212.yaml', 'T212 (trading212), ALPACA (alpaca)', 'live'],
    ['warden.mt5.yaml', 'MT5 (mt5)', 'live'],
  ] as const) {
    it(`${file} checks out (${mode}, ${venue})`, () => {
      const r = checkConfig({ config: join(EXAMPLES, file) }, ENV);
      const text = r.lines.join('\n');
      expect(r.ok, text).toBe(true);
      expect(text).toContain(`venues       ${venue}`);
      expect(text).toContain(`(${mode})`);
      for (const secret of Object.values(ENV)) expect(text).not.toContain(secret);
    });
  }

  it('a live example without its credentials names the missing variable', () => {
    const r = checkConfig({ config: join(EXAMPLES, 'warden.binance.yaml') }, {});
    expect(r.ok).toBe(false);
    expect(r.lines.join('\n')).toContain('BINANCE_API_KEY');
  });
});
