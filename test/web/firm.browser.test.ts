/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- the API's JSON answers are checked by the assertions */
/**
 * The dashboard of a firm view (no engine) in Debian's Chromium: after login it shows the Firm
 * page alone, with every node that published on the stream, and the risk table's per-node and
 * total rows as the API answers them (exact decimals). Built fresh into a temp folder so the page
 * tested is this checkout's, whatever web/dist holds.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { natsAvailable, NATS_URL, useService } from '../services.ts';
import { PASSWORD, ROLE_USERS } from '../server/support.ts';
import { startTestFirm, startTestFirmView, viewCaughtUp, type TestFirm, type TestFirmView } from '../cluster/firm-support.ts';
import { deleteStream } from '../cluster/support.ts';
import { launchChromium, ROOT, screenshot, watchErrors } from './browser-support.ts';

const WAIT = { timeout: 20_000 };
const CHROMIUM = '/usr/bin/chromium';
const chromium = existsSync(CHROMIUM) ? { available: true, reason: '' } : { available: false, reason: `no browser at ${CHROMIUM} (apt-get install chromium)` };

describe.runIf(useService('NATS', await natsAvailable()) && useService('Chromium', chromium))('firm page', () => {
  let browser: Browser;
  let firm: TestFirm;
  let v: TestFirmView;
  const errors: string[] = [];

  beforeAll(async () => {
    const dist = mkdtempSync(join(tmpdir(), 'warden-web-'));
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
    firm = await startTestFirm('web');
    v = await startTestFirmView(firm.firm, dist);
    await viewCaughtUp(v, Object.values(firm.nodes));
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await v?.view.close();
    await firm?.close();
    const nc = await (await import('@nats-io/transport-node')).connect({ servers: NATS_URL });
    await deleteStream(nc, firm.firm);
    await nc.close();
    expect(errors).toEqual([]);
  }, 60_000);

  it('lists every node and shows per-node and total risk as the API answers', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    errors.push(...watchErrors(page));
    await page.goto(v.view.url + '/');
    await page.fill('input[name=username]', ROLE_USERS.viewer);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('form button[type=submit]');
    await page.waitForSelector('main[data-page=firm] [data-testid=firm-nodes] table', WAIT);
    for (const id of ['alpha', 'beta', 'gamma']) {
      const row = page.locator(`[data-testid=firm-node-${id}]`);
      await row.waitFor(WAIT);
      expect(await row.textContent()).toContain(String(firm.nodes[id as keyof TestFirm['nodes']].records.durableSeq()));
    }
    const risk = (await v.get('/api/firm/risk', v.tokens.viewer)).body;
    for (const t of risk.total.byCurrency) {
      const cells = await page.locator(`[data-testid=firm-total-${t.currency}] td`).allTextContents();
      expect(cells).toEqual(['TOTAL', t.currency, t.grossExposure, t.netExposure, t.realizedPnl, t.unrealizedPnl]);
    }
    const beta = risk.nodes.find((n: { node: string }) => n.node === 'beta');
    const usdt = beta.byCurrency.find((c: { currency: string }) => c.currency === 'USDT');
    expect(await page.locator('[data-testid=firm-risk-beta-USDT] td').nth(2).textContent()).toBe(usdt.grossExposure);
    expect(await page.locator('[data-testid=firm-positions] tbody tr').count()).toBe((await v.get('/api/firm/positions', v.tokens.viewer)).body.length);
    await screenshot(page, 'firm');
    await context.close();
  }, 60_000);
});
