// The browser tests' harness: a headless Chromium driven by playwright-core (which never downloads a browser),
// the platform's address and people from the environment, a screenshot of every page into KOPEK_SCREENSHOTS.
//   KOPEK_URL          the platform, e.g. http://localhost:8080 (the console is at /console/)
//   KOPEK_USERS        JSON {"operator": {"login": "...", "password": "..."}, "accountant": ..., "finance": ..., "admin": ...}
//   KOPEK_SCREENSHOTS  a folder for the screenshots (made if missing); default e2e-screenshots
//   KOPEK_CHROMIUM     the browser binary; default /usr/bin/chromium (scripts/ensure-chromium installs it)
//   KOPEK_E2E_PROVIDER, KOPEK_E2E_DAY   the sandbox provider and business day to reconcile (default yookassa, yesterday)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.KOPEK_URL || 'http://localhost:8080').replace(/\/+$/, '');
export const CONSOLE_URL = `${BASE_URL}/console/`;
export const SCREENSHOTS = process.env.KOPEK_SCREENSHOTS || 'e2e-screenshots';
export const PROVIDER = process.env.KOPEK_E2E_PROVIDER || 'yookassa';
export const DAY = process.env.KOPEK_E2E_DAY || yesterdayInMoscow();

/** Minutes are what a reconciliation or a report may take on a busy machine; steps wait this long at most. */
export const SLOW = Number(process.env.KOPEK_E2E_TIMEOUT_MS || 180_000);

function yesterdayInMoscow() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
  const [y, m, d] = today.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

const users = JSON.parse(process.env.KOPEK_USERS || '{}');

/** The login and password of a role, or null (the test that needs it is then skipped, saying why). */
export function credentials(role) {
  const user = users[role];
  return user && user.login && user.password ? user : null;
}

export function skipWithout(t, ...roles) {
  const missing = roles.filter((r) => !credentials(r));
  if (missing.length) {
    t.skip(`KOPEK_USERS has no ${missing.join(', ')}`);
    return true;
  }
  return false;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.KOPEK_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser context (its own cookies) with one page, in the given language. */
export async function openPage(browser, lang = 'ru') {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
    locale: lang === 'en' ? 'en-US' : 'ru-RU',
    timezoneId: 'Europe/Moscow',
  });
  await context.addInitScript((chosen) => localStorage.setItem('kopek.console.lang', chosen), lang);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.consoleErrors = errors;
  return page;
}

/** Signs in through the form and waits for the menu. */
export async function signIn(page, role) {
  const user = credentials(role);
  await page.goto(CONSOLE_URL);
  await page.getByTestId('login').fill(user.login);
  await page.getByTestId('password').fill(user.password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('nav').waitFor();
  return user;
}

export async function goTo(page, name) {
  await page.getByTestId(`nav-${name}`).click();
  await page.getByTestId(`page-${name}`).waitFor();
}

/**
 * Waits until the page shows no "loading" any more (not for network idle: the Jobs page keeps its event stream
 * open).
 */
export async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.loading'), null, { timeout: 30_000 });
}

export async function shot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A fetch from inside the page (same origin, its cookies): {status, body}. */
export async function fetchInPage(page, path, init = {}) {
  return page.evaluate(
    async ([url, options]) => {
      const response = await fetch(url, { credentials: 'same-origin', ...options });
      const text = await response.text();
      let body = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: kept as text.
      }
      return { status: response.status, body };
    },
    [path, init],
  );
}

/**
 * The entries of a ZIP archive (an XLSX is one), read from its central directory: name -> contents. Stored and
 * deflated entries only, which is all Apache POI writes.
 */
export function readZip(buffer) {
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a ZIP archive: no end of central directory');
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error(`broken central directory at ${offset}`);
    const method = buffer.readUInt16LE(offset + 10);
    const compressed = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const local = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    const dataStart = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(dataStart, dataStart + compressed);
    entries.set(name, method === 0 ? data : method === 8 ? inflateRawSync(data) : null);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The sheet names of an XLSX workbook, in order. */
export function sheetNames(xlsx) {
  const workbook = readZip(xlsx).get('xl/workbook.xml');
  if (!workbook) throw new Error('no xl/workbook.xml: not an XLSX workbook');
  return [...workbook.toString('utf8').matchAll(/<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"/g)].map((m) =>
    m[1].replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  );
}

/**
 * How many pixels of a chart's canvases are painted in colour: axes, grid lines and labels are grey, so a chart
 * without data counts (almost) none, bars and lines count thousands.
 */
export async function colouredPixels(page, testId) {
  return page.evaluate((id) => {
    const box = document.querySelector(`[data-testid="${id}"]`);
    if (!box) return -1;
    let painted = 0;
    for (const canvas of box.querySelectorAll('canvas')) {
      if (!canvas.width || !canvas.height) continue;
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, g, b, a] = [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]];
        if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) painted++;
      }
    }
    return painted;
  }, testId);
}
