/** The Telegram command bot alone, against the fake Bot API: it keeps answering whatever an update holds. */
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramApi } from '../../../src/node/alerts/telegram-api.ts';
import { TelegramBot } from '../../../src/node/alerts/telegram-bot.ts';
import { until } from '../../support/fake-alerting/http.ts';
import { fakeTelegram } from '../../support/fake-alerting/telegram.ts';

const TOKEN = '123456789:AAHfakeTelegramBotTokenForWardenTests0';
const OPS = 111_111;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe('TelegramBot', () => {
  it('an update it cannot read (a message without its chat) is reported and skipped; the next command is answered, each once', async () => {
    const tg = await fakeTelegram(TOKEN, [OPS]);
    closers.push(tg.close);
    const errors: string[] = [];
    const bot = new TelegramBot(new TelegramApi(TOKEN, { apiUrl: tg.apiUrl, timeoutMs: 5000 }), {
      allowed: new Set([String(OPS)]),
      commands: { status: () => 'all quiet', positions: () => 'none', halt: () => Promise.resolve('halted') },
      confirmMs: 60_000,
      pollTimeoutS: 1,
      onError: (what) => errors.push(what),
    });
    closers.push(() => bot.close());
    bot.start();
    tg.rawUpdate({ message: { message_id: 1, date: 0, text: '/status' } });
    tg.userSends(OPS, '/status');
    await until(() => tg.to(OPS).length === 1, 'the answer to /status');
    expect(tg.to(OPS).map((m) => m.text)).toEqual(['all quiet']);
    expect(errors).toEqual(['update']);
    await until(() => bot.handled === 2, 'both updates handled');
    expect(tg.to(OPS)).toHaveLength(1);
  });
});
