import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseNodeConfig } from '../../../src/node/config/index.ts';
import { ALERT_CODE_LIST } from '../../../src/engine/alert-codes.ts';
import { ALERT_SEVERITY, severityOf } from '../../../src/node/alerts/severity.ts';
import { smallConfig, yaml } from '../small-node.ts';
import { tempDir } from '../support.ts';

const TOKEN = '123456789:AAHfakeTelegramBotTokenForWardenTests0';

function parse(alerts: unknown, env: Record<string, string> = {}) {
  const dir = tempDir();
  return parseNodeConfig(yaml(smallConfig(dir, 'bars.csv', { alerts })), { env, baseDir: dir, checkFiles: false });
}

function problems(alerts: unknown, env: Record<string, string> = {}): string[] {
  try {
    parse(alerts, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n').filter((l) => l.startsWith('warden.yaml'));
    throw e;
  }
  throw new Error('no ConfigError');
}

describe('warden.yaml alerts.sinks', () => {
  it('defaults: no sinks, dedupe 60 s, at most 20 messages a minute; a sink takes every code at info and above', () => {
    expect(parse(undefined).config.alerts).toEqual({ webhooks: [], sinks: [], dedupe_ms: 60_000, rate_limit: { max: 20, window_ms: 60_000 } });
    const { config } = parse({ sinks: [{ type: 'slack', url: 'https://hooks.slack.com/services/T1/B1/abc' }] });
    expect(config.alerts.sinks[0]).toEqual({ type: 'slack', url: 'https://hooks.slack.com/services/T1/B1/abc', min_severity: 'info', timeout_ms: 5000 });
  });

  it('the secrets of every sink are secrets: Slack and Discord URLs (and their paths), the bot token, the SMTP password', () => {
    const { secrets } = parse(
      {
        sinks: [
          { type: 'slack', url: '${SLACK_URL}' },
          { type: 'discord', url: 'https://discord.com/api/webhooks/1/written-in-the-file' },
          { type: 'telegram', token: '${TG}', chat_ids: [1] },
          { type: 'email', host: 'smtp.example.com', user: 'u', password: '${SMTP_PASS}', from: 'a@example.com', to: ['b@example.com'] },
        ],
      },
      { SLACK_URL: 'https://hooks.slack.com/services/T1/B1/abcdef', TG: TOKEN, SMTP_PASS: 'pass-word-1' },
    );
    for (const s of ['https://hooks.slack.com/services/T1/B1/abcdef', '/services/T1/B1/abcdef', 'https://discord.com/api/webhooks/1/written-in-the-file', '/api/webhooks/1/written-in-the-file', TOKEN, 'pass-word-1']) expect(secrets.has(s)).toBe(true);
  });

  it('bad sinks: one readable problem each, and the secret never quoted back', () => {
    expect(problems({ sinks: [{ type: 'pagerduty' }] })).toEqual(['warden.yaml: alerts.sinks[0].type: must be a sink with type slack, discord, telegram or email']);
    expect(problems({ sinks: [{ type: 'slack', url: 'ftp://x' }] })).toEqual(['warden.yaml: alerts.sinks[0].url: must be an http(s) URL']);
    expect(problems({ sinks: [{ type: 'slack', url: 'https://h.example.com/x', codes: ['BREAKER_TRIPPD'] }] })).toEqual(['warden.yaml: alerts.sinks[0].codes[0]: must be an alert code (README "Alert codes") or an error code']);
    expect(problems({ sinks: [{ type: 'slack', url: 'https://h.example.com/x', min_severity: 'urgent' }] })).toEqual(['warden.yaml: alerts.sinks[0].min_severity: must be one of info, warning, critical, not "urgent"']);
    expect(problems({ sinks: [{ type: 'telegram', token: '${TG_TOKEN}', chat_ids: [] }] }, { TG_TOKEN: 'not-a-token-secret' })).toEqual([
      'warden.yaml: alerts.sinks[0].token: must be a Telegram bot token (<digits>:<35 characters>)',
      'warden.yaml: alerts.sinks[0].chat_ids: must name at least one chat id',
    ]);
    expect(problems({ sinks: [{ type: 'email', host: 'h', user: 'u', from: 'a@example.com', to: ['b@example.com'] }] })).toEqual(['warden.yaml: alerts.sinks[0].password: set user and password together (or neither: no AUTH)']);
    expect(problems({ sinks: [{ type: 'telegram', token: '${TG_TOKEN}', chat_ids: [1], commands: true, poll_timeout_s: 0 }] }, { TG_TOKEN: TOKEN })).toEqual([
      'warden.yaml: alerts.sinks[0].poll_timeout_s: must be 1 to 50 seconds (a long poll; 0 would poll Telegram in a tight loop)',
    ]);
    expect(problems({ rate_limit: { max: 0 } })).toEqual(['warden.yaml: alerts.rate_limit.max: Too small: expected number to be >0']);
  });
});

describe('alert severities (src/node/alerts/severity.ts)', () => {
  it('every registered code has one; breaker trips, the kill switch and mismatches are critical; an error code (a refused report) is critical', () => {
    expect(Object.keys(ALERT_SEVERITY).sort()).toEqual([...ALERT_CODE_LIST].sort());
    expect(severityOf('BREAKER_TRIPPED')).toBe('critical');
    expect(severityOf('KILL_SWITCH_ENGAGED')).toBe('critical');
    expect(severityOf('POSITION_MISMATCH')).toBe('critical');
    expect(severityOf('BREAKER_RESET')).toBe('info');
    expect(severityOf('OVERFILL')).toBe('critical');
  });
});

describe('README "Alerts where people are"', () => {
  it('its example is a valid alerts section, its four secrets among the config secrets', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Alerts where people are'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const env = { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T1/B1/sl4ck', DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/d1sc0rd', TELEGRAM_BOT_TOKEN: TOKEN, SMTP_PASSWORD: 'smtp-secret' };
    const dir = tempDir();
    const text = yaml(smallConfig(dir, 'bars.csv', {})) + block;
    const { config, secrets } = parseNodeConfig(text, { env, baseDir: dir, checkFiles: false });
    expect(config.alerts.sinks.map((s) => s.type)).toEqual(['slack', 'discord', 'telegram', 'email']);
    for (const v of Object.values(env)) expect(secrets.has(v)).toBe(true);
  });
});
