/**
 * `warden strategies` lists the registry: every entry of STRATEGIES under its family, with its
 * description and every parameter as name=default; an entry added to a registry is listed
 * without a change to the command.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { strategyListing } from '../../src/cli/strategies.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { STRATEGY_FAMILIES, type RegisteredStrategy } from '../../src/strategy/strategy.ts';

/** The family heading a line falls under. */
function familyOf(lines: readonly string[], line: string): string | undefined {
  const at = lines.indexOf(line);
  for (let i = at; i >= 0; i--) if (lines[i]!.endsWith(':') && !lines[i]!.startsWith(' ')) return lines[i]!.slice(0, -1);
  return undefined;
}

describe('warden strategies', () => {
  const lines = strategyListing();

  it('lists every registered strategy under its family, with its description and each parameter=default', () => {
    expect(Object.keys(STRATEGIES).length).toBeGreaterThanOrEqual(7);
    for (const [name, f] of Object.entries(STRATEGIES)) {
      const head = `  ${name} — ${f.description}`;
      expect(lines, name).toContain(head);
      expect(familyOf(lines, head), name).toBe(f.family);
      const at = lines.indexOf(head);
      const own = lines.slice(at + 1, at + 1 + f.params.length);
      expect(own.map((l) => l.trim().split(/\s+/)[0]), name).toEqual(f.params.map((p) => `${p.name}=${p.default}`));
      for (let i = 0; i < f.params.length; i++) expect(own[i]!.endsWith(`  ${f.params[i]!.doc}`), name).toBe(true);
    }
    expect(lines.at(-1)).toBe(`${Object.keys(STRATEGIES).length} strategies; run one with --strategy NAME [--param name=value ...]`);
  });

  it('shows sma-cross with its defaults as the README documents them', () => {
    const at = lines.indexOf(`  sma-cross — ${STRATEGIES['sma-cross']!.description}`);
    expect(lines.slice(at + 1, at + 4).map((l) => l.trim().replace(/\s{2,}/, ' | '))).toEqual([
      'fast=10 | fast SMA length (bars)',
      'slow=30 | slow SMA length (bars), > fast',
      'fraction=0.95 | share of equity bought on entry, in (0, 1]',
    ]);
    expect(familyOf(lines, `  sma-cross — ${STRATEGIES['sma-cross']!.description}`)).toBe('trend following');
  });

  it('families come in the documented order, names sorted within each, and only families with strategies are shown', () => {
    const heads = lines.filter((l) => l.endsWith(':') && !l.startsWith(' ')).map((l) => l.slice(0, -1));
    const used = STRATEGY_FAMILIES.filter((f) => Object.values(STRATEGIES).some((s) => s.family === f));
    expect(heads).toEqual(used);
  });

  it('lists an entry added to a registry, read from the registry alone', () => {
    const extra: RegisteredStrategy = {
      name: 'news-drift',
      family: 'event/sentiment',
      description: 'a strategy the command has never heard of',
      params: [{ name: 'halfLife', default: '30', doc: 'decay in minutes' }],
      create: () => {
        throw new Error('not built in this test');
      },
    };
    const got = strategyListing({ ...STRATEGIES, 'news-drift': extra });
    const head = '  news-drift — a strategy the command has never heard of';
    expect(familyOf(got, head)).toBe('event/sentiment');
    expect(got[got.indexOf(head) + 1]!.trim()).toBe('halfLife=30  decay in minutes');
    expect(got.at(-1)).toMatch(new RegExp(`^${Object.keys(STRATEGIES).length + 1} strategies`));
  });

  it('the README shows sma-cross\'s block as the command prints it', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const at = lines.indexOf(`  sma-cross — ${STRATEGIES['sma-cross']!.description}`);
    expect(readme).toContain('```text\ntrend following:\n' + lines.slice(at, at + 4).join('\n') + '\n```');
  });

  it('the README table has a row, with its family, for every registered strategy', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [name, f] of Object.entries(STRATEGIES)) expect(readme, name).toContain(`| \`${name}\` | ${f.family} |`);
  });
});
