/**
 * `warden strategies`: the built-in strategies as the registry (STRATEGIES) has them, by family
 * in the order of STRATEGY_FAMILIES, then by name; each with its one-line description and its
 * parameters (name=default and meaning). Read from the registry, so a strategy added there is
 * listed without a change here.
 */
import { STRATEGIES } from '../strategies/index.ts';
import { STRATEGY_FAMILIES, type RegisteredStrategy } from '../strategy/strategy.ts';

/** The listing, one line per entry; `registry` defaults to the built-in one. */
export function strategyListing(registry: Readonly<Record<string, RegisteredStrategy>> = STRATEGIES): string[] {
  const entries = Object.entries(registry);
  const out: string[] = [];
  for (const family of STRATEGY_FAMILIES) {
    const here = entries.filter(([, f]) => f.family === family).sort(([a], [b]) => a.localeCompare(b));
    if (here.length === 0) continue;
    if (out.length) out.push('');
    out.push(`${family}:`);
    for (const [name, f] of here) {
      out.push(`  ${name} — ${f.description}`);
      const width = Math.max(0, ...f.params.map((p) => `${p.name}=${p.default}`.length));
      for (const p of f.params) out.push(`      ${`${p.name}=${p.default}`.padEnd(width)}  ${p.doc}`);
    }
  }
  out.push('', `${entries.length} strategies; run one with --strategy NAME [--param name=value ...]`);
  return out;
}

export function runStrategiesCli(): void {
  console.log(strategyListing().join('\n'));
}
