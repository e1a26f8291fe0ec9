import type { AlertCode } from '../../engine/alert-codes.ts';
import type { ErrorContext } from '../../model/errors.ts';
import type { Severity } from '../config/alerts.ts';
import type { Held } from './throttle.ts';
import { severityOf, worst } from './severity.ts';

/** One message a sink sends: an alert (with the duplicates counted since the last of its kind) or a summary of what was held back. */
export type Outgoing =
  | { readonly kind: 'alert'; readonly code: AlertCode; readonly severity: Severity; readonly message: string; readonly context: ErrorContext; readonly ts: number; readonly repeated: number }
  | { readonly kind: 'summary'; readonly severity: Severity; readonly held: Held; readonly until: number; readonly final: boolean };

const SECRET_KEY = /key|secret|token|password/i;

/** An alert's context for people: keys that look like secrets left out (as the webhook does). */
export function shownContext(context: ErrorContext): [string, string][] {
  return Object.entries(context)
    .filter(([k]) => !SECRET_KEY.test(k))
    .map(([k, v]) => [k, String(v)]);
}

/** The worst severity among a summary's codes. */
export function summarySeverity(held: Held): Severity {
  return Object.keys(held.byCode).reduce<Severity>((s, c) => worst(s, severityOf(c as AlertCode)), 'info');
}

const iso = (ts: number): string => new Date(ts).toISOString().replace('.000Z', 'Z');

/** A one-line title: `[CRITICAL] BREAKER_TRIPPED` or `[WARNING] 37 alerts held back`. */
export function titleOf(out: Outgoing): string {
  const sev = out.severity.toUpperCase();
  switch (out.kind) {
    case 'alert':
      return `[${sev}] ${out.code}`;
    case 'summary':
      return `[${sev}] ${out.held.count} alert${out.held.count === 1 ? '' : 's'} held back`;
  }
}

/** The body as plain text: the message, the context as `key=value`, and the repeat count or the held codes. */
export function bodyOf(out: Outgoing): string {
  switch (out.kind) {
    case 'alert': {
      const ctx = shownContext(out.context).map(([k, v]) => `${k}=${v}`).join(' ');
      const repeated = out.repeated > 0 ? `\n(repeated ${out.repeated} time${out.repeated === 1 ? '' : 's'} since the last message)` : '';
      return `${out.message}${ctx ? `\n${ctx}` : ''}\nat ${iso(out.ts)}${repeated}`;
    }
    case 'summary': {
      const codes = Object.entries(out.held.byCode)
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c} ×${n}`)
        .join(', ');
      const why = out.final ? 'not sent before the node stopped' : 'held back by de-duplication or the rate limit';
      return `${out.held.count} alert${out.held.count === 1 ? '' : 's'} ${why} from ${iso(out.held.since)} to ${iso(out.until)}: ${codes}`;
    }
  }
}

/** Title and body on one text, cut to `limit` characters (Discord 2,000, Telegram 4,096). */
export function textOf(out: Outgoing, limit = 4000): string {
  const text = `${titleOf(out)}\n${bodyOf(out)}`;
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
