import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError, loadNodeConfig, parseNodeConfig, type ParseOptions } from '../../../src/node/config/index.ts';

type Obj = Record<string, unknown>;
interface Cfg {
  [section: string]: unknown;
  node: Obj;
  venues: Record<string, Obj>;
  accounts: Obj[];
  instruments: Obj[];
  data: { replay: Obj[]; subscriptions?: Obj[] };
  strategies: Obj[];
}

/** A small valid config; tests change one thing in it. */
function base(): Cfg {
  return {
    node: { id: 'n1', mode: 'paper' },
    venues: { SIM: { type: 'sim', fees: { model: 'maker_taker', maker: '0.001', taker: '0.001' } } },
    accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'SIM', balances: { USDT: '100000' } }],
    instruments: [{ id: 'BTCUSDT.SIM', kind: 'SPOT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.00001' }],
    data: { replay: [{ file: 'bars.csv', instrument: 'BTCUSDT.SIM' }] },
    strategies: [{ name: 'sma-cross', id: 's1', params: { fast: 10, slow: 30 }, instruments: ['BTCUSDT.SIM'], account: 'ACC-1' }],
  };
}

const opts: ParseOptions = { file: 'warden.yaml', env: {}, baseDir: '/cfg', checkFiles: false };

function problems(doc: unknown, o: ParseOptions = opts): string[] {
  try {
    parseNodeConfig(typeof doc === 'string' ? doc : stringify(doc), o);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('INVALID_FIELD');
    return (e as ConfigError).message.split('\n');
  }
  throw new Error('expected the config to be refused');
}

function edit(f: (c: Cfg) => void): Cfg {
  const c = base();
  f(c);
  return c;
}

describe('parseNodeConfig: a valid file', () => {
  it('fills the defaults and resolves relative paths against the config folder', () => {
    const { config } = parseNodeConfig(stringify(base()), opts);
    expect(config.node).toEqual({ id: 'n1', mode: 'paper', snapshot_every: 10_000, journal: { sqlite: '/cfg/var/n1/journal.sqlite' } });
    expect(config.data.replay[0]).toEqual({ file: '/cfg/bars.csv', instrumentId: 'BTCUSDT.SIM', format: 'auto' });
    expect(config.data.speed).toBe(1);
    expect(config.accounts[0]!.position_mode).toBe('NETTING');
    expect(config.venues.SIM!.cancel_on_stop).toBe(true);
    expect(config.logging).toEqual({ level: 'info', format: 'json', destination: 'stdout', redact: [] });
    expect(config.risk).toBeUndefined();
  });

  it('runs as the mode it is told (warden backtest --config on a paper file)', () => {
    expect(parseNodeConfig(stringify(base()), { ...opts, mode: 'backtest' }).config.node.mode).toBe('backtest');
  });
});

