// Browser tests of the SPA against the running suite: `node spa/e2e/run.mjs` (BASE_URL, default https://localhost:8443;
// MAIL_API, the mail server's address that make run prints, for issue 21's password reset and address flows).
// Debian's Chromium driven by playwright-core; every test registers fresh users, so a run needs no clean-up.
// Prints one line per test, then `N passed, N failed`; exits non-zero on any failure.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { ensureTargetDir, launchBrowser, listen, printSummary, runChecks } from './lib.mjs';
import { accountPageTests, throttledLoginTest } from './account-page.mjs';
import { passwordResetTests } from './password-reset.mjs';
import { emailTests } from './email.mjs';
import { sessionsPageTests } from './sessions-page.mjs';
import { adminPageTests } from './admin-page.mjs';
import { secondFactorTests, stepUpTest } from './second-factor.mjs';
import { passkeyRemovalTest, passkeyTests } from './passkey.mjs';

const BASE_URL = (process.env.BASE_URL || 'https://localhost:8443').replace(/\/+$/, '');
const RUN = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const ACCESS = '__Host-access';
const REFRESH = '__Host-refresh';
const CSRF = '__Host-csrf';

// ---------------------------------------------------------------- preflight: fail fast, and say why

function probe(path) {
  return new Promise((resolve) => {
    const url = new URL(path, BASE_URL);
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, { rejectUnauthorized: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        if (body.length < 8192) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer within 5 s'), { code: 'TIMEOUT' })));
    req.on('error', (error) => resolve({ error: error.code || error.message }));
  });
}

async function preflight() {
  const csrf = await probe('/api/auth/csrf');
  if (csrf.error) {
    return `BASE_URL ${BASE_URL} is unreachable (${csrf.error}). Start the suite first (make run), or set BASE_URL.`;
  }
  if (csrf.status !== 200 || !/"token"/.test(csrf.body)) {
    return `${BASE_URL}/api/auth/csrf answered ${csrf.status}, not a CSRF token: is this the suite's gateway?`;
  }
  const index = await probe('/');
  if (index.error || index.status !== 200 || !index.body.includes('id="root"')) {
    return `${BASE_URL}/ does not serve the SPA (${index.error || `HTTP ${index.status}`}): build it (cd spa && npm ci && npm run build) and let the gateway serve spa/dist.`;
  }
  return null;
}

// ---------------------------------------------------------------- helpers

let browser;
let userCount = 0;

function newUser() {
  userCount += 1;
  return {
    email: `e2e-${RUN}-${userCount}@example.test`,
    // 24 random characters: long enough, never common or breached, shares nothing with the email or the name.
    password: randomBytes(18).toString('base64url'),
    displayName: `Browser Tester ${userCount}`,
  };
}

/**
 * A fresh visitor: its own cookie jar. Records every API answer >= 400 (shown when a test fails), every value the
 * page's JavaScript read from document.cookie, and every CSP violation.
 */
async function openVisitor(diag) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: BASE_URL, viewport: { width: 1280, height: 860 } });
  context.setDefaultTimeout(15_000);
  await context.addInitScript(() => {
    window.__cookieReads = [];
    window.__csp = [];
    const native = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      get() {
        const value = native.get.call(this);
        window.__cookieReads.push(value);
        return value;
      },
      set(value) {
        native.set.call(this, value);
      },
    });
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const api = []; // every /api request of this page: "METHOD /path -> status"
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/')) return;
    const line = `${response.request().method()} ${url.pathname} -> ${response.status()}`;
    api.push(line);
    if (response.status() >= 400) {
      const retry = response.headers()['retry-after'];
      diag.push(`${line}${retry ? ` (Retry-After ${retry})` : ''}`);
    }
  });
  page.on('pageerror', (error) => diag.push(`page error: ${error.message}`));
  return { context, page, api };
}

async function registerViaUi(page, user) {
  await page.goto('/#/register');
  await page.getByRole('heading', { name: 'Create an account' }).waitFor();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Display name').fill(user.displayName);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByLabel('Repeat password').fill(user.password);
  // signed in at once with what was just typed
  await submitPastTheAddressLimit(page, page.getByRole('button', { name: 'Create account' }), 'Your profile');
}

