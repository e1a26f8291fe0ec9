import { ValidationError } from '../../model/errors.ts';

/**
 * The subset of Python literals the DWX bridge writes its replies in (it builds them by string
 * concatenation in MQL and its own Python client reads them with `eval`): dicts, lists, strings in
 * either quote with escapes, ints, floats, True/False/None. Parsed here by a tokenizer and a
 * recursive-descent parser, never evaluated. Numbers keep the text they were written in, so that a
 * price such as `1.10234000` is converted exactly at the adapter's edge, never through a double.
 */
export type PyValue = null | boolean | string | PyInt | PyFloat | PyValue[] | PyDict;

export interface PyInt {
  readonly kind: 'int';
  readonly value: bigint;
  /** As written, sign included (`-12`). */
  readonly text: string;
}

export interface PyFloat {
  readonly kind: 'float';
  /** As written, sign included (`1.10234000`, `-1e-05`). */
  readonly text: string;
}

export interface PyDict {
  readonly kind: 'dict';
  /** In the order written; a repeated key keeps its last value, as Python does. */
  readonly entries: readonly (readonly [PyValue, PyValue])[];
}

type Token =
  | { readonly t: 'punct'; readonly v: '{' | '}' | '[' | ']' | ':' | ','; readonly at: number }
  | { readonly t: 'str'; readonly v: string; readonly at: number }
  | { readonly t: 'num'; readonly v: PyInt | PyFloat; readonly at: number }
  | { readonly t: 'name'; readonly v: 'True' | 'False' | 'None'; readonly at: number };

const MAX_DEPTH = 64;

function bad(text: string, at: number, what: string): ValidationError {
  const near = text.slice(Math.max(0, at - 10), at + 10);
  return new ValidationError('INVALID_FIELD', `bridge reply is not a Python literal: ${what} at ${at} (near ${JSON.stringify(near)})`, { field: 'reply', at: String(at) });
}

/** Parses one Python literal (the whole text, white space around it allowed). */
export function parsePyLiteral(text: string): PyValue {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const next = (): Token => {
    const tok = tokens[i++];
    if (!tok) throw bad(text, text.length, 'unexpected end');
    return tok;
  };
  const expectPunct = (v: string): void => {
    const tok = next();
    if (tok.t !== 'punct' || tok.v !== v) throw bad(text, tok.at, `expected ${JSON.stringify(v)}`);
  };
  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) throw bad(text, peek()?.at ?? text.length, 'nested too deep');
    const tok = next();
    switch (tok.t) {
      case 'str':
        return tok.v;
      case 'num':
        return tok.v;
      case 'name':
        return tok.v === 'None' ? null : tok.v === 'True';
      case 'punct':
        if (tok.v === '[') return sequence(']', () => value(depth + 1));
        if (tok.v === '{') return { kind: 'dict', entries: sequence('}', () => entry(depth)) };
        throw bad(text, tok.at, `unexpected ${JSON.stringify(tok.v)}`);
    }
  };
  const entry = (depth: number): readonly [PyValue, PyValue] => {
    const key = value(depth + 1);
    if (typeof key === 'object' && key !== null && (Array.isArray(key) || key.kind === 'dict')) throw bad(text, tokens[i - 1]!.at, 'unhashable dict key');
    expectPunct(':');
    return [key, value(depth + 1)];
  };
  /** Items up to `close`, comma separated, a trailing comma allowed (Python's grammar). */
  function sequence<T>(close: '}' | ']', item: () => T): T[] {
    const out: T[] = [];
    for (;;) {
      const p = peek();
      if (p?.t === 'punct' && p.v === close) {
        i++;
        return out;
      }
      out.push(item());
      const sep = next();
      if (sep.t === 'punct' && sep.v === close) return out;
      if (sep.t !== 'punct' || sep.v !== ',') throw bad(text, sep.at, `expected "," or ${JSON.stringify(close)}`);
    }
  }
  const result = value(0);
  if (i !== tokens.length) throw bad(text, tokens[i]!.at, 'text after the value');
  return result;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if ('{}[]:,'.includes(c)) {
      out.push({ t: 'punct', v: c as '{', at: i });
      i++;
    } else if (c === "'" || c === '"') {
      const [s, end] = readString(text, i);
      out.push({ t: 'str', v: s, at: i });
      i = end;
    } else if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) {
      const [n, end] = readNumber(text, i);
      out.push({ t: 'num', v: n, at: i });
      i = end;
    } else {
      const m = /^(True|False|None)(?![A-Za-z0-9_])/.exec(text.slice(i, i + 6));
      if (!m) throw bad(text, i, `unexpected character ${JSON.stringify(c)}`);
      out.push({ t: 'name', v: m[1] as 'True', at: i });
      i += m[1]!.length;
    }
  }
  return out;
}

