import { launch } from './e2e/support.mjs';
const key = process.env.KEY;
const browser = await launch();
for (const variant of ['headers', 'nodownloadattr']) {
  const context = await browser.newContext(true ? { extraHTTPHeaders: { Authorization: `Bearer ${key}` } } : {});
  const page = await context.newPage();
  await page.goto('http://127.0.0.1:18082/console/jobs');
  await page.evaluate((variant) => { const a = document.createElement('a'); a.href = '/api/v1/report-runs/6/file'; if (variant === 'headers') a.download = ''; a.id = 'x'; a.textContent = 'x'; document.body.append(a); }, variant);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#x')]);
  console.log(variant, await download.failure(), download.suggestedFilename());
  await context.close();
}
await browser.close();
