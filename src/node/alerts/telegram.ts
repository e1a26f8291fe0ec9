import { textOf, type Outgoing } from './message.ts';
import type { TelegramApi } from './telegram-api.ts';
import type { AlertTransport } from './transport.ts';

/** Sends alerts to one Telegram chat with sendMessage (one channel per chat: each has its own throttle and retries). */
export class TelegramTransport implements AlertTransport {
  readonly label: string;

  constructor(
    private readonly api: TelegramApi,
    private readonly chatId: number | string,
  ) {
    this.label = `telegram:${chatId}`;
  }

  async send(out: Outgoing): Promise<void> {
    await this.api.sendMessage(this.chatId, textOf(out, 4096));
  }
}
