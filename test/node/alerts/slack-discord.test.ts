import { afterEach, describe, expect, it } from 'vitest';
import { TradingNode } from '../../../src/node/trading-node.ts';
import { severityOf } from '../../../src/node/alerts/severity.ts';
import type { AlertCode } from '../../../src/engine/alert-codes.ts';
import { fakeDiscord } from '../../support/fake-alerting/discord.ts';
import { fakeSlack } from '../../support/fake-alerting/slack.ts';
import { buyer } from '../small-node.ts';
import { alertNodeConfig, FAULTY, memoryLogger, TRIP } from './support.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe('alerts.sinks slack: a paper node whose breaker trips posts to a Slack incoming webhook', () => {
  it('min_severity critical: only critical alerts are posted, as {text, blocks}; Slack answers ok; the hook URL is a secret, absent from the logs', async () => {
    const slack = await fakeSlack();
    closers.push(slack.close);
    const { config, secrets } = alertNodeConfig(10, { venues: FAULTY, risk: TRIP, alerts: { sinks: [{ type: 'slack', url: '${SLACK_URL}', min_severity: 'critical' }] } }, { SLACK_URL: slack.hookUrl });
    expect(secrets.has(slack.hookUrl)).toBe(true);
    const { logger, lines } = memoryLogger(secrets);
    const node = await TradingNode.start(config, { secrets, logger, strategies: buyer(3) });
    const codes: AlertCode[] = [];
    node.engine.bus.subscribe('alert', (a) => codes.push(a.code));
    await node.run({ keepOpen: true });
    // An info and a warning alert beside the breaker's: not for this sink.
    node.engine.bus.publish('alert', { code: 'RECONCILED', message: 'reconciled SIM', context: { venue: 'SIM' }, ts: node.clock.now() });
    node.engine.bus.publish('alert', { code: 'CANCEL_RETRY', message: 'cancel sent again', context: { clientOrderId: 'X-1' }, ts: node.clock.now() });
    await node.stop();
    const critical = codes.filter((c) => severityOf(c) === 'critical');
    expect(codes).toContain('BREAKER_TRIPPED');
    expect(codes).toContain('RECONCILED');
    expect(critical.length).toBeGreaterThan(0);
    expect(critical.length).toBeLessThan(codes.length);
    expect(slack.posts.map((p) => /^\[CRITICAL\] (\w+)/.exec(p.body.text)?.[1])).toEqual(critical);
    const trip = slack.posts.find((p) => p.body.text.includes('BREAKER_TRIPPED'))!;
    expect(trip.body.blocks).toHaveLength(2);
    expect(JSON.stringify(trip.body.blocks)).toContain('breaker=errors');
    expect(lines.join('\n')).not.toContain(slack.hookUrl);
    expect(lines.join('\n')).not.toContain('XXXXsecretXXXXslack');
  });

  it('a hook Slack no longer knows (404 no_service) is not retried; the failure is logged without the URL', async () => {
    const slack = await fakeSlack();
    closers.push(slack.close);
    const wrong = `${slack.url}/services/T0001/B0001/revokedSECRETpart`;
    const { config, secrets } = alertNodeConfig(10, { venues: FAULTY, risk: TRIP, alerts: { sinks: [{ type: 'slack', url: '${SLACK_URL}', codes: ['BREAKER_TRIPPED'] }] } }, { SLACK_URL: wrong });
    const { logger, lines } = memoryLogger(secrets);
    const node = await TradingNode.start(config, { secrets, logger, strategies: buyer(3) });
    await node.run();
    expect(slack.posts).toEqual([]);
    const failures = lines.filter((l) => l.includes('alert undeliverable'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('slack answered 404 no_service');
    expect(lines.join('\n')).not.toContain('revokedSECRETpart');
  });
});

describe('alerts.sinks slack: 429 honoured', () => {
  it('a post answered 429 with Retry-After: 1 is sent again a second later, once', async () => {
    const slack = await fakeSlack();
    closers.push(slack.close);
    slack.rateLimitNext(1, 1);
    const { config, secrets } = alertNodeConfig(10, { venues: FAULTY, risk: TRIP, alerts: { sinks: [{ type: 'slack', url: '${SLACK_URL}', codes: ['BREAKER_TRIPPED'] }] } }, { SLACK_URL: slack.hookUrl });
    const node = await TradingNode.start(config, { secrets, strategies: buyer(3) });
    await node.run();
    expect(slack.attempts).toHaveLength(2);
    expect(slack.attempts[1]! - slack.attempts[0]!).toBeGreaterThanOrEqual(990);
    expect(slack.posts.map((p) => p.body.text.slice(0, 27))).toEqual(['[CRITICAL] BREAKER_TRIPPED:']);
  });
});

describe('alerts.sinks discord: posted to a Discord webhook, 429 honoured', () => {
  it('the first post answered 429 {retry_after: 0.4} is sent again no sooner than 400 ms later; every routed alert arrives once, as content and an embed', async () => {
    const discord = await fakeDiscord();
    closers.push(discord.close);
    discord.rateLimitNext(1, 0.4);
    const { config, secrets } = alertNodeConfig(10, { venues: FAULTY, risk: TRIP, alerts: { sinks: [{ type: 'discord', url: '${DISCORD_URL}', min_severity: 'warning' }] } }, { DISCORD_URL: discord.hookUrl });
    expect(secrets.has(discord.hookUrl)).toBe(true);
    const { logger, lines } = memoryLogger(secrets);
    const node = await TradingNode.start(config, { secrets, logger, strategies: buyer(3) });
    const routed: AlertCode[] = [];
    node.engine.bus.subscribe('alert', (a) => severityOf(a.code) !== 'info' && routed.push(a.code));
    await node.run();
    expect(discord.attempts.length).toBe(routed.length + 1);
    expect(discord.attempts[1]! - discord.attempts[0]!).toBeGreaterThanOrEqual(390);
    expect(discord.posts.map((p) => p.body.embeds?.[0]?.title?.replace(/^\[\w+\] /, ''))).toEqual(routed);
    expect(discord.posts.every((p) => (p.body.content ?? '').length <= 2000)).toBe(true);
    expect(discord.posts[0]!.body.allowed_mentions).toEqual({ parse: [] });
    expect(lines.join('\n')).not.toContain(discord.token);
  });
});
