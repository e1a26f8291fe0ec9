import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryError, retryAfterHeader, retryDecision } from '../../../src/node/alerts/delivery.ts';
import { discordBody, discordRetryAfter } from '../../../src/node/alerts/discord.ts';
import type { Outgoing } from '../../../src/node/alerts/message.ts';
import { slackBody } from '../../../src/node/alerts/slack.ts';
import type { TgUpdate } from '../../../src/node/alerts/telegram-api.ts';
import { decideUpdate, EMPTY_BOT, parseCommand, REFUSAL_QUIET_MS, type BotState } from '../../../src/node/alerts/telegram-commands.ts';

const alert = (message: string, context: Record<string, string> = {}): Outgoing => ({ kind: 'alert', code: 'BREAKER_TRIPPED', severity: 'critical', message, context, ts: Date.UTC(2023, 2, 1), repeated: 0 });

describe('retries: what the service asked decides', () => {
  const p = { retries: 3, backoffMs: 100, maxWaitMs: 5000 };
  it('Retry-After is waited as asked; a permanent failure is not retried; otherwise backoff doubles; a wait beyond maxWaitMs gives up', () => {
    expect(retryDecision(new DeliveryError('429', { retryAfterMs: 1500 }), 0, p)).toEqual({ retry: true, waitMs: 1500 });
    expect(retryDecision(new DeliveryError('404', { permanent: true }), 0, p)).toEqual({ retry: false });
    expect(retryDecision(new Error('ECONNRESET'), 2, p)).toEqual({ retry: true, waitMs: 400 });
    expect(retryDecision(new Error('ECONNRESET'), 3, p)).toEqual({ retry: false });
    expect(retryDecision(new DeliveryError('429', { retryAfterMs: 60_000 }), 0, p)).toEqual({ retry: false });
  });
  it('Retry-After in seconds or as an HTTP date; Discord retry_after is float seconds in the body', () => {
    expect(retryAfterHeader('2', 0)).toBe(2000);
    expect(retryAfterHeader('Wed, 01 Mar 2023 00:00:03 GMT', Date.UTC(2023, 2, 1))).toBe(3000);
    expect(retryAfterHeader(null, 0)).toBeUndefined();
    expect(discordRetryAfter('{"message":"You are being rate limited.","retry_after":0.347,"global":false}', new Headers(), 0)).toBe(347);
    expect(discordRetryAfter('', new Headers({ 'x-ratelimit-reset-after': '1.5' }), 0)).toBe(1500);
  });
});

describe('message bodies', () => {
  it('Discord: content within 2,000 characters and no mentions parsed, however long the alert; Slack: text and mrkdwn escaped', () => {
    const long = alert('x'.repeat(5000) + ' @everyone', { breaker: 'errors' });
    const d = discordBody(long);
    expect(d.content.length).toBeLessThanOrEqual(2000);
    expect(d.allowed_mentions).toEqual({ parse: [] });
    const s = slackBody(alert('price <1> & more'));
    expect(JSON.stringify(s.blocks)).toContain('price &lt;1&gt; &amp; more');
    expect(s.text.startsWith('[CRITICAL] BREAKER_TRIPPED: price')).toBe(true);
  });
  it('a kill switch reason written as a Slack mention (<!channel>, <@U123>) pings nobody: the notification text is escaped as the blocks are', () => {
    const s = slackBody(alert('kill switch engaged: <!channel> look <@U123>'));
    expect(s.text).not.toMatch(/<[!@]/);
    expect(s.text).toContain('&lt;!channel&gt;');
  });
  it('context keys that look like secrets are never shown', () => {
    expect(JSON.stringify(discordBody(alert('m', { apiKey: 'K-123', venue: 'SIM' })))).not.toContain('K-123');
    expect(JSON.stringify(slackBody(alert('m', { password: 'P-123' })))).not.toContain('P-123');
  });
});

