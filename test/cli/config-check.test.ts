import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/cli/config-check.ts';

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

describe('warden config check', () => {
  it('examples/warden.paper.yaml is valid: two strategies on two instruments, the full risk stack from risk.example.yaml', () => {
    const r = checkConfig({ config: example('warden.paper.yaml') }, {});
    expect(r.ok).toBe(true);
    expect(r.lines[0]).toBe(`OK ${example('warden.paper.yaml')}`);
    expect(r.lines).toContain('  venues       BINANCEUS (sim)');
    expect(r.lines).toContain('  instruments  BTCUSDT.BINANCEUS, BTCUSDC.BINANCEUS');
    expect(r.lines).toContain('  data         2 replayed file(s), 0 subscription(s)');
    expect(r.lines).toContain('  risk         11 breaker(s)');
    expect(r.lines).toContain('  strategies   sma-btcusdt (sma-cross on BTCUSDT.BINANCEUS), bb-btcusdc (bollinger-reversion on BTCUSDC.BINANCEUS)');
  });

  it('examples/warden.backtest.yaml is valid: a backtest of two equities with inline risk', () => {
    const r = checkConfig({ config: example('warden.backtest.yaml') }, {});
    expect(r.ok).toBe(true);
    expect(r.lines).toContain('  node         backtest-equities (backtest), journal memory');
    expect(r.lines).toContain('  strategies   sma-nvda (sma-cross on NVDA.YAHOO), macd-orcl (macd on ORCL.YAHOO)');
  });

  it('lists every problem, one per line, and is not ok (exit 1)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-check-'));
    const file = join(dir, 'warden.yaml');
    writeFileSync(file, 'node:\n  id: x\n  mode: paper\n  colour: blue\nvenues:\n  SIM: { type: sim, fees: { model: nope } }\n');
    const r = checkConfig({ config: file }, {});
    expect(r.ok).toBe(false);
    expect(r.lines).toEqual([`${file}: node.colour: unknown key`, `${file}: venues.SIM.fees.model: must name a fee model: none, maker_taker, tiered, per_share, fixed`]);
  });

  it('never prints a secret, not even in a problem that quotes a value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-check-'));
    const file = join(dir, 'warden.yaml');
    writeFileSync(file, 'node:\n  id: x\n  mode: paper\nvenues:\n  SIM: { type: sim }\naccounts:\n  - { id: A, type: "${API_KEY}", venue: SIM }\n');
    const r = checkConfig({ config: file }, { API_KEY: 'sk-live-0123456789' });
    expect(r.ok).toBe(false);
    expect(r.lines).toEqual([`${file}: accounts[0].type: must be one of CASH, MARGIN, not "[REDACTED]"`]);
  });
});
