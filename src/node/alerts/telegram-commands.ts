import type { InlineButton, TgUpdate } from './telegram-api.ts';

/** A /halt waiting for its confirmation in one chat. */
export interface PendingHalt {
  readonly code: string;
  readonly reason: string;
  readonly expiresAt: number;
}

export interface BotState {
  /** By chat id (as text). */
  readonly pending: ReadonlyMap<string, PendingHalt>;
  /** When each chat not allowed was last told so (it is told once per REFUSAL_QUIET_MS, so a stranger cannot make the bot spam). */
  readonly refused: ReadonlyMap<string, number>;
}

export const EMPTY_BOT: BotState = { pending: new Map(), refused: new Map() };

export const REFUSAL_QUIET_MS = 600_000;

export type BotAction =
  | { readonly do: 'reply'; readonly chatId: number; readonly text: string; readonly keyboard?: readonly (readonly InlineButton[])[] }
  | { readonly do: 'status'; readonly chatId: number }
  | { readonly do: 'positions'; readonly chatId: number }
  /** Engage the kill switch for this chat (confirmed). */
  | { readonly do: 'halt'; readonly chatId: number; readonly reason: string }
  /** Answer a callback query (the button stops spinning). */
  | { readonly do: 'answer'; readonly callbackId: string; readonly text: string }
  /** A chat not allowed tried a command: logged, answered with a refusal. */
  | { readonly do: 'refused'; readonly chatId: number; readonly command: string };

export interface BotContext {
  /** Chat ids allowed to command the node, as text. */
  readonly allowed: ReadonlySet<string>;
  readonly now: number;
  readonly confirmMs: number;
  /** A fresh confirmation code (random: a halt cannot be confirmed by guessing or replaying an old one). */
  readonly newCode: () => string;
}

export const HELP = 'Commands: /status, /positions, /halt [reason] (asks for confirmation, then engages the kill switch).';

/** A command's name and arguments: `/halt@WardenBot confirm 123456` → ['halt', ['confirm', '123456']]. */
export function parseCommand(text: string): { readonly name: string; readonly args: readonly string[] } | undefined {
  const m = /^\/([A-Za-z_]+)(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return undefined;
  return { name: m[1]!.toLowerCase(), args: (m[2] ?? '').trim().split(/\s+/).filter((a) => a !== '') };
}

/**
 * What the bot does with one update, decided without I/O: commands from an allowed chat are
 * answered; from any other chat they are refused (and logged). `/halt` never halts at once: it
 * answers with a one-time code and Confirm/Cancel buttons, and only `/halt confirm <code>` or
 * the Confirm button from the same chat before `confirmMs` passes engages the kill switch.
 */
export function decideUpdate(s: BotState, u: TgUpdate, c: BotContext): { readonly state: BotState; readonly actions: readonly BotAction[] } {
  if (u.callback_query) return decideCallback(s, u.callback_query, c);
  const msg = u.message;
  const cmd = msg?.text !== undefined ? parseCommand(msg.text) : undefined;
  if (!msg || !cmd) return { state: s, actions: [] };
  const chatId = msg.chat.id;
  if (!c.allowed.has(String(chatId))) {
    const last = s.refused.get(String(chatId));
    if (last !== undefined && c.now - last < REFUSAL_QUIET_MS) return { state: s, actions: [{ do: 'refused', chatId, command: cmd.name }] };
    // Chats whose quiet time is over are dropped: they would be told again anyway, and strangers must not grow the state.
    const refused = new Map([...s.refused].filter(([, at]) => c.now - at < REFUSAL_QUIET_MS)).set(String(chatId), c.now);
    return { state: { ...s, refused }, actions: [{ do: 'refused', chatId, command: cmd.name }, { do: 'reply', chatId, text: 'This chat is not allowed to command this node.' }] };
  }
  switch (cmd.name) {
    case 'status':
      return { state: s, actions: [{ do: 'status', chatId }] };
    case 'positions':
      return { state: s, actions: [{ do: 'positions', chatId }] };
    case 'halt':
      return decideHalt(s, chatId, cmd.args, c);
    default:
      return { state: s, actions: [{ do: 'reply', chatId, text: HELP }] };
  }
}

function decideHalt(s: BotState, chatId: number, args: readonly string[], c: BotContext): { state: BotState; actions: BotAction[] } {
  const key = String(chatId);
  const pending = new Map(s.pending);
  const [first, second] = args;
  if (first === 'confirm') {
    const p = pending.get(key);
    if (!p || p.expiresAt <= c.now || p.code !== second) {
      if (p && p.expiresAt <= c.now) pending.delete(key);
      return { state: { ...s, pending }, actions: [{ do: 'reply', chatId, text: 'No halt is waiting for that code (it may have expired): send /halt again.' }] };
    }
    pending.delete(key);
    return { state: { ...s, pending }, actions: [{ do: 'halt', chatId, reason: p.reason }] };
  }
  if (first === 'cancel') {
    pending.delete(key);
    return { state: { ...s, pending }, actions: [{ do: 'reply', chatId, text: 'Halt canceled.' }] };
  }
  const code = c.newCode();
  const reason = args.length > 0 ? args.join(' ').slice(0, 200) : 'halt from Telegram';
  pending.set(key, { code, reason, expiresAt: c.now + c.confirmMs });
  const text = `Engage the kill switch (cancel every working order, halt all trading)? Reason: ${reason}\nConfirm within ${Math.round(c.confirmMs / 1000)} s: /halt confirm ${code}`;
  const keyboard = [[{ text: 'Confirm halt', callback_data: `halt:confirm:${code}` }, { text: 'Cancel', callback_data: `halt:cancel:${code}` }]];
  return { state: { ...s, pending }, actions: [{ do: 'reply', chatId, text, keyboard }] };
}

function decideCallback(s: BotState, q: NonNullable<TgUpdate['callback_query']>, c: BotContext): { state: BotState; actions: BotAction[] } {
  const chatId = q.message?.chat.id;
  if (chatId === undefined || !c.allowed.has(String(chatId))) {
    return { state: s, actions: [...(chatId !== undefined ? [{ do: 'refused' as const, chatId, command: 'callback' }] : []), { do: 'answer', callbackId: q.id, text: 'Not allowed.' }] };
  }
  const m = /^halt:(confirm|cancel):(\w+)$/.exec(q.data ?? '');
  if (!m) return { state: s, actions: [{ do: 'answer', callbackId: q.id, text: 'Unknown action.' }] };
  const out = decideHalt(s, chatId, [m[1]!, m[2]!], c);
  const confirmed = out.actions.some((a) => a.do === 'halt');
  return { state: out.state, actions: [{ do: 'answer', callbackId: q.id, text: confirmed ? 'Halting…' : m[1] === 'cancel' ? 'Canceled.' : 'Expired or unknown code.' }, ...out.actions] };
}
