/**
 * The MT5 documentation's config examples (the README section for the mt5 venue and the bridge
 * EA's install guide) are valid node configs as Warden's loader reads them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../../../src/node/config/index.ts';

/** The main README's MT5 section, and the bridge EA's install guide. */
const DOCS = ['README.md#mt5', 'integrations/mt5/README.md'] as const;

function yamlBlocks(doc: string): string[] {
  const [file, part] = doc.split('#');
  let text = readFileSync(new URL(`../../../${file!}`, import.meta.url), 'utf8');
  if (part === 'mt5') {
    const start = text.indexOf('### MetaTrader 5 (venue type `mt5`)');
    text = text.slice(start, text.indexOf('\n## ', start));
  }
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('MT5 docs: config examples', () => {
  for (const doc of DOCS) {
    it(`${doc}: every yaml block is a valid live config with an mt5 venue, its account and instruments`, () => {
      const blocks = yamlBlocks(doc);
      expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) {
        const { config } = parseNodeConfig(`node: { id: mt5-docs, mode: live }\n${block}`, { env: {} });
        const mt5 = Object.entries(config.venues).filter(([, v]) => v.type === 'mt5');
        expect(mt5.length).toBe(1);
        const [name] = mt5[0]!;
        expect(config.accounts.map((a) => a.venue)).toContain(name);
        expect(config.instruments.filter((i) => i.id.endsWith(`.${name}`)).length).toBeGreaterThan(0);
      }
    });
  }

  it('the README section reads the host from MT5_HOST, 127.0.0.1 without it', () => {
    const [block] = yamlBlocks('README.md#mt5');
    const host = (env: Record<string, string>) => {
      const v = parseNodeConfig(`node: { id: mt5-docs, mode: live }\n${block!}`, { env }).config.venues.MT5;
      return v?.type === 'mt5' ? v.host : undefined;
    };
    expect([host({}), host({ MT5_HOST: '10.8.0.2' })]).toEqual(['127.0.0.1', '10.8.0.2']);
  });
});