describe('parseNodeConfig: every problem, one per line, naming file, path and problem', () => {
  it('an unknown key, at any depth', () => {
    expect(problems(edit((c) => (c.node.idd = 'x')))).toEqual(['warden.yaml: node.idd: unknown key']);
    expect(problems(edit((c) => (c.venues.SIM!.slipage = { model: 'none' })))).toEqual(['warden.yaml: venues.SIM.slipage: unknown key']);
    expect(problems(edit((c) => (c.surprise = 1)))).toEqual(['warden.yaml: surprise: unknown key']);
  });

  it('a wrong type and a missing field', () => {
    expect(problems(edit((c) => (c.node.snapshot_every = 'often')))).toEqual(['warden.yaml: node.snapshot_every: has the wrong type: expected number, received string']);
    expect(problems(edit((c) => delete c.node.mode))).toEqual(['warden.yaml: node.mode: is required (one of backtest, paper, live)']);
    expect(problems(edit((c) => delete c.node.id))).toEqual(['warden.yaml: node.id: is required (string)']);
    expect(problems(edit((c) => (c.accounts[0]!.type = 'CREDIT')))).toEqual(['warden.yaml: accounts[0].type: must be one of CASH, MARGIN, not "CREDIT"']);
  });

  it('several problems at once, in file order', () => {
    const lines = problems(
      edit((c) => {
        c.node.snapshot_every = 0;
        c.accounts[0]!.typo = true;
        c.strategies[0]!.instruments = [];
      }),
    );
    expect(lines).toEqual([
      'warden.yaml: node.snapshot_every: Too small: expected number to be >0',
      'warden.yaml: accounts[0].typo: unknown key',
      'warden.yaml: strategies[0].instruments: must name at least one instrument',
    ]);
  });

  it('an unknown venue type names the types there are', () => {
    expect(problems(edit((c) => (c.venues.SIM = { type: 'bitmex' })))).toEqual([
      'warden.yaml: venues.SIM.type: must be a venue type: sim, ccxt, alpaca, ibkr, trading212, mt5',
    ]);
    expect(problems(edit((c) => (c.venues.SIM = { type: 'ccxt' })))).toEqual(['warden.yaml: venues.SIM.exchange: is required (string)']);
  });

  it("a model's parameters are checked by the model library, with the path into the file", () => {
    expect(problems(edit((c) => (c.venues.SIM!.fees = { model: 'maker_taker', maker: '0.001', taker_bps: 5 })))).toEqual([
      'warden.yaml: venues.SIM.fees.taker_bps: is not a known parameter of this model',
    ]);
    expect(problems(edit((c) => (c.venues.SIM!.slippage = { model: 'fixed_bps' })))).toEqual(['warden.yaml: venues.SIM.slippage.bps: is required']);
  });

  it("a strategy's parameters are checked by its factory: strategies[0].params.fast", () => {
    expect(problems(edit((c) => (c.strategies[0]!.params = { fast: 0, slow: 30 })))).toEqual(['warden.yaml: strategies[0].params.fast: must be a whole number ≥ 1, got 0']);
    expect(problems(edit((c) => (c.strategies[0]!.params = { fats: 10 })))).toEqual(['warden.yaml: strategies[0].params.fats: is not a parameter (fast, slow, fraction)']);
    expect(problems(edit((c) => (c.strategies[0]!.name = 'moon')))).toEqual([
      'warden.yaml: strategies[0].name: unknown strategy "moon"; built-in: sma-cross, macd, rsi-momentum, bollinger-reversion, volatility-breakout, pairs, cross-venue-arbitrage, random-forest, lstm-prediction, q-learning, sentiment, kalman-mean-reversion, earnings-play, volatility-regime, statistical-arbitrage, triangular-arbitrage',
    ]);
  });

  it('bad cross-references: account, instrument, venue', () => {
    const lines = problems(
      edit((c) => {
        c.accounts[0]!.venue = 'KRAKEN';
        c.strategies[0]!.account = 'ACC-9';
        c.strategies[0]!.instruments = ['ETHUSDT.SIM'];
        c.strategies[0]!.venue = 'NOPE';
        c.data.replay[0]!.instrument = 'XRPUSDT.SIM';
      }),
    );
    expect(lines).toEqual([
      'warden.yaml: accounts[0].venue: venue KRAKEN is not configured (venues: SIM)',
      'warden.yaml: data.replay[0].instrument: instrument XRPUSDT.SIM is not declared under instruments',
      'warden.yaml: strategies[0].account: account ACC-9 is not configured (accounts: ACC-1)',
      'warden.yaml: strategies[0].venue: venue NOPE is not configured (venues: SIM)',
      'warden.yaml: strategies[0].instruments[0]: instrument ETHUSDT.SIM is not declared under instruments',
    ]);
  });

  it("a strategy's venue must be its account's, and its instruments need data", () => {
    const lines = problems(
      edit((c) => {
        c.venues.SIM2 = { type: 'sim' };
        c.strategies[0]!.venue = 'SIM2';
        c.data.replay = [];
      }),
    );
    expect(lines).toEqual([
      'warden.yaml: strategies[0].venue: account ACC-1 is at venue SIM, not SIM2',
      'warden.yaml: strategies[0].instruments[0]: no market data for BTCUSDT.SIM: add it under data.replay or data.subscriptions',
    ]);
  });

  it("an instrument's venue must be configured", () => {
    expect(problems(edit((c) => c.instruments.push({ id: 'ETHUSDT.BINANCE', from_venue: true })))).toEqual([
      'warden.yaml: instruments[1].id: the instrument\'s venue BINANCE is not configured (venues: SIM)',
    ]);
  });

  it('duplicate ids name both places', () => {
    const lines = problems(
      edit((c) => {
        c.accounts.push({ ...c.accounts[0] });
        c.strategies.push({ ...c.strategies[0] });
        c.instruments.push({ ...c.instruments[0] });
      }),
    );
    expect(lines).toEqual([
      'warden.yaml: accounts[1].id: duplicate id "ACC-1" (also accounts[0])',
      'warden.yaml: instruments[1].id: duplicate id "BTCUSDT.SIM" (also instruments[0])',
      'warden.yaml: strategies[1].id: duplicate id "s1" (also strategies[0])',
    ]);
  });

  it('an inconsistent instrument is refused with the model\'s reason', () => {
    expect(problems(edit((c) => (c.instruments[0]!.lot_size = '0.000000001')))).toEqual([
      'warden.yaml: instruments[0]: BTCUSDT.SIM: price precision 2 + size precision 9 + multiplier precision 0 exceeds USDT precision 8: notional would not be exact',
    ]);
    expect(problems(edit((c) => (c.instruments[0]!.quote = 'DOGE')))).toEqual([
      'warden.yaml: instruments[0].quote: unknown currency DOGE; write it out as { code: DOGE, precision: <decimals>, kind: CRYPTO|FIAT }',
    ]);
  });

  it('mode live with only simulated venues is an error saying so', () => {
    expect(problems(edit((c) => (c.node.mode = 'live')))).toEqual([
      'warden.yaml: venues.SIM.type: mode live needs a live venue, and sim is simulated (run mode paper, or configure a live venue type)',
    ]);
  });

  it('a simulated venue has no instrument metadata nor live market data', () => {
    const lines = problems(
      edit((c) => {
        c.instruments.push({ id: 'ETHUSDT.SIM', from_venue: true });
        c.data.subscriptions = [{ instrument: 'BTCUSDT.SIM', quotes: true }];
      }),
    );
    expect(lines).toEqual([
      'warden.yaml: instruments[1].from_venue: venue SIM is simulated and has no instrument metadata: write the instrument out (kind, quote, tick_size, lot_size, ...)',
      'warden.yaml: data: a node runs on replayed files or on live subscriptions, not both: keep data.replay or data.subscriptions',
      'warden.yaml: data.subscriptions[0].instrument: venue SIM is simulated and has no live market data: replay a file (data.replay) or subscribe through a live venue',
    ]);
  });

  it('a memory journal is for backtests only', () => {
    expect(problems(edit((c) => (c.node.journal = { memory: true })))).toEqual([
      'warden.yaml: node.journal.memory: a paper node must keep its journal (sqlite or postgres): a restart would lose every order',
    ]);
    expect(parseNodeConfig(stringify(edit((c) => (c.node.journal = { memory: true }))), { ...opts, mode: 'backtest' }).config.node.journal).toEqual({ memory: true });
  });

  it('a YAML syntax error and a duplicate key name their line', () => {
    expect(problems('node:\n  id: a\n  id: b\n')).toEqual(['warden.yaml: (syntax): line 3: Map keys must be unique']);
  });

  it('a missing data file is named with its resolved path', () => {
    expect(problems(stringify(base()), { ...opts, checkFiles: true })).toEqual(['warden.yaml: data.replay[0].file: no such file: /cfg/bars.csv']);
  });
});

