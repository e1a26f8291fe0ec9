import { parseDecimal } from '../../../model/decimal.ts';
import { shown, ValidationError } from '../../../model/errors.ts';
import type { Rate } from '../../../model/instrument.ts';

/** Config as it arrives from a file or the API: validated field by field, never trusted. */
export type ModelConfig = Readonly<Record<string, unknown>> | undefined;

/** A decimal written as text or a number; parsed exactly (never through binary floating point). */
export type DecimalInput = string | number;

export function invalidField(field: string, message: string, context: Record<string, string | number> = {}): ValidationError {
  return new ValidationError('INVALID_FIELD', `${field}: ${message}`, { field, ...context });
}

interface NumberOpts {
  default?: number;
  min?: number;
  /** Strictly greater than. */
  above?: number;
  max?: number;
  integer?: boolean;
}

interface DecimalOpts {
  default?: DecimalInput;
  nonNegative?: boolean;
  positive?: boolean;
}

/**
 * Reads one model's config: each accessor validates one field and marks it known; `done()` then
 * refuses any field nobody asked for. Every failure is INVALID_FIELD with `context.field` naming
 * the field by its path (e.g. `tiers[1].taker`, `submit.mean_ms`).
 */
export class ConfigReader {
  private readonly obj: Readonly<Record<string, unknown>>;
  private readonly seen = new Set<string>();

  constructor(
    config: unknown,
    private readonly path = '',
  ) {
    if (config === undefined || config === null) this.obj = {};
    else if (typeof config === 'object' && !Array.isArray(config)) this.obj = config as Record<string, unknown>;
    else throw invalidField(path || 'config', `must be an object, got ${shown(config)}`);
  }

  name(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  has(field: string): boolean {
    return Object.hasOwn(this.obj, field) && this.obj[field] !== undefined;
  }

  /** The raw value, marked as known. */
  raw(field: string): unknown {
    this.seen.add(field);
    return Object.hasOwn(this.obj, field) ? this.obj[field] : undefined;
  }

  /** A finite JS number (for float-valued, analytic parameters). */
  number(field: string, opts: NumberOpts = {}): number {
    const v = this.raw(field);
    const name = this.name(field);
    if (v === undefined) {
      if (opts.default !== undefined) return opts.default;
      throw invalidField(name, 'is required');
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidField(name, `must be a finite number, got ${shown(v)}`);
    if (opts.integer && !Number.isSafeInteger(v)) throw invalidField(name, `must be an integer, got ${v}`);
    if (opts.min !== undefined && v < opts.min) throw invalidField(name, `must be >= ${opts.min}, got ${v}`);
    if (opts.above !== undefined && v <= opts.above) throw invalidField(name, `must be > ${opts.above}, got ${v}`);
    if (opts.max !== undefined && v > opts.max) throw invalidField(name, `must be <= ${opts.max}, got ${v}`);
    return v;
  }

  optionalNumber(field: string, opts: Omit<NumberOpts, 'default'> = {}): number | undefined {
    return this.has(field) ? this.number(field, opts) : (this.raw(field), undefined);
  }

  /** An exact decimal (fee rates, money amounts, basis points). */
  decimal(field: string, opts: DecimalOpts = {}): Rate {
    const v = this.raw(field) ?? opts.default;
    return exactDecimal(v, this.name(field), opts);
  }

  optionalDecimal(field: string, opts: Omit<DecimalOpts, 'default'> = {}): Rate | undefined {
    return this.has(field) ? this.decimal(field, opts) : (this.raw(field), undefined);
  }

  oneOf<const T extends string>(field: string, values: readonly T[], fallback?: T): T {
    const v = this.raw(field) ?? fallback;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    throw invalidField(this.name(field), v === undefined ? `is required (one of ${values.join(', ')})` : `must be one of ${values.join(', ')}, got ${shown(v)}`);
  }

  /** A nested object, read by its own reader (whose `done()` the caller calls). */
  nested(field: string): ConfigReader | undefined {
    const v = this.raw(field);
    return v === undefined ? undefined : new ConfigReader(v, this.name(field));
  }

  array(field: string): unknown[] {
    const v = this.raw(field);
    if (!Array.isArray(v)) throw invalidField(this.name(field), v === undefined ? 'is required' : `must be an array, got ${shown(v)}`);
    return v;
  }

  /** Refuses any field no accessor read: a typo must not silently fall back to a default. */
  done(): void {
    for (const key of Object.keys(this.obj)) {
      if (!this.seen.has(key)) throw invalidField(this.name(key), 'is not a known parameter of this model');
    }
  }
}

export function exactDecimal(v: unknown, field: string, opts: Omit<DecimalOpts, 'default'> = {}): Rate {
  if (v === undefined) throw invalidField(field, 'is required');
  if (typeof v !== 'string' && typeof v !== 'number') throw invalidField(field, `must be a decimal string or number, got ${shown(v)}`);
  let r: Rate;
  try {
    r = parseDecimal(v, field);
  } catch {
    throw invalidField(field, `is not a decimal number: ${shown(v)}`);
  }
  if (opts.nonNegative && r.digits < 0n) throw invalidField(field, `must not be negative, got ${String(v)}`);
  if (opts.positive && r.digits <= 0n) throw invalidField(field, `must be positive, got ${String(v)}`);
  return r;
}

/** Looks `name` up in an explicit factory map; an unknown name is INVALID_FIELD on `model`. */
export function createFrom<M>(family: string, map: Readonly<Record<string, (config?: ModelConfig) => M>>, name: string, config?: ModelConfig): M {
  if (typeof name !== 'string' || !Object.hasOwn(map, name)) {
    throw invalidField('model', `unknown ${family} model ${shown(name)}; known: ${Object.keys(map).join(', ')}`, { family, input: shown(name) });
  }
  const make = map[name] as (config?: ModelConfig) => M;
  return make(config);
}