describe('Telegram commands (pure decisions)', () => {
  const ctx = (now: number) => ({ allowed: new Set(['1']), now, confirmMs: 60_000, newCode: () => '424242' });
  const msg = (id: number, chat: number, text: string): TgUpdate => ({ update_id: id, message: { message_id: id, chat: { id: chat }, text } });

  it('parses /cmd@Bot args', () => {
    expect(parseCommand('/halt@WardenBot confirm 123')).toEqual({ name: 'halt', args: ['confirm', '123'] });
    expect(parseCommand('hello')).toBeUndefined();
  });

  it('/halt then /halt confirm with the code within confirm_ms halts once; after it expires it does not', () => {
    let s: BotState = EMPTY_BOT;
    s = decideUpdate(s, msg(1, 1, '/halt flash crash'), ctx(0)).state;
    const ok = decideUpdate(s, msg(2, 1, '/halt confirm 424242'), ctx(59_999));
    expect(ok.actions).toEqual([{ do: 'halt', chatId: 1, reason: 'flash crash' }]);
    expect(decideUpdate(ok.state, msg(3, 1, '/halt confirm 424242'), ctx(60_000)).actions.map((a) => a.do)).toEqual(['reply']);
    const late = decideUpdate(s, msg(2, 1, '/halt confirm 424242'), ctx(60_000));
    expect(late.actions.map((a) => a.do)).toEqual(['reply']);
  });

  it('a chat not allowed is told so once per 10 minutes (each attempt still logged), so a stranger cannot make the bot spam', () => {
    let s: BotState = EMPTY_BOT;
    const seen: string[][] = [];
    for (const [i, t] of [0, 1000, REFUSAL_QUIET_MS].entries()) {
      const out = decideUpdate(s, msg(i, 2, '/status'), ctx(t));
      s = out.state;
      seen.push(out.actions.map((a) => a.do));
    }
    expect(seen).toEqual([['refused', 'reply'], ['refused'], ['refused', 'reply']]);
  });

  it('the chats told so are forgotten once their quiet time is over: strangers writing from ever new chats do not grow the state without bound', () => {
    let s: BotState = EMPTY_BOT;
    for (let i = 0; i < 50; i++) s = decideUpdate(s, msg(i, 1_000_000 + i, '/status'), ctx(i * (REFUSAL_QUIET_MS / 10))).state;
    expect(s.refused.size).toBeLessThanOrEqual(10);
  });

  it('property: a halt is decided only for an allowed chat, only on the code its own pending /halt got, never twice for one /halt', () => {
    const texts = fc.constantFrom('/halt', '/halt why', '/halt confirm 424242', '/halt confirm 111111', '/halt cancel', '/status', '/positions', 'hi');
    const update = fc.record({ chat: fc.constantFrom(1, 2), text: texts, dt: fc.nat(30_000), button: fc.boolean() });
    fc.assert(
      fc.property(fc.array(update, { maxLength: 60 }), (us) => {
        let s: BotState = EMPTY_BOT;
        let now = 0;
        const asked = new Map<number, number>(); // chat → when its pending /halt was asked
        us.forEach((u, i) => {
          now += u.dt;
          const m = /^\/halt confirm (\d+)$/.exec(u.text);
          const upd: TgUpdate = u.button && m ? { update_id: i, callback_query: { id: `q${i}`, message: { message_id: 1, chat: { id: u.chat } }, data: `halt:confirm:${m[1] ?? ''}` } } : msg(i, u.chat, u.text);
          const out = decideUpdate(s, upd, ctx(now));
          s = out.state;
          const halts = out.actions.filter((a) => a.do === 'halt');
          if (halts.length > 0) {
            expect(u.chat).toBe(1);
            expect(m?.[1]).toBe('424242');
            expect(now - asked.get(u.chat)!).toBeLessThan(60_000);
            asked.delete(u.chat);
          }
          if (u.chat === 1 && /^\/halt( why)?$/.test(u.text)) asked.set(u.chat, now);
          if (u.chat === 1 && (u.text === '/halt cancel' || (m && halts.length === 0 && s.pending.get('1') === undefined))) asked.delete(u.chat);
          if (u.chat === 2 && (u.button && m ? true : u.text.startsWith('/'))) expect(out.actions.some((a) => a.do === 'refused')).toBe(true);
        });
      }),
    );
  });
});
