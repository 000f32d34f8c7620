// An accountant makes an Excel report, downloads it through the browser and the file is a workbook.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { DAY, SLOW, goTo, launch, openPage, sheetNames, shot, signIn, skipWithout } from './support.mjs';

const REPORT = process.env.KOPEK_E2E_REPORT || 'payments';
// Every XLSX report opens with its title sheet (XlsxReportWriter.TITLE_SHEET).
const TITLE_SHEET = 'Отчёт';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('an accountant downloads an Excel report and it opens as a workbook with its sheets', async (t) => {
  if (skipWithout(t, 'accountant')) return;
  const page = await openPage(browser);
  await signIn(page, 'accountant');
  await goTo(page, 'reports');
  await page.getByTestId('report-form').waitFor();
  await page.getByTestId('report-name').selectOption(REPORT);
  await page.getByTestId('report-format').selectOption('xlsx');
  const from = page.getByTestId('report-filter-from');
  if (await from.count()) await from.fill(addDays(DAY, -29));
  const to = page.getByTestId('report-filter-to');
  if (await to.count()) await to.fill(DAY);
  await page.getByTestId('report-request').click();

  const current = page.getByTestId('report-current');
  await current.waitFor();
  await page.waitForFunction(
    () => {
      const state = document.querySelector('[data-testid="report-current"]')?.getAttribute('data-state');
      if (state === 'failed' || state === 'expired') throw new Error(`the report run ${state}`);
      return state === 'succeeded';
    },
    null,
    { timeout: SLOW, polling: 500 },
  );
  await shot(page, 'accountant-report-ready');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download').click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const file = await readFile(await download.path());
  assert.equal(file.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004', 'an XLSX is a ZIP archive');
  const sheets = sheetNames(file);
  assert.equal(sheets[0], TITLE_SHEET, `sheets: ${sheets.join(', ')}`);
  assert.ok(sheets.length >= 2, `a title sheet and the report's tables: ${sheets.join(', ')}`);
});

function addDays(iso, days) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
