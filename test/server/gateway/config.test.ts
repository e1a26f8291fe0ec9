/**
 * `gateway:` in warden.yaml: keys with their HMAC secret from the environment (collected as
 * secrets, scrubbed from errors), symbols mapped to instruments, and precise errors.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseNodeConfig } from '../../../src/node/config/index.ts';
import { barsFile, smallConfig, yaml } from '../../node/small-node.ts';
import { tempDir } from '../../node/support.ts';

const ENV = { GW_KEY: 'freqtradeKey0123456789AB', GW_SECRET: 'freqtrade-secret-0123456789abcdefghijkl' };

function config(gateway: Record<string, unknown>): string {
  const dir = tempDir();
  return yaml(smallConfig(dir, barsFile(dir, 5), { gateway }));
}

describe('gateway config', () => {
  it('reads keys (secret from ${ENV}, kept as a secret) and the symbol map, with defaults', () => {
    const text = config({ port: 0, keys: [{ api_key: '${GW_KEY}', secret: '${GW_SECRET}', account: 'ACC-1', strategy: 'freqtrade' }], symbols: { BTCUSDT: 'BTCUSDT.SIM' } });
    const { config: c, secrets } = parseNodeConfig(text, { env: ENV });
    expect(c.gateway).toEqual({ host: '127.0.0.1', port: 0, keys: [{ api_key: ENV.GW_KEY, secret: ENV.GW_SECRET, account: 'ACC-1', strategy: 'freqtrade', role: 'trade' }], symbols: { BTCUSDT: 'BTCUSDT.SIM' } });
    expect(secrets.has(ENV.GW_SECRET)).toBe(true);
    expect(secrets.has(ENV.GW_KEY)).toBe(true);
  });

  it('a short secret is refused naming the field, and the error does not show it', () => {
    const text = config({ keys: [{ api_key: '${GW_KEY}', secret: '${GW_SECRET}', account: 'ACC-1', strategy: 'freqtrade' }], symbols: { BTCUSDT: 'BTCUSDT.SIM' } });
    const short = { ...ENV, GW_SECRET: 'short-secret' };
    let caught: unknown;
    try {
      parseNodeConfig(text, { env: short });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toContain('gateway.keys[0].secret: must be at least 32 characters');
    expect(message).not.toContain('short-secret');
  });

  it('a symbol that is not Binance-shaped is refused', () => {
    const text = config({ keys: [{ api_key: '${GW_KEY}', secret: '${GW_SECRET}', account: 'ACC-1', strategy: 'freqtrade' }], symbols: { 'btc/usdt': 'BTCUSDT.SIM' } });
    expect(() => parseNodeConfig(text, { env: ENV })).toThrow(/gateway\.symbols/);
  });
});
