import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { nodeConfigJsonSchema } from '../../../src/node/config/json-schema.ts';

const committed = (): string => readFileSync(new URL('../../../schema/warden.schema.json', import.meta.url), 'utf8');

describe('schema/warden.schema.json (JSON Schema for editors)', () => {
  it('is what `npm run docs:schema` generates from the zod schema today', () => {
    expect(committed()).toBe(nodeConfigJsonSchema());
  });

  it('is strict like the loader (no unknown keys) and lists the sections and venue types', () => {
    const schema = JSON.parse(committed()) as { additionalProperties: boolean; required: string[]; properties: Record<string, { additionalProperties?: unknown }> };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['node', 'venues']);
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'node', 'venues', 'calendars', 'accounts', 'instruments', 'data', 'risk', 'strategies', 'alerts', 'logging', 'server', 'gateway', 'advisor', 'cluster']);
    expect(JSON.stringify(schema.properties.venues)).toContain('"const":"sim"');
  });

  it('describes the example files: every key they use is a property the schema knows', () => {
    const schema = JSON.parse(committed()) as { properties: Record<string, unknown> };
    for (const f of ['warden.paper.yaml', 'warden.backtest.yaml', 'warden.demo.yaml']) {
      const doc = parse(readFileSync(new URL(`../../../examples/${f}`, import.meta.url), 'utf8')) as Record<string, unknown>;
      for (const key of Object.keys(doc)) expect(Object.keys(schema.properties)).toContain(key);
    }
  });
});
