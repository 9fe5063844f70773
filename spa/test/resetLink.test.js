// The reset page's handling of the link's token (src/resetLink.js), with node's own test runner: `npm test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { takeTokenFromAddress } from '../src/resetLink.js';

function browserAt(hash) {
  const replaced = [];
  const location = { hash };
  const history = {
    state: { kept: true },
    replaceState(state, title, url) {
      replaced.push({ state, url });
      location.hash = url;
    },
  };
  return { location, history, replaced };
}

test('the token is read from the link and removed from the address bar and the history entry', () => {
  const browser = browserAt('#/reset-password?token=AbC-_123');
  assert.equal(takeTokenFromAddress(browser.location, browser.history), 'AbC-_123');
  assert.deepEqual(browser.replaced, [{ state: { kept: true }, url: '#/reset-password' }]);
  assert.equal(browser.location.hash, '#/reset-password');
  // Read again (a re-render, a reload): the address no longer holds it.
  assert.equal(takeTokenFromAddress(browser.location, browser.history), null);
});

test('an address without a token gives none and is left alone', () => {
  const browser = browserAt('#/reset-password');
  assert.equal(takeTokenFromAddress(browser.location, browser.history), null);
  assert.deepEqual(browser.replaced, []);
});

test('a token-like value on another route is not taken', () => {
  const browser = browserAt('#/login?token=abc');
  assert.equal(takeTokenFromAddress(browser.location, browser.history), null);
  assert.deepEqual(browser.replaced, []);
});

test('a malformed token is dropped from the address but not used', () => {
  const browser = browserAt('#/reset-password?token=<script>');
  assert.equal(takeTokenFromAddress(browser.location, browser.history), null);
  assert.equal(browser.location.hash, '#/reset-password');
});

test('the address links (verify, change, undo) give their token the same way, each only on its own page', async () => {
  const { takeLinkToken } = await import('../src/resetLink.js');
  for (const page of ['verify-email', 'confirm-email-change', 'undo-email-change']) {
    const browser = browserAt(`#/${page}?token=Tok_en-1`);
    assert.equal(takeLinkToken('reset-password', browser.location, browser.history), null);
    assert.equal(takeLinkToken(page, browser.location, browser.history), 'Tok_en-1');
    assert.equal(browser.location.hash, `#/${page}`);
  }
});
