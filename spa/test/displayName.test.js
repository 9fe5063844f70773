// The SPA's display-name check reads the server's rule file: the same names refused, in the same words, at the
// same limit (service-kit's DisplayNameTest holds the server's side of this table).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { checkDisplayName, DISPLAY_NAME_MAX } from '../src/displayName.js';
import { describeError } from '../src/messages.js';

const REFUSED = {
  'Eve \u202Etxt.exe': /direction of text/,
  'Eve \u2067txt\u2069': /direction of text/,
  '\u200B\u200B\u200B': /visible character/,
  '\u200D\u200C': /visible character/,
  '\u3164\u3164': /visible character/,
  '\u2800': /visible character/,
  '\u0301\u0308': /visible character/,
  'Eve\nMallory': /one line/,
  '   ': /Enter a display name/,
};

test('misleading, invisible and multi-line names are refused in the server\'s words', () => {
  for (const [name, says] of Object.entries(REFUSED)) assert.match(checkDisplayName(name).error ?? '', says, JSON.stringify(name));
});

test('names in any script, with joiners where they belong, are accepted as typed; decomposed ones are composed', () => {
  for (const name of ['Eve', '\u05D3\u05E0\u05D4 \u05DC\u05D5\u05D9', '👩‍💻 Ada', '\u0928\u092E\u0938\u094D\u200D\u0924\u0947']) {
    assert.deepEqual(checkDisplayName(name), { name });
  }
  assert.deepEqual(checkDisplayName(' Zoe\u0308 '), { name: 'Zo\u00EB' });
});

test('one limit, shared with the server, counted in characters; a long paste is refused with the count, never cut', () => {
  assert.equal(DISPLAY_NAME_MAX, 100);
  assert.deepEqual(checkDisplayName('x'.repeat(100)), { name: 'x'.repeat(100) });
  assert.deepEqual(checkDisplayName('😀'.repeat(100)), { name: '😀'.repeat(100) });
  assert.equal(checkDisplayName('x'.repeat(140)).error, 'A display name can be at most 100 characters long; this one has 140.');
});

test('messages: no field names of the code, no pasted server text for 5xx, the correlation id to quote', () => {
  assert.equal(describeError({ status: 400, detail: 'bio must be at most 2000 characters long.' }, 'profile'),
    'Some of what you entered was not accepted. Check it and try again.');
  assert.match(describeError({ status: 400, detail: 'A display name needs at least one visible character.' }, 'profile'), /^A display name/);
  const outage = describeError({ status: 503, detail: 'Login is temporarily unavailable.', retryAfterSeconds: 5, correlationId: 'c0ffee' }, 'login');
  assert.equal(outage, 'We could not sign you in: the service is briefly unavailable. Nothing was changed. Try again in 5 seconds. '
    + 'If it keeps happening, contact support and quote the reference c0ffee.');
  assert.doesNotMatch(outage, /503|temporarily/);
  assert.equal(describeError({ status: 429, retryAfterSeconds: 30 }, 'login'), 'Too many attempts. You can try again in 30 seconds.');
});
