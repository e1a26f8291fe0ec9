export const REDACTED = '[REDACTED]';

/**
 * A function that replaces every occurrence of each secret in a text with `[REDACTED]`: as
 * written, and as it appears inside JSON text (escaped quotes, backslashes, control characters),
 * since log lines are JSON. Longest secrets first, so one that contains another goes whole.
 */
export function scrubber(secrets: Iterable<string>): (text: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s === '') continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const f of ordered) if (out.includes(f)) out = out.split(f).join(REDACTED);
    return out;
  };
}

/** An error as one line for people (`CODE: message`, or `Name: message`), with the secrets scrubbed. */
export function errorText(e: unknown, secrets: Iterable<string> = []): string {
  const err = e as { code?: unknown; message?: unknown; name?: unknown };
  const message = typeof err?.message === 'string' ? err.message : String(e);
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const head = code !== undefined ? (message.startsWith(`${code}:`) ? message : `${code}: ${message}`) : e instanceof Error ? `${e.name}: ${message}` : message;
  return scrubber(secrets)(head);
}
