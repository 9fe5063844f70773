// Smoke check without the backend: `npm run build && node e2e/smoke.mjs`.
// Serves spa/dist with the gateway's CSP header from a tiny node:http server (no API: /api/* is 404), drives
// Debian's Chromium through playwright-core, and proves the launch + screenshot plumbing and that the built app
// runs under that CSP without a single violation.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GATEWAY_CSP, SPA_DIR, ensureTargetDir, launchBrowser, printSummary, runChecks, serveStatic,
} from './lib.mjs';

const DIST = join(SPA_DIR, 'dist');
if (!existsSync(join(DIST, 'index.html'))) {
  console.log(`FAIL ${DIST}/index.html is missing: run npm run build first`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let browser;
let site;

/** A page that records CSP violations (from an init script, which the CSP does not govern) and page errors. */
async function watchedPage() {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.problems = async () => [...problems, ...(await page.evaluate(() => window.__csp)).map((v) => `violation: ${v}`)];
  return page;
}

function assertNone(list, what) {
  if (list.length) throw new Error(`${what}:\n${list.join('\n')}`);
}

const checks = [
  ['built index.html has no inline script, inline style or event handler attribute', async () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const offences = [];
    for (const tag of html.match(/<script\b[^>]*>/gi) || []) if (!/\bsrc=/i.test(tag)) offences.push(tag);
    if (/<script\b[^>]*>\s*\S[\s\S]*?<\/script>/i.test(html)) offences.push('script element with a body');
    if (/<style\b/i.test(html)) offences.push('<style>');
    if (/\sstyle\s*=/i.test(html)) offences.push('style="" attribute');
    if (/\son[a-z]+\s*=/i.test(html)) offences.push('on*="" handler attribute');
    if (/javascript:/i.test(html)) offences.push('javascript: URL');
    assertNone(offences, 'inline code in dist/index.html');
    const scripts = (html.match(/<script\b[^>]*src="([^"]+)"/gi) || []).length;
    return `${scripts} external script, ${(html.match(/rel="stylesheet"/g) || []).length} external stylesheet`;
  }],

  ['Debian Chromium launches headless through playwright-core', async () => {
    const started = Date.now();
    browser = await launchBrowser();
    return `Chromium ${browser.version()} in ${Date.now() - started} ms`;
  }],

  ['login page renders under the gateway CSP with no violation, screenshot saved', async () => {
    const page = await watchedPage();
    const response = await page.goto(`${site.origin}/#/login`);
    if (response.headers()['content-security-policy'] !== GATEWAY_CSP) throw new Error('CSP header not served');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByLabel('Email').fill('someone@example.test');
    await page.getByLabel('Password').fill('not a real password at all');
    const stylesApplied = await page.evaluate(() => getComputedStyle(document.querySelector('.topbar')).display);
    if (stylesApplied !== 'flex') throw new Error(`stylesheet not applied (topbar display: ${stylesApplied})`);
    const file = join(ensureTargetDir(), 'smoke-login.png');
    await page.screenshot({ path: file, fullPage: true });
    assertNone(await page.problems(), 'CSP violations or page errors');
    await page.close();
    return `screenshot ${file}`;
  }],

  ['register page: every control has a label', async () => {
    const page = await watchedPage();
    await page.goto(`${site.origin}/#/register`);
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    for (const label of ['Email', 'Display name', 'Password', 'Repeat password']) {
      await page.getByLabel(label, { exact: true }).waitFor();
    }
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, textarea, select')].filter((c) => c.labels.length === 0).map((c) => c.id));
    assertNone(unlabelled, 'controls without a label');
    assertNone(await page.problems(), 'CSP violations or page errors');
    await page.close();
  }],

  ['profile page without a backend shows an error message, not a blank page', async () => {
    const page = await watchedPage();
    await page.goto(`${site.origin}/`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.textContent();
    assertNone(await page.problems(), 'CSP violations or page errors');
    await page.close();
    return `shows "${text}"`;
  }],

  ['the CSP is really enforced, and the violation watch above really sees violations', async () => {
    const page = await watchedPage();
    await page.goto(`${site.origin}/#/login`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    const outcome = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      const styled = document.createElement('p');
      styled.setAttribute('style', 'display: none');
      document.body.append(styled);
      await new Promise((r) => setTimeout(r, 200));
      return { inlineRan: window.__inlineRan === true, inlineStyle: getComputedStyle(styled).display === 'none' };
    });
    const seen = await page.problems();
    await page.close();
    if (outcome.inlineRan || outcome.inlineStyle) throw new Error(`CSP not enforced: ${JSON.stringify(outcome)}`);
    if (!seen.some((v) => v.includes('script-src')) || !seen.some((v) => v.includes('style-src'))) {
      throw new Error(`violations not detected: ${JSON.stringify(seen)}`);
    }
    return 'an injected inline script and style attribute were blocked and reported';
  }],
];

try {
  site = await serveStatic(DIST, { 'Content-Security-Policy': GATEWAY_CSP, 'X-Content-Type-Options': 'nosniff' });
  const result = await runChecks(checks, { timeoutMs: 60_000 });
  process.exitCode = printSummary(result);
} finally {
  await browser?.close();
  await site?.close();
}
