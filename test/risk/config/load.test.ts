import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/model/errors.ts';
import { createBreakersFor } from '../../../src/risk/breakers/index.ts';
import { loadRiskConfig, parseRiskConfig } from '../../../src/risk/config/load.ts';

const EXAMPLE = join(import.meta.dirname, '../../../risk.example.yaml');

/** The error parseRiskConfig throws for `yaml`. */
function errorOf(yaml: string, env: Record<string, string> = {}): ValidationError {
  try {
    parseRiskConfig(yaml, 'yaml', env, 'risk.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).code).toBe('INVALID_FIELD');
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('risk config loader', () => {
  it('loads the commented example with every breaker and limit, and builds its 10 enabled breakers', () => {
    const c = loadRiskConfig(EXAMPLE, {});
    expect(Object.keys(c.breakers).sort()).toEqual(
      ['concentration', 'consecutive_losses', 'daily_loss', 'drawdown', 'errors', 'leverage', 'order_rate', 'portfolio_loss', 'position_loss', 'repeated_executions', 'volatility'].sort(),
    );
    expect(c.day).toEqual({ timezone: 'America/New_York', boundary: '17:00' });
    expect(c.breakers.daily_loss).toMatchObject({ max_daily_loss_pct: 3, max_daily_loss: '30000', scope: 'ACCOUNT', require_manual_reset: true, cooldown_minutes: 0 });
    expect(c.breakers.consecutive_losses).toMatchObject({ max_consecutive_losses: 5, cooldown_minutes: 30, auto_reset_after_minutes: 60 });
    expect(c.breakers.order_rate).toMatchObject({ max_orders_per_minute: 120, max_orders_per_hour: 3000 });
    expect(c.breakers.errors?.max_consecutive_errors).toBe(5);
    expect(c.breakers.drawdown?.max_drawdown_pct).toBe(10);
    expect(c.limits.instruments['BTCUSDT.BINANCE']?.max_order_notional).toBe('100000');
    expect(c.limits.throttles.submit).toEqual({ per_second: 20, per_minute: 600, per_hour: 20000 });
    expect(c.alerts).toEqual({ webhook_url: undefined, near_miss_pct: 80 });
    expect(createBreakersFor(c).map((b) => b.name)).toHaveLength(10);
  });

  it('fills defaults: a file with only version 1 gets UTC 00:00, 80% near-misses and the documented limits', () => {
    const c = parseRiskConfig('version: 1\nbreakers:\n  drawdown:\n    max_drawdown_pct: 10\n', 'yaml', {});
    expect(c.day).toEqual({ timezone: 'UTC', boundary: '00:00' });
    expect(c.breakers.drawdown).toEqual({
      enabled: true,
      action: 'HALT',
      cancel_orders: true,
      flatten: false,
      cooldown_minutes: 0,
      auto_reset_after_minutes: null,
      require_manual_reset: false,
      scope: 'FIRM',
      max_drawdown_pct: 10,
    });
    expect(c.limits).toEqual({
      instruments: {},
      accounts: {},
      firm: {},
      reference_price_max_age_ms: 5000,
      price_collar_pct: 5,
      duplicate_window_ms: 1000,
      throttles: { submit: {}, modify: {}, cancel: {}, hard_limit_multiple: 2 },
      restricted_instruments: [],
      self_trade_prevention: true,
    });
    expect(c.alerts.near_miss_pct).toBe(80);
  });

  it('names the field and the problem: max_daily_loss_pct "three" has the wrong type', () => {
    const e = errorOf('version: 1\nbreakers:\n  daily_loss:\n    max_daily_loss_pct: three\n');
    expect(e.context.field).toBe('breakers.daily_loss.max_daily_loss_pct');
    expect(e.message).toMatch(/^risk\.yaml: breakers\.daily_loss\.max_daily_loss_pct: has the wrong type: expected number/);
  });

  it('an unknown key is an error naming it: breakers.daily_loss.max_daily_los_pct', () => {
    const e = errorOf('version: 1\nbreakers:\n  daily_loss:\n    max_daily_los_pct: 3\n    max_daily_loss: "100"\n');
    expect(e.context.field).toBe('breakers.daily_loss.max_daily_los_pct');
    expect(e.message).toContain('unknown key');
    expect(errorOf('version: 1\nbreakers:\n  circuit: {}\n').context.field).toBe('breakers.circuit');
    expect(errorOf('version: 1\nverison: 1\n').context.field).toBe('verison');
  });

  it.each([
    ['a missing required threshold', 'breakers.drawdown.max_drawdown_pct', 'breakers:\n  drawdown: {}', /is required/],
    ['a percentage above 100', 'breakers.drawdown.max_drawdown_pct', 'breakers:\n  drawdown:\n    max_drawdown_pct: 150', /100/],
    ['a fractional count', 'breakers.errors.max_consecutive_errors', 'breakers:\n  errors:\n    max_consecutive_errors: 2.5', /whole number/],
    ['money as a bare number', 'breakers.portfolio_loss.max_portfolio_loss', 'breakers:\n  portfolio_loss:\n    max_portfolio_loss: 5000', /quoted string/],
    ['money that is not a decimal', 'limits.instruments["BTCUSDT.BINANCE"].max_order_notional', 'limits:\n  instruments:\n    BTCUSDT.BINANCE:\n      max_order_notional: "1e5"', /decimal/],
    ['an unknown action', 'breakers.drawdown.action', 'breakers:\n  drawdown:\n    max_drawdown_pct: 5\n    action: PAUSE', /HALT|REDUCE/],
    ['a scope an equity breaker cannot watch', 'breakers.daily_loss.scope', 'breakers:\n  daily_loss:\n    max_daily_loss_pct: 3\n    scope: STRATEGY', /FIRM, ACCOUNT/],
    ['a daily loss without any limit', 'breakers.daily_loss.max_daily_loss_pct', 'breakers:\n  daily_loss: { scope: ACCOUNT }', /max_daily_loss/],
    ['an unknown time zone', 'day.timezone', 'day:\n  timezone: Mars/Olympus_Mons', /IANA/],
    ['a boundary that is not HH:MM', 'day.boundary', 'day:\n  boundary: "5pm"', /HH:MM/],
    ['a webhook that is not a URL', 'alerts.webhook_url', 'alerts:\n  webhook_url: "not a url"', /URL/],
    ['a near-miss of 100%', 'alerts.near_miss_pct', 'alerts:\n  near_miss_pct: 100', /100/],
    ['a wrong version', 'version', '', /must be 1/],
  ])('%s is an INVALID_FIELD naming %s', (what, field, body, problem) => {
    const e = errorOf(`version: ${what === 'a wrong version' ? 2 : 1}\n${body}\n`);
    expect(e.context.field).toBe(field);
    expect(e.message).toContain(`risk.yaml: ${field}: `);
    expect(e.message).toMatch(problem);
  });

  it('substitutes ${VAR} before parsing, numbers included, and ${VAR:-default} when unset', () => {
    const yaml = 'version: 1\nbreakers:\n  drawdown:\n    max_drawdown_pct: ${DD_PCT}\n    cooldown_minutes: ${COOLDOWN:-15}\nalerts:\n  webhook_url: "${HOOK}"\n';
    const c = parseRiskConfig(yaml, 'yaml', { DD_PCT: '7.5', HOOK: 'https://hooks.example.com/T0/abc' });
    expect(c.breakers.drawdown).toMatchObject({ max_drawdown_pct: 7.5, cooldown_minutes: 15 });
    expect(c.alerts.webhook_url).toBe('https://hooks.example.com/T0/abc');
  });

  it('a missing variable is an error naming the variable and the field that uses it', () => {
    const e = errorOf('version: 1\nalerts:\n  near_miss_pct: 80\n  webhook_url: "${WARDEN_HOOK}"\n', {});
    expect(e.context).toMatchObject({ field: 'alerts.webhook_url', variable: 'WARDEN_HOOK', line: 4 });
    expect(e.message).toContain('environment variable WARDEN_HOOK is not set');
    expect(errorOf('version: 1\nday:\n  timezone: ${TZ_NAME:oops}\n').message).toMatch(/malformed placeholder/);
  });

  it('reads JSON too, with the same validation', () => {
    const c = parseRiskConfig('{"version": 1, "breakers": {"errors": {"max_consecutive_errors": ${N}}}}', 'json', { N: '4' });
    expect(c.breakers.errors?.max_consecutive_errors).toBe(4);
    expect(() => parseRiskConfig('{"version": 1, "breakers": {"errors": {"max_consecutive_errors": 0}}}', 'json', {})).toThrow(/breakers\.errors\.max_consecutive_errors/);
    expect(() => parseRiskConfig('{"version": 1,', 'json', {}, 'r.json')).toThrow(/r\.json: not valid JSON/);
  });

  it('loadRiskConfig names the file in errors and refuses other extensions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-risk-'));
    const bad = join(dir, 'risk.yml');
    writeFileSync(bad, 'version: 1\nbreakers:\n  leverage:\n    max_leverage: -2\n');
    expect(() => loadRiskConfig(bad, {})).toThrow(`${bad}: breakers.leverage.max_leverage: `);
    const txt = join(dir, 'risk.txt');
    writeFileSync(txt, 'version: 1');
    expect(() => loadRiskConfig(txt, {})).toThrow(/\.yaml, \.yml or \.json/);
    expect(() => loadRiskConfig(join(dir, 'nope.yaml'), {})).toThrow(/cannot read/);
  });

  it('a duplicate key in YAML is a syntax error with its line', () => {
    const e = errorOf('version: 1\nday:\n  timezone: UTC\n  timezone: Europe/Paris\n');
    expect(e.context.field).toBe('(syntax)');
    expect(e.message).toMatch(/not valid YAML \(line \d\)/);
  });
});