async function loginViaUi(page, user) {
  if (!(await page.getByRole('heading', { name: 'Log in' }).isVisible())) await page.goto('/#/login');
  await waitForPage(page, 'Log in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await submitPastTheAddressLimit(page, page.getByRole('button', { name: 'Log in', exact: true }), 'Your profile');
}

/**
 * Clicks `button` and waits for the page `heading` (or for `heading`, a locator, to show: the next step of a form).
 * Every browser of this run comes from 127.0.0.1, so together they can spend the gateway's auth requests per address
 * and minute (30, production's, kept: 20.1 depends on it); a 429 then is waited out as its message says, once, as a
 * person would, and the form sent again. Any other message fails.
 */
async function submitPastTheAddressLimit(page, button, heading) {
  await button.click();
  const wanted = typeof heading === 'string' ? page.getByRole('heading', { level: 1, name: heading }) : heading;
  await wanted.or(page.getByRole('alert')).first().waitFor();
  if (await wanted.isVisible()) return;
  const throttled = /Too many attempts\. You can try again in (\d+) seconds?/.exec(await page.getByRole('alert').first().textContent());
  if (throttled) {
    await page.waitForTimeout((Number(throttled[1]) + 1) * 1000);
    await button.click({ force: true }); // force: a countdown may still mark it aria-disabled for a moment
  }
  await waitForPage(page, heading);
}

/** Waits for the page heading (or a locator); if an error message shows up instead, fails with its text. */
async function waitForPage(page, heading) {
  const wanted = typeof heading === 'string' ? page.getByRole('heading', { level: 1, name: heading }) : heading;
  const alert = page.getByRole('alert');
  await wanted.or(alert).first().waitFor();
  if (!(await wanted.isVisible())) {
    throw new Error(`expected ${typeof heading === 'string' ? `the "${heading}" page` : heading}, got the message: ${await alert.first().textContent()}`);
  }
}

async function field(page, name) {
  return (await page.getByTestId(`profile-${name}`).textContent()).trim();
}

async function expectProfileShows(page, expected) {
  await waitForPage(page, 'Your profile');
  for (const [name, value] of Object.entries(expected)) {
    const shown = await field(page, name);
    if (shown !== value) throw new Error(`profile ${name}: expected ${JSON.stringify(value)}, shown ${JSON.stringify(shown)}`);
  }
}

async function editProfile(page, changes) {
  await page.getByRole('button', { name: 'Edit profile' }).click();
  const labels = { displayName: 'Display name', bio: 'Bio', privateNotes: 'Private notes' };
  for (const [name, value] of Object.entries(changes)) await page.getByLabel(labels[name]).fill(value);
  await page.getByRole('button', { name: 'Save' }).click();
  const saved = page.getByRole('status').filter({ hasText: 'Profile saved.' });
  await saved.or(page.getByRole('alert')).first().waitFor();
  if (!(await saved.isVisible())) throw new Error(`saving failed: ${await page.getByRole('alert').first().textContent()}`);
}

async function expectLoginPage(page) {
  await waitForPage(page, 'Log in');
  if (!page.url().endsWith('#/login')) throw new Error(`login page shown at ${page.url()}, expected #/login`);
}

/** What the page's JavaScript can see, checked against the real token cookies of its context. */
async function tokenLeaks(visitor) {
  const cookies = await visitor.context.cookies();
  const tokens = cookies.filter((c) => c.name === ACCESS || c.name === REFRESH);
  const problems = [];
  for (const name of [ACCESS, REFRESH]) {
    const cookie = tokens.find((c) => c.name === name);
    if (!cookie) problems.push(`${name} is not set at all (nothing to hide?)`);
    else if (!cookie.httpOnly || !cookie.secure || cookie.sameSite !== 'Strict') {
      problems.push(`${name} is not HttpOnly+Secure+SameSite=Strict: ${JSON.stringify(cookie)}`);
    }
  }
  const seen = await visitor.page.evaluate(() => ({
    now: document.cookie,
    reads: window.__cookieReads,
    storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    html: document.documentElement.outerHTML,
  }));
  if (!seen.now.includes(`${CSRF}=`)) problems.push(`document.cookie lacks ${CSRF} (the SPA must be able to read it): ${seen.now}`);
  for (const text of [seen.now, ...seen.reads]) {
    if (text.includes(ACCESS) || text.includes(REFRESH)) problems.push(`document.cookie showed a token cookie: ${text}`);
  }
  for (const token of tokens) {
    const where = [['document.cookie', [seen.now, ...seen.reads].join(' ')], ['web storage', seen.storage], ['the DOM', seen.html]]
      .filter(([, text]) => token.value.length > 8 && text.includes(token.value)).map(([w]) => w);
    if (where.length) problems.push(`the value of ${token.name} is readable in ${where.join(', ')}`);
  }
  return { problems, reads: seen.reads.length };
}

function failWith(problems) {
  if (problems.length) throw new Error(problems.join('\n'));
}

let shared; // one logged-in visitor for tests 2, 3, 4 and 6 (keeps the run under the gateway's auth rate limit)
const sharedDiag = [];

async function sharedVisitor() {
  if (!shared) {
    const visitor = await openVisitor(sharedDiag);
    const user = newUser();
    await registerViaUi(visitor.page, user);
    shared = { ...visitor, user };
  }
  return shared;
}

/** Runs a test body with its own diagnostics list; on failure the API errors it saw are added to the message. */
function withDiag(body) {
  return async () => {
    const diag = [];
    const startShared = sharedDiag.length;
    try {
      return await body(diag);
    } catch (error) {
      const seen = [...diag, ...sharedDiag.slice(startShared)];
      if (seen.length) error.message += `\nAPI errors and page errors seen:\n  ${seen.slice(-15).join('\n  ')}`;
      throw error;
    }
  };
}

// ---------------------------------------------------------------- the tests

const tests = [
  ['1 register, log in, see and edit the profile, reload (still logged in), log out (profile redirects to login)', withDiag(async (diag) => {
    const visitor = await openVisitor(diag);
    const { page } = visitor;
    try {
      const user = newUser();
      await registerViaUi(page, user);
      await expectProfileShows(page, { displayName: user.displayName });
      const edited = { displayName: `${user.displayName} (edited)`, bio: 'First line\nSecond line', privateNotes: `only for me ${RUN}` };
      await editProfile(page, edited);
      await expectProfileShows(page, edited);
      const csp = (await page.reload()).headers()['content-security-policy'];
      if (!csp || !/script-src 'self'/.test(csp)) throw new Error(`the SPA is served without the expected CSP: ${csp}`);
      await expectProfileShows(page, { ...edited, email: user.email }); // the email, from the token, after a reload too
      const header = (await page.getByTestId('header-display-name').textContent()).trim();
      if (header !== edited.displayName) throw new Error(`header shows ${header}`);
      failWith((await page.evaluate(() => window.__csp)).map((v) => `CSP violation: ${v}`));
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await expectLoginPage(page);
      await page.getByRole('status').filter({ hasText: 'You are logged out.' }).waitFor();
      await page.goto('about:blank');
      await page.goto('/#/profile'); // a fresh page load of the profile
      await expectLoginPage(page);
      failWith((await page.evaluate(() => window.__csp)).map((v) => `CSP violation: ${v}`));
    } finally {
      await visitor.context.close();
    }
  })],

  ['2 document.cookie never shows the access or refresh cookie', withDiag(async () => {
    const visitor = await sharedVisitor();
    const { page, context } = visitor;
    const problems = [];
    problems.push(...(await tokenLeaks(visitor)).problems);
    await page.reload();
    await waitForPage(page, 'Your profile');
    await editProfile(page, { bio: 'Checked for token leaks.' }); // an unsafe request: the SPA reads document.cookie
    problems.push(...(await tokenLeaks(visitor)).problems);
    await context.clearCookies({ name: ACCESS }); // forces a refresh, which rotates every cookie
    await page.reload();
    await waitForPage(page, 'Your profile');
    await editProfile(page, { bio: 'Checked again after a refresh.' });
    const last = await tokenLeaks(visitor);
    problems.push(...last.problems);
    failWith([...new Set(problems)]);
    return `${last.reads} reads of document.cookie by the SPA on the last page load, none with a token`;
  })],

  ['3 a display name of <img src=x onerror=alert(1)> is shown as text and no dialog fires', withDiag(async () => {
    const { page, user } = await sharedVisitor();
    const payload = '<img src=x onerror=alert(1)>';
    const dialogs = [];
    const onDialog = (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    };
    page.on('dialog', onDialog);
    try {
      await editProfile(page, { displayName: payload });
      for (const round of ['after saving', 'after a reload']) {
        if (round === 'after a reload') await page.reload();
        await expectProfileShows(page, { displayName: payload });
        const header = (await page.getByTestId('header-display-name').textContent()).trim();
        if (header !== payload) throw new Error(`${round}: the header shows ${JSON.stringify(header)}`);
        const images = await page.locator('#root img').count();
        if (images) throw new Error(`${round}: the display name became ${images} <img> element(s)`);
        await page.waitForTimeout(500); // an onerror handler would have fired by now
      }
      if (dialogs.length) throw new Error(`dialogs fired: ${dialogs.join(', ')}`);
    } finally {
      page.off('dialog', onDialog);
      await editProfile(page, { displayName: user.displayName }).catch(() => {});
    }
  })],

  ['4 a page on another origin cannot change the profile (auto-submitted form POSTs, fetch PATCH with credentials)', withDiag(async () => {
    const { page, context } = await sharedVisitor();
    await page.reload();
    await waitForPage(page, 'Your profile');
    const before = { displayName: await field(page, 'displayName'), bio: await field(page, 'bio') };

    const target = `${BASE_URL}/api/users/me`;
    const attackHtml = `<!doctype html><html><body>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe>
<form id="json" action="${target}" method="POST" enctype="text/plain" target="sink1">
  <input name='{"displayName":"pwned by form","bio":"' value='"}'></form>
<form id="killall" action="${BASE_URL}/api/auth/logout-all" method="POST" target="sink2"></form>
<script>
  document.getElementById('json').submit();
  document.getElementById('killall').submit();
  const body = JSON.stringify({ displayName: 'pwned by fetch', bio: 'pwned' });
  Promise.allSettled([
    fetch(${JSON.stringify(target)}, { method: 'PATCH', credentials: 'include',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': 'guessed' }, body }),
    fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include',
      headers: { 'Content-Type': 'text/plain' }, body }),
  ]).then((results) => { window.attackDone = results.map((r) =>
      r.status === 'fulfilled' ? 'answered ' + (r.value.type === 'opaque' ? '(opaque)' : r.value.status) : 'blocked: ' + r.reason); });
</script></body></html>`;
    const attacker = await listen(http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(attackHtml);
    }));
    const evil = await context.newPage();
    try {
      const formsDone = new Set();
      const onDone = (request) => {
        if (request.method() === 'POST' && request.isNavigationRequest() && request.url().startsWith(BASE_URL)) formsDone.add(request.url());
      };
      evil.on('requestfinished', onDone);
      evil.on('requestfailed', onDone);
      await evil.goto(`${attacker.origin}/`);
      await evil.waitForFunction(() => window.attackDone, null, { timeout: 15_000 });
      const fetches = await evil.evaluate(() => window.attackDone);
      const deadline = Date.now() + 10_000;
      while (formsDone.size < 2 && Date.now() < deadline) await evil.waitForTimeout(100);
      if (formsDone.size < 2) throw new Error(`the attack forms were not both submitted (${[...formsDone]})`);
      if (fetches[0].startsWith('answered')) throw new Error(`the cross-origin PATCH got an answer it may read: ${fetches[0]}`);

      await page.bringToFront();
      await page.reload();
      await expectProfileShows(page, before); // unchanged, and still logged in (the logout-all form did nothing)
      return `PATCH ${fetches[0]}; no-cors POST ${fetches[1]}; 2 forms submitted; profile unchanged, session alive`;
    } finally {
      await evil.close();
      await attacker.close();
    }
  })],

  ['5 an expired access token is refreshed once, transparently; a revoked session lands on the login page', withDiag(async (diag) => {
    const first = await openVisitor(diag);
    const second = await openVisitor(diag);
    try {
      const user = newUser();
      await registerViaUi(first.page, user);
      const count = (line) => first.api.filter((l) => l.startsWith(line)).length;

      // Expired: the browser no longer sends an access token. The SPA must refresh once and show the profile.
      await first.context.clearCookies({ name: ACCESS });
      const refreshesBefore = count('POST /api/auth/refresh');
      await first.page.reload();
      await expectProfileShows(first.page, { displayName: user.displayName });
      const refreshes = count('POST /api/auth/refresh') - refreshesBefore;
      if (refreshes !== 1) throw new Error(`expected exactly 1 refresh, saw ${refreshes}: ${first.api.join(', ')}`);
      if (!(await first.context.cookies()).some((c) => c.name === ACCESS)) throw new Error('no new access cookie after the refresh');
      await first.page.reload();
      await expectProfileShows(first.page, { displayName: user.displayName });
      if (count('POST /api/auth/refresh') - refreshesBefore !== 1) throw new Error('the new access token was not used: another refresh happened');

      // Revoked: the same user logs out everywhere from another browser; the first one then tries to save.
      await first.page.getByRole('button', { name: 'Edit profile' }).click();
      await loginViaUi(second.page, user);
      await second.page.getByRole('button', { name: 'Log out everywhere…' }).click();
      await second.page.getByRole('button', { name: 'Yes, log out everywhere' }).click();
      await expectLoginPage(second.page);
      const refreshesBeforeAct = count('POST /api/auth/refresh');
      await first.page.getByLabel('Bio').fill('written after the session was revoked');
      await first.page.getByRole('button', { name: 'Save' }).click();
      await expectLoginPage(first.page);
      await first.page.getByRole('status').filter({ hasText: /session has ended/i }).waitFor();
      const refreshesAfterAct = count('POST /api/auth/refresh') - refreshesBeforeAct;
      if (refreshesAfterAct > 1) throw new Error(`more than one refresh after the revocation: ${refreshesAfterAct}`);
      await first.page.goto('about:blank');
      await first.page.goto('/#/profile');
      await expectLoginPage(first.page);
      return `1 refresh for the expired token; ${refreshesAfterAct} refresh attempt after the revocation, then the login page`;
    } finally {
      await first.context.close();
      await second.context.close();
    }
  })],

  ['6 a screenshot of the profile page is saved to spa/target/profile.png', withDiag(async () => {
    const { page } = await sharedVisitor();
    await page.reload();
    await waitForPage(page, 'Your profile');
    await editProfile(page, {
      displayName: 'Ada Lovelace',
      bio: 'Writes programs for engines that do not exist yet.\nSigned in with HTTP-only cookies only.',
      privateNotes: 'Only Ada can read this: the user service checks the owner on every request.',
    });
    await page.reload();
    await expectProfileShows(page, { displayName: 'Ada Lovelace' });
    const file = join(ensureTargetDir(), 'profile.png');
    await page.screenshot({ path: file, fullPage: true });
    return file;
  })],
];

