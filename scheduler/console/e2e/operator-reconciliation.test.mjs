// The operator reconciles a sandbox day, watches it finish, and resolves one of its discrepancies with a comment.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY, PROVIDER, SLOW, goTo, launch, openPage, shot, signIn, skipWithout } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the operator triggers a reconciliation, its progress bar reaches 100 %, and resolves a discrepancy', async (t) => {
  if (skipWithout(t, 'operator')) return;
  const page = await openPage(browser);
  await signIn(page, 'operator');
  await page.getByTestId('page-jobs').waitFor();
  await shot(page, 'operator-jobs');

  await page.getByTestId('start-job').click();
  const dialog = page.getByTestId('start-dialog');
  await dialog.getByTestId('start-job-name').selectOption('reconciliation');
  await dialog.getByTestId('param-provider').fill(PROVIDER);
  await dialog.getByTestId('param-businessDate').fill(DAY);
  await dialog.getByTestId('reason-input').fill(`browser test: reconcile ${PROVIDER} ${DAY}`);
  const [started] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/jobs/reconciliation/runs')),
    dialog.getByTestId('reason-confirm').click(),
  ]);
  assert.equal(started.status(), 202, `starting the job answered ${started.status()}: ${await started.text()}`);
  const run = await started.json();
  await shot(page, 'operator-job-started');

  const bar = page.getByTestId(`run-progress-${run.id}`);
  await bar.waitFor();
  await page.waitForFunction(
    (id) => {
      const row = document.querySelector(`[data-testid="running-${id}"]`);
      const status = row?.getAttribute('data-status');
      if (status === 'FAILED' || status === 'STOPPED' || status === 'ABANDONED') throw new Error(`run ${id} ${status}`);
      return document.querySelector(`[data-testid="run-progress-${id}"]`)?.getAttribute('aria-valuenow') === '100';
    },
    run.id,
    { timeout: SLOW, polling: 250 },
  );
  assert.equal(await page.getByTestId(`running-${run.id}`).getAttribute('data-status'), 'COMPLETED');
  await shot(page, 'operator-job-completed');

  await goTo(page, 'reconciliation');
  await page.getByTestId('recon-provider').fill(PROVIDER);
  await page.getByTestId('recon-day').fill(DAY);
  await page.getByTestId('recon-run-summary').waitFor({ timeout: SLOW });
  await page.getByTestId('discrepancies').waitFor();
  await shot(page, 'operator-reconciliation');

  // Then the operator resolves one open discrepancy of that day with a comment, and sees it resolved by them.
  await page.getByTestId('disc-status').selectOption('open');
  const list = page.getByTestId('disc-list');
  await Promise.race([list.waitFor({ timeout: SLOW }), page.getByTestId('disc-empty').waitFor({ timeout: SLOW })]);
  assert.ok(await list.isVisible(), `${PROVIDER} ${DAY} has no open discrepancy to resolve (KOPEK_E2E_DAY?)`);
  await shot(page, 'operator-discrepancies');

  const row = list.locator('tbody tr[data-status="open"]').first();
  const id = (await row.getAttribute('data-testid')).replace('disc-', '');
  await row.getByTestId('disc-select').check();
  await page.getByTestId('resolve-selected').click();
  const comment = `browser test: checked with the provider, ${new Date().toISOString()}`;
  await page.getByTestId('resolve-dialog').getByTestId('reason-input').fill(comment);
  await page.getByTestId('resolve-dialog').getByTestId('reason-confirm').click();
  await page.getByTestId('resolved-count').waitFor();

  await page.getByTestId('disc-status').selectOption('resolved');
  // The list reloads for the new filter: until it has, the row may still be the one shown before, open.
  const resolved = page.locator(`[data-testid="disc-${id}"][data-status="resolved"]`);
  await resolved.waitFor({ timeout: SLOW });
  assert.match(await resolved.getByTestId('disc-resolution').innerText(), new RegExp(comment.slice(0, 40)));
  assert.match(await resolved.innerText(), /operator/, 'who resolved it is shown');
  await shot(page, 'operator-discrepancy-resolved');
  assert.deepEqual(page.consoleErrors, []);
});
