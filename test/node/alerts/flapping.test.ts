import { afterEach, describe, expect, it } from 'vitest';
import { TradingNode } from '../../../src/node/trading-node.ts';
import { fakeSlack, type SlackPost } from '../../support/fake-alerting/slack.ts';
import { buyer } from '../small-node.ts';
import { alertNodeConfig } from './support.ts';
import { AlertChannel } from '../../../src/node/alerts/channel.ts';
import { SlackTransport } from '../../../src/node/alerts/slack.ts';
import { until } from '../../support/fake-alerting/http.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** Every submit rejected, and a breaker that trips on one error and resets itself a minute (of data time) later: it flaps every other bar. */
const FLAPPING = {
  venues: { SIM: { type: 'sim', faults: { calls: [{ call: 'SUBMIT', times: 'always', fault: { kind: 'REJECT', reason: 'insufficient margin' } }] } } },
  risk: {
    version: 1,
    limits: { default: { max_order_quantity: '10', max_order_notional: '1000000', max_position_quantity: '10', max_position_notional: '1000000' } },
    breakers: { errors: { max_consecutive_errors: 1, scope: 'ACCOUNT', auto_reset_after_minutes: 1 } },
  },
};

/** How many alerts a post accounts for: an alert and the repeats it reports, or a summary's count. */
function accounted(p: SlackPost): number {
  const held = /^\[\w+\] (\d+) alerts? held back/.exec(p.body.text);
  if (held) return Number(held[1]);
  const repeated = /\(repeated (\d+) times?/.exec(JSON.stringify(p.body.blocks));
  return 1 + (repeated ? Number(repeated[1]) : 0);
}

describe('a flapping breaker cannot flood a channel', () => {
  it('dedupe: a breaker tripping every other bar for 40 bars is posted once; the repeats come in one summary at stop; nothing unaccounted', async () => {
    const slack = await fakeSlack();
    closers.push(slack.close);
    const sink = { type: 'slack', url: '${SLACK_URL}', codes: ['BREAKER_TRIPPED'], dedupe_ms: 600_000, rate_limit: { max: 100, window_ms: 60_000 } };
    const { config, secrets } = alertNodeConfig(40, { ...FLAPPING, alerts: { sinks: [sink] } }, { SLACK_URL: slack.hookUrl });
    const node = await TradingNode.start(config, { secrets, strategies: buyer(40) });
    let trips = 0;
    node.engine.bus.subscribe('alert', (a) => a.code === 'BREAKER_TRIPPED' && trips++);
    await node.run();
    expect(trips).toBeGreaterThanOrEqual(10);
    expect(slack.posts).toHaveLength(2);
    expect(slack.posts[0]!.body.text).toMatch(/^\[CRITICAL\] BREAKER_TRIPPED/);
    expect(slack.posts[1]!.body.text).toMatch(new RegExp(`^\\[CRITICAL\\] ${trips - 1} alerts held back: ${trips - 1} alerts not sent before the node stopped from `));
    expect(JSON.stringify(slack.posts[1]!.body.blocks)).toContain(`BREAKER_TRIPPED ×${trips - 1}`);
    expect(slack.posts.reduce((n, p) => n + accounted(p), 0)).toBe(trips);
  });

  it('rate limit: with no dedupe and at most 3 posts per 60 s, every alert of the flapping breaker is posted or counted in a summary, and no 60 s holds more than 3 posts before the closing summary', async () => {
    const slack = await fakeSlack();
    closers.push(slack.close);
    const sink = { type: 'slack', url: '${SLACK_URL}', min_severity: 'info', dedupe_ms: 0, rate_limit: { max: 3, window_ms: 60_000 } };
    const { config, secrets } = alertNodeConfig(40, { ...FLAPPING, alerts: { sinks: [sink] } }, { SLACK_URL: slack.hookUrl });
    const node = await TradingNode.start(config, { secrets, strategies: buyer(40) });
    let alerts = 0;
    node.engine.bus.subscribe('alert', () => alerts++);
    await node.run();
    expect(alerts).toBeGreaterThan(20);
    expect(slack.posts).toHaveLength(4);
    const closing = slack.posts[3]!;
    expect(closing.body.text).toMatch(/^\[CRITICAL\] \d+ alerts held back/);
    expect(JSON.stringify(closing.body.blocks)).toContain('BREAKER_TRIPPED ×');
    expect(slack.posts.reduce((n, p) => n + accounted(p), 0)).toBe(alerts);
  });
});

describe('the channel releases what it held while running', () => {
  it('max 2 per 300 ms: 10 alerts at once → 2 posts, then one summary of 8 when the first slot comes back (≥ 300 ms), never 3 posts in 300 ms', async () => {
    const slack = await fakeSlack();
    closers.push(slack.close);
    const channel = new AlertChannel(new SlackTransport(slack.hookUrl, { timeoutMs: 2000 }), { route: { minSeverity: 'info' }, limits: { dedupeMs: 0, max: 2, windowMs: 300 } });
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) channel.offer({ code: 'BREAKER_TRIPPED', message: `trip ${i}`, context: { breaker: 'errors', scope: 'FIRM' }, ts: t0 });
    await until(() => slack.posts.length === 3, 'the summary');
    expect(slack.posts[2]!.body.text).toMatch(/^\[CRITICAL\] 8 alerts held back/);
    expect(slack.posts[2]!.at - t0).toBeGreaterThanOrEqual(295);
    // Each request leaves ≥ 300 ms after the one two before it was answered, so it arrives ≥ 300 ms after that one did.
    for (const p of slack.posts) expect(slack.posts.filter((q) => q.at >= p.at && q.at < p.at + 300).length).toBeLessThanOrEqual(2);
    await channel.close();
    expect(slack.posts).toHaveLength(3);
  });
});

describe('a stopping node waits a bounded time for its sinks', () => {
  it('a message answered 429 Retry-After: 30 while the channel closes is given up after closeGraceMs (reported, not waited 30 s)', async () => {
    const slack = await fakeSlack();
    closers.push(slack.close);
    slack.rateLimitNext(5, 30);
    const failed: string[] = [];
    const channel = new AlertChannel(new SlackTransport(slack.hookUrl, { timeoutMs: 2000 }), {
      route: { minSeverity: 'info' },
      limits: { dedupeMs: 0, max: 10, windowMs: 1000 },
      closeGraceMs: 200,
      onFailure: (out, e) => failed.push(`${out.kind} ${(e as Error).message}`),
    });
    channel.offer({ code: 'BREAKER_TRIPPED', message: 'trip', context: {}, ts: 0 });
    await until(() => slack.attempts.length === 1, 'the first attempt');
    const t0 = Date.now();
    await channel.close();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(failed).toEqual(['alert slack answered 429 rate_limited']);
    expect(slack.posts).toEqual([]);
  });
});
