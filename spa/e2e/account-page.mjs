// Browser tests of issue 20 (the SPA as people expect an account page to behave), run by run.mjs against the suite.
// Each is a scenario that failed before: two tabs and a logout, a draft across a forced re-login, an injected render
// error, keyboard-only sign-in with an error, axe-core on every page, bidi and zero-width names, a signed-out page
// load that leaves the auth limit untouched, and the throttled login's countdown (last: it spends the auth limit).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now; returns readable violations (none is a pass). */
export async function axeViolations(page, where) {
  await page.evaluate(AXE_SOURCE); // through the DevTools protocol: the page's CSP stays on for the app itself
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations.map((v) => `${where}: ${v}`);
}

const activeId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

/**
 * The gateway's auth requests per address and minute on the suite under test: production's 30 unless the run raised it
 * (MakeRunTest does, for all the browsers of a run share 127.0.0.1) and says so in the same variable.
 */
const AUTH_LIMIT = Number(process.env.GATEWAY_RATE_LIMITS_AUTH_PER_WINDOW ?? 30);

export function accountPageTests(h) {
  const { openVisitor, newUser, registerViaUi, loginViaUi, waitForPage, expectLoginPage, editProfile, sharedVisitor, withDiag, field } = h;

  return [
    [`20.1 a signed-out visitor's page loads spend no auth attempt: ${AUTH_LIMIT + 5} loads (the limit is ${AUTH_LIMIT} a minute), then signing in is not throttled`, withDiag(async (diag) => {
      const visitor = await openVisitor(diag);
      const { page, api } = visitor;
      try {
        for (let i = 0; i < AUTH_LIMIT + 5; i++) {
          await page.goto('/#/profile');
          await expectLoginPage(page);
        }
        const refreshes = api.filter((l) => l.startsWith('POST /api/auth/refresh'));
        if (refreshes.some((l) => !l.endsWith('401'))) throw new Error(`a signed-out refresh answered other than 401: ${refreshes}`);
        await page.getByLabel('Email').fill(`nobody-${Date.now()}@example.test`);
        await page.getByLabel('Password').fill('not the password of anyone here');
        await page.getByRole('button', { name: 'Log in', exact: true }).click();
        const alert = page.getByRole('alert');
        await alert.waitFor();
        const text = await alert.textContent();
        if (!/do not match an account/.test(text)) throw new Error(`the login after ${AUTH_LIMIT + 5} signed-out loads got: ${text}`);
        return `${refreshes.length} refreshes without a cookie, all 401; the login then reached the auth service`;
      } finally {
        await visitor.context.close();
      }
    })],

    ['20.2 two tabs: a logout in one clears the private notes from the other at once', withDiag(async (diag) => {
      const visitor = await openVisitor(diag);
      try {
        const user = newUser();
        await registerViaUi(visitor.page, user);
        const secret = `tab secret ${Date.now()}`;
        await editProfile(visitor.page, { privateNotes: secret });
        const other = await visitor.context.newPage();
        await other.goto('/#/profile');
        await waitForPage(other, 'Your profile');
        if ((await field(other, 'privateNotes')) !== secret) throw new Error('the second tab does not show the notes');
        const otherRequests = [];
        other.on('request', (r) => r.url().includes('/api/') && otherRequests.push(r.url()));
        await visitor.page.getByRole('button', { name: 'Log out', exact: true }).click();
        await expectLoginPage(visitor.page);
        await expectLoginPage(other); // without any click or request in that tab
        await other.getByRole('status').filter({ hasText: 'You logged out in another tab.' }).waitFor();
        const html = await other.content();
        if (html.includes(secret) || html.includes(user.displayName)) throw new Error('private data is still in the other tab\'s page');
        return `the other tab went to the login page and forgot the notes; its API requests meanwhile: ${otherRequests.length}`;
      } finally {
        await visitor.context.close();
      }
    })],

    ['20.3 a draft survives a session ended elsewhere: save -> login (email filled in) -> the draft is back and saves', withDiag(async (diag) => {
      const first = await openVisitor(diag);
      const second = await openVisitor(diag);
      try {
        const user = newUser();
        await registerViaUi(first.page, user);
        await first.page.getByRole('button', { name: 'Edit profile' }).click();
        const draft = `typed for ten minutes ${Date.now()}`;
        await first.page.getByLabel('Bio').fill(draft);
        await loginViaUi(second.page, user);
        await second.page.getByRole('button', { name: 'Log out everywhere…' }).click();
        await second.page.getByRole('button', { name: 'Yes, log out everywhere' }).click();
        await expectLoginPage(second.page);
        await first.page.getByRole('button', { name: 'Save' }).click();
        await expectLoginPage(first.page);
        await first.page.getByRole('status').filter({ hasText: 'unsaved changes are kept' }).waitFor();
        const email = await first.page.getByLabel('Email').inputValue();
        if (email !== user.email) throw new Error(`the email field shows ${JSON.stringify(email)}, not the user's email`);
        await first.page.getByLabel('Password').fill(user.password);
        await first.page.getByRole('button', { name: 'Log in', exact: true }).click();
        await waitForPage(first.page, 'Your profile');
        await first.page.getByRole('status').filter({ hasText: 'Your unsaved changes are back' }).waitFor();
        const restored = await first.page.getByLabel('Bio').inputValue();
        if (restored !== draft) throw new Error(`the draft came back as ${JSON.stringify(restored)}`);
        await first.page.getByRole('button', { name: 'Save' }).click();
        await first.page.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
        if ((await field(first.page, 'bio')) !== draft) throw new Error('the saved bio is not the draft');
      } finally {
        await first.context.close();
        await second.context.close();
      }
    })],

    ['20.4 Cancel with unsaved changes asks first; leaving the page asks first', withDiag(async () => {
      const { page } = await sharedVisitor();
      await page.goto('/#/profile');
      await waitForPage(page, 'Your profile');
      await page.getByRole('button', { name: 'Edit profile' }).click();
      await page.getByLabel('Bio').fill('not saved yet');
      const asked = [];
      const answer = (accept) => (dialog) => {
        asked.push(dialog.message());
        (accept ? dialog.accept() : dialog.dismiss()).catch(() => {});
      };
      let handler = answer(false);
      const onDialog = (d) => handler(d);
      page.on('dialog', onDialog);
      try {
      await page.getByRole('button', { name: 'Cancel' }).click();
      if ((await page.getByLabel('Bio').inputValue()) !== 'not saved yet') throw new Error('Cancel dropped the edits after "no"');
      await page.getByRole('link', { name: 'Change password' }).click();
      await page.waitForTimeout(300);
      if (!page.url().endsWith('#/profile')) throw new Error(`navigation left the unsaved form: ${page.url()}`);
      handler = answer(true);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Edit profile' }).waitFor();
      if (asked.length !== 3) throw new Error(`expected 3 questions, saw ${JSON.stringify(asked)}`);
      return asked[0];
      } finally {
        page.off('dialog', onDialog);
      }
    })],

    ['20.5 an unexpected answer shape and a missing script give a useful page, not a blank one; "Try again" recovers', withDiag(async () => {
      const { page } = await sharedVisitor();
      // Fault injection: the real answer of GET /api/users/me, with one field of a type the app does not expect.
      await page.route('**/api/users/me', async (route) => {
        if (route.request().method() !== 'GET') return route.continue();
        const real = await route.fetch();
        const body = await real.json();
        return route.fulfill({ response: real, json: { ...body, displayName: { unexpected: 'an object' } } });
      });
      await page.goto('/#/profile');
      await page.reload();
      await waitForPage(page, 'Something went wrong').catch(async (e) => {
        throw new Error(`${e.message}; page text: ${await page.locator('body').innerText()}`);
      });
      if ((await activeId(page)) !== 'page-title') throw new Error('focus is not on the error page\'s heading');
      await page.unroute('**/api/users/me');
      await page.getByRole('button', { name: 'Try again' }).click();
      await waitForPage(page, 'Your profile');
      const fresh = await page.context().newPage();
      try {
        await fresh.route('**/assets/*.js', (route) => route.abort());
        await fresh.goto('/#/profile');
        await fresh.getByText('If this message stays, the app could not start: reload the page.').waitFor();
      } finally {
        await fresh.close();
      }
    })],

    ['20.6 keyboard only: sign-in with a wrong password puts focus on the field to fix, tied to the error; success focuses the page heading', withDiag(async (diag) => {
      const { user } = await sharedVisitor();
      const visitor = await openVisitor(diag);
      const { page } = visitor;
      try {
        await page.goto('/#/login');
        await waitForPage(page, 'Log in');
        if ((await page.title()) !== 'Log in - Secure suite') throw new Error(`title: ${await page.title()}`);
        for (let i = 0; i < 12 && (await activeId(page)) !== 'login-email'; i++) await page.keyboard.press('Tab');
        if ((await activeId(page)) !== 'login-email') throw new Error('Tab never reached the email field');
        await page.keyboard.type(user.email);
        await page.keyboard.press('Tab');
        await page.keyboard.type('a wrong password, typed by keyboard');
        await page.keyboard.press('Enter');
        await page.getByRole('alert').waitFor();
        await page.waitForFunction(() => document.activeElement?.id === 'login-email');
        const state = await page.evaluate(() => {
          const email = document.getElementById('login-email');
          return { invalid: email.getAttribute('aria-invalid'), describedBy: email.getAttribute('aria-describedby'),
            error: document.getElementById('login-error')?.textContent };
        });
        if (state.invalid !== 'true' || !state.describedBy?.includes('login-error') || !state.error) {
          throw new Error(`the error is not tied to the field: ${JSON.stringify(state)}`);
        }
        await page.keyboard.press('Tab');
        if ((await activeId(page)) !== 'login-password') throw new Error(`the next Tab went to ${await activeId(page)}`);
        await page.keyboard.press('Control+A');
        await page.keyboard.type(user.password);
        await page.keyboard.press('Enter');
        await waitForPage(page, 'Your profile');
        await page.waitForFunction(() => document.activeElement?.id === 'page-title');
        if ((await page.title()) !== 'Your profile - Secure suite') throw new Error(`title: ${await page.title()}`);
        const announced = await page.getByTestId('announcer').textContent();
        if (announced !== 'Your profile page') throw new Error(`announced: ${JSON.stringify(announced)}`);
        return `error read as: ${state.error}`;
      } finally {
        await visitor.context.close();
      }
    })],

    ['20.7 bidi and zero-width names: refused in the browser and by the server with the same words; right-to-left names laid out right to left', withDiag(async () => {
      const { page, user } = await sharedVisitor();
      await page.goto('/#/profile');
      await waitForPage(page, 'Your profile');
      const refused = [];
      for (const [name, says] of [['Eve \u202Etxt.exe', 'direction of text'], ['\u200B\u200B\u200B', 'visible character'],
        ['y'.repeat(140), 'this one has 140']]) {
        await page.getByRole('button', { name: 'Edit profile' }).click();
        const requests = [];
        const onRequest = (r) => r.method() === 'PATCH' && requests.push(r.url());
        page.on('request', onRequest);
        await page.getByLabel('Display name').fill(name);
        await page.getByRole('button', { name: 'Save' }).click();
        await page.waitForFunction(() => document.activeElement?.id === 'profile-display-name');
        const shown = await page.locator('#profile-display-name-error').textContent();
        const tied = await page.getByLabel('Display name').getAttribute('aria-describedby');
        page.off('request', onRequest);
        if (!shown.includes(says) || !tied?.includes('profile-display-name-error')) throw new Error(`${JSON.stringify(name)}: ${shown} (${tied})`);
        if (requests.length) throw new Error('the browser sent a name its own rules refuse');
        // The server refuses it too, in the same words (a client that skips the SPA's check gains nothing).
        const server = await page.evaluate(async (n) => {
          const csrf = document.cookie.split('; ').find((c) => c.startsWith('__Host-csrf=')).split('=')[1];
          const r = await fetch('/api/users/me', { method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify({ displayName: n }) });
          return { status: r.status, detail: (await r.json()).detail };
        }, name);
        if (server.status !== 400 || server.detail !== shown) throw new Error(`server: ${JSON.stringify(server)} vs browser: ${shown}`);
        refused.push(says);
        page.once('dialog', (d) => d.accept());
        await page.getByRole('button', { name: 'Cancel' }).click();
      }
      const hebrew = '\u05D3\u05E0\u05D4 \u05DC\u05D5\u05D9';
      await editProfile(page, { displayName: hebrew });
      const direction = await page.getByTestId('profile-displayName').evaluate((e) => getComputedStyle(e).direction);
      if (direction !== 'rtl') throw new Error(`a Hebrew name is laid out ${direction}`);
      const header = await page.getByTestId('header-display-name').evaluate((e) => e.tagName);
      if (header !== 'BDI') throw new Error('the header does not isolate the name');
      await editProfile(page, { displayName: user.displayName });
      // The language is a list of names, not a raw code to type.
      await page.getByRole('button', { name: 'Edit profile' }).click();
      await page.getByLabel('Language').selectOption('de');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
      const language = await field(page, 'locale');
      if (language !== 'German') throw new Error(`the language shows ${JSON.stringify(language)}`);
      return `refused: ${refused.join('; ')}; language saved and shown as ${language}`;
    })],

    ['20.8 axe-core finds no WCAG 2.1 A/AA violation on any page, light and dark', withDiag(async (diag) => {
      const { page } = await sharedVisitor();
      const signedOut = await openVisitor(diag);
      const found = [];
      try {
        for (const scheme of ['light', 'dark']) {
          await page.emulateMedia({ colorScheme: scheme });
          await signedOut.page.emulateMedia({ colorScheme: scheme });
          for (const [route, heading] of [['/#/login', 'Log in'], ['/#/register', 'Create an account'], ['/#/nowhere', 'Page not found']]) {
            await signedOut.page.goto(route);
            await waitForPage(signedOut.page, heading);
            found.push(...(await axeViolations(signedOut.page, `${scheme} ${route}`)));
          }
          for (const [route, heading] of [['/#/profile', 'Your profile'], ['/#/password', 'Change password'],
            ['/#/two-step', 'Two-step sign-in']]) {
            await page.goto(route);
            await waitForPage(page, heading);
            found.push(...(await axeViolations(page, `${scheme} ${route}`)));
          }
          await page.goto('/#/profile');
          await waitForPage(page, 'Your profile');
          await page.getByRole('button', { name: 'Edit profile' }).click();
          await page.getByLabel('Display name').fill('\u200B');
          await page.getByRole('button', { name: 'Save' }).click();
          await page.locator('#profile-display-name-error').waitFor();
          await page.getByRole('button', { name: 'Log out everywhere…' }).click();
          await page.getByRole('button', { name: 'Delete account…' }).click();
          found.push(...(await axeViolations(page, `${scheme} profile editing with an error, both confirmations open`)));
          page.once('dialog', (d) => d.accept());
          await page.getByRole('button', { name: 'Cancel' }).click();
          await page.getByRole('button', { name: 'Stay logged in' }).click();
          await page.getByRole('button', { name: 'Keep my account' }).click();
        }
      } finally {
        await page.emulateMedia({ colorScheme: 'light' });
        await signedOut.context.close();
      }
      if (found.length) throw new Error(found.join('\n'));
      // The control: the same check on a page with an unlabelled field must complain, or it proves nothing.
      const control = await page.context().newPage();
      try {
        await control.goto('/#/nowhere');
        await waitForPage(control, 'Page not found');
        await control.evaluate(() => document.querySelector('main').append(document.createElement('input')));
        const bites = await axeViolations(control, 'control');
        if (!bites.some((v) => v.includes('label'))) throw new Error(`axe did not flag an unlabelled input: ${bites}`);
      } finally {
        await control.close();
      }
      return '7 page states x 2 colour schemes; the control page with an unlabelled input is flagged';
    })],
  ];
}

