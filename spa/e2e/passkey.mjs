// Issue 22's browser tests of passkeys (WebAuthn), run by run.mjs against the suite. The device is Chromium's virtual
// authenticator (DevTools protocol, WebAuthn domain), a platform authenticator like Touch ID or Windows Hello: it makes
// and uses real keys, and the test reads them back. One user adds a passkey (recovery codes shown once), signs in with it
// alone and after the password, and (22.10, late in the run) removes it behind a step-up; the attacks: a device that did
// not verify its user, another account's passkey for this account's second step, this account's passkey id with a key
// the server never saw.
import { generateKeyPairSync } from 'node:crypto';
import { axeViolations } from './account-page.mjs';
import { STEP_UP_WINDOW_MS } from './second-factor.mjs';

const PASSKEY_NAME = 'Laptop (test)';
const OPTIONS = '/api/auth/login/passkey/options';
/** What the login page says when the server refuses a passkey, and when the device gave none. */
const REFUSED = /That passkey was not accepted/;
const NOT_USED_OR_REFUSED = /No passkey was used|That passkey was not accepted/;

/**
 * A platform authenticator in this page's tab: resident keys (passkeys) and user verification (the fingerprint) that
 * succeeds unless told otherwise; presence is simulated, so no prompt waits for a touch. It lives as long as the page.
 */
async function virtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    /** The keys it holds: {credentialId, rpId, userHandle, privateKey, signCount, isResidentCredential}, ids in base64. */
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    setUserVerified: (isUserVerified) => cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified }),
    add: (credential) => cdp.send('WebAuthn.addCredential', { authenticatorId, credential }),
    remove: (credentialId) => cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId }),
  };
}

/** The DevTools protocol names a credential in base64; the server and the browser's JSON in base64url. */
const base64url = (base64) => Buffer.from(base64, 'base64').toString('base64url');

/**
 * Starts waiting for a request or answer before the click that causes it; a test that fails before awaiting it must
 * not also leave a rejected promise behind (it would end the whole run).
 */
function expecting(promise) {
  promise.catch(() => {});
  return promise;
}

/** Changes the JSON of every answer to `path` on this page before the app reads it: what an attacker's own client does. */
async function tamperWith(page, path, change) {
  await page.route(`**${path}`, async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    change(json);
    await route.fulfill({ response, json });
  });
  return () => page.unroute(`**${path}`);
}

