// Finance opens the dashboard and its charts are drawn with data.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SLOW, launch, openPage, colouredPixels, shot, signIn, skipWithout } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('finance sees the dashboard charts drawn with data', async (t) => {
  if (skipWithout(t, 'finance')) return;
  const page = await openPage(browser);
  await signIn(page, 'finance');
  await page.getByTestId('page-dashboard').waitFor();

  // The demo's day has turnover and discrepancies (YooKassa's fees above the rule); its receipts are all done, so
  // the fiscal backlog's bars are zeros: that chart is drawn, with nothing to paint.
  for (const chart of ['chart-turnover', 'chart-discrepancies']) {
    const box = page.getByTestId(chart);
    await box.locator('canvas').first().waitFor({ timeout: SLOW });
    assert.ok(Number(await box.getAttribute('data-points')) > 0, `${chart} has data points`);
    const painted = await colouredPixels(page, chart);
    assert.ok(painted > 1000, `${chart} painted ${painted} coloured pixels: its bars are not drawn`);
  }
  await page.getByTestId('chart-backlog').locator('canvas').first().waitFor({ timeout: SLOW });
  await shot(page, 'finance-dashboard');
  assert.deepEqual(page.consoleErrors, []);
});
