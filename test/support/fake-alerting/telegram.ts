import type { ServerResponse } from 'node:http';
import { json, loopbackServer } from './http.ts';

export interface TgSent {
  readonly chatId: string;
  readonly messageId: number;
  readonly text: string;
  readonly keyboard?: { text: string; callback_data: string }[][];
  readonly at: number;
}

interface Update {
  readonly update_id: number;
  readonly message?: { message_id: number; date: number; chat: { id: number; type: string }; from: { id: number; is_bot: false; first_name: string }; text: string };
  readonly callback_query?: { id: string; from: { id: number; is_bot: false; first_name: string }; message?: { message_id: number; date: number; chat: { id: number; type: string }; text: string }; chat_instance: string; data: string };
}

/**
 * The Telegram Bot API as bots see it, on loopback: POST /bot<token>/<method> with JSON, answered
 * `{ok: true, result}` or `{ok: false, error_code, description, parameters?}`.
 * - a wrong token: 401 Unauthorized; an unknown method: 404 Not Found;
 * - sendMessage {chat_id, text, reply_markup?}: 400 "chat not found" for chats not in `chats`,
 *   400 "message text is empty"; `rateLimitNext(n, s)` answers 429 with parameters.retry_after
 *   (`rateLimitPollsNext(n, s)` the same for getUpdates);
 * - getUpdates {offset, timeout, allowed_updates}: updates with update_id ≥ offset (those before
 *   are confirmed and forgotten), held open up to `timeout` seconds until one arrives (long poll);
 * - answerCallbackQuery {callback_query_id, text}.
 * The test plays the users: `userSends(chatId, text)`, `userPresses(chatId, messageId, data)`.
 */
export async function fakeTelegram(token: string, chats: readonly number[]) {
  const sent: TgSent[] = [];
  const answered: { id: string; text?: string }[] = [];
  const polls: { offset?: number; timeout?: number }[] = [];
  /** Every sendMessage request, answered well or not: its chat_id. */
  const sendAttempts: string[] = [];
  let updates: Update[] = [];
  let nextUpdate = 1;
  let nextMessage = 1000;
  let limited = 0;
  let retryAfterS = 1;
  let pollsLimited = 0;
  const waiting = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...waiting]) w();
  };

  const pending = (offset: number | undefined): Update[] => {
    if (offset !== undefined) updates = updates.filter((u) => u.update_id >= offset);
    return updates.slice(0, 100);
  };

  const getUpdates = (p: { offset?: number; timeout?: number }, res: ServerResponse): void => {
    polls.push(p);
    if (pollsLimited > 0) {
      pollsLimited--;
      return json(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfterS}`, parameters: { retry_after: retryAfterS } });
    }
    const now = pending(p.offset);
    if (now.length > 0 || !p.timeout) return json(res, 200, { ok: true, result: now });
    const done = (): void => {
      clearTimeout(timer);
      waiting.delete(done);
      if (!res.writableEnded && !res.destroyed) json(res, 200, { ok: true, result: pending(p.offset) });
    };
    const timer = setTimeout(done, p.timeout * 1000);
    waiting.add(done);
    res.on('close', () => {
      clearTimeout(timer);
      waiting.delete(done);
    });
  };

  const server = await loopbackServer((req, body, res) => {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    if (!m || m[1] !== token) return json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    let p: Record<string, unknown>;
    try {
      p = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    } catch {
      return json(res, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON" });
    }
    switch (m[2]) {
      case 'getUpdates':
        return getUpdates(p, res);
      case 'sendMessage': {
        sendAttempts.push(String(p.chat_id));
        if (limited > 0) {
          limited--;
          return json(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfterS}`, parameters: { retry_after: retryAfterS } });
        }
        const chatId = String(p.chat_id);
        if (!chats.map(String).includes(chatId)) return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
        if (typeof p.text !== 'string' || p.text.trim() === '') return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
        const keyboard = (p.reply_markup as { inline_keyboard?: TgSent['keyboard'] } | undefined)?.inline_keyboard;
        const msg: TgSent = { chatId, messageId: nextMessage++, text: p.text, at: Date.now(), ...(keyboard ? { keyboard } : {}) };
        sent.push(msg);
        return json(res, 200, { ok: true, result: { message_id: msg.messageId, date: Math.floor(msg.at / 1000), chat: { id: Number(chatId), type: 'private' }, text: msg.text } });
      }
      case 'answerCallbackQuery':
        if (typeof p.callback_query_id !== 'string') return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' });
        answered.push({ id: p.callback_query_id, ...(typeof p.text === 'string' ? { text: p.text } : {}) });
        return json(res, 200, { ok: true, result: true });
      default:
        return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
  });

  const from = (chatId: number) => ({ id: chatId, is_bot: false as const, first_name: 'Operator' });
  return {
    ...server,
    apiUrl: server.url,
    sent,
    sendAttempts,
    answered,
    polls,
    rateLimitNext(n: number, seconds: number): void {
      limited = n;
      retryAfterS = seconds;
    },
    /** The next `n` getUpdates calls are answered 429 with parameters.retry_after `seconds`. */
    rateLimitPollsNext(n: number, seconds: number): void {
      pollsLimited = n;
      retryAfterS = seconds;
    },
    /** An update as given (to play a malformed one); returns its update_id. */
    rawUpdate(fields: Record<string, unknown>): number {
      const id = nextUpdate++;
      updates.push({ update_id: id, ...fields });
      wake();
      return id;
    },
    /** A user writes `text` in chat `chatId` (a command: "/status"). */
    userSends(chatId: number, text: string): number {
      const id = nextUpdate++;
      updates.push({ update_id: id, message: { message_id: nextMessage++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, from: from(chatId), text } });
      wake();
      return id;
    },
    /** A user presses an inline keyboard button (its callback_data) under message `messageId` in chat `chatId`. */
    userPresses(chatId: number, messageId: number, data: string): string {
      const id = nextUpdate++;
      const qid = `cbq-${id}`;
      updates.push({ update_id: id, callback_query: { id: qid, from: from(chatId), message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, text: '' }, chat_instance: '1', data } });
      wake();
      return qid;
    },
    /** Messages sent to a chat. */
    to(chatId: number): TgSent[] {
      return sent.filter((s) => s.chatId === String(chatId));
    },
  };
}
