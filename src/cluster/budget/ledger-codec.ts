/**
 * The ledger as it is stored in the KV bucket: JSON with every amount a decimal string, so any
 * tool (the nats CLI, an operator's script) can read it and no float ever touches it.
 *
 *   { "v": 1, "nodes": { "<node_id>": { "line": { "gross": "1200", "long": { "BTCUSDT.SIM": "800" }, "short": {} },
 *     "rate": 5, "held": { ... }, "loss": "0", "day": "2026-12-07", "leaseUntil": 1765126800000 } } }
 */
import { ValidationError } from '../../model/errors.ts';
import { amount, LEDGER_VERSION, showAmount, type Exposure, type Ledger, type NodeEntry } from './ledger.ts';

interface ExposureJson {
  gross: string;
  long: Record<string, string>;
  short: Record<string, string>;
}

interface EntryJson {
  line: ExposureJson;
  rate: number;
  held: ExposureJson;
  loss: string;
  day: string;
  leaseUntil: number;
}

const mapJson = (m: ReadonlyMap<string, bigint>): Record<string, string> => Object.fromEntries([...m].map(([k, v]) => [k, showAmount(v)]));

function exposureJson(e: Exposure): ExposureJson {
  return { gross: showAmount(e.gross), long: mapJson(e.long), short: mapJson(e.short) };
}

export function encodeLedger(l: Ledger): string {
  const nodes: Record<string, EntryJson> = {};
  for (const [id, e] of l.nodes) {
    nodes[id] = { line: exposureJson(e.line), rate: e.rate, held: exposureJson(e.held), loss: showAmount(e.loss), day: e.day, leaseUntil: e.leaseUntil };
  }
  return JSON.stringify({ v: LEDGER_VERSION, nodes });
}

function bad(field: string, why: string): never {
  throw new ValidationError('INVALID_FIELD', `firm budget ledger: ${field} ${why}`, { field });
}

function mapOf(x: unknown, field: string): Map<string, bigint> {
  if (typeof x !== 'object' || x === null) bad(field, 'must be an object');
  return new Map(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, amountOf(v, `${field}.${k}`)]));
}

function amountOf(x: unknown, field: string): bigint {
  if (typeof x !== 'string') bad(field, 'must be a decimal string');
  return amount(x, field);
}

function exposureOf(x: unknown, field: string): Exposure {
  const e = x as Partial<ExposureJson> | null;
  if (typeof e !== 'object' || e === null) bad(field, 'must be an object');
  return { gross: amountOf(e.gross, `${field}.gross`), long: mapOf(e.long, `${field}.long`), short: mapOf(e.short, `${field}.short`) };
}

function entryOf(x: unknown, field: string): NodeEntry {
  const e = x as Partial<EntryJson> | null;
  if (typeof e !== 'object' || e === null) bad(field, 'must be an object');
  if (!Number.isSafeInteger(e.rate) || (e.rate as number) < 0) bad(`${field}.rate`, 'must be a whole number');
  if (typeof e.leaseUntil !== 'number' || !Number.isFinite(e.leaseUntil)) bad(`${field}.leaseUntil`, 'must be epoch ms');
  if (typeof e.day !== 'string') bad(`${field}.day`, 'must be a date');
  return { line: exposureOf(e.line, `${field}.line`), rate: e.rate as number, held: exposureOf(e.held, `${field}.held`), loss: amountOf(e.loss, `${field}.loss`), day: e.day, leaseUntil: e.leaseUntil };
}

/** The ledger from its stored text; a value that is not one throws INVALID_FIELD naming the field. */
export function decodeLedger(text: string): Ledger {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    bad('value', 'is not JSON');
  }
  const r = raw as { v?: unknown; nodes?: unknown } | null;
  if (typeof r !== 'object' || r === null || r.v !== LEDGER_VERSION) bad('v', `must be ${LEDGER_VERSION}`);
  if (typeof r.nodes !== 'object' || r.nodes === null) bad('nodes', 'must be an object');
  return { nodes: new Map(Object.entries(r.nodes as Record<string, unknown>).map(([id, e]) => [id, entryOf(e, `nodes.${id}`)])) };
}
