// Every page of every role given in KOPEK_USERS, in both languages: it renders (no error boundary, no script
// error) and is photographed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { credentials, goTo, launch, openPage, settled, shot, signIn } from './support.mjs';

const PAGES = {
  operator: ['jobs', 'reconciliation', 'fiscal', 'dashboard'],
  accountant: ['reconciliation', 'reports', 'fiscal', 'dashboard'],
  finance: ['dashboard', 'reconciliation', 'reports'],
  admin: ['jobs', 'reconciliation', 'reports', 'fiscal', 'dashboard', 'users'],
};

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const [role, pages] of Object.entries(PAGES)) {
  for (const lang of ['ru', 'en']) {
    test(`${role} (${lang}) sees exactly the pages of the role, each drawn`, async (t) => {
      if (!credentials(role)) return t.skip(`KOPEK_USERS has no ${role}`);
      const page = await openPage(browser, lang);
      await signIn(page, role);
      const menu = await page.getByTestId('nav').locator('a').evaluateAll((links) => links.map((a) => a.dataset.testid));
      assert.deepEqual(menu, pages.map((p) => `nav-${p}`));
      for (const name of pages) {
        await goTo(page, name);
        await settled(page);
        assert.equal(await page.getByTestId('error-boundary').count(), 0, `${name} rendered without a crash`);
        await shot(page, `tour-${role}-${lang}-${name}`);
      }
      if (role === 'operator') {
        await goTo(page, 'jobs');
        for (const tab of ['schedules', 'chains', 'audit']) {
          await page.getByTestId(`tab-${tab}`).click();
          await page.getByTestId(tab === 'chains' ? 'chains' : tab).waitFor();
          await settled(page);
          await shot(page, `tour-${role}-${lang}-jobs-${tab}`);
        }
      }
      assert.deepEqual(page.consoleErrors, []);
    });
  }
}
