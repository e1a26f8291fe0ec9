/**
 * The "Advisor insights" panel: the advice the stream brings (task, summary, consultation) and
 * the proposals waiting for a trader, who confirms (Y) or rejects (X) the selected one. Each
 * decision is an API call with the user's credential: the server's role check decides, and a
 * confirmed proposal goes through the risk gate like any order. Pure: data in, lines out.
 */
import type { Action } from './actions.ts';
import { pad, symbolOf } from './format.ts';
import type { Line, PanelContext, Seg, Tone } from './panels.ts';
import type { AdvisorStatus, ProposalRow } from '../server/stream-messages.ts';
import type { StreamMessage } from './types.ts';

export type { AdvisorStatus, ProposalRow };

/** A stream `advice` message, stamped with the wall time it arrived. */
export interface AdviceRow {
  readonly task: string;
  readonly ok: boolean;
  readonly consultation?: string;
  readonly reason?: string;
  readonly summary?: string;
  readonly at: number;
}

/** How many pieces of advice the panel keeps (newest first). */
export const ADVICE_KEPT = 20;

export function adviceAfter(list: readonly AdviceRow[] | undefined, m: Extract<StreamMessage, { type: 'advice' }>, at: number): readonly AdviceRow[] {
  const row: AdviceRow = { task: m.task, ok: m.ok, ...(m.consultation !== undefined && { consultation: m.consultation }), ...(m.reason !== undefined && { reason: m.reason }), ...(m.summary !== undefined && { summary: m.summary }), at };
  return [row, ...(list ?? [])].slice(0, ADVICE_KEPT);
}

/** The pending proposals after a `proposal` message: a new one joins, a decided one leaves. */
export function proposalsAfter(list: readonly ProposalRow[] | undefined, p: Extract<StreamMessage, { type: 'proposal' }>['proposal']): readonly ProposalRow[] {
  const rest = (list ?? []).filter((x) => x.proposalId !== p.proposalId);
  return p.status === 'PENDING' && isProposal(p) ? [...rest, p] : rest;
}

function isProposal(p: Record<string, unknown>): p is Record<string, unknown> & ProposalRow {
  const t = p.ticket as Record<string, unknown> | undefined;
  return typeof p.consultation === 'string' && typeof p.action === 'string' && typeof t === 'object' && t !== null && typeof t.instrumentId === 'string' && typeof t.quantity === 'string';
}

/** The pending proposals the panel lists (its selection indexes into these). */
export function pendingProposals(list: readonly ProposalRow[] | undefined): readonly ProposalRow[] {
  return (list ?? []).filter((p) => p.status === 'PENDING');
}

/** What Y (confirm) and X (reject) do to the selected proposal: an action, or why there is none. */
export function proposalAction(key: 'y' | 'x', p: ProposalRow | undefined): Action | string {
  if (!p) return 'no pending proposal';
  return key === 'y' ? { do: 'confirmProposal', proposalId: p.proposalId } : { do: 'rejectProposal', proposalId: p.proposalId, reason: 'rejected from the terminal dashboard' };
}

const seg = (text: string, tone: Tone = 'text'): Seg => ({ text, tone });
const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

export function advisorLines(ctx: PanelContext, status: AdvisorStatus | undefined, proposals: readonly ProposalRow[], advice: readonly AdviceRow[]): Line[] {
  if (!status) return [[seg('loading the advisor…', 'dim')]];
  if (!status.configured) return [[seg('No model configured: no advice. Warden works the same without it.', 'dim')]];
  const trader = ctx.dash.parts.me?.roles.includes('trader') === true;
  const lines: Line[] = [[seg(`PROPOSALS ${proposals.length} pending`, 'dim'), seg(trader && proposals.length > 0 ? '   Y confirm  X reject' : '', 'accent')]];
  proposals.forEach((p, i) => {
    const mark = ctx.ui.focus === 'advisor' && ctx.ui.selected.advisor === i ? seg('>', 'focus') : seg(' ');
    const t = p.ticket;
    lines.push([
      mark,
      seg(`${pad(p.action, 6)} `),
      seg(pad(t.side, 4), t.side === 'BUY' ? 'good' : 'bad'),
      seg(` ${t.quantity} ${symbolOf(t.instrumentId)} ${t.price === undefined ? 'MKT' : `@ ${t.price}`}  `),
      seg(`${p.rationale}  ${p.consultation}`, 'dim'),
    ]);
  });
  lines.push([seg('ADVICE', 'dim')]);
  if (advice.length === 0) lines.push([seg('none yet: answers to warden advise and the API appear here', 'dim')]);
  for (const a of advice.slice(0, 5)) {
    lines.push([seg(`${clock(a.at)} `, 'dim'), seg(pad(a.task, 10), 'accent'), seg(a.ok ? (a.summary ?? '') : `no advice: ${a.reason ?? 'failed'}`, a.ok ? 'text' : 'warn'), seg(a.consultation ? `  ${a.consultation}` : '', 'dim')]);
  }
  return lines;
}
