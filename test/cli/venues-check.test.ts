/**
 * `warden venues check` against the local fake Binance through the real ccxt client: markets
 * loaded, instruments shown as Warden registers them, balances and open orders listed, nothing
 * placed, and the credentials (from the environment) nowhere in the output.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkVenues } from '../../src/cli/venues-check.ts';
import { startFakeBinance, type FakeBinanceServer } from '../support/fake-binance/index.ts';
import { yaml } from '../node/small-node.ts';
import { tempDir } from '../node/support.ts';

let server: FakeBinanceServer;

beforeEach(async () => {
  server = await startFakeBinance({ kind: 'spot', balances: { USDT: '1234.5', BTC: '0.25' } });
  server.matching.quote('BTCUSDT', '30000.00', '30001.00');
  server.matching.place({ account: 'main', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '29000.00', clientOrderId: 'manual-1' });
});

afterEach(async () => {
  await server.close();
});

function configFile(dir: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'warden.yaml');
  writeFileSync(
    file,
    yaml({
      node: { id: 'check', mode: 'live' },
      venues: { BINANCE: { type: 'ccxt', exchange: 'binance', api_key: '${BINANCE_API_KEY}', secret: '${BINANCE_SECRET}', urls: server.urls, timeout_ms: 2000, ...extra } },
      accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'BINANCE' }],
      instruments: [{ id: 'BTCUSDT.BINANCE', from_venue: true }, { id: 'DOGEUSDT.BINANCE', from_venue: true }],
    }),
  );
  return file;
}

describe('warden venues check', () => {
  it('shows markets, instruments, balances and open orders, places nothing and never prints a credential', async () => {
    const env = { BINANCE_API_KEY: server.apiKey, BINANCE_SECRET: server.secret };
    const r = await checkVenues({ config: configFile(tempDir()) }, env);
    const text = r.lines.join('\n');
    expect(r.ok).toBe(true);
    expect(text).toContain('BINANCE: binance, tested profile, 2 markets');
    expect(text).toContain('instrument  BTCUSDT.BINANCE = BTC/USDT: tick 0.01, lot 0.00001, min qty 0.00001, min notional 5');
    expect(text).toMatch(/instrument {2}DOGEUSDT.BINANCE: REFUSED .*no market for DOGEUSDT/);
    expect(text).toContain('balances    BTC 0.25, USDT 1234.5');
    expect(text).toContain('open orders BTC/USDT: buy 0.01 @ 29000 (manual-1)');
    expect(server.requests.filter((q) => q.method !== 'GET').map((q) => q.path)).toEqual([]);
    expect(text).not.toContain(server.secret);
    expect(text).not.toContain(server.apiKey);
  });

  it('a refused key fails the check with the exchange\'s reason, the key not shown', async () => {
    const env = { BINANCE_API_KEY: 'not-the-key-0000', BINANCE_SECRET: server.secret };
    const r = await checkVenues({ config: configFile(tempDir()) }, env);
    expect(r.ok).toBe(false);
    expect(r.lines.at(-1)).toMatch(/^BINANCE: FAILED AUTHENTICATION_FAILED/);
    expect(r.lines.join('\n')).not.toContain('not-the-key-0000');
  });
});
