// Issue 22's browser tests of two-step sign-in, run by run.mjs against the suite: one user turns on an authenticator
// (its codes computed here from the key the page shows, RFC 6238), signs in with a code and with a recovery code, is
// refused a replayed code and a spent recovery code, and (22.4, later in the run) steps up for an address change.
// One user for all of them: every browser of the run shares 127.0.0.1's 30 auth requests a minute.
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { QRCodeSVG } from 'qrcode.react';
import { axeViolations } from './account-page.mjs';

// ---------------------------------------------------------------- RFC 6238 (SHA-1, 6 digits, 30 s), as an app computes it

const STEP_SECONDS = 30;

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const value = alphabet.indexOf(c);
    if (value < 0) throw new Error(`not a base32 key: ${text}`);
    bits += value.toString(2).padStart(5, '0');
  }
  return Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
}

function totp(key, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// RFC 6238's first SHA-1 vector (T = 59 s, step 1), cut to 6 digits: a wrong code here would fail every test below.
if (totp(Buffer.from('12345678901234567890'), 1) !== '287082') throw new Error('the test\'s TOTP is wrong');

/** Waits until the page's line about the factor reads `text` (its state, then the recovery codes left). */
const factorState = (page, text) => page.getByTestId('factor-state').filter({ hasText: text }).waitFor();

const stepNow = () => Math.floor(Date.now() / 1000 / STEP_SECONDS);

/**
 * A code the server has not seen: a step after the last one used (it refuses those, replays), and at most one ahead of
 * now (it accepts the step before and after its own), waiting for the clock when both cannot hold.
 */
async function freshCode(page, app) {
  const step = Math.max(stepNow(), app.lastStep + 1);
  while (step > stepNow() + 1) await page.waitForTimeout(500);
  app.lastStep = step;
  app.lastCode = totp(app.key, step);
  return app.lastCode;
}

// ---------------------------------------------------------------- the tests

export function secondFactorTests(h) {
  const { openVisitor, newUser, registerViaUi, waitForPage, expectLoginPage, withDiag, submitPastTheAddressLimit } = h;
  // The one user of 22.x: { visitor, user, app: { key, lastStep }, codes, signedInAt }
  const state = (h.secondFactor = {});

  const signOut = async (page) => {
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await expectLoginPage(page);
  };

  /** The password step; it answers with the second step, whose field is returned. */
  const passwordStep = async (page, user) => {
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    const codeField = page.getByLabel('Code from your authenticator app');
    await submitPastTheAddressLimit(page, page.getByRole('button', { name: 'Log in', exact: true }), codeField);
    return codeField;
  };

  const codeStep = async (page, field, code) => {
    await field.fill(code);
    await submitPastTheAddressLimit(page, page.getByRole('button', { name: 'Continue' }), 'Your profile');
    state.signedInAt = Date.now();
  };

  /** The second step refuses `code`: the message says so and the page stays on the second step. */
  const expectRefused = async (page, field, code) => {
    await field.fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.textContent();
    if (!/That code was not accepted/.test(text)) throw new Error(`expected the code to be refused, the page says: ${text}`);
    await waitForPage(page, 'Log in');
  };

  const requireEnrolled = () => {
    if (!state.codes) throw new Error('22.1 did not turn two-step sign-in on: nothing to test');
  };

  return [
    ['22.1 turn on two-step sign-in: the QR code of the server\'s otpauth URI and its key, shown once; the first code and the password; ten recovery codes shown once, to copy and download', withDiag(async (diag) => {
      const visitor = await openVisitor(diag);
      const { page, context } = visitor;
      const user = newUser();
      state.visitor = visitor;
      state.user = user;
      await registerViaUi(page, user);
      await page.getByRole('link', { name: 'Two-step sign-in' }).click();
      await waitForPage(page, 'Two-step sign-in');
      await factorState(page, 'Two-step sign-in is off.');

      const started = page.waitForResponse((r) => r.url().endsWith('/api/auth/factors/totp') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
      const { otpauthUri } = await (await started).json();
      const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
      await qr.waitFor();
      // The key, read off the page as a person types it into an app without a camera.
      const shownKey = (await page.getByTestId('totp-secret').textContent()).replace(/\s/g, '');
      const uriKey = new URL(otpauthUri).searchParams.get('secret');
      if (shownKey !== uriKey) throw new Error(`the key shown (${shownKey}) is not the otpauth URI's (${uriKey})`);
      // The QR code's modules are those of the server's URI (drawn here by the same library, as an app would decode it).
      const expected = /<path fill="#000000" d="([^"]+)"/.exec(renderToStaticMarkup(createElement(QRCodeSVG, { value: otpauthUri, marginSize: 4 })))[1];
      const drawn = await qr.locator('path').nth(1).getAttribute('d');
      if (drawn !== expected) throw new Error('the QR code on the page is not the one of the otpauth URI the server sent');
      const found = await axeViolations(page, 'enrolment');

      state.app = { key: base32Decode(shownKey), lastStep: 0 };
      await page.getByLabel('Code from your authenticator app').fill(await freshCode(page, state.app));
      await page.getByLabel('Your password').fill(user.password);
      await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
      const list = page.getByTestId('recovery-codes');
      await list.or(page.getByRole('alert')).first().waitFor();
      if (!(await list.isVisible())) throw new Error(`not turned on: ${await page.getByRole('alert').textContent()}`);
      state.signedInAt = Date.now(); // this session now counts as signed in with the factor (the SPA renews its token)
      const codes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
      if (codes.length !== 10 || new Set(codes).size !== 10) throw new Error(`expected 10 different codes, saw ${JSON.stringify(codes)}`);
      found.push(...(await axeViolations(page, 'recovery codes')));

      const downloading = page.waitForEvent('download');
      await page.getByRole('link', { name: 'Download as a text file' }).click();
      const file = await readFile(await (await downloading).path(), 'utf8');
      const missing = codes.filter((c) => !file.split('\n').includes(c));
      if (missing.length) throw new Error(`the downloaded file lacks ${missing.length} code(s): ${file}`);
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.getByRole('button', { name: 'Copy the codes' }).click();
      await page.getByText('The codes are copied.').waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      if (codes.some((c) => !copied.includes(c))) throw new Error(`the clipboard lacks codes: ${copied}`);

      await page.getByRole('button', { name: 'I have saved them' }).click();
      await factorState(page, 'Two-step sign-in is on. 10 recovery codes left.');
      if (await list.count()) throw new Error('the codes are still on the page after "I have saved them"');
      await page.reload();
      await waitForPage(page, 'Two-step sign-in');
      await factorState(page, 'Two-step sign-in is on.');
      if ((await page.getByTestId('totp-secret').count()) || (await page.getByTestId('recovery-codes').count())) {
        throw new Error('the key or the codes are shown again after a reload');
      }
      if (found.length) throw new Error(found.join('\n'));
      state.codes = codes;
      const csp = await page.evaluate(() => window.__csp);
      if (csp.length) throw new Error(`CSP violations: ${csp.join(', ')}`);
      return 'QR code = the otpauth URI, key = the URI\'s; 10 codes shown once, downloaded and copied; no axe or CSP finding';
    })],

    ['22.2 sign out, then in with the password and a code from the app; a code used before (the enrolment\'s) is refused, a replay', withDiag(async () => {
      requireEnrolled();
      const { page } = state.visitor;
      await signOut(page);
      const field = await passwordStep(page, state.user);
      if (await page.getByRole('heading', { level: 1, name: 'Your profile' }).isVisible()) throw new Error('the password alone signed in');
      if (!(await page.getByRole('button', { name: 'Use a recovery code instead' }).isVisible())) {
        throw new Error('the second step does not offer a recovery code');
      }
      // Still inside the server's window (the step before or after its own): a refusal now is for the replay alone.
      const used = state.app.lastStep;
      if (stepNow() > used + 1) throw new Error('too slow to test a replay: the enrolment\'s code has left the server\'s window');
      await expectRefused(page, field, state.app.lastCode);
      await codeStep(page, field, await freshCode(page, state.app));
      return `the code of step ${used}, accepted at enrolment, refused at sign-in; the next step's code signed in`;
    })],

    ['22.3 sign in with a recovery code: the count left drops to 9 and is shown; the same recovery code is refused the next time, another works', withDiag(async () => {
      requireEnrolled();
      const { page } = state.visitor;
      await signOut(page);
      let field = await passwordStep(page, state.user);
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      field = page.getByLabel('Recovery code');
      await field.waitFor();
      const found = await axeViolations(page, 'second step with a recovery code');
      const [recoveryCode] = state.codes;
      await codeStep(page, field, recoveryCode);
      const note = page.getByRole('status').filter({ hasText: 'You signed in with a recovery code' });
      await note.waitFor();
      if (!/9 recovery codes left\./.test(await note.textContent())) throw new Error(`the note reads: ${await note.textContent()}`);
      await page.getByRole('link', { name: 'Two-step sign-in' }).click();
      await factorState(page, 'Two-step sign-in is on. 9 recovery codes left.');

      await signOut(page);
      await passwordStep(page, state.user);
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      await expectRefused(page, page.getByLabel('Recovery code'), recoveryCode);
      await codeStep(page, page.getByLabel('Recovery code'), state.codes[1]);
      await page.getByRole('status').filter({ hasText: '8 recovery codes left.' }).waitFor();
      if (found.length) throw new Error(found.join('\n'));
      return 'a recovery code signed in (9 left, said on the next page), then refused; another one signed in (8 left)';
    })],
  ];
}

