import { afterEach, describe, expect, it } from 'vitest';
import { TradingNode } from '../../../src/node/trading-node.ts';
import { fakeTelegram } from '../../support/fake-alerting/telegram.ts';
import { until } from '../../support/fake-alerting/http.ts';
import { buyer } from '../small-node.ts';
import { alertNodeConfig, FAULTY, LIMITS_ONLY, memoryLogger, TRIP } from './support.ts';

const TOKEN = '123456789:AAHfakeTelegramBotTokenForWardenTests0';
const OPS = 111_111;
const STRANGER = 222_222;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function telegramNode(extra: Record<string, unknown>, strategyOrders = 3) {
  const tg = await fakeTelegram(TOKEN, [OPS, STRANGER]);
  closers.push(tg.close);
  const sink = { type: 'telegram', token: '${TG_TOKEN}', chat_ids: [OPS], commands: true, api_url: tg.apiUrl, poll_timeout_s: 2, min_severity: 'warning' };
  const { config, secrets } = alertNodeConfig(10, { alerts: { sinks: [sink] }, ...extra }, { TG_TOKEN: TOKEN });
  const { logger, lines } = memoryLogger(secrets);
  const node = await TradingNode.start(config, { secrets, logger, strategies: buyer(strategyOrders) });
  closers.push(() => node.stop());
  return { tg, node, lines, secrets };
}

/** The latest message to `chat` that matches, once it arrives. */
async function reply(tg: Awaited<ReturnType<typeof fakeTelegram>>, chat: number, pattern: RegExp, after = 0) {
  await until(() => tg.to(chat).slice(after).some((m) => pattern.test(m.text)), `a reply to ${chat} matching ${pattern}`);
  return tg.to(chat).slice(after).find((m) => pattern.test(m.text))!;
}

