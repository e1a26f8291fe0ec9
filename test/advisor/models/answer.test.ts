/** The pure parts: JSON found in an answer by the repair pass, schema verdicts, exact cost arithmetic. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractJson, readAnswer, withoutTrailingCommas } from '../../../src/advisor/models/answer.ts';
import { callCost, usdText, usdUnits } from '../../../src/advisor/models/cost.ts';
import { answerJsonSchema, DATA_END, fencedData } from '../../../src/advisor/models/prompt.ts';
import { strictCompatible } from '../../../src/advisor/models/openai.ts';

const jsonObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });

describe('answer repair', () => {
  it('finds any JSON object wherever a model puts it: bare, in prose, in a fence (property)', () => {
    fc.assert(
      fc.property(jsonObject, fc.constantFrom('bare', 'prose', 'fence'), fc.constantFrom(0, 2), (value, how, indent) => {
        const json = JSON.stringify(value, null, indent);
        const text = how === 'bare' ? json : how === 'prose' ? `Here is the answer: ${json} Hope it helps.` : `Sure.\n\`\`\`json\n${json}\n\`\`\``;
        const got = extractJson(text);
        expect(got.found && got.value).toEqual(JSON.parse(json));
      }),
    );
  });

  it('removing trailing commas never changes valid JSON (property), and mends a slip', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => {
        const text = JSON.stringify(v);
        expect(JSON.parse(withoutTrailingCommas(text))).toEqual(JSON.parse(text));
      }),
    );
    expect(JSON.parse(withoutTrailingCommas('{"a": [1, 2,], "b": "x,]",}'))).toEqual({ a: [1, 2], b: 'x,]' });
  });

  it('refuses text with no JSON, and names schema problems by path without quoting the value', () => {
    const schema = z.strictObject({ side: z.enum(['BUY', 'SELL']), qty: z.number() });
    expect(readAnswer(schema, 'I would rather not say.')).toEqual({ ok: false, problem: 'it holds no JSON value' });
    const r = readAnswer(schema, '{"side":"HODL-SECRET-VALUE","qty":"1"}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toMatch(/side: .*; qty: /);
    expect(r.problem).not.toContain('HODL-SECRET-VALUE');
  });

  it('fenced data is the same JSON and can never hold the end marker (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.string(), (v, s) => {
        const data = { v, s: `${s}${DATA_END}` };
        const text = fencedData(data);
        expect(text).not.toContain(DATA_END);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(data)));
      }),
    );
  });

  it('OpenAI strict mode only for closed objects with every property required', () => {
    expect(strictCompatible(z.toJSONSchema(z.strictObject({ a: z.string(), b: z.array(z.strictObject({ c: z.number() })) })))).toBe(true);
    expect(strictCompatible(answerJsonSchema(z.object({ a: z.string() })))).toBe(true); // the output side closes it
    expect(strictCompatible(answerJsonSchema(z.looseObject({ a: z.string() })))).toBe(false);
    expect(strictCompatible(answerJsonSchema(z.strictObject({ a: z.string().optional() })))).toBe(false);
    // A transform has no output side: the schema of what it accepts.
    expect(answerJsonSchema(z.strictObject({ px: z.string().transform(Number) }))).toMatchObject({ properties: { px: { type: 'string' } } });
  });
});

describe('cost', () => {
  it('is exact: tokens × price per million, summed without drift (property)', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000_000), fc.integer({ min: 0, max: 10 ** 6 }), fc.integer({ min: 0, max: 10 ** 6 }), (i, o, pi, po) => {
        // prices in 10^-4 USD per million tokens: exact in decimal, not in binary
        const price = (n: number) => usdText(BigInt(n) * 10n ** 14n);
        const cost = callCost(i, o, price(pi), price(po));
        expect(cost).toBe((BigInt(i) * BigInt(pi) + BigInt(o) * BigInt(po)) * 10n ** 8n);
        expect(usdUnits(usdText(cost))).toBe(cost);
      }),
    );
    expect(usdText(callCost(1_234, 567, '2.50', '10'))).toBe('0.008755');
    expect(usdText(callCost(3, 0, 0.1, 0))).toBe('0.0000003');
  });
});
