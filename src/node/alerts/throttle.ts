/**
 * What a sink does with each alert, decided without I/O or clocks (the channel gives `now`):
 * de-duplication (the same code about the same thing within `dedupeMs` is counted, not sent; the
 * next one sent says "repeated N times") and a rate limit (at most `max` messages in any
 * `windowMs`: a send's slot comes back exactly `windowMs` after it, a token bucket whose tokens
 * return one by one, so no sliding window ever holds more than `max`). What the limit holds back
 * is counted by code and goes out as one summary when a slot is free. Every alert is thus sent,
 * counted on a later send of its key, counted in a summary, or still counted in the state
 * (`heldCount`), which the channel sends as a last summary when it closes: none is lost unsaid.
 */

export interface ThrottleLimits {
  readonly dedupeMs: number;
  readonly max: number;
  readonly windowMs: number;
}

/** Alerts held back, to be summarised: how many, by code, since when. */
export interface Held {
  readonly count: number;
  readonly byCode: Readonly<Record<string, number>>;
  readonly since: number;
}

interface KeyEntry {
  readonly code: string;
  /** When the last alert of this key was sent. */
  readonly sentAt: number;
  /** Duplicates counted since. */
  readonly repeats: number;
}

export interface ThrottleState {
  /** Times of the sends still inside the window, oldest first (never more than `max`). */
  readonly sends: readonly number[];
  readonly keys: ReadonlyMap<string, KeyEntry>;
  readonly held: Held | undefined;
}

export const EMPTY_THROTTLE: ThrottleState = { sends: [], keys: new Map(), held: undefined };

export type ThrottleVerdict =
  /** Send it; `repeated` duplicates of its key were counted since the last one sent. */
  | { readonly do: 'send'; readonly repeated: number }
  /** A duplicate inside the dedupe window: counted on its key. */
  | { readonly do: 'duplicate' }
  /** The rate limit is reached: counted in the next summary. */
  | { readonly do: 'hold' };

export interface Admitted {
  readonly state: ThrottleState;
  readonly verdict: ThrottleVerdict;
}

export interface Released {
  readonly state: ThrottleState;
  /** A summary to send now (it took a slot). */
  readonly summary: Held | undefined;
}

/** Context fields that say what an alert is about (its subject), not how much: the dedupe key is the code and these. */
const SUBJECT_FIELDS = ['breaker', 'scope', 'venue', 'instrumentId', 'accountId', 'strategyId', 'clientOrderId', 'algoId', 'state', 'source', 'operator', 'cause', 'status'] as const;

/** `CODE|field=value|...` over the subject fields present: a breaker's value changing does not make it a new alert, another scope does. */
export function dedupeKey(code: string, context: Readonly<Record<string, unknown>>): string {
  let key = code;
  for (const f of SUBJECT_FIELDS) {
    const v = context[f];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') key += `|${f}=${v}`;
  }
  return key;
}

/** Decides one alert at `now` (times never go back). */
export function admit(s: ThrottleState, alert: { readonly code: string; readonly key: string }, now: number, limits: ThrottleLimits): Admitted {
  const sends = inWindow(s.sends, now, limits.windowMs);
  const keys = new Map(s.keys);
  const entry = keys.get(alert.key);
  if (entry && now - entry.sentAt < limits.dedupeMs) {
    keys.set(alert.key, { ...entry, repeats: entry.repeats + 1 });
    return { state: { sends, keys, held: s.held }, verdict: { do: 'duplicate' } };
  }
  const repeated = entry?.repeats ?? 0;
  if (sends.length < limits.max) {
    keys.set(alert.key, { code: alert.code, sentAt: now, repeats: 0 });
    return { state: { sends: [...sends, now], keys, held: s.held }, verdict: { do: 'send', repeated } };
  }
  // Held back: its key's uncounted repeats go into the summary with it, and the key starts afresh.
  keys.delete(alert.key);
  return { state: { sends, keys, held: hold(s.held, alert.code, 1 + repeated, now) }, verdict: { do: 'hold' } };
}

/**
 * Time passing: a key whose dedupe window has closed with repeats uncounted gives them to the
 * summary (nothing may wait for a next alert that never comes); then, if anything is held and a
 * slot is free, the summary goes (taking the slot).
 */
export function release(s: ThrottleState, now: number, limits: ThrottleLimits): Released {
  let sends = inWindow(s.sends, now, limits.windowMs);
  let held = s.held;
  const keys = new Map<string, KeyEntry>();
  for (const [k, e] of s.keys) {
    if (now - e.sentAt < limits.dedupeMs) keys.set(k, e);
    else if (e.repeats > 0) held = hold(held, e.code, e.repeats, now);
  }
  if (held === undefined || sends.length >= limits.max) return { state: { sends, keys, held }, summary: undefined };
  sends = [...sends, now];
  return { state: { sends, keys, held: undefined }, summary: held };
}

/** When `release` next has something to do (undefined: nothing waits). */
export function nextRelease(s: ThrottleState, now: number, limits: ThrottleLimits): number | undefined {
  let at = Infinity;
  for (const e of s.keys.values()) if (e.repeats > 0) at = Math.min(at, e.sentAt + limits.dedupeMs);
  if (s.held !== undefined) {
    const sends = inWindow(s.sends, now, limits.windowMs);
    at = Math.min(at, sends.length < limits.max ? now : sends[0]! + limits.windowMs);
  }
  return at === Infinity ? undefined : at;
}

/** Everything counted and not yet said (held, and repeats on keys): what a closing summary reports. */
export function drain(s: ThrottleState, now: number): Held | undefined {
  let held = s.held;
  for (const e of s.keys.values()) if (e.repeats > 0) held = hold(held, e.code, e.repeats, now);
  return held;
}

/** How many alerts the state counts and has not said. */
export function heldCount(s: ThrottleState): number {
  return (s.held?.count ?? 0) + [...s.keys.values()].reduce((n, e) => n + e.repeats, 0);
}

function inWindow(sends: readonly number[], now: number, windowMs: number): readonly number[] {
  let i = 0;
  while (i < sends.length && sends[i]! <= now - windowMs) i++;
  return i === 0 ? sends : sends.slice(i);
}

function hold(held: Held | undefined, code: string, n: number, now: number): Held {
  const byCode = { ...(held?.byCode ?? {}) };
  byCode[code] = (byCode[code] ?? 0) + n;
  return { count: (held?.count ?? 0) + n, byCode, since: held?.since ?? now };
}
