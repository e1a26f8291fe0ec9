/** The README's "Several nodes" config is what the loader takes: its cluster section and node journal validate as written. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { clusterSchema } from '../../src/node/config/cluster.ts';
import { nodeConfigSchema } from '../../src/node/config/schema.ts';

function firmYaml(): Record<string, unknown> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Several nodes'));
  const m = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('no yaml block in README "Several nodes"');
  return parse(m[1]!) as Record<string, unknown>;
}

describe('README "Several nodes": the cluster config', () => {
  it('validates: the cluster section with its firm budget, and a PostgreSQL journal in a schema of its own', () => {
    const doc = firmYaml();
    const cluster = clusterSchema.parse(doc['cluster']);
    expect(cluster).toMatchObject({ node_id: 'desk-a', firm: 'acme', on_nats_loss: 'reduce_only', kill_switch: true });
    expect(cluster.budget).toMatchObject({ max_gross_exposure: '2500000', max_net_exposure: { 'BTCUSDT.BINANCE': '500000' }, credit_chunk: '50000' });
    const whole = nodeConfigSchema.parse({ ...doc, venues: { SIM: { type: 'sim' } } });
    expect(whole.node.journal).toEqual({ postgres: 'postgres://warden@db/warden', schema: 'desk_a' });
  });
});
