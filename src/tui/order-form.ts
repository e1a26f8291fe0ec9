/**
 * The new-order form (N): every order type POST /api/orders takes that fits a keyboard form, with
 * time in force, reduce-only and post-only. Pure: a key moves the form on; `ticketOfForm` checks
 * it (required fields for the type, decimals on the instrument's tick and lot grid, options the
 * type allows) before anything is sent, and says what is wrong in words.
 */
import { parseDecimal, pow10 } from '../model/decimal.ts';
import { ORDER_SIDES, ORDER_TYPES, TIME_IN_FORCE, TRAILING_OFFSET_TYPES, type OrderType } from '../model/orders/types.ts';
import type { OrderTicket } from './actions.ts';
import { charOf, isNamed, type Key } from './keys.ts';
import type { InstrumentRow } from './types.ts';

export const FIELDS = ['side', 'type', 'instrument', 'quantity', 'price', 'trigger', 'offsetType', 'offset', 'limitOffset', 'activation', 'tif', 'expire', 'reduceOnly', 'postOnly'] as const;
export type FieldId = (typeof FIELDS)[number];

export const LABELS: Readonly<Record<FieldId, string>> = {
  side: 'Side',
  type: 'Type',
  instrument: 'Instrument',
  quantity: 'Quantity',
  price: 'Limit price',
  trigger: 'Trigger price',
  offsetType: 'Offset in',
  offset: 'Trailing offset',
  limitOffset: 'Limit offset',
  activation: 'Activation (opt.)',
  tif: 'Time in force',
  expire: 'Expires in (min)',
  reduceOnly: 'Reduce only',
  postOnly: 'Post only',
};

const YES_NO = ['no', 'yes'] as const;

export interface OrderForm {
  readonly values: Readonly<Record<FieldId, string>>;
  /** The field the cursor is on (always one of `visibleFields`). */
  readonly at: FieldId;
  /** Why the last Enter sent nothing. */
  readonly error?: string;
}

/** The choices of a field chosen with Left/Right (undefined: typed text). The instrument is both. */
export function choicesOf(f: FieldId, instruments: readonly InstrumentRow[]): readonly string[] | undefined {
  switch (f) {
    case 'side':
      return ORDER_SIDES;
    case 'type':
      return ORDER_TYPES;
    case 'offsetType':
      return TRAILING_OFFSET_TYPES;
    case 'tif':
      return TIME_IN_FORCE;
    case 'reduceOnly':
    case 'postOnly':
      return YES_NO;
    case 'instrument':
      return instruments.map((i) => i.id);
    default:
      return undefined;
  }
}

const LIMITS: readonly OrderType[] = ['LIMIT', 'STOP_LIMIT', 'LIMIT_IF_TOUCHED'];
const TRIGGERS: readonly OrderType[] = ['STOP_MARKET', 'STOP_LIMIT', 'MARKET_IF_TOUCHED', 'LIMIT_IF_TOUCHED'];
const TRAILING: readonly OrderType[] = ['TRAILING_STOP_MARKET', 'TRAILING_STOP_LIMIT'];

/** The fields an order of the form's type and time in force takes, in order. */
export function visibleFields(v: Readonly<Record<FieldId, string>>): FieldId[] {
  const type = v.type as OrderType;
  const out: FieldId[] = ['side', 'type', 'instrument', 'quantity'];
  if (TRIGGERS.includes(type)) out.push('trigger');
  if (LIMITS.includes(type)) out.push('price');
  if (TRAILING.includes(type)) out.push('offsetType', 'offset', ...(type === 'TRAILING_STOP_LIMIT' ? (['limitOffset'] as const) : []), 'activation');
  out.push('tif');
  if (v.tif === 'GTD') out.push('expire');
  out.push('reduceOnly');
  if (LIMITS.includes(type) || type === 'TRAILING_STOP_LIMIT') out.push('postOnly');
  return out;
}

export function newForm(instruments: readonly InstrumentRow[]): OrderForm {
  const first = instruments[0];
  const lot = Number(first?.lotSize ?? '1');
  const values = Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<FieldId, string>;
  Object.assign(values, { side: 'BUY', type: 'MARKET', instrument: first?.id ?? '', quantity: lot >= 1 ? (first?.lotSize ?? '1') : '0.001', offsetType: 'PRICE', tif: 'GTC', reduceOnly: 'no', postOnly: 'no' });
  return { values, at: 'quantity' };
}

