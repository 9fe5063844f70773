// The browser side of passkeys (src/passkey.js) without a browser: when the buttons show, what a person reads when the
// device gives no credential, and that the JSON the server sends goes through the browser's converters untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { createPasskey, describeCeremonyError, passkeysSupported, PasskeyCeremonyError, signWithPasskey } from '../src/passkey.js';
import { describeError } from '../src/messages.js';

function withBrowser(credentials, run) {
  const saved = { PublicKeyCredential: globalThis.PublicKeyCredential, navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator') };
  globalThis.PublicKeyCredential = {
    parseCreationOptionsFromJSON: (json) => ({ parsed: 'creation', json }),
    parseRequestOptionsFromJSON: (json) => ({ parsed: 'request', json }),
  };
  Object.defineProperty(globalThis, 'navigator', { value: { credentials }, configurable: true });
  return Promise.resolve(run()).finally(() => {
    globalThis.PublicKeyCredential = saved.PublicKeyCredential;
    if (saved.navigator) Object.defineProperty(globalThis, 'navigator', saved.navigator);
    else delete globalThis.navigator;
  });
}

test('no passkey button without the browser\'s JSON converters (WebAuthn Level 3)', async () => {
  assert.equal(passkeysSupported(), false); // node has no PublicKeyCredential
  await withBrowser({}, () => assert.equal(passkeysSupported(), true));
  await withBrowser({}, () => {
    delete globalThis.PublicKeyCredential.parseRequestOptionsFromJSON;
    assert.equal(passkeysSupported(), false);
  });
});

test('the server\'s options reach the browser through its converters, and the credential goes back as its toJSON()', async () => {
  const seen = [];
  const credentials = {
    create: async (options) => { seen.push(options); return { toJSON: () => ({ id: 'made' }) }; },
    get: async (options) => { seen.push(options); return { toJSON: () => ({ id: 'used' }) }; },
  };
  await withBrowser(credentials, async () => {
    assert.deepEqual(await createPasskey({ challenge: 'c1' }), { id: 'made' });
    assert.deepEqual(await signWithPasskey({ challenge: 'c2', allowCredentials: [] }), { id: 'used' });
  });
  assert.deepEqual(seen, [
    { publicKey: { parsed: 'creation', json: { challenge: 'c1' } } },
    { publicKey: { parsed: 'request', json: { challenge: 'c2', allowCredentials: [] } } },
  ]);
});

test('a cancelled ceremony, a passkey already on the device and a refused address each say what happened', async () => {
  const refusing = (name) => ({ create: async () => { throw Object.assign(new Error('x'), { name }); }, get: async () => null });
  for (const [name, making, expected] of [
    ['NotAllowedError', true, /^No passkey was made: the request was cancelled or timed out/],
    ['InvalidStateError', true, /already holds a passkey for your account/],
    ['SecurityError', true, /refused passkeys on this address/],
  ]) {
    await withBrowser(refusing(name), async () => {
      const error = await createPasskey({}).catch((e) => e);
      assert.ok(error instanceof PasskeyCeremonyError);
      assert.match(describeCeremonyError(error, making), expected);
    });
  }
  await withBrowser(refusing('NotAllowedError'), async () => {
    const error = await signWithPasskey({}).catch((e) => e); // get answered null: no credential
    assert.match(describeCeremonyError(error), /^No passkey was used/);
  });
  assert.equal(describeCeremonyError({ status: 401 }), null); // the server's answers are described by messages.js
});

test('a passkey the server refuses reads as refused, not as a wrong password', () => {
  assert.match(describeError({ status: 401 }, 'passkey'), /^That passkey was not accepted/);
  assert.match(describeError({ status: 403, stepUp: true }, 'factors'), /or a passkey\.$/);
});
