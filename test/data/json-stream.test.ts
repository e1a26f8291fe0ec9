import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonNumber, streamJsonArray, type JsonScalar } from '../../src/data/json-stream.ts';
import { collect } from './helpers.ts';

async function* chunked(text: string, cuts: number[]): AsyncGenerator<string> {
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    if (c > at && c < text.length) {
      yield await Promise.resolve(text.slice(at, c));
      at = c;
    }
  }
  yield text.slice(at);
}

/** Plain JS value of what the stream parser yields (numbers through Number, for comparison with JSON.parse). */
function plain(v: JsonScalar): unknown {
  return v instanceof JsonNumber ? Number(v.text) : v;
}

const scalar = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
const element = fc.oneof(fc.array(scalar, { maxLength: 8 }), fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 6 }));

describe('streaming JSON array parser', () => {
  it('yields what JSON.parse does, however the text is cut into chunks (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(element, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), fc.boolean(), async (doc, cuts, pretty) => {
        const text = JSON.stringify(doc, null, pretty ? 2 : undefined);
        const items = await collect(streamJsonArray(chunked(text, cuts.map((c) => c % (text.length + 1))), 'doc.json'));
        const parsed = items.map(({ value }) => (Array.isArray(value) ? value.map(plain) : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))));
        expect(parsed).toEqual(JSON.parse(text));
        expect(items.map((i) => i.index)).toEqual(doc.map((_, i) => i));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps numbers as their source text (23.0 stays 23.0, 0.015571269999999998 is not rounded)', async () => {
    const [item] = await collect(streamJsonArray(chunked('[[23.0, 0.015571269999999998, -1e-7]]', [3, 9]), 'x.json'));
    expect((item!.value as JsonNumber[]).map((n) => n.text)).toEqual(['23.0', '0.015571269999999998', '-1e-7']);
  });

  it('gives each element the line it starts on', async () => {
    const items = await collect(streamJsonArray(chunked('[\n  [1],\n\n  {"a": "x\\ny"},\n  []\n]', []), 'x.json'));
    expect(items.map((i) => i.line)).toEqual([2, 4, 5]);
  });

  it.each([
    ['not an array', '{"a":1}', 'x.json:1: malformed JSON: expected a top-level array, found \'{\''],
    ['a bare scalar element', '[\n1]', 'x.json:2: malformed JSON: element 0: expected an array or object, found a value'],
    ['a truncated document', '[[1,2],\n[3', 'x.json:2: malformed JSON: element 1: expected \',\' or \']\', found the end of the input'],
    ['an unterminated string', '[["abc', 'x.json:1: malformed JSON: unterminated string'],
    ['a bad number', '[[01]]', 'x.json:1: malformed JSON: malformed number 01'],
    ['text after the array', '[]\n[]', 'x.json:2: malformed JSON: \'[\' after the top-level array'],
  ])('refuses %s, naming file and line', async (_name, text, message) => {
    await expect(collect(streamJsonArray(chunked(text, [2]), 'x.json'))).rejects.toThrow(message);
  });
});
