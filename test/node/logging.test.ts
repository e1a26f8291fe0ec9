import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ValidationError } from '../../src/model/errors.ts';
import { parseNodeConfig } from '../../src/node/config/index.ts';
import { createLogger, errorText, scrubber } from '../../src/node/logging.ts';

const SECRET = 'sk-live-9f8e7d6c5b4a';
const HOOK = 'hook-token-"quoted"\\slash';

/** A config whose secrets come from the environment, as a node would load it. */
function loaded() {
  const doc = {
    node: { id: 'n1', mode: 'backtest', journal: { memory: true } },
    venues: { SIM: { type: 'sim' } },
    alerts: { webhooks: [{ url: 'https://hooks.example/notify', headers: { 'X-Api-Key': '${EXCHANGE_API_KEY}', Authorization: 'Bearer ${HOOK_TOKEN}' } }] },
  };
  return parseNodeConfig(stringify(doc), { file: 'warden.yaml', env: { EXCHANGE_API_KEY: SECRET, HOOK_TOKEN: HOOK }, baseDir: '/cfg', checkFiles: false });
}

function capture() {
  const lines: string[] = [];
  return { lines, stream: { write: (s: string) => void lines.push(s) } };
}

/** Everything a logger can be handed: messages, objects at any depth, errors with stacks and causes. */
function logEverything(log: ReturnType<typeof createLogger>, secret: string): void {
  log.info(`connecting with key ${secret}`);
  log.info({ apiKey: secret, venue: { credentials: { key: secret } }, note: `prefix-${secret}-suffix` }, 'object fields');
  log.warn({ deep: { deeper: { deepest: { value: secret } } } }, 'nested');
  log.error(new Error(`venue refused key ${secret}`));
  log.error({ err: new ValidationError('INVALID_FIELD', `bad header ${secret}`, { field: secret }) }, 'typed error');
  log.error({ err: new Error('outer', { cause: new Error(`inner ${secret}`) }) }, 'with cause');
  log.child({ strategy: secret }).info('child bindings');
  log.info('%s formatted', secret);
}

describe('structured logs: a configured secret never reaches the output (FAULTS.md 31)', () => {
  it('the config loader collects the secrets: the env values of *_KEY / *_TOKEN variables and of secret-named fields', () => {
    const { secrets } = loaded();
    expect(secrets.has(SECRET)).toBe(true);
    expect(secrets.has(HOOK)).toBe(true);
    expect(secrets.has(`Bearer ${HOOK}`)).toBe(true);
  });

  for (const format of ['json', 'pretty'] as const) {
    it(`${format}: messages, objects, errors, causes, bindings and format args are scrubbed; the rest of each line survives`, () => {
      const { secrets } = loaded();
      const { lines, stream } = capture();
      const log = createLogger({ level: 'trace', format, destination: 'stdout', redact: [] }, { secrets, stream });
      for (const s of [SECRET, HOOK]) logEverything(log, s);
      const out = lines.join('');
      expect(lines.length).toBeGreaterThanOrEqual(16);
      expect(out).not.toContain(SECRET);
      expect(out).not.toContain(HOOK);
      expect(out).not.toContain(JSON.stringify(HOOK).slice(1, -1));
      expect(out).not.toContain('9f8e7d6c5b4a');
      expect(out).toContain('connecting with key [REDACTED]');
      expect(out).toContain('prefix-[REDACTED]-suffix');
      expect(out).toContain('venue refused key [REDACTED]');
    });
  }

  it('without the value scrub, the same lines would carry the secret (the test can fail)', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'trace', format: 'json', destination: 'stdout', redact: [] }, { stream });
    logEverything(log, SECRET);
    expect(lines.join('')).toContain(SECRET);
  });

  it('fields named like secrets are censored by name even when the value is not a configured secret', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info', format: 'json', destination: 'stdout', redact: ['order.memo'] }, { stream });
    log.info({ password: 'hunter22', headers: { authorization: 'Basic abc' }, req: { headers: { Authorization: 'Bearer xyz' } }, order: { memo: 'private', id: 7 } }, 'request');
    const line = JSON.parse(lines[0]!) as { password: string; headers: { authorization: string }; req: { headers: { Authorization: string } }; order: unknown };
    expect(line.password).toBe('[REDACTED]');
    expect(line.headers.authorization).toBe('[REDACTED]');
    expect(line.req.headers.Authorization).toBe('[REDACTED]');
    expect(line.order).toEqual({ memo: '[REDACTED]', id: 7 });
  });

  it('writes to a file, scrubbed there too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-log-'));
    const file = join(dir, 'logs', 'node.log');
    const log = createLogger({ level: 'info', format: 'json', destination: { file }, redact: [] }, { secrets: [SECRET], base: { node: 'n1' } });
    log.info({ key: SECRET }, 'to file');
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ node: 'n1', key: '[REDACTED]', msg: 'to file', level: 30 });
    expect(text).not.toContain(SECRET);
  });

  it('respects the level', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'warn', format: 'json', destination: 'stdout', redact: [] }, { stream });
    log.info('quiet');
    log.warn('loud');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['loud']);
  });
});

describe('errorText and scrubber (for alerts and webhooks)', () => {
  it('errorText is CODE: message with the secrets replaced', () => {
    expect(errorText(new ValidationError('INVALID_FIELD', `key ${SECRET} refused`), [SECRET])).toBe('INVALID_FIELD: key [REDACTED] refused');
    expect(errorText(new TypeError(`no ${SECRET}`), [SECRET])).toBe('TypeError: no [REDACTED]');
  });

  it('scrubber replaces the longest secret first, and leaves text without secrets alone', () => {
    const scrub = scrubber(['abcd', 'abcdefgh']);
    expect(scrub('x abcdefgh y abcd z')).toBe('x [REDACTED] y [REDACTED] z');
    expect(scrubber([])('nothing to hide')).toBe('nothing to hide');
  });
});