export type FormStep = { readonly kind: 'edit'; readonly form: OrderForm } | { readonly kind: 'cancel' } | { readonly kind: 'send'; readonly ticket: OrderTicket };

/** One key on the form: move, choose, type, cancel, or (Enter) send when it checks out. */
export function formKey(form: OrderForm, key: Key, instruments: readonly InstrumentRow[], nodeNow: number): FormStep {
  if (isNamed(key, 'esc')) return { kind: 'cancel' };
  const fields = visibleFields(form.values);
  const edit = (values: Record<FieldId, string>, at: FieldId = form.at): FormStep => {
    const visible = visibleFields(values);
    return { kind: 'edit', form: { values, at: visible.includes(at) ? at : (visible[visible.length - 1] ?? 'side') } };
  };
  if (isNamed(key, 'enter')) {
    const t = ticketOfForm(form.values, instruments, nodeNow);
    return typeof t === 'string' ? { kind: 'edit', form: { ...form, error: t } } : { kind: 'send', ticket: t };
  }
  const i = fields.indexOf(form.at);
  if (isNamed(key, 'down') || isNamed(key, 'tab')) return edit({ ...form.values }, fields[(i + 1) % fields.length]);
  if (isNamed(key, 'up') || isNamed(key, 'shift-tab')) return edit({ ...form.values }, fields[(i + fields.length - 1) % fields.length]);
  const choices = choicesOf(form.at, instruments);
  const value = form.values[form.at];
  if (choices && choices.length > 0 && (isNamed(key, 'left') || isNamed(key, 'right') || (isNamed(key, 'space') && form.at !== 'instrument'))) {
    const j = choices.indexOf(value);
    const next = choices[j < 0 ? 0 : (j + (isNamed(key, 'left') ? choices.length - 1 : 1)) % choices.length] ?? value;
    return edit({ ...form.values, [form.at]: next });
  }
  if (isNamed(key, 'backspace') && form.at === 'instrument') return edit({ ...form.values, instrument: value.slice(0, -1) });
  if (isNamed(key, 'backspace') && !choices) return edit({ ...form.values, [form.at]: value.slice(0, -1) });
  const c = 'char' in key ? key.char : undefined;
  if (c === undefined) return { kind: 'edit', form };
  if (form.at === 'instrument' || !choices) return edit({ ...form.values, [form.at]: value + (form.at === 'instrument' ? c.toUpperCase() : c) });
  // A letter on a choice: the next choice starting with it (S: SELL; T: the trailing types in turn).
  const starting = choices.filter((x) => x.toLowerCase().startsWith(charOf(key) ?? ''));
  if (starting.length === 0) return { kind: 'edit', form };
  return edit({ ...form.values, [form.at]: starting[(starting.indexOf(value) + 1) % starting.length]! });
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** Whether decimal text `v` is a whole multiple of `step` (exact). */
export function onGrid(v: string, step: string): boolean {
  const a = parseDecimal(v);
  const b = parseDecimal(step);
  if (b.digits === 0n) return true;
  const scale = Math.max(a.scale, b.scale);
  return (a.digits * pow10(scale - a.scale)) % (b.digits * pow10(scale - b.scale)) === 0n;
}

/** A positive decimal on the grid, or why not. */
function amountError(label: string, v: string, step: string | undefined, stepName: string): string | undefined {
  if (v === '') return `${label} is required`;
  if (!DECIMAL.test(v) || parseDecimal(v).digits === 0n) return `${label} must be a number above zero, e.g. 0.01`;
  if (step !== undefined && !onGrid(v, step)) return `${label} ${v} is not a multiple of the ${stepName} ${step}`;
  return undefined;
}

/** An instrument by its id, or by its symbol alone when only one venue lists it. */
export function findInstrument(name: string, instruments: readonly InstrumentRow[]): InstrumentRow | string {
  const upper = name.toUpperCase();
  const matches = instruments.filter((i) => i.id.toUpperCase() === upper || i.id.toUpperCase().split('.')[0] === upper);
  const exact = matches.find((i) => i.id.toUpperCase() === upper);
  const found = exact ?? (matches.length === 1 ? matches[0] : undefined);
  if (found) return found;
  if (name === '') return 'instrument is required';
  return matches.length > 1 ? `${name} is on several venues: give SYMBOL.VENUE` : `no instrument ${name}`;
}

/** The form as a ticket for POST /api/orders, or the first thing wrong with it. `nodeNow`: the node's clock, for a GTD expiry. */
export function ticketOfForm(v: Readonly<Record<FieldId, string>>, instruments: readonly InstrumentRow[], nodeNow: number): OrderTicket | string {
  const inst = findInstrument(v.instrument, instruments);
  if (typeof inst === 'string') return inst;
  const type = v.type as OrderType;
  const tif = v.tif as OrderTicket['timeInForce'] & string;
  const fields = visibleFields(v);
  const has = (f: FieldId): boolean => fields.includes(f);
  const problems = [
    amountError('quantity', v.quantity, inst.lotSize, 'lot size'),
    has('trigger') ? amountError('trigger price', v.trigger, inst.tickSize, 'tick size') : undefined,
    has('price') ? amountError('limit price', v.price, inst.tickSize, 'tick size') : undefined,
    has('offset') ? offsetError('trailing offset', v.offset, v.offsetType, inst.tickSize) : undefined,
    has('limitOffset') ? offsetError('limit offset', v.limitOffset, v.offsetType, inst.tickSize) : undefined,
    has('activation') && v.activation !== '' ? amountError('activation price', v.activation, inst.tickSize, 'tick size') : undefined,
    type === 'MARKET' && (tif === 'DAY' || tif === 'GTD') ? `a MARKET order cannot be ${tif}` : undefined,
    has('postOnly') && v.postOnly === 'yes' && (tif === 'IOC' || tif === 'FOK') ? `post only needs a resting order, not ${tif}` : undefined,
    has('expire') && !/^[1-9]\d*$/.test(v.expire) ? 'expires in: whole minutes above zero' : undefined,
    has('expire') && nodeNow <= 0 ? "no node time yet to count the expiry from: wait for the node's first figures" : undefined,
  ];
  const problem = problems.find((p) => p !== undefined);
  if (problem) return problem;
  return {
    instrumentId: inst.id,
    side: v.side === 'SELL' ? 'SELL' : 'BUY',
    type,
    quantity: v.quantity,
    ...(has('price') && { price: v.price }),
    ...(has('trigger') && { triggerPrice: v.trigger }),
    ...(has('offset') && { trailingOffset: v.offset, trailingOffsetType: v.offsetType as NonNullable<OrderTicket['trailingOffsetType']> }),
    ...(has('limitOffset') && { limitOffset: v.limitOffset }),
    ...(has('activation') && v.activation !== '' && { activationPrice: v.activation }),
    timeInForce: tif,
    ...(has('expire') && { expireTime: nodeNow + Number(v.expire) * 60_000 }),
    ...(v.reduceOnly === 'yes' && { reduceOnly: true }),
    ...(has('postOnly') && v.postOnly === 'yes' && { postOnly: true }),
  };
}

function offsetError(label: string, v: string, unit: string, tick: string | undefined): string | undefined {
  switch (unit) {
    case 'TICKS':
      return /^[1-9]\d*$/.test(v) ? undefined : `${label} in ticks: a whole number above zero`;
    case 'BASIS_POINTS':
      return amountError(`${label} (basis points)`, v, undefined, '');
    default:
      return amountError(label, v, tick, 'tick size');
  }
}

/** The form in one line: what Enter would send. */
export function formSummary(v: Readonly<Record<FieldId, string>>): string {
  const fields = visibleFields(v);
  const parts = [v.side, v.quantity, v.instrument, v.type];
  if (fields.includes('trigger')) parts.push(`trigger ${v.trigger || '?'}`);
  if (fields.includes('price')) parts.push(`limit ${v.price || '?'}`);
  if (fields.includes('offset')) parts.push(`offset ${v.offset || '?'} ${v.offsetType}`);
  if (fields.includes('limitOffset')) parts.push(`limit offset ${v.limitOffset || '?'}`);
  if (fields.includes('activation') && v.activation !== '') parts.push(`from ${v.activation}`);
  parts.push(v.tif === 'GTD' ? `GTD ${v.expire || '?'}m` : v.tif);
  if (v.reduceOnly === 'yes') parts.push('reduce-only');
  if (fields.includes('postOnly') && v.postOnly === 'yes') parts.push('post-only');
  return parts.join(' ');
}