export function passkeyTests(h) {
  const { openVisitor, newUser, registerViaUi, waitForPage, expectLoginPage, withDiag, submitPastTheAddressLimit } = h;
  // The one user of 22.5-22.10: { visitor, user, device, passkeyId, signedInAt }
  const state = (h.passkey = {});

  const signOut = async (page) => {
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await expectLoginPage(page);
  };

  const requireAdded = () => {
    if (!state.passkeyId) throw new Error('22.5 did not add a passkey: nothing to test');
  };

  /** Adds a passkey on the Two-step sign-in page; answers the server's answer (with the recovery codes, if any). */
  const addPasskey = async (page, user, name) => {
    await page.getByRole('link', { name: 'Two-step sign-in' }).click();
    await waitForPage(page, 'Two-step sign-in');
    await page.getByTestId('passkeys').getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByLabel('Name of this passkey').fill(name);
    await page.getByLabel('Your password').fill(user.password);
    const answered = expecting(page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/factors/passkeys' && r.request().method() === 'POST'));
    await page.getByRole('button', { name: 'Make the passkey' }).click();
    const codes = page.getByTestId('recovery-codes');
    await codes.or(page.getByRole('alert')).first().waitFor();
    if (!(await codes.isVisible())) throw new Error(`no passkey added: ${await page.getByRole('alert').first().textContent()}`);
    return (await answered).json();
  };

  /**
   * Clicks "Sign in with a passkey" (or the second step's "Use a passkey") and expects a refusal: no session, the
   * login page still, and a message matching `saying`. Answers the message and the server's status for the credential
   * (null when the browser sent none).
   */
  const expectPasskeyRefused = async (visitor, button, credentialPath, saying) => {
    const { page, context, api } = visitor;
    const before = api.length;
    await page.getByRole('button', { name: button }).click();
    const refusal = page.getByRole('alert').filter({ hasText: saying });
    const profile = page.getByRole('heading', { level: 1, name: 'Your profile' });
    try {
      await refusal.or(profile).first().waitFor();
    } catch {
      throw new Error(`${button}: no message saying ${saying}; the page says ${JSON.stringify(await page.getByRole('alert').allTextContents())}`);
    }
    if (await profile.isVisible()) throw new Error(`${button}: signed in`);
    await waitForPage(page, 'Log in');
    if ((await context.cookies()).some((c) => c.name === '__Host-access')) throw new Error(`${button}: a session cookie was set`);
    const sent = api.slice(before).find((line) => line.startsWith(`POST ${credentialPath} `));
    return { message: (await refusal.textContent()).trim(), status: sent ? Number(sent.split('-> ')[1]) : null };
  };

  return [
    ['22.5 add a passkey with a name and the password: the device makes a discoverable key for this site, ten recovery codes are shown once, the passkey is listed and two-step sign-in is on', withDiag(async (diag) => {
      const visitor = await openVisitor(diag);
      const { page } = visitor;
      const user = newUser();
      Object.assign(state, { visitor, user, device: await virtualAuthenticator(page) });
      await registerViaUi(page, user);
      await page.getByRole('link', { name: 'Two-step sign-in' }).click();
      await waitForPage(page, 'Two-step sign-in');
      await page.getByTestId('factor-state').filter({ hasText: 'Two-step sign-in is off.' }).waitFor();
      await page.getByTestId('no-passkeys').waitFor();

      const answer = await addPasskey(page, user, PASSKEY_NAME);
      const codes = (await page.getByTestId('recovery-codes').getByRole('listitem').allTextContents()).map((c) => c.trim());
      if (codes.length !== 10 || new Set(codes).size !== 10) throw new Error(`expected 10 different codes, saw ${JSON.stringify(codes)}`);
      if (JSON.stringify(codes) !== JSON.stringify(answer.recoveryCodes?.codes)) throw new Error('the codes shown are not the server\'s');
      const found = await axeViolations(page, 'recovery codes after a passkey');
      const keys = await state.device.credentials();
      const host = new URL(page.url()).hostname;
      if (keys.length !== 1 || !keys[0].isResidentCredential || keys[0].rpId !== host) {
        throw new Error(`expected one discoverable key for ${host} on the device, it holds ${JSON.stringify(keys.map((k) => [k.rpId, k.isResidentCredential]))}`);
      }
      if (base64url(keys[0].credentialId) !== answer.passkey.id) throw new Error('the server stored another credential than the device made');

      await page.getByRole('button', { name: 'I have saved them' }).click();
      await page.getByTestId('factor-state').filter({ hasText: 'Two-step sign-in is on. 10 recovery codes left.' }).waitFor();
      for (const round of ['after "I have saved them"', 'after a reload']) {
        if (round === 'after a reload') await page.reload();
        await page.getByTestId('passkey-name').filter({ hasText: PASSKEY_NAME }).waitFor();
        if (await page.getByTestId('recovery-codes').count()) throw new Error(`the codes are still shown ${round}`);
      }
      if (!(await page.getByTestId('passkey').textContent()).includes('not used to sign in yet')) throw new Error('a new passkey reads as used');
      found.push(...(await axeViolations(page, 'passkey list')));
      if (found.length) throw new Error(found.join('\n'));
      state.passkeyId = answer.passkey.id;
      return `one discoverable key for ${host}, stored under the same id; 10 codes shown once; listed as "${PASSKEY_NAME}"`;
    })],

    ['22.6 sign out, then in with the passkey alone: no email, no password, the device offers its passkey for this site', withDiag(async () => {
      requireAdded();
      const { page } = state.visitor;
      await signOut(page);
      const options = expecting(page.waitForRequest((r) => new URL(r.url()).pathname === OPTIONS));
      await submitPastTheAddressLimit(page, page.getByRole('button', { name: 'Sign in with a passkey' }), 'Your profile');
      const asked = (await options).postDataJSON();
      if (Object.keys(asked).length) throw new Error(`a password-less sign-in asked for options with ${JSON.stringify(asked)}`);
      const header = (await page.getByTestId('header-display-name').textContent()).trim();
      if (header !== state.user.displayName) throw new Error(`signed in as ${header}`);
      await page.getByRole('link', { name: 'Two-step sign-in' }).click();
      await page.getByTestId('passkey').filter({ hasText: 'last used' }).waitFor();
      return 'signed in as the passkey\'s account; the list shows it used';
    })],

    ['22.7 a device that did not verify its user (isUserVerified false) does not sign in without a password, not even when the options are changed to let it skip verification', withDiag(async () => {
      requireAdded();
      const visitor = state.visitor;
      const { page } = visitor;
      await signOut(page);
      await state.device.setUserVerified(false);
      try {
        // As the app asks (userVerification required): the device fails, or signs without the UV flag and the server refuses.
        const asAsked = await expectPasskeyRefused(visitor, 'Sign in with a passkey', '/api/auth/login/passkey', NOT_USED_OR_REFUSED);
        if (asAsked.status !== null && asAsked.status !== 401) throw new Error(`the server answered ${asAsked.status}`);
        // An attacker's client asks the device not to verify: the signature is good, its UV flag is not set. The server refuses.
        const untamper = await tamperWith(page, OPTIONS, (options) => {
          options.userVerification = 'discouraged';
        });
        let skipped;
        try {
          skipped = await expectPasskeyRefused(visitor, 'Sign in with a passkey', '/api/auth/login/passkey', REFUSED);
        } finally {
          await untamper();
        }
        if (skipped.status !== 401) throw new Error(`an assertion without user verification was answered ${skipped.status}`);
        return `as asked: ${asAsked.status === null ? 'the device gave nothing' : `the server answered ${asAsked.status}`} ("${asAsked.message}"); without verification: 401`;
      } finally {
        await state.device.setUserVerified(true);
      }
    })],

    ['22.8 sign in with the password, then the passkey as the second step (the options name this account\'s passkey)', withDiag(async () => {
      requireAdded();
      const { page } = state.visitor;
      await page.reload(); // 22.7's messages gone
      await waitForPage(page, 'Log in');
      await page.getByLabel('Email').fill(state.user.email);
      await page.getByLabel('Password').fill(state.user.password);
      const usePasskey = page.getByRole('button', { name: 'Use a passkey' });
      await submitPastTheAddressLimit(page, page.getByRole('button', { name: 'Log in', exact: true }), usePasskey);
      if (!(await page.getByLabel('Code from your authenticator app').isVisible())) throw new Error('the second step offers no code besides the passkey');
      const options = expecting(page.waitForResponse((r) => new URL(r.url()).pathname === OPTIONS));
      await submitPastTheAddressLimit(page, usePasskey, 'Your profile');
      state.signedInAt = Date.now();
      const answer = await (await options).json();
      const { challenge } = (await options).request().postDataJSON();
      if (!challenge) throw new Error('the second step\'s options were asked without the password\'s challenge');
      const allowed = (answer.allowCredentials || []).map((c) => c.id);
      if (!allowed.includes(state.passkeyId)) throw new Error(`the options do not name the account's passkey: ${JSON.stringify(allowed)}`);
      return `password, then the passkey; the options named ${allowed.length} passkey(s) of the account`;
    })],

    ['22.9 another browser: another account\'s passkey for this account\'s second step is refused, and so is this account\'s passkey id with a key the server never saw', withDiag(async (diag) => {
      requireAdded();
      const attacker = await openVisitor(diag);
      const { page } = attacker;
      try {
        const device = await virtualAuthenticator(page);
        const own = newUser();
        await registerViaUi(page, own);
        await addPasskey(page, own, 'Attacker key');
        await page.getByRole('button', { name: 'I have saved them' }).click();
        await signOut(page);

        // The victim's password (phished), then the attacker's own, valid passkey: the options are changed to name no
        // passkey, so the device signs with the one it has.
        await page.getByLabel('Email').fill(state.user.email);
        await page.getByLabel('Password').fill(state.user.password);
        await submitPastTheAddressLimit(page, page.getByRole('button', { name: 'Log in', exact: true }), page.getByRole('button', { name: 'Use a passkey' }));
        const untamper = await tamperWith(page, OPTIONS, (options) => {
          options.allowCredentials = [];
        });
        let foreign;
        try {
          foreign = await expectPasskeyRefused(attacker, 'Use a passkey', '/api/auth/login/second-factor', REFUSED);
        } finally {
          await untamper();
        }
        if (foreign.status !== 401) throw new Error(`another account's passkey for the second step was answered ${foreign.status}`);

        // The victim's credential id and user handle (both public enough: the id is in every options answer) with a
        // new key, on a device with nothing else: the signature is the attacker's, not the registered key's.
        const [ownKey] = await device.credentials();
        await device.remove(ownKey.credentialId);
        const [victimKey] = await state.device.credentials();
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        await device.add({
          credentialId: victimKey.credentialId, rpId: victimKey.rpId, userHandle: victimKey.userHandle, isResidentCredential: true,
          privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'), signCount: victimKey.signCount + 100,
        });
        await page.goto('/#/login');
        await page.reload();
        await waitForPage(page, 'Log in');
        const copied = await expectPasskeyRefused(attacker, 'Sign in with a passkey', '/api/auth/login/passkey', REFUSED);
        if (copied.status !== 401) throw new Error(`the victim's passkey id with another key was answered ${copied.status}`);
        return 'another account\'s passkey: 401; the id with another key: 401; both said "not accepted", no session';
      } finally {
        await attacker.context.close();
      }
    })],
  ];
}

/**
 * 22.10 runs late in the run, as 22.4 does: the sign-in of 22.8 has to grow older than make run's step-up window (40 s,
 * MakeRunTest) for the removal to ask to confirm it is you; the tests in between fill that time.
 */
export function passkeyRemovalTest(h) {
  const { waitForPage, expectLoginPage, withDiag, loginViaUi } = h;
  return ['22.10 remove the passkey: it asks to confirm it is you (the password, then the passkey), the list is empty, the passkey no longer signs in, the password alone does', withDiag(async () => {
    const state = h.passkey;
    if (!state?.signedInAt) throw new Error('22.8 did not sign in with the passkey: nothing to test');
    const visitor = state.visitor;
    const { page } = visitor;
    try {
      const waited = Math.max(0, state.signedInAt + STEP_UP_WINDOW_MS + 2000 - Date.now());
      if (waited) await page.waitForTimeout(waited);
      await page.getByRole('link', { name: 'Two-step sign-in' }).click();
      await waitForPage(page, 'Two-step sign-in');
      await page.getByTestId('passkey').filter({ hasText: PASSKEY_NAME }).getByRole('button', { name: /^Remove/ }).click();
      await page.getByRole('button', { name: 'Yes, remove it' }).click();
      const stepUp = page.getByTestId('step-up');
      const gone = page.getByTestId('no-passkeys');
      await stepUp.or(gone).or(page.getByRole('alert')).first().waitFor();
      if (await gone.isVisible()) throw new Error('removed without a step-up: is make run\'s AUTH_SECOND_FACTOR_STEP_UP_WINDOW PT40S (MakeRunTest sets it)?');
      if (!(await stepUp.isVisible())) throw new Error(`no step-up form, the page says: ${await page.getByRole('alert').first().textContent()}`);
      await stepUp.getByLabel('Password', { exact: true }).fill(state.user.password);
      await stepUp.getByRole('button', { name: 'Use a passkey instead' }).click();
      await stepUp.getByRole('button', { name: 'Confirm with a passkey' }).click();
      await gone.or(page.getByRole('alert')).first().waitFor();
      if (!(await gone.isVisible())) throw new Error(`after the step-up: ${await page.getByRole('alert').first().textContent()}`);
      await page.getByTestId('factor-state').filter({ hasText: 'Two-step sign-in is off.' }).waitFor();

      // The device still holds the key; the server no longer knows it.
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await expectLoginPage(page);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      if (!REFUSED.test(await alert.textContent())) throw new Error(`the removed passkey: ${await alert.textContent()}`);
      await page.reload(); // the message gone, so that the next one is the password's
      await loginViaUi(page, state.user);
      return `${waited ? `waited ${Math.round(waited / 1000)} s for the window; ` : ''}step-up with the password and the passkey; removed; the device's key then refused; the password alone signs in`;
    } finally {
      await visitor.context.close();
    }
  })];
}
