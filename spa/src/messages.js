/**
 * What a person reads when a call fails, in one voice: what happened, what to do next, and for a failure on our side
 * the reference to quote. Server text is used only where it is written for people (the reasons a value is refused);
 * status codes and field names of the code never reach the page. `action` names what was tried: login, register, ...
 */
const DOING = {
  login: 'sign you in',
  'second-factor': 'check that code',
  register: 'create your account',
  profile: 'save your profile',
  load: 'load your profile',
  password: 'change your password',
  logout: 'log you out',
  delete: 'delete your account',
  reset: 'handle your password reset',
  sessions: 'show or end your sessions',
  admin: 'do that admin action',
  email: 'handle your email address',
  factors: 'change your two-step sign-in',
  'step-up': 'confirm it is you',
  passkey: 'sign you in with a passkey',
};

export function describeError(error, action) {
  const status = error?.status;
  if (status === undefined) return 'Something went wrong in this page. Reload it and try again.';
  if (status === 0) return 'The server cannot be reached. Check your connection, then try again.';
  if (status === 400 || status === 422) return peopleText(error.detail) || 'Some of what you entered was not accepted. Check it and try again.';
  if (status === 401) {
    if (action === 'passkey') return 'That passkey was not accepted. Use a passkey of this account, or your password (after a password reset, sign in with the new password first, then the passkey).';
    if (action === 'second-factor' || action === 'step-up') return 'That code was not accepted (a code works once; an expired sign-in needs the password again).';
    return action === 'login' ? 'That email and password do not match an account. Check both and try again.' : 'Your session has ended. Log in again to continue.';
  }
  if (status === 403) {
    if (error.stepUp) return 'To do this, confirm it is you: sign in again with your password and a code from your authenticator app, or a passkey.';
    if (error.csrf) return 'This page is out of date with your session. Reload the page and try again.';
    if (action === 'password' || action === 'delete' || action === 'email' || action === 'factors') return 'Your current password is not correct.';
    return 'Your account is not allowed to do this.';
  }
  if (status === 409) return 'Something changed since this page was loaded. Reload the page and try again.';
  if (status === 413) return 'That is too much text to save at once. Shorten it and try again.';
  if (status === 429) {
    const wait = error.retryAfterSeconds;
    return wait == null ? 'Too many attempts. Wait a minute, then try again.' : `Too many attempts. You can try again in ${duration(wait)}.`;
  }
  if (status >= 500) {
    const doing = DOING[action] || 'do that';
    const when = error.retryAfterSeconds ? `in ${duration(error.retryAfterSeconds)}` : 'in a minute';
    const first = status === 503 ? `We could not ${doing}: the service is briefly unavailable.` : `We could not ${doing}: something failed on our side.`;
    const reference = error.correlationId ? ` If it keeps happening, contact support and quote the reference ${error.correlationId}.` : '';
    return `${first} Nothing was changed. Try again ${when}.${reference}`;
  }
  return 'That did not work. Reload the page and try again.';
}

/**
 * A server detail a person can act on: the suite's own messages for refused values start with a capital and read as
 * a sentence ("A display name can be at most ..."); one that names a field of the code ("bio must be ...") does not.
 */
function peopleText(detail) {
  if (!detail || !/^[A-Z]/.test(detail) || /\b[a-z]+[A-Z][a-zA-Z]*\b/.test(detail)) return null;
  return detail;
}

export function duration(seconds) {
  if (seconds < 1) return 'a moment';
  if (seconds <= 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
