/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- the API's JSON answers are checked by the assertions */
/**
 * The dashboard's advisor panel in Debian's Chromium: on a node without a model it says so; on a
 * node whose advisor is the real `openai` SDK against the fake OpenAI server, advice streams in,
 * a proposal appears as a pending ticket, a viewer cannot confirm it, and a trader's Confirm
 * places the order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { advisorSchema } from '../../src/advisor/models/config.ts';
import type { NodeConfig } from '../../src/node/config/index.ts';
import { PASSWORD, ROLE_USERS, testServer, type TestServer } from '../server/support.ts';
import { fakeOpenAI } from '../support/fake-openai.ts';
import { ENV, OPENAI_KEY, openaiTier } from '../advisor/models/support.ts';
import { DIST, ensureDashboardBuilt, launchChromium, screenshot, watchErrors } from './browser-support.ts';

const BTC = 'BTCUSDT.BINANCEUS';
const WAIT = { timeout: 20_000 };
const MARKET = { regime: 'trend', direction: 'up', trendStrength: 'moderate', volatility: 'normal', confidence: 0.7, evidence: [{ feature: 'adx', reading: 'ADX above 25' }], summary: 'An orderly uptrend.' };

Object.assign(process.env, ENV);

let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  await ensureDashboardBuilt();
  browser = await launchChromium();
}, 120_000);

/** Closes the pages (and their streams) before a server closes. */
async function closePages(): Promise<void> {
  for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
}

afterAll(async () => {
  await closePages();
  await browser?.close();
  expect(pageErrors).toEqual([]);
});

async function openAdvisor(s: TestServer, role: 'viewer' | 'trader'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  contexts.push(context);
  const page = await context.newPage();
  pageErrors.push(...watchErrors(page));
  await page.goto(s.url + '/');
  await page.fill('input[name=username]', ROLE_USERS[role]);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-testid=connection]:has-text("live")', WAIT);
  await page.goto(`${s.url}/#/advisor`);
  await page.waitForSelector('main[data-page=advisor]', WAIT);
  return page;
}

describe('advisor panel without a model', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ server: { dashboard: true }, create: { webDist: DIST } });
  }, 60_000);
  afterAll(async () => {
    await closePages();
    await s?.close();
  }, 30_000);

  it('says plainly that no model is configured, and shows no proposals', async () => {
    const page = await openAdvisor(s, 'trader');
    const note = page.locator('[data-testid=advisor-not-configured]');
    await note.waitFor(WAIT);
    expect(await note.textContent()).toMatch(/No model configured/);
    expect(await page.locator('[data-testid=proposals]').count()).toBe(0);
  });
});

describe('advisor panel with a model (real openai SDK, fake OpenAI server)', () => {
  let s: TestServer;
  let fake: Awaited<ReturnType<typeof fakeOpenAI>>;
  beforeAll(async () => {
    fake = await fakeOpenAI({ apiKey: OPENAI_KEY });
    fake.otherwise({ content: JSON.stringify(MARKET) });
    s = await testServer({
      warmSteps: 150,
      server: { dashboard: true },
      create: { webDist: DIST },
      configure: (c: NodeConfig): NodeConfig => ({ ...c, advisor: advisorSchema.parse({ reasoning_model: openaiTier(fake.baseURL) }) }),
    });
  }, 60_000);
  afterAll(async () => {
    await closePages();
    await s?.close();
    await fake?.close();
  }, 30_000);

  it('advice streams in; a proposal waits; a viewer cannot confirm; a trader confirms and the order is placed', async () => {
    const trader = await openAdvisor(s, 'trader');
    const viewer = await openAdvisor(s, 'viewer');
    await trader.locator('[data-testid=proposals]').waitFor(WAIT);

    fake.script({ content: JSON.stringify({ ...MARKET, proposals: [{ action: 'enter', instrumentId: BTC, side: 'BUY', quantity: '0.001', type: 'MARKET', rationale: 'ride the trend' }] }) });
    const r = await s.call('POST', '/api/advisor/market', { token: s.tokens.viewer, body: { instrumentId: BTC } });
    expect(r.status, r.text).toBe(200);
    const consultation: string = r.body.consultation.id;
    const proposalId: string = r.body.proposals[0].proposalId;

    // The advice, with its consultation id, as the stream brought it.
    const item = trader.locator(`[data-testid=advice-item][data-consultation="${consultation}"]`);
    await item.waitFor(WAIT);
    expect(await item.textContent()).toMatch(/market.*An orderly uptrend\..*adv-\d+/);

    const row = trader.locator(`[data-testid="proposal-${proposalId}"]`);
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain('ride the trend');
    const viewerRow = viewer.locator(`[data-testid="proposal-${proposalId}"]`);
    await viewerRow.waitFor(WAIT);
    expect(await viewerRow.locator('[data-testid=proposal-confirm]').isDisabled()).toBe(true);
    await screenshot(trader, 'advisor-proposal');

    // Nothing reached the engine on its own.
    expect(s.node.engine.order(proposalId)).toBeUndefined();
    await row.locator('[data-testid=proposal-confirm]').click();
    await row.waitFor({ ...WAIT, state: 'detached' });
    const order = s.node.engine.order(proposalId);
    expect(order?.spec.tags).toContain(`advisor:${consultation}`);
    expect(await trader.locator('[data-testid=proposal-error]').count()).toBe(0);
  });
});
