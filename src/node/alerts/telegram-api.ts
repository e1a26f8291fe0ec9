import { DeliveryError, transientStatus } from './delivery.ts';

/** The parts of Bot API objects Warden reads (https://core.telegram.org/bots/api#update). */
export interface TgChat {
  readonly id: number;
}
export interface TgMessage {
  readonly message_id: number;
  readonly chat: TgChat;
  readonly text?: string;
}
export interface TgCallbackQuery {
  readonly id: string;
  readonly message?: TgMessage;
  readonly data?: string;
}
export interface TgUpdate {
  readonly update_id: number;
  readonly message?: TgMessage;
  readonly callback_query?: TgCallbackQuery;
}

export interface InlineButton {
  readonly text: string;
  readonly callback_data: string;
}

type TgResponse<T> = { ok: true; result: T } | { ok: false; error_code: number; description?: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };

/**
 * A client of the Telegram Bot API: `POST <api>/bot<token>/<method>` with a JSON body, answered
 * `{ok: true, result}` or `{ok: false, error_code, description, parameters: {retry_after}}`. A
 * failure is a DeliveryError naming the method and Telegram's description, never the URL (the
 * token is in its path); 429 carries retry_after (seconds).
 */
export class TelegramApi {
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly token: string,
    private readonly o: { readonly apiUrl: string; readonly timeoutMs: number; readonly fetch?: typeof fetch },
  ) {
    this.fetchFn = o.fetch ?? fetch;
  }

  async call<T>(method: string, params: Record<string, unknown>, o: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {}): Promise<T> {
    const timeout = AbortSignal.timeout(o.timeoutMs ?? this.o.timeoutMs);
    let res: Response;
    try {
      res = await this.fetchFn(`${this.o.apiUrl.replace(/\/$/, '')}/bot${this.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        signal: o.signal ? AbortSignal.any([timeout, o.signal]) : timeout,
      });
    } catch (e) {
      // undici's errors may quote the URL: say only what kind of failure it was.
      const name = e instanceof Error ? e.name : 'Error';
      const cause = (e as { cause?: { code?: unknown } }).cause?.code;
      throw new DeliveryError(`telegram ${method}: ${name}${typeof cause === 'string' ? ` (${cause})` : ''}`);
    }
    let body: TgResponse<T>;
    try {
      body = (await res.json()) as TgResponse<T>;
    } catch {
      throw new DeliveryError(`telegram ${method} answered ${res.status} without JSON`, { permanent: !transientStatus(res.status) });
    }
    if (body.ok) return body.result;
    const code = body.error_code ?? res.status;
    const retryAfter = body.parameters?.retry_after;
    throw new DeliveryError(`telegram ${method} answered ${code}: ${(body.description ?? '').slice(0, 200)}`, {
      permanent: !transientStatus(code),
      ...(typeof retryAfter === 'number' ? { retryAfterMs: Math.ceil(retryAfter * 1000) } : {}),
    });
  }

  sendMessage(chatId: number | string, text: string, keyboard?: readonly (readonly InlineButton[])[]): Promise<TgMessage> {
    return this.call<TgMessage>('sendMessage', { chat_id: chatId, text: text.length <= 4096 ? text : `${text.slice(0, 4095)}…`, ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}) });
  }
}
