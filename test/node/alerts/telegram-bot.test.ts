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

  it('a bot closed while it handles a command confirms that update on its way out: a restarted bot does not run it again', async () => {
    const tg = await fakeTelegram(TOKEN, [OPS]);
    closers.push(tg.close);
    let answer: (text: string) => void = () => undefined;
    let asked = 0;
    const commands = {
      status: () => {
        asked++;
        return new Promise<string>((resolve) => (answer = resolve));
      },
      positions: () => 'none',
      halt: () => Promise.resolve('halted'),
    };
    const api = new TelegramApi(TOKEN, { apiUrl: tg.apiUrl, timeoutMs: 5000 });
    const bot = new TelegramBot(api, { allowed: new Set([String(OPS)]), commands, confirmMs: 60_000, pollTimeoutS: 1 });
    bot.start();
    const id = tg.userSends(OPS, '/status');
    await until(() => asked === 1, '/status being answered');
    const closing = bot.close();
    answer('all quiet');
    await closing;
    expect(tg.polls.some((p) => p.offset === id + 1)).toBe(true);
    const again = new TelegramBot(api, { allowed: new Set([String(OPS)]), commands, confirmMs: 60_000, pollTimeoutS: 1 });
    closers.push(() => again.close());
    again.start();
    // Its second poll: the first one's updates, if any, are handled by then.
    await until(() => tg.polls.length >= 4, 'the restarted bot polling twice');
    expect(asked).toBe(1);
  });
});
