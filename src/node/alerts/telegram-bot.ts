import { randomInt } from 'node:crypto';
import { DeliveryError, sleep as realSleep, wallClock } from './delivery.ts';
import type { TelegramApi, TgUpdate } from './telegram-api.ts';
import { decideUpdate, EMPTY_BOT, type BotAction, type BotState } from './telegram-commands.ts';

/**
 * What the bot may ask of the node: three narrow callbacks, never the engine. The node layer
 * builds them (src/node/alerts/node-commands.ts); `halt` engages the kill switch with an operator
 * credential of `telegram:<chat id>` holding the RISK role, and says what happened.
 */
export interface NodeCommands {
  status(): string | Promise<string>;
  positions(): string | Promise<string>;
  halt(by: { readonly chatId: string; readonly reason: string }): Promise<string>;
}

export interface BotOptions {
  readonly allowed: ReadonlySet<string>;
  readonly commands: NodeCommands;
  readonly confirmMs: number;
  /** getUpdates long-poll timeout, seconds. */
  readonly pollTimeoutS: number;
  readonly now?: () => number;
  readonly newCode?: () => string;
  /** Resolves after `ms`, or sooner when `signal` aborts (the bot closing). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A poll or a reply failed (the error names the method and Telegram's description, never the token). */
  readonly onError?: (what: string, e: unknown) => void;
  /** A chat not allowed tried a command. */
  readonly onRefused?: (chatId: number, command: string) => void;
  /** A halt was confirmed and carried out (or refused by the node). */
  readonly onHalt?: (chatId: number, result: string) => void;
}

/**
 * Long-polls getUpdates (offset = last update_id + 1, so each update is taken once) and answers
 * commands as decideUpdate says. One update at a time, in order; a failed poll backs off (or
 * waits Telegram's retry_after) and polls again.
 */
export class TelegramBot {
  private state: BotState = EMPTY_BOT;
  private offset: number | undefined;
  /** The offset the last getUpdates sent: Telegram has confirmed (forgotten) the updates before it. */
  private confirmed: number | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  handled = 0;

  constructor(
    private readonly api: TelegramApi,
    private readonly o: BotOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.confirmHandled();
  }

  /**
   * Updates handled since the last poll are confirmed only by the next getUpdates: a bot closed
   * in between sends one (not waiting, taking at most one update, which stays unconfirmed), so a
   * restarted bot does not run those commands again.
   */
  private async confirmHandled(): Promise<void> {
    if (this.offset === undefined || this.offset === this.confirmed) return;
    try {
      await this.api.call<TgUpdate[]>('getUpdates', { offset: this.offset, timeout: 0, limit: 1 }, { timeoutMs: 2000 });
      this.confirmed = this.offset;
    } catch (e) {
      this.o.onError?.('getUpdates', e);
    }
  }

  private async run(): Promise<void> {
    let backoff = 1000;
    const wait = this.o.sleep ?? realSleep;
    while (!this.abort.signal.aborted) {
      let updates: TgUpdate[];
      this.confirmed = this.offset;
      try {
        updates = await this.api.call<TgUpdate[]>(
          'getUpdates',
          { ...(this.offset !== undefined ? { offset: this.offset } : {}), timeout: this.o.pollTimeoutS, allowed_updates: ['message', 'callback_query'] },
          { timeoutMs: (this.o.pollTimeoutS + 10) * 1000, signal: this.abort.signal },
        );
        backoff = 1000;
      } catch (e) {
        if (this.abort.signal.aborted) break;
        this.o.onError?.('getUpdates', e);
        // The signal also clears the sleep's timer: a closed bot must not hold the process for retry_after.
        await abortable(wait(e instanceof DeliveryError && e.retryAfterMs !== undefined ? e.retryAfterMs : backoff, this.abort.signal), this.abort.signal);
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      for (const u of updates) {
        this.offset = Math.max(this.offset ?? 0, u.update_id + 1);
        await this.handle(u);
      }
    }
  }

  private async handle(u: TgUpdate): Promise<void> {
    let decided: ReturnType<typeof decideUpdate>;
    try {
      decided = decideUpdate(this.state, u, {
        allowed: this.o.allowed,
        now: (this.o.now ?? wallClock)(),
        confirmMs: this.o.confirmMs,
        newCode: this.o.newCode ?? (() => String(randomInt(100_000, 1_000_000))),
      });
    } catch (e) {
      // An update not of the form read (no chat): skipped (its offset is taken) and reported.
      // Thrown on, it would end the polling loop and reject a promise nobody awaits until close.
      this.o.onError?.('update', e);
      this.handled++;
      return;
    }
    const { state, actions } = decided;
    this.state = state;
    for (const a of actions) {
      try {
        await this.perform(a);
      } catch (e) {
        this.o.onError?.(a.do, e);
      }
    }
    this.handled++;
  }

  private async perform(a: BotAction): Promise<void> {
    switch (a.do) {
      case 'reply':
        await this.api.sendMessage(a.chatId, a.text, a.keyboard);
        return;
      case 'status':
        await this.api.sendMessage(a.chatId, await this.o.commands.status());
        return;
      case 'positions':
        await this.api.sendMessage(a.chatId, await this.o.commands.positions());
        return;
      case 'halt': {
        let result: string;
        try {
          result = await this.o.commands.halt({ chatId: String(a.chatId), reason: a.reason });
        } catch (e) {
          const code = (e as { code?: unknown }).code;
          result = `Halt failed: ${typeof code === 'string' ? code : e instanceof Error ? e.name : 'Error'}: ${e instanceof Error ? e.message : 'unknown'}`;
        }
        this.o.onHalt?.(a.chatId, result);
        await this.api.sendMessage(a.chatId, result);
        return;
      }
      case 'answer':
        await this.api.call('answerCallbackQuery', { callback_query_id: a.callbackId, text: a.text });
        return;
      case 'refused':
        this.o.onRefused?.(a.chatId, a.command);
        return;
    }
  }
}

/** Resolves when `p` does or the signal aborts, whichever is first. */
function abortable(p: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    void p.then(done);
  });
}