describe('alerts.sinks telegram: alerts by sendMessage, commands by getUpdates', () => {
  it('a tripped breaker is sent to the allowed chat with sendMessage; the bot token is a secret, absent from the logs', async () => {
    const { tg, node, lines, secrets } = await telegramNode({ venues: FAULTY, risk: TRIP });
    expect(secrets.has(TOKEN)).toBe(true);
    await node.run();
    const trip = tg.to(OPS).find((m) => m.text.startsWith('[CRITICAL] BREAKER_TRIPPED'));
    expect(trip?.text).toContain('breaker=errors');
    expect(tg.to(STRANGER)).toEqual([]);
    expect(tg.polls.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('/status and /positions from the allowed chat are answered with the node state; the long poll confirms each update with offset', async () => {
    const { tg, node } = await telegramNode({ risk: LIMITS_ONLY });
    await node.run({ keepOpen: true });
    const u1 = tg.userSends(OPS, '/status');
    const status = await reply(tg, OPS, /^Node small/);
    expect(status.text).toContain('Kill switch: off');
    expect(status.text).toContain('Orders 3, fills 3');
    tg.userSends(OPS, '/positions@WardenBot');
    const positions = await reply(tg, OPS, /BTCUSDT\.SIM/);
    expect(positions.text).toMatch(/^BTCUSDT\.SIM LONG 0\.03000 @ \d+\.\d{2} \(account ACC-1, strategy buy-1, realized /);
    await until(() => tg.polls.some((p) => p.offset !== undefined && p.offset > u1 + 1), 'a poll confirming both updates');
    expect(tg.polls.filter((p) => p.offset !== undefined).every((p) => p.timeout === 2)).toBe(true);
  });

  it('/halt asks for confirmation; a wrong code does nothing; /halt confirm <code> engages the kill switch as operator telegram:<chat id>', async () => {
    const { tg, node, lines } = await telegramNode({ risk: LIMITS_ONLY });
    await node.run({ keepOpen: true });
    tg.userSends(OPS, '/halt maintenance window');
    const ask = await reply(tg, OPS, /Confirm within/);
    const code = /\/halt confirm (\d{6})/.exec(ask.text)![1]!;
    expect(ask.keyboard?.[0]?.map((b) => b.callback_data)).toEqual([`halt:confirm:${code}`, `halt:cancel:${code}`]);
    expect(node.risk!.control.status().killSwitch).toBeUndefined();
    const before = tg.to(OPS).length;
    tg.userSends(OPS, `/halt confirm ${code === '999999' ? '999998' : '999999'}`);
    await reply(tg, OPS, /No halt is waiting/, before);
    expect(node.risk!.control.status().killSwitch).toBeUndefined();
    tg.userSends(OPS, `/halt confirm ${code}`);
    await reply(tg, OPS, /Kill switch ENGAGED/);
    expect(node.risk!.control.status().killSwitch).toMatchObject({ operator: `telegram:${OPS}`, reason: 'maintenance window' });
    // The engaged kill switch is itself a critical alert, sent to the chat.
    await reply(tg, OPS, /^\[CRITICAL\] KILL_SWITCH_ENGAGED/);
    expect(lines.some((l) => l.includes('telegram halt'))).toBe(true);
  });

  it('/halt from a chat not allowed is refused (answered, logged) and the kill switch stays off; its confirm button is refused too', async () => {
    const { tg, node, lines } = await telegramNode({ risk: LIMITS_ONLY });
    await node.run({ keepOpen: true });
    tg.userSends(STRANGER, '/halt');
    await reply(tg, STRANGER, /not allowed/);
    const qid = tg.userPresses(STRANGER, 1, 'halt:confirm:123456');
    await until(() => tg.answered.some((a) => a.id === qid), 'the refused callback answered');
    expect(tg.answered.find((a) => a.id === qid)?.text).toBe('Not allowed.');
    expect(node.risk!.control.status().killSwitch).toBeUndefined();
    expect(tg.to(STRANGER).every((m) => !/Confirm within/.test(m.text))).toBe(true);
    expect(lines.filter((l) => l.includes('chat not allowed')).length).toBe(2);
  });

  it('the inline Confirm button (callback_query) of the allowed chat engages the kill switch and answers the query', async () => {
    const { tg, node } = await telegramNode({ risk: LIMITS_ONLY });
    await node.run({ keepOpen: true });
    tg.userSends(OPS, '/halt');
    const ask = await reply(tg, OPS, /Confirm within/);
    const qid = tg.userPresses(OPS, ask.messageId, ask.keyboard![0]![0]!.callback_data);
    await reply(tg, OPS, /Kill switch ENGAGED/);
    expect(tg.answered.find((a) => a.id === qid)?.text).toBe('Halting…');
    expect(node.risk!.control.status().killSwitch?.operator).toBe(`telegram:${OPS}`);
  });

  it('a chat Telegram does not know (400 chat not found) is not retried; the failure is logged without the token; the other chat gets the alert', async () => {
    const tg = await fakeTelegram(TOKEN, [OPS]);
    closers.push(tg.close);
    const sink = { type: 'telegram', token: '${TG_TOKEN}', chat_ids: [OPS, 333_333], api_url: tg.apiUrl, codes: ['BREAKER_TRIPPED'] };
    const { config, secrets } = alertNodeConfig(10, { venues: FAULTY, risk: TRIP, alerts: { sinks: [sink] } }, { TG_TOKEN: TOKEN });
    const { logger, lines } = memoryLogger(secrets);
    const node = await TradingNode.start(config, { secrets, logger, strategies: buyer(3) });
    await node.run();
    expect(tg.sendAttempts.filter((c) => c === '333333')).toHaveLength(1);
    expect(tg.to(OPS).map((m) => m.text.slice(0, 26))).toEqual(['[CRITICAL] BREAKER_TRIPPED']);
    const failure = lines.find((l) => l.includes('alert undeliverable'));
    expect(failure).toContain('telegram sendMessage answered 400: Bad Request: chat not found');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('sendMessage answered 429 {parameters: {retry_after: 1}} is sent again after a second', async () => {
    const { tg, node } = await telegramNode({ venues: FAULTY, risk: TRIP });
    tg.rateLimitNext(1, 1);
    const t0 = Date.now();
    await node.run();
    const trip = tg.to(OPS).find((m) => m.text.startsWith('[CRITICAL] BREAKER_TRIPPED'));
    expect(trip).toBeDefined();
    expect(trip!.at - t0).toBeGreaterThanOrEqual(990);
  });
});
