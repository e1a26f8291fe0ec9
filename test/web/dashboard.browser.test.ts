/**
 * The dashboard in Debian's Chromium against the real server over a real paper node (replaying
 * the bundled data in the background, so prices move and orders fill). Users are created through
 * the auth service (test/server/support.ts). Screenshots of each page go to var/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { PASSWORD, ROLE_USERS, testServer, type TestServer } from '../server/support.ts';
import { DIST, ensureDashboardBuilt, launchChromium, screenshot, watchErrors } from './browser-support.ts';
import { addDecimal, compareDecimal } from '../../web/src/state/decimal.ts';

const BTC = 'BTCUSDT.BINANCEUS';
const WAIT = { timeout: 20_000 };

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  await ensureDashboardBuilt();
  // 60 data seconds per wall second: a one-minute bar a second, so quotes move and market orders fill.
  s = await testServer({ bars: 2000, speed: 60, server: { dashboard: true }, create: { webDist: DIST } });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await s?.close();
});

async function newPage(width = 1280, height = 860): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  contexts.push(context);
  const page = await context.newPage();
  pageErrors.push(...watchErrors(page));
  return page;
}

async function login(page: Page, role: 'trader' | 'risk'): Promise<void> {
  await page.goto(s.url + '/');
  await page.fill('input[name=username]', ROLE_USERS[role]);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form button[type=submit]');
  await page.waitForSelector(`.who:has-text("${ROLE_USERS[role]}")`, WAIT);
  await page.waitForSelector('[data-testid=connection]:has-text("live")', WAIT);
}

async function go(page: Page, name: string): Promise<void> {
  await page.goto(`${s.url}/#/${name}`);
  await page.waitForSelector(`main[data-page=${name}]`, WAIT);
}

/** Fills the ticket (MARKET or LIMIT) for BTC and waits for the gate's verdict. */
async function ticket(page: Page, o: { side: 'BUY' | 'SELL'; kind: 'MARKET' | 'LIMIT' | 'TRAILING_STOP_MARKET'; quantity: string; price?: string; trailingOffset?: string }): Promise<string> {
  await go(page, 'ticket');
  await page.locator('select[name=instrumentId] option', { hasText: BTC }).waitFor({ ...WAIT, state: 'attached' });
  await page.selectOption('select[name=instrumentId]', BTC);
  await page.selectOption('select[name=kind]', o.kind);
  await page.click(`button[name=side-${o.side}]`);
  await page.fill('input[name=quantity]', o.quantity);
  if (o.price !== undefined) await page.fill('input[name=price]', o.price);
  if (o.trailingOffset !== undefined) await page.fill('input[name=trailingOffset]', o.trailingOffset);
  const verdict = page.locator('[data-testid=verdict]');
  await verdict.waitFor(WAIT);
  return (await verdict.textContent()) ?? '';
}

async function positionQty(page: Page): Promise<string> {
  await go(page, 'positions');
  const cell = page.locator(`[data-testid="position-${BTC}"] td:nth-child(3)`);
  return (await cell.count()) === 0 ? '0' : ((await cell.first().textContent()) ?? '0');
}