const NUMBER = /^[+-]?(?:(\d+)(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;

function readNumber(text: string, at: number): [PyInt | PyFloat, number] {
  const m = NUMBER.exec(text.slice(at));
  if (!m) throw bad(text, at, 'malformed number');
  const written = m[0];
  const end = at + written.length;
  if (/[A-Za-z0-9_.]/.test(text[end] ?? '')) throw bad(text, end, 'malformed number');
  const isInt = m[1] !== undefined && m[2] === undefined && m[3] === undefined;
  // Python refuses a leading zero on a non-zero int (`012`).
  if (isInt && /^[+-]?0\d/.test(written) && !/^[+-]?0+$/.test(written)) throw bad(text, at, 'leading zero in an int');
  return [isInt ? { kind: 'int', value: BigInt(written), text: written } : { kind: 'float', text: written }, end];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** A quoted string from `at` (its opening quote): its value and where it ends. */
function readString(text: string, at: number): [string, number] {
  const quote = text[at]!;
  let i = at + 1;
  let out = '';
  for (;;) {
    if (i >= text.length) throw bad(text, at, 'unterminated string');
    const c = text[i]!;
    if (c === quote) return [out, i + 1];
    if (c === '\n') throw bad(text, i, 'line break in a string');
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const [s, end] = readEscape(text, i);
    out += s;
    i = end;
  }
}

/** The escape at `at` (its backslash): what it stands for and where it ends. */
function readEscape(text: string, at: number): [string, number] {
  const e = text[at + 1];
  if (e === undefined) throw bad(text, at, 'unterminated string');
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) return [simple, at + 2];
  if (e === '\n') return ['', at + 2];
  const hex = (n: number): [string, number] => {
    const digits = text.slice(at + 2, at + 2 + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw bad(text, at, `\\${e} needs ${n} hex digits`);
    const code = Number.parseInt(digits, 16);
    if (code > 0x10ffff) throw bad(text, at, 'code point out of range');
    return [String.fromCodePoint(code), at + 2 + n];
  };
  if (e === 'x') return hex(2);
  if (e === 'u') return hex(4);
  if (e === 'U') return hex(8);
  const octal = /^[0-7]{1,3}/.exec(text.slice(at + 1, at + 4));
  if (octal) return [String.fromCodePoint(Number.parseInt(octal[0], 8)), at + 1 + octal[0].length];
  // Python keeps an unknown escape as written, backslash included.
  return ['\\' + e, at + 2];
}

// ---- reading a parsed reply ----

/** The value under the string key `key` of a dict (the last one written), or undefined. */
export function dictGet(d: PyValue, key: string): PyValue | undefined {
  if (!isDict(d)) return undefined;
  let found: PyValue | undefined;
  for (const [k, v] of d.entries) if (k === key) found = v;
  return found;
}

export function isDict(v: PyValue | undefined): v is PyDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'dict';
}

/** A field as text: a string as is, a number as written; undefined when absent or of another kind. */
export function textOf(v: PyValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && (v.kind === 'int' || v.kind === 'float')) return v.text;
  return undefined;
}
