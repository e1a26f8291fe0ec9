/**
 * What a model may propose (enter, exit, resize) and how an answer's proposals are validated: only
 * instruments Warden trades, exits and resizes only of positions Warden holds, quantities and
 * prices as decimal text (Warden's grid decides, not the model). A proposal is never an order: it
 * waits for a trader (src/advisor/tasks/proposals.ts).
 */
import { z } from 'zod';
import { prose } from './common.ts';

/** What a task's answer may refer to: Warden's own instruments and open positions at the time of asking. */
export interface ProposalScope {
  readonly instruments: readonly string[];
  readonly positions: readonly { readonly accountId: string; readonly instrumentId: string; readonly side: 'LONG' | 'SHORT'; readonly quantity: string }[];
}

const decimalText = z.string().regex(/^\d+(\.\d+)?$/, { error: 'must be a positive decimal as text, such as "0.01"' });

const proposalAnswer = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('enter'), instrumentId: z.string(), side: z.enum(['BUY', 'SELL']), quantity: decimalText, type: z.enum(['MARKET', 'LIMIT']), price: decimalText.optional(), rationale: prose(600) }),
  z.strictObject({ action: z.literal('exit'), instrumentId: z.string(), rationale: prose(600) }),
  /** `quantity`: the position's new size (same side), not the change. */
  z.strictObject({ action: z.literal('resize'), instrumentId: z.string(), quantity: decimalText, rationale: prose(600) }),
]);
export type ProposalAnswer = z.infer<typeof proposalAnswer>;

/** The `proposals` field of an answer that may propose: at most 5, each about Warden's own instruments and positions. */
export function proposalsField(scope: ProposalScope) {
  return z
    .array(proposalAnswer)
    .max(5)
    .default([])
    .superRefine((ps, ctx) => {
      ps.forEach((p, i) => {
        const problem = proposalProblem(p, scope);
        if (problem) ctx.addIssue({ code: 'custom', path: [i], message: problem });
      });
    });
}

export function proposalProblem(p: ProposalAnswer, scope: ProposalScope): string | undefined {
  if (!scope.instruments.includes(p.instrumentId)) return `${p.instrumentId} is not an instrument Warden trades`;
  const held = scope.positions.some((x) => x.instrumentId === p.instrumentId);
  switch (p.action) {
    case 'enter':
      if (Number(p.quantity) <= 0) return 'quantity must be above zero';
      if (p.type === 'LIMIT' && p.price === undefined) return 'a LIMIT proposal needs a price';
      if (p.type === 'MARKET' && p.price !== undefined) return 'a MARKET proposal has no price';
      return undefined;
    case 'exit':
      return held ? undefined : `there is no open position in ${p.instrumentId} to exit`;
    case 'resize':
      return held ? undefined : `there is no open position in ${p.instrumentId} to resize`;
    default: {
      const never: never = p;
      return `unknown proposal ${String(never)}`;
    }
  }
}