describe('dashboard in Chromium', () => {
  let trader: Page;

  it('logs in (a wrong password is refused with its code)', async () => {
    trader = await newPage();
    await trader.goto(s.url + '/');
    await trader.fill('input[name=username]', ROLE_USERS.trader);
    await trader.fill('input[name=password]', 'not the password');
    await trader.click('form button[type=submit]');
    await expect.poll(() => trader.locator('[data-testid=login-error]').textContent(), WAIT).toContain('INVALID_CREDENTIALS');
    await screenshot(trader, 'login');
    await login(trader, 'trader');
    await trader.waitForSelector('[data-testid=equity-chart] canvas', WAIT);
    await screenshot(trader, 'overview');
  });

  it('places an order, sees it fill and the position appear', async () => {
    const before = await positionQty(trader);
    const verdict = await ticket(trader, { side: 'BUY', kind: 'MARKET', quantity: '0.01' });
    expect(verdict).toContain('allowed');
    await screenshot(trader, 'ticket');
    await trader.click('[data-testid=send-order]');
    const outcome = trader.locator('[data-testid=outcome]');
    await expect.poll(() => outcome.textContent(), WAIT).toMatch(/^Sent/);
    const id = (await outcome.locator('.mono').textContent()) ?? '';
    expect(id).not.toBe('');

    await go(trader, 'orders');
    await trader.selectOption('select[aria-label=Show]', 'all');
    const row = trader.locator(`[data-testid=order-row][data-order-id="${id}"]`);
    await expect.poll(() => row.getAttribute('data-status'), WAIT).toBe('FILLED');
    await screenshot(trader, 'orders');

    const expected = addDecimal(before, '0.01');
    await expect.poll(async () => compareDecimal(await positionQty(trader), expected), WAIT).toBe(0);
    // Prices and PnL come from the REST answer read after the fill.
    await expect.poll(() => trader.locator(`[data-testid="position-${BTC}"] td:nth-child(4)`).textContent(), WAIT).toMatch(/^\d/);
    await screenshot(trader, 'positions');
  });

  it('shows the gate denial code before and after sending', async () => {
    const verdict = await ticket(trader, { side: 'BUY', kind: 'MARKET', quantity: '25' });
    const code = /Gate would deny: ([A-Z_]+)/.exec(verdict)?.[1];
    expect(code, verdict).toBeDefined();
    await trader.click('[data-testid=send-order]');
    await expect.poll(() => trader.locator('[data-testid=denial-code]').textContent(), WAIT).toBe(code);
    await screenshot(trader, 'ticket-denied');
  });

  it('blotter shortcuts: / filters, j/k move, m opens modify, c cancels', async () => {
    const ids: string[] = [];
    for (const offset of ['900', '950']) {
      await ticket(trader, { side: 'SELL', kind: 'TRAILING_STOP_MARKET', quantity: '0.01', trailingOffset: offset });
      await trader.click('[data-testid=send-order]');
      const outcome = trader.locator('[data-testid=outcome]');
      await expect.poll(() => outcome.textContent(), WAIT).toMatch(/^Sent/);
      // The first order's "Sent" may still be on screen when the second is sent: wait for a new id.
      const sentId = async (): Promise<string> => (await outcome.locator('.mono').textContent()) ?? '';
      await expect.poll(async () => { const id = await sentId(); return id !== '' && !ids.includes(id); }, WAIT).toBe(true);
      ids.push(await sentId());
    }
    await go(trader, 'orders');
    const rows = trader.locator('[data-testid=order-row]');
    await trader.keyboard.press('/');
    await trader.keyboard.type('TRAILING');
    await trader.keyboard.press('Escape');
    await expect.poll(() => rows.count(), WAIT).toBe(2);
    // j and k move the selection between the two rows (rows may re-sort as a trailing stop's trigger moves: the selection follows its order).
    const selectedId = async (): Promise<string | null> => trader.locator('tr.selected').getAttribute('data-order-id');
    await expect.poll(selectedId, WAIT).not.toBeNull();
    const first = (await selectedId())!;
    // From the top row j moves down, from the bottom one k moves up.
    const top = await rows.first().getAttribute('data-order-id');
    await trader.keyboard.press(top === first ? 'j' : 'k');
    await expect.poll(selectedId, WAIT).not.toBe(first);
    const chosen = (await selectedId())!;
    expect(ids).toContain(chosen);
    await trader.keyboard.press('m');
    await trader.waitForSelector('form.modify', WAIT);
    await screenshot(trader, 'orders-modify');
    await trader.keyboard.press('Escape');
    // The form must be gone before the next key: a 'c' typed while its field still has focus would land in it.
    await trader.waitForSelector('form.modify', { ...WAIT, state: 'detached' });
    await trader.keyboard.press('c');
    // c cancels the selected order and no other.
    const other = ids.find((i) => i !== chosen)!;
    await expect.poll(() => trader.locator(`[data-testid=order-row][data-order-id="${chosen}"]`).count(), WAIT).toBe(0);
    await trader.selectOption('select[aria-label=Show]', 'all');
    await expect.poll(() => trader.locator(`[data-testid=order-row][data-order-id="${chosen}"]`).getAttribute('data-status'), WAIT).toBe('CANCELED');
    expect(await trader.locator(`[data-testid=order-row][data-order-id="${other}"]`).getAttribute('data-status')).toBe('EMULATED');
  });

  it('the kill switch cancels every working order and shows HALTED; trader cannot reset, risk can', async () => {
    // Two working orders that will not fill while the replay runs: trailing stops 1000 under the
    // market, held by the order emulator (the simulated venue has no native trailing stops).
    const working: string[] = [];
    for (const offset of ['1000', '1200']) {
      await ticket(trader, { side: 'SELL', kind: 'TRAILING_STOP_MARKET', quantity: '0.01', trailingOffset: offset });
      await trader.click('[data-testid=send-order]');
      const outcome = trader.locator('[data-testid=outcome]');
      await expect.poll(() => outcome.textContent(), WAIT).toMatch(/^Sent/);
      working.push((await outcome.locator('.mono').textContent()) ?? '');
    }
    await go(trader, 'orders');
    for (const id of working) await trader.locator(`[data-testid=order-row][data-order-id="${id}"]`).waitFor(WAIT);
    await trader.keyboard.press('?');
    await trader.waitForSelector('[data-testid=blotter-help]', WAIT);
    await screenshot(trader, 'orders-working');
    await trader.keyboard.press('Escape');

    await go(trader, 'risk');
    await trader.click('[data-testid=engage-kill-switch]');
    await trader.fill('.modal input[name=reason]', 'browser test drill');
    await screenshot(trader, 'risk-confirm');
    await trader.click('[data-testid=confirm]');
    await trader.waitForSelector('[data-testid=halted-banner]', WAIT);
    await expect.poll(() => trader.locator('[data-testid=kill-switch-state]').textContent(), WAIT).toContain('ENGAGED');

    // Every working order canceled: the server has none open, and the blotter's working view is empty.
    const openOrders = async (): Promise<number> => ((await s.call('GET', '/api/orders?status=open', { token: s.tokens.viewer })).body as unknown[]).length;
    await expect.poll(openOrders, WAIT).toBe(0);
    await go(trader, 'orders');
    await expect.poll(() => trader.locator('[data-testid=order-row]').count(), WAIT).toBe(0);
    await trader.selectOption('select[aria-label=Show]', 'all');
    for (const id of working) {
      await expect.poll(() => trader.locator(`[data-testid=order-row][data-order-id="${id}"]`).getAttribute('data-status'), WAIT).toBe('CANCELED');
    }
    expect(await trader.locator('[data-testid=halted-banner]').textContent()).toContain('HALTED');
    await screenshot(trader, 'orders-halted');

    // A trader sees the reset disabled with the reason, and the server refuses it too.
    await go(trader, 'risk');
    const reset = trader.locator('[data-testid=reset-kill-switch]');
    expect(await reset.isDisabled()).toBe(true);
    expect(await trader.locator('[data-testid=kill-switch] .reason').textContent()).toContain('risk');
    await screenshot(trader, 'risk-halted-trader');
    const refused = await s.call('POST', '/api/risk/kill-switch/reset', { token: s.tokens.trader, body: { reason: 'try' } });
    expect(refused.status).toBe(403);

    // A risk officer resets it; the trader's page sees it live.
    const risk = await newPage();
    await login(risk, 'risk');
    await go(risk, 'risk');
    await risk.click('[data-testid=reset-kill-switch]');
    await risk.fill('.modal input[name=reason]', 'drill over');
    await risk.click('[data-testid=confirm]');
    await expect.poll(() => risk.locator('[data-testid=kill-switch-state]').textContent(), WAIT).toContain('Not engaged');
    await screenshot(risk, 'risk-reset');
    await expect.poll(() => trader.locator('[data-testid=kill-switch-state]').textContent(), WAIT).toContain('Not engaged');
  });

  it('resumes after a forced disconnect: no event lost or repeated', async () => {
    const page = await newPage();
    const sockets: { url: string; page: WebSocketRoute }[] = [];
    const seqs: number[][] = [];
    await page.routeWebSocket(/\/api\/stream/, (ws) => {
      const server = ws.connectToServer();
      const received: number[] = [];
      seqs.push(received);
      sockets.push({ url: ws.url(), page: ws });
      server.onMessage((m) => {
        const msg = JSON.parse(String(m)) as { type: string; seq?: number };
        if (msg.type === 'event' && msg.seq !== undefined) received.push(msg.seq);
        ws.send(m);
      });
    });
    await login(page, 'trader');
    await go(page, 'orders');
    await page.selectOption('select[aria-label=Show]', 'all');
    const buy = { instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.02' };
    const first = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: buy });
    expect(first.status).toBe(201);
    await expect.poll(() => page.locator(`[data-testid=order-row][data-order-id="${(first.body as { clientOrderId: string }).clientOrderId}"]`).getAttribute('data-status'), WAIT).toBe('FILLED');
    expect(seqs[0]!.length).toBeGreaterThan(0);

    // Drop the page's socket as the server does a slow consumer, and trade while it is away.
    await sockets[0]!.page.close({ code: 4008, reason: 'slow consumer' });
    const sent = await s.call('POST', '/api/orders', { token: s.tokens.trader, body: buy });
    expect(sent.status).toBe(201);
    const id = (sent.body as { clientOrderId: string }).clientOrderId;
    await expect.poll(() => sockets.length, WAIT).toBeGreaterThanOrEqual(2);
    const lastBefore = Math.max(...seqs[0]!);
    expect(sockets[1]!.url).toContain(`from=${lastBefore}`);
    await page.waitForSelector('[data-testid=connection]:has-text("live")', WAIT);
    await expect.poll(() => page.locator(`[data-testid=order-row][data-order-id="${id}"]`).getAttribute('data-status'), WAIT).toBe('FILLED');
    await screenshot(page, 'orders-after-reconnect');

    // Over the wire: the second socket starts with the last record the page had (asked again on
    // purpose) and continues without a gap.
    const second = seqs[1]!;
    expect(second[0]).toBe(lastBefore);
    for (let i = 1; i < second.length; i++) expect(second[i]).toBe(second[i - 1]! + 1);
    // In the page: every order the server knows is shown with the server's status and filled quantity.
    const serverOrders = (await s.call('GET', '/api/orders?status=all&limit=1000', { token: s.tokens.viewer })).body as { clientOrderId: string; status: string; filledQty: string }[];
    for (const o of serverOrders.filter((x) => x.status !== 'EMULATED')) {
      const row = page.locator(`[data-testid=order-row][data-order-id="${o.clientOrderId}"]`);
      await expect.poll(() => row.getAttribute('data-status'), WAIT).toBe(o.status);
      expect(compareDecimal((await row.locator('td:nth-child(7)').textContent()) ?? '', o.filledQty), o.clientOrderId).toBe(0);
    }
    const serverPositions = (await s.call('GET', '/api/positions', { token: s.tokens.viewer })).body as { instrumentId: string; quantity: string; side: string }[];
    const btc = serverPositions.filter((p) => p.instrumentId === BTC).reduce((q, p) => addDecimal(q, p.side === 'SHORT' ? `-${p.quantity}` : p.quantity), '0');
    expect(compareDecimal(await positionQty(page), btc)).toBe(0);
  });

  it('runs a backtest, shows its progress and opens its report', async () => {
    await go(trader, 'backtests');
    await trader.click('[data-testid=backtests] button.primary');
    const run = trader.locator('[data-testid=backtest-run]').first();
    await run.waitFor(WAIT);
    await expect.poll(() => run.getAttribute('data-state'), { timeout: 50_000 }).not.toBe('running');
    expect(await run.getAttribute('data-state'), (await run.textContent()) ?? '').toBe('done');
    const href = await run.locator('a', { hasText: 'Open report' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/backtests\/.+\/report$/);
    const report = await trader.request.get(s.url + href);
    expect(report.status()).toBe(200);
    expect(report.headers()['content-type']).toContain('text/html');
    await screenshot(trader, 'backtests-done');
  }, 90_000);

  it('every other page renders (screenshots, and two at phone width)', async () => {
    for (const name of ['strategies', 'venues', 'alerts', 'audit', 'backtests']) {
      await go(trader, name);
      await trader.waitForSelector('.card', WAIT);
      await trader.waitForTimeout(300);
      await screenshot(trader, name);
    }
    const phone = await newPage(390, 844);
    await login(phone, 'trader');
    for (const name of ['overview', 'orders', 'ticket', 'risk']) {
      await go(phone, name);
      await phone.waitForSelector('.card', WAIT);
      await phone.waitForTimeout(300);
      await screenshot(phone, `phone-${name}`);
      const overflow = await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, `${name} wider than the phone`).toBeLessThanOrEqual(0);
    }
    expect(pageErrors).toEqual([]);
  });

  it('never shows a secret: no session token in the page or its storage', async () => {
    const token = await trader.evaluate('JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie + document.body.innerHTML');
    expect(String(token)).not.toMatch(/warden_session|[A-Za-z0-9_-]{40,}/);
  });
});
