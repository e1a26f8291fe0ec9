import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ALERT_CODE_LIST, type AlertCode } from '../../src/engine/alert-codes.ts';
import type { Verdict } from '../../src/engine/gate.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { DenialCode } from '../../src/model/denial-codes.ts';
import type { ErrorCode } from '../../src/model/errors.ts';
import type { OrderDenied } from '../../src/model/orders/events.ts';
import type { RiskAction } from '../../src/risk/actions.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('codes at component boundaries are closed unions', () => {
  it('types EngineAlert.code, a risk action alert, Verdict.code and OrderDenied.code with their registries (tsc checks these)', () => {
    expectTypeOf<EngineAlert['code']>().toEqualTypeOf<AlertCode>();
    expectTypeOf<Extract<RiskAction, { do: 'alert' }>['code']>().toEqualTypeOf<AlertCode>();
    expectTypeOf<Extract<Verdict, { ok: false }>['code']>().toEqualTypeOf<DenialCode>();
    expectTypeOf<OrderDenied['code']>().toEqualTypeOf<DenialCode>();
    // @ts-expect-error a code outside the registry does not compile
    const misspelt: AlertCode = 'BREAKER_TRIPED';
    const refused: AlertCode = 'OVERFILL' satisfies ErrorCode; // a refused venue report alerts with its error's code
    expect([misspelt, refused]).toEqual(['BREAKER_TRIPED', 'OVERFILL']);
  });

  it('every registered alert code is published somewhere in src (none is stale)', () => {
    const src = sources(new URL('../../src', import.meta.url).pathname)
      .filter((p) => !p.endsWith('alert-codes.ts'))
      .map((p) => readFileSync(p, 'utf8'))
      .join('\n');
    const unused = ALERT_CODE_LIST.filter((code) => !src.includes(`'${code}'`));
    expect(unused).toEqual([]);
    expect(ALERT_CODE_LIST.length).toBeGreaterThan(50);
  });
});
