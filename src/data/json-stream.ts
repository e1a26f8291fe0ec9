import { fail } from './source.ts';

/** A JSON number kept as its source text, so `0.00141342` or `23.0` is never rounded through a float. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonScalar = string | boolean | null | JsonNumber;
/** One element of the top-level array: a flat array or a flat object of scalars. */
export type JsonElement = readonly JsonScalar[] | { readonly [key: string]: JsonScalar };

export interface JsonArrayItem {
  readonly value: JsonElement;
  /** 0-based position in the top-level array. */
  readonly index: number;
  /** 1-based line where the element starts. */
  readonly line: number;
}

type Punct = '[' | ']' | '{' | '}' | ',' | ':';
type Token = { t: Punct } | { t: 'value'; v: JsonScalar } | { t: 'eof' };

const NEED_MORE = Symbol('need more');
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const NUMBER_CHAR = /[-+.eE0-9]/;

class Lexer {
  private buf = '';
  private pos = 0;
  private done = false;
  line = 1;

  constructor(
    private readonly chunks: AsyncIterator<string>,
    private readonly file: string,
  ) {}

  /** Reads the next chunk; false at the end of the input. */
  async refill(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.chunks.next();
    if (r.done) {
      this.done = true;
      return true;
    }
    this.buf = this.buf.slice(this.pos) + r.value;
    this.pos = 0;
    return true;
  }

  /** The next token, or NEED_MORE when the buffer ends inside one (call refill and try again). */
  token(): Token | typeof NEED_MORE {
    const { buf } = this;
    let p = this.pos;
    for (;;) {
      const c = buf.charCodeAt(p);
      if (c === 10) this.line++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
      p++;
    }
    this.pos = p;
    if (p >= buf.length) return this.done ? { t: 'eof' } : NEED_MORE;
    const ch = buf[p]!;
    switch (ch) {
      case '[': case ']': case '{': case '}': case ',': case ':':
        this.pos = p + 1;
        return { t: ch };
      case '"': {
        let k = p + 1;
        for (;;) {
          const j = buf.indexOf('"', k);
          if (j < 0) return this.done ? this.error('unterminated string') : NEED_MORE;
          let slashes = 0;
          while (buf.charCodeAt(j - 1 - slashes) === 92) slashes++;
          if (slashes % 2 === 1) {
            k = j + 1;
            continue;
          }
          const raw = buf.slice(p, j + 1);
          if (raw.includes('\n')) this.error('line break inside a string');
          let v: string;
          try {
            v = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
          } catch {
            return this.error(`bad string ${raw.slice(0, 40)}`);
          }
          this.pos = j + 1;
          return { t: 'value', v };
        }
      }
      case 't': case 'f': case 'n': {
        const word = ch === 't' ? 'true' : ch === 'f' ? 'false' : 'null';
        if (buf.length - p < word.length && !this.done) return NEED_MORE;
        if (buf.startsWith(word, p)) {
          this.pos = p + word.length;
          return { t: 'value', v: word === 'true' ? true : word === 'false' ? false : null };
        }
        return this.error(`unexpected ${JSON.stringify(buf.slice(p, p + word.length))}`);
      }
      default: {
        if (ch !== '-' && !(ch >= '0' && ch <= '9')) return this.error(`unexpected ${JSON.stringify(ch)}`);
        let q = p + 1;
        while (q < buf.length && NUMBER_CHAR.test(buf[q]!)) q++;
        if (q >= buf.length && !this.done) return NEED_MORE;
        const text = buf.slice(p, q);
        if (!NUMBER.test(text)) return this.error(`malformed number ${text}`);
        this.pos = q;
        return { t: 'value', v: new JsonNumber(text) };
      }
    }
  }

  error(problem: string): never {
    fail(this.file, this.line, `malformed JSON: ${problem}`);
  }
}

/**
 * Streams the elements of a JSON document that is one top-level array of flat arrays or flat
 * objects (Binance klines and trades), from text chunks. Memory stays flat: one element and the
 * current chunk at a time. Numbers are kept as their text (`JsonNumber`). Malformed JSON, a
 * nested array or object inside an element, or a bare scalar element throws naming file and line.
 */
export async function* streamJsonArray(chunks: AsyncIterable<string>, file: string): AsyncGenerator<JsonArrayItem> {
  const it = chunks[Symbol.asyncIterator]();
  const lex: Lexer = new Lexer(it, file);
  const next = async (): Promise<Token> => {
    for (;;) {
      const tok = lex.token();
      if (tok !== NEED_MORE) return tok;
      await lex.refill();
    }
  };
  const describe = (tok: Token): string => (tok.t === 'value' ? 'a value' : tok.t === 'eof' ? 'the end of the input' : `'${tok.t}'`);
  try {
    const open = await next();
    if (open.t !== '[') lex.error(`expected a top-level array, found ${describe(open)}`);
    let index = 0;
    let tok = await next();
    if (tok.t !== ']') {
      for (;;) {
        const line = lex.line;
        let value: JsonElement;
        if (tok.t === '[') {
          const arr: JsonScalar[] = [];
          let t = await next();
          if (t.t !== ']') {
            for (;;) {
              if (t.t === '[' || t.t === '{') lex.error(`element ${index}: nested arrays and objects are not supported`);
              if (t.t !== 'value') lex.error(`element ${index}: expected a value, found ${describe(t)}`);
              arr.push(t.v);
              t = await next();
              if (t.t === ']') break;
              if (t.t !== ',') lex.error(`element ${index}: expected ',' or ']', found ${describe(t)}`);
              t = await next();
            }
          }
          value = arr;
        } else if (tok.t === '{') {
          const obj: Record<string, JsonScalar> = {};
          let t = await next();
          if (t.t !== '}') {
            for (;;) {
              if (t.t !== 'value' || typeof t.v !== 'string') lex.error(`element ${index}: expected a key, found ${describe(t)}`);
              const key = t.v;
              t = await next();
              if (t.t !== ':') lex.error(`element ${index}: expected ':', found ${describe(t)}`);
              t = await next();
              if (t.t === '[' || t.t === '{') lex.error(`element ${index}: nested arrays and objects are not supported`);
              if (t.t !== 'value') lex.error(`element ${index}: expected a value, found ${describe(t)}`);
              obj[key] = t.v;
              t = await next();
              if (t.t === '}') break;
              if (t.t !== ',') lex.error(`element ${index}: expected ',' or '}', found ${describe(t)}`);
              t = await next();
            }
          }
          value = obj;
        } else {
          return lex.error(`element ${index}: expected an array or object, found ${describe(tok)}`);
        }
        yield { value, index, line };
        index++;
        tok = await next();
        if (tok.t === ']') break;
        if (tok.t !== ',') lex.error(`after element ${index - 1}: expected ',' or ']', found ${describe(tok)}`);
        tok = await next();
      }
    }
    const end = await next();
    if (end.t !== 'eof') lex.error(`${describe(end)} after the top-level array`);
  } finally {
    await it.return?.();
  }
}
