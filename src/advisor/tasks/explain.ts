/**
 * Explain: a plain-language account of why an order was denied or a breaker tripped, from the
 * journal. Warden finds the facts (the OrderDenied with its code, reason and context, the code's
 * documented meaning, the order as initialized and who sent it; or the BreakerTripped with its
 * figure, threshold and action, the trading state it set and any reset); the model only words them.
 */
import { z } from 'zod';
import type { AdvisorRequest } from '../consult.ts';
import type { JournalRecord } from '../../engine/events.ts';
import { DENIAL_CODES } from '../../model/denial-codes.ts';
import { LookupError } from '../../model/errors.ts';
import { prose, requestOf } from './common.ts';

export type ExplainTarget = { readonly kind: 'order'; readonly clientOrderId: string } | { readonly kind: 'breaker'; readonly breaker: string };

export type ExplainFacts =
  | {
      readonly kind: 'order';
      readonly clientOrderId: string;
      readonly seq: number;
      readonly ts: string;
      readonly code: string;
      readonly codeMeaning: string;
      readonly reason: string;
      readonly context: Readonly<Record<string, unknown>>;
      readonly order: { readonly instrumentId: string; readonly side: string; readonly type: string; readonly quantity: string; readonly price: string | null; readonly accountId: string; readonly strategyId: string; readonly origin: string | null } | null;
    }
  | {
      readonly kind: 'breaker';
      readonly breaker: string;
      readonly seq: number;
      readonly ts: string;
      readonly scope: string;
      readonly value: number;
      readonly threshold: number;
      readonly action: string;
      readonly message: string;
      readonly autoResetAt: string | null;
      readonly tradingStateSet: { readonly scope: string; readonly state: string; readonly reason: string } | null;
      readonly resetAfter: { readonly ts: string; readonly source: string; readonly operator: string | null } | null;
    };

const iso = (ms: number): string => new Date(ms).toISOString();
const text = (v: unknown): string | null => (v === undefined || v === null ? null : (v as { toString(): string }).toString());
const scopeText = (s: unknown): string => (typeof s === 'string' ? s : JSON.stringify(s));

/**
 * Pure: the facts of the target in journal records (in sequence order). An order: its denial (the
 * last, if denied more than once). A breaker: its latest trip. Neither in the records: NOT_FOUND.
 */
export function explainFacts(records: Iterable<JournalRecord>, target: ExplainTarget): ExplainFacts {
  let found: ExplainFacts | undefined;
  let spec: Extract<ExplainFacts, { kind: 'order' }>['order'] = null;
  for (const r of records) {
    const e = r.event;
    if (target.kind === 'order') {
      if (e.kind === 'OrderInitialized' && e.clientOrderId === target.clientOrderId) {
        const s = e.spec as unknown as Record<string, unknown>;
        spec = { instrumentId: String(s.instrumentId), side: String(s.side), type: String(s.type), quantity: String(s.quantity), price: text(s.price), accountId: String(s.accountId), strategyId: String(s.strategyId), origin: e.origin ?? null };
      } else if (e.kind === 'OrderDenied' && e.clientOrderId === target.clientOrderId) {
        found = { kind: 'order', clientOrderId: e.clientOrderId, seq: r.seq, ts: iso(e.tsEvent), code: e.code, codeMeaning: DENIAL_CODES[e.code], reason: e.reason, context: { ...e.context }, order: spec };
      }
    } else if (e.kind === 'BreakerTripped' && e.breaker === target.breaker) {
      found = { kind: 'breaker', breaker: e.breaker, seq: r.seq, ts: iso(e.tsEvent), scope: scopeText(e.scope), value: e.value, threshold: e.threshold, action: e.action, message: e.message, autoResetAt: e.autoResetAt === undefined ? null : iso(e.autoResetAt), tradingStateSet: null, resetAfter: null };
    } else if (found?.kind === 'breaker' && e.kind === 'TradingStateChanged' && found.tradingStateSet === null && r.seq > found.seq && e.source === 'BREAKER') {
      found = { ...found, tradingStateSet: { scope: scopeText(e.scope), state: e.state, reason: e.reason } };
    } else if (found?.kind === 'breaker' && e.kind === 'BreakerReset' && e.breaker === found.breaker && found.resetAfter === null) {
      found = { ...found, resetAfter: { ts: iso(e.tsEvent), source: e.source, operator: e.operator ?? null } };
    }
  }
  if (found?.kind === 'order' && found.order === null) found = { ...found, order: spec };
  if (!found) {
    const what = target.kind === 'order' ? `no denial of order ${target.clientOrderId}` : `no trip of breaker ${target.breaker}`;
    throw new LookupError('NOTHING_TO_EXPLAIN', `the journal has ${what}`, target.kind === 'order' ? { clientOrderId: target.clientOrderId } : { breaker: target.breaker });
  }
  return found;
}

/** Every record of a journal in order (the explain task reads it all: denials and trips are rare, the journal is local). */
export async function collect(read: AsyncIterable<JournalRecord>): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of read) out.push(r);
  return out;
}

export const explainSchema = z.strictObject({
  headline: prose(200),
  explanation: prose(2_000),
  /** What would let a similar order through, or the breaker reset, as the rules stand (never a way around them). */
  whatWouldChangeIt: z.array(prose(400)).max(5),
});
export type Explanation = z.infer<typeof explainSchema>;

const ROLE =
  "You explain Warden's risk decisions to the people who operate it, in plain language. From the journaled facts (an order's denial with its code, the code's meaning and the figures in its context; or a circuit breaker's trip with its figure, threshold and action), say what happened and why, in a headline and a short explanation, and what would change the outcome under the rules as they stand. Never suggest a way around a control.";

export function explainRequest(facts: ExplainFacts): AdvisorRequest<Explanation> {
  return requestOf('explain', 'fast', ROLE, { journal: facts }, explainSchema, 'risk_explanation');
}