describe('environment substitution', () => {
  const withSpeed = (speed: string) => stringify(base()).replace('data:\n', `data:\n  speed: ${speed}\n`);

  it('${VAR} takes the value; in a plain scalar it is read as YAML would read it (a number here)', () => {
    expect(parseNodeConfig(withSpeed('${SPEED}'), { ...opts, env: { SPEED: '60' } }).config.data.speed).toBe(60);
  });

  it('${VAR:-default} takes the default when VAR is unset or empty', () => {
    expect(parseNodeConfig(withSpeed('${SPEED:-max}'), opts).config.data.speed).toBe('max');
    expect(parseNodeConfig(withSpeed('${SPEED:-30}'), { ...opts, env: { SPEED: '' } }).config.data.speed).toBe(30);
  });

  it('a quoted placeholder stays a string', () => {
    expect(problems(withSpeed('"${SPEED}"'), { ...opts, env: { SPEED: '60' } })).toEqual(['warden.yaml: data.speed: must be a number > 0 (data seconds per wall second) or "max"']);
  });

  it('an unset variable without a default is an error naming it and the field, and no other complaint about that field', () => {
    expect(problems(withSpeed('${SPEED}').replace('id: n1', 'id: ${NODE_ID}'), opts)).toEqual([
      'warden.yaml: node.id: environment variable NODE_ID is not set (set it, or write ${NODE_ID:-default})',
      'warden.yaml: data.speed: environment variable SPEED is not set (set it, or write ${SPEED:-default})',
    ]);
  });

  it('substitutes inside a string, only in values, never in keys; $${ is a literal ${', () => {
    const text = stringify(edit((c) => (c.alerts = { webhooks: [{ url: 'https://hooks.example/${HOOK}?x=$${literal}' }] })));
    const { config } = parseNodeConfig(text, { ...opts, env: { HOOK: 'abc' } });
    expect(config.alerts.webhooks[0]!.url).toBe('https://hooks.example/abc?x=${literal}');
    expect(problems(stringify(base()).replace('venues:\n  SIM:', 'venues:\n  ${V}:'), { ...opts, env: { V: 'SIM' } })).toEqual([
      'warden.yaml: venues["${V}"]: is not a valid key: must be a venue name: 1-32 upper-case letters, digits, "_" or "-"',
    ]);
  });

  it('a malformed or unclosed placeholder is an error', () => {
    expect(problems(withSpeed('${1X}'))).toEqual(['warden.yaml: data.speed: malformed placeholder ${1X} (write ${NAME} or ${NAME:-default})']);
    expect(problems(withSpeed('a${X'))).toEqual(['warden.yaml: data.speed: unclosed placeholder ${X (write ${NAME} or ${NAME:-default}; $${ for a literal ${)']);
  });

  it('collects the secrets: values of secret-named variables and of secret-named fields', () => {
    const text = stringify(edit((c) => (c.alerts = { webhooks: [{ url: 'https://hooks.example/${HOOK_TOKEN}', headers: { Authorization: 'Bearer ${AUTH:-fallback-value}' } }] })));
    const { secrets } = parseNodeConfig(text, { ...opts, env: { HOOK_TOKEN: 'tok-123456' } });
    expect([...secrets].sort()).toEqual(['Bearer fallback-value', 'tok-123456']);
  });
});