/**
 * 22.4 runs late in the run: MakeRunTest starts make run with a step-up window of 40 s
 * (AUTH_SECOND_FACTOR_STEP_UP_WINDOW), and the tests between 22.3 and this one let 22.x's last sign-in grow that old.
 */
export const STEP_UP_WINDOW_MS = 40_000;

export function stepUpTest(h) {
  const { waitForPage, expectLoginPage, withDiag, loginViaUi, newUser } = h;
  return ['22.4 step-up: an address change of an account with a factor and an old sign-in asks to confirm it is you, then goes through with what was typed, the replaced session ended; new recovery codes, then turn off', withDiag(async () => {
    const state = h.secondFactor;
    if (!state?.codes) throw new Error('22.1 did not turn two-step sign-in on: nothing to test');
    const { page } = state.visitor;
    try {
      const old = state.signedInAt + STEP_UP_WINDOW_MS + 2000 - Date.now();
      if (old > 0) await page.waitForTimeout(old);

      // An address change (it ends no other session, so the list below shows whether the step-up ended the one it replaced).
      await page.getByRole('link', { name: 'Email address' }).click();
      await waitForPage(page, 'Email address');
      const typed = { 'New email address': newUser().email, 'Current password': state.user.password };
      for (const [label, value] of Object.entries(typed)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole('button', { name: 'Send a link to the new address' }).click();
      const stepUp = page.getByTestId('step-up');
      const sent = page.getByText('If this address can be used, a link to confirm it is on its way there.');
      await stepUp.or(sent).or(page.getByRole('alert')).first().waitFor();
      if (await sent.isVisible()) {
        throw new Error('the address change went through without a step-up: is make run\'s AUTH_SECOND_FACTOR_STEP_UP_WINDOW PT40S (MakeRunTest sets it)?');
      }
      if (!(await stepUp.isVisible())) throw new Error(`no step-up form, the page says: ${await page.getByRole('alert').textContent()}`);
      await stepUp.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
      for (const [label, value] of Object.entries(typed)) {
        if ((await page.getByLabel(label, { exact: true }).inputValue()) !== value) throw new Error(`"${label}" lost what was typed`);
      }
      const found = await axeViolations(page, 'step-up form');
      await stepUp.getByLabel('Password', { exact: true }).fill(state.user.password);
      await stepUp.getByLabel('Code from your authenticator app, or a recovery code').fill(await freshCode(page, state.app));
      await stepUp.getByRole('button', { name: 'Confirm and continue' }).click();
      await sent.or(page.getByRole('alert')).first().waitFor();
      if (!(await sent.isVisible())) throw new Error(`after the step-up: ${await page.getByRole('alert').first().textContent()}`);
      if (await stepUp.count()) throw new Error('the step-up form is still shown');

      // The sign-in replaced this browser's session: the old one was ended, so the list shows one, this browser's.
      await page.getByRole('link', { name: 'Profile' }).click();
      const sessions = page.getByTestId('session-list').getByTestId('session');
      await sessions.first().waitFor();
      if ((await sessions.count()) !== 1) throw new Error(`expected this browser's session alone, saw ${await sessions.count()}`);

      // Within the window now: new codes and turning off need no second confirmation.
      await page.getByRole('link', { name: 'Two-step sign-in' }).click();
      await page.getByRole('button', { name: 'Get new recovery codes' }).click();
      const list = page.getByTestId('recovery-codes');
      await list.or(page.getByRole('alert')).or(stepUp).first().waitFor();
      if (!(await list.isVisible())) throw new Error('no new recovery codes right after the step-up');
      const fresh = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
      if (fresh.length !== 10 || fresh.some((c) => state.codes.includes(c))) throw new Error(`new codes: ${JSON.stringify(fresh)}`);
      await page.getByRole('button', { name: 'I have saved them' }).click();
      await factorState(page, 'Two-step sign-in is on. 10 recovery codes left.');
      await page.getByRole('button', { name: 'Turn off two-step sign-in…' }).click();
      await page.getByRole('button', { name: 'Yes, turn it off' }).click();
      const off = page.getByTestId('factor-state').filter({ hasText: 'Two-step sign-in is off.' });
      await off.or(page.getByRole('alert')).first().waitFor();
      if (!(await off.isVisible())) throw new Error(`not turned off: ${await page.getByRole('alert').textContent()}`);

      // Off: the password alone signs in again.
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await expectLoginPage(page);
      await loginViaUi(page, state.user);
      if (found.length) throw new Error(found.join('\n'));
      return 'step-up asked, typed values kept and used; one session left; 10 new codes; off; the password alone signs in';
    } finally {
      await state.visitor.context.close();
    }
  })];
}