/** Last, because it spends the address's auth attempts: a throttled login counts down and cannot be sent. */
export function throttledLoginTest(h) {
  const { openVisitor, waitForPage, withDiag } = h;
  return ['20.9 a throttled login shows when to try again, counts down, and is not sent meanwhile', withDiag(async (diag) => {
    const visitor = await openVisitor(diag);
    const { page } = visitor;
    try {
      await page.goto('/#/login');
      await waitForPage(page, 'Log in');
      await page.getByLabel('Email').fill(`throttled-${Date.now()}@example.test`);
      await page.getByLabel('Password').fill('wrong, again and again');
      const button = page.getByTestId('login-submit');
      const waitOf = async () => Number(/wait (\d+) s/.exec(await button.textContent())?.[1] ?? 0);
      let text = '';
      // The auth service's own back-off answers short waits first (1 s, 2 s, ...); go on until a wait long enough to
      // watch, waiting out each countdown as a person would.
      for (let i = 0; i < 45 && (await waitOf()) < 3; i++) {
        await page.waitForFunction(() => document.querySelector('[data-testid=login-submit]').getAttribute('aria-disabled') !== 'true',
          null, { timeout: 70_000 });
        await button.click();
        await page.getByRole('alert').waitFor();
        await page.waitForFunction(() => !document.querySelector('[data-testid=login-submit]').textContent.includes('Logging in'));
        text = await page.getByRole('alert').textContent();
      }
      if (!/Too many attempts. You can try again in/.test(text)) throw new Error(`never throttled: ${text}`);
      const label = await button.textContent();
      const wait = await waitOf();
      if (!(wait >= 3) || (await button.getAttribute('aria-disabled')) !== 'true') throw new Error(`button: ${label}`);
      const sent = [];
      const onRequest = (r) => r.url().endsWith('/api/auth/login') && sent.push(r.url());
      page.on('request', onRequest);
      await button.click({ force: true }); // force: Playwright itself would wait for an aria-disabled button to enable
      await page.getByLabel('Password').press('Enter'); // the form's submit from the keyboard, the other way in
      await page.waitForFunction((w) => {
        const m = /wait (\d+) s/.exec(document.querySelector('[data-testid=login-submit]').textContent);
        return !m || Number(m[1]) < w;
      }, wait, { timeout: 5000 });
      page.off('request', onRequest);
      if (sent.length) throw new Error(`${sent.length} login(s) sent while the countdown ran`);
      return `${text} Button: ${label}`;
    } finally {
      await visitor.context.close();
    }
  })];
}
