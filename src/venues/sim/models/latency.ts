import { ConfigReader, invalidField, type ModelConfig } from './config.ts';
import { SeededRandom } from './random.ts';

/** Milliseconds from sending a request to the venue acting on it, per kind of request. */
export interface LatencyModel {
  submitMs(): number;
  modifyMs(): number;
  cancelMs(): number;
}

export interface ConstantLatencyConfig {
  readonly submit_ms: number;
  /** Default: submit_ms. */
  readonly modify_ms?: number;
  /** Default: submit_ms. */
  readonly cancel_ms?: number;
}

/** `constant`: fixed delays, one per action. */
export class ConstantLatency implements LatencyModel {
  constructor(
    readonly submit: number,
    readonly modify: number = submit,
    readonly cancel: number = submit,
  ) {
    for (const [field, v] of [['submit_ms', submit], ['modify_ms', modify], ['cancel_ms', cancel]] as const) {
      if (!Number.isFinite(v) || v < 0) throw invalidField(field, `must be a finite number >= 0, got ${v}`);
    }
  }
  static fromConfig(config?: ModelConfig): ConstantLatency {
    const r = new ConfigReader(config);
    const submit = r.number('submit_ms', { min: 0 });
    const m = new ConstantLatency(submit, r.number('modify_ms', { min: 0, default: submit }), r.number('cancel_ms', { min: 0, default: submit }));
    r.done();
    return m;
  }
  submitMs(): number {
    return this.submit;
  }
  modifyMs(): number {
    return this.modify;
  }
  cancelMs(): number {
    return this.cancel;
  }
}

export type LatencyDistribution = 'NORMAL' | 'LOGNORMAL';

/** One action's delay distribution: arithmetic mean and standard deviation, never below the floor. */
export interface LatencySpec {
  readonly meanMs: number;
  readonly stdevMs: number;
  readonly floorMs: number;
}

export interface RandomLatencyConfig {
  readonly seed: number;
  /** NORMAL (default) or LOGNORMAL (right-skewed, like real network delays). */
  readonly distribution?: LatencyDistribution;
  readonly submit: { readonly mean_ms: number; readonly stdev_ms: number; readonly floor_ms?: number };
  /** Default: as submit. */
  readonly modify?: RandomLatencyConfig['submit'];
  readonly cancel?: RandomLatencyConfig['submit'];
}

/**
 * `random`: seeded random delays, max(floor, draw). LOGNORMAL is parameterized by the arithmetic
 * mean m and stdev s: σ² = ln(1 + s²/m²), μ = ln m − σ²/2. One seeded stream for all actions,
 * so the same seed and the same sequence of calls give the same delays.
 */
export class RandomLatency implements LatencyModel {
  private readonly rng: SeededRandom;
  constructor(
    seed: number,
    readonly distribution: LatencyDistribution,
    readonly submit: LatencySpec,
    readonly modify: LatencySpec = submit,
    readonly cancel: LatencySpec = submit,
  ) {
    this.rng = new SeededRandom(seed);
    for (const [name, s] of [['submit', submit], ['modify', modify], ['cancel', cancel]] as const) checkSpec(name, s, distribution);
  }

  static fromConfig(config?: ModelConfig): RandomLatency {
    const r = new ConfigReader(config);
    const seed = r.number('seed', { integer: true });
    const dist = r.oneOf('distribution', ['NORMAL', 'LOGNORMAL'] as const, 'NORMAL');
    const spec = (field: string): LatencySpec | undefined => {
      const n = r.nested(field);
      if (!n) return undefined;
      const s = { meanMs: n.number('mean_ms', { min: 0 }), stdevMs: n.number('stdev_ms', { min: 0 }), floorMs: n.number('floor_ms', { min: 0, default: 0 }) };
      n.done();
      return s;
    };
    const submit = spec('submit');
    if (!submit) throw invalidField('submit', 'is required');
    const m = new RandomLatency(seed, dist, submit, spec('modify') ?? submit, spec('cancel') ?? submit);
    r.done();
    return m;
  }

  submitMs(): number {
    return this.draw(this.submit);
  }
  modifyMs(): number {
    return this.draw(this.modify);
  }
  cancelMs(): number {
    return this.draw(this.cancel);
  }

  private draw(s: LatencySpec): number {
    const z = this.rng.normal();
    let v: number;
    if (this.distribution === 'NORMAL') {
      v = s.meanMs + s.stdevMs * z;
    } else {
      const sigma2 = Math.log(1 + (s.stdevMs * s.stdevMs) / (s.meanMs * s.meanMs));
      v = Math.exp(Math.log(s.meanMs) - sigma2 / 2 + Math.sqrt(sigma2) * z);
    }
    return Math.max(s.floorMs, v);
  }
}

function checkSpec(name: string, s: LatencySpec, dist: LatencyDistribution): void {
  for (const [field, v] of [['mean_ms', s.meanMs], ['stdev_ms', s.stdevMs], ['floor_ms', s.floorMs]] as const) {
    if (!Number.isFinite(v) || v < 0) throw invalidField(`${name}.${field}`, `must be a finite number >= 0, got ${v}`);
  }
  if (dist === 'LOGNORMAL' && s.meanMs <= 0) throw invalidField(`${name}.mean_ms`, 'must be > 0 for LOGNORMAL');
}
