// The console is open; the API behind it is not: a signed-out browser gets 401, a POST without the session's
// CSRF token is refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONSOLE_URL, fetchInPage, launch, openPage, shot, signIn, skipWithout } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a signed-out browser sees the sign-in page and gets 401 from the API', async () => {
  const page = await openPage(browser);
  await page.goto(`${CONSOLE_URL}jobs`);
  await page.getByTestId('sign-in').waitFor();
  await shot(page, 'signed-out');

  for (const path of ['/api/v1/session', '/api/v1/jobs', '/api/v1/job-runs/1', '/api/v1/discrepancies']) {
    const answer = await fetchInPage(page, path);
    assert.equal(answer.status, 401, `${path} answered ${answer.status}`);
  }
});

test('a wrong password is a message on the form, not a blank page', async (t) => {
  if (skipWithout(t, 'operator')) return;
  const page = await openPage(browser, 'en');
  await page.goto(CONSOLE_URL);
  await page.getByTestId('login').fill('nobody-' + Date.now());
  await page.getByTestId('password').fill('wrong password');
  await page.getByTestId('sign-in-submit').click();
  const error = page.getByTestId('sign-in-error');
  await error.waitFor();
  assert.ok((await error.innerText()).trim().length > 0);
  await shot(page, 'sign-in-refused');
});

test('a POST without the CSRF header is refused and the session stays', async (t) => {
  if (skipWithout(t, 'operator')) return;
  const page = await openPage(browser);
  await signIn(page, 'operator');

  const refused = await fetchInPage(page, '/api/v1/session/logout', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: '{}',
  });
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  assert.match(String(refused.body.type), /\/csrf$/);

  const session = await fetchInPage(page, '/api/v1/session');
  assert.equal(session.status, 200, 'the refused logout did not end the session');
});
