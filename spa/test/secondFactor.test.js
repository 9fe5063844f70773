// The small rules of two-step sign-in (src/secondFactor.js) and its error wording, with node's own test runner: `npm test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { FEW_RECOVERY_CODES, groupedSecret, isAuthenticatorCode, recoveryCodesLeftText, recoveryCodesText } from '../src/secondFactor.js';
import { describeError } from '../src/messages.js';

test('six digits (spaced as some apps show them) are an authenticator code; anything else a recovery code', () => {
  assert.equal(isAuthenticatorCode('123456'), true);
  assert.equal(isAuthenticatorCode(' 123 456 '), true);
  assert.equal(isAuthenticatorCode('12345'), false);
  assert.equal(isAuthenticatorCode('ABCD-EFGH-JKLM-NPQR'), false);
  assert.equal(isAuthenticatorCode('1234567890123456'), false);
});

test('the codes left: a plain count while there are enough, a warning from FEW_RECOVERY_CODES down, an alarm at none', () => {
  assert.equal(recoveryCodesLeftText(10), '10 recovery codes left.');
  assert.equal(recoveryCodesLeftText(FEW_RECOVERY_CODES + 1), `${FEW_RECOVERY_CODES + 1} recovery codes left.`);
  assert.equal(recoveryCodesLeftText(FEW_RECOVERY_CODES), `Only ${FEW_RECOVERY_CODES} recovery codes left: get new ones before you run out.`);
  assert.equal(recoveryCodesLeftText(1), 'Only 1 recovery code left: get new ones before you run out.');
  assert.match(recoveryCodesLeftText(0), /^You have no recovery codes left/);
});

test('the secret is shown in groups of four, and reads back to the same secret without the spaces', () => {
  assert.equal(groupedSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'), 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
  assert.equal(groupedSecret('ABCDEF'), 'ABCD EF');
  assert.equal(groupedSecret(groupedSecret('ABCDEFGHIJ')).replace(/ /g, ''), 'ABCDEFGHIJ');
});

test('the text kept of the recovery codes names the account and the day, then one code a line', () => {
  const text = recoveryCodesText(['AAAA-BBBB', 'CCCC-DDDD'], 'ada@example.test', new Date('2026-12-02T10:00:00Z'));
  const lines = text.split('\n');
  assert.equal(lines[0], 'Recovery codes for ada@example.test (Secure suite), made 2026-12-02.');
  assert.deepEqual(lines.slice(3, 5), ['AAAA-BBBB', 'CCCC-DDDD']);
  assert.ok(text.endsWith('\n'));
});

test('a step-up refusal says what to do; the factor page\'s wrong password and wrong code are told apart', () => {
  assert.match(describeError({ status: 403, stepUp: true }, 'factors'), /confirm it is you: sign in again with your password and a code/);
  assert.match(describeError({ status: 403, stepUp: true }, 'password'), /confirm it is you/);
  assert.equal(describeError({ status: 403 }, 'factors'), 'Your current password is not correct.');
  assert.equal(describeError({ status: 400, detail: 'The code is not valid.' }, 'factors'), 'The code is not valid.');
  assert.match(describeError({ status: 401 }, 'step-up'), /^That code was not accepted/);
});