describe('the risk section', () => {
  it('inline: validated by the risk schema, problems under risk.', () => {
    expect(problems(edit((c) => (c.risk = { version: 1, limits: { price_collar_pct: 500 } })))).toEqual(['warden.yaml: risk.limits.price_collar_pct: Too big: expected number to be <=100']);
    expect(parseNodeConfig(stringify(edit((c) => (c.risk = { version: 1 }))), opts).config.risk?.limits.price_collar_pct).toBe(5);
  });

  it('by path, relative to the config file; its problems name the risk file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-config-'));
    writeFileSync(join(dir, 'risk.yaml'), 'version: 1\nlimits:\n  price_colar_pct: 3\n');
    writeFileSync(join(dir, 'warden.yaml'), stringify(edit((c) => (c.risk = { path: 'risk.yaml' }))));
    expect(() => loadNodeConfig(join(dir, 'warden.yaml'), {}, { checkFiles: false })).toThrow(`${join(dir, 'risk.yaml')}: limits.price_colar_pct: unknown key`);
    writeFileSync(join(dir, 'risk.yaml'), 'version: 1\nalerts:\n  webhook_url: "${RISK_HOOK:-}"\n');
    expect(loadNodeConfig(join(dir, 'warden.yaml'), {}, { checkFiles: false }).config.risk?.alerts.near_miss_pct).toBe(80);
    writeFileSync(join(dir, 'warden.yaml'), stringify(edit((c) => (c.risk = { path: 'nope.yaml' }))));
    expect(() => loadNodeConfig(join(dir, 'warden.yaml'), {}, { checkFiles: false })).toThrow(`${join(dir, 'warden.yaml')}: risk.path: cannot read the risk file ${join(dir, 'nope.yaml')}`);
  });
});