const helpers = { openVisitor, newUser, registerViaUi, loginViaUi, waitForPage, expectLoginPage, editProfile, sharedVisitor, withDiag, field,
  submitPastTheAddressLimit };
const issue20 = accountPageTests(helpers);
// 20.1 first: it proves signed-out loads spend nothing, so the run's own logins must not have used the budget yet.
tests.unshift(issue20[0]);
// The step-up tests (22.4, 22.10) wait for their sign-ins to leave make run's 40-second window: the tests before them
// fill that time. 20.9 last: it spends the address's auth requests.
tests.push(...issue20.slice(1), ...passwordResetTests(helpers), ...emailTests(helpers), ...sessionsPageTests(helpers), ...secondFactorTests(helpers),
  ...passkeyTests(helpers), ...adminPageTests(helpers), stepUpTest(helpers), passkeyRemovalTest(helpers), throttledLoginTest(helpers));

// ---------------------------------------------------------------- main

const problem = await preflight();
if (problem) {
  console.log(`FAIL preflight: ${problem}`);
  console.log('0 passed, 1 failed');
  process.exit(2);
}
console.log(`testing ${BASE_URL} (run ${RUN})`);
try {
  browser = await launchBrowser();
  // ONLY=21. runs the tests whose name starts with it (one feature's scenarios while working on it); unset: all.
  const only = process.env.ONLY;
  const result = await runChecks(only ? tests.filter(([name]) => name.startsWith(only)) : tests, { timeoutMs: 120_000 });
  process.exitCode = printSummary(result);
} catch (error) {
  console.log(`FAIL could not start Chromium: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 2;
} finally {
  await shared?.context.close().catch(() => {});
  await browser?.close();
}
