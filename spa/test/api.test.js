// Unit tests of src/api.js (the CSRF and refresh-once rules) with node's own test runner: `npm test`.
// fetch and document.cookie are replaced by a tiny fake gateway; the real gateway is exercised by e2e/run.mjs.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import * as api from '../src/api.js';

let jar; // the cookies JavaScript can see (the fake gateway's HTTP-only ones are not modelled)
let calls; // every fetch: { method, path, csrf, body }
let routes; // 'METHOD /path' -> (call) => Response, or an array of them consumed in order
let tokens;

function json(status, body, headers = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

const problem = (status, detail, headers) => json(status, { status, title: 'Error', detail }, headers);

beforeEach(() => {
  jar = new Map();
  calls = [];
  tokens = 0;
  globalThis.document = {
    get cookie() {
      return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    },
  };
  routes = {
    'GET /api/auth/csrf': () => {
      const token = `csrf-${++tokens}`;
      jar.set('__Host-csrf', token);
      return json(200, { token });
    },
  };
  globalThis.fetch = async (path, init) => {
    const call = {
      method: init.method,
      path,
      csrf: init.headers['X-CSRF-Token'] ?? null,
      body: init.body === undefined ? undefined : JSON.parse(init.body),
      credentials: init.credentials,
    };
    calls.push(call);
    let handler = routes[`${init.method} ${path}`];
    if (Array.isArray(handler)) handler = handler.shift();
    if (!handler) throw new TypeError('Failed to fetch');
    return handler(call);
  };
});

afterEach(() => {
  api.onSessionEnded(() => {})();
  delete globalThis.document;
  delete globalThis.fetch;
});

const summary = () => calls.map((c) => `${c.method} ${c.path}`);

describe('CSRF', () => {
  test('a GET carries no CSRF header and sends cookies same-origin only', async () => {
    jar.set('__Host-csrf', 'abc');
    routes['GET /api/users/me'] = () => json(200, { displayName: 'A' });
    assert.deepEqual(await api.getProfile(), { displayName: 'A' });
    assert.equal(calls[0].csrf, null);
    assert.equal(calls[0].credentials, 'same-origin');
  });

  test('unsafe requests echo the cookie as it is at request time', async () => {
    jar.set('__Host-csrf', 'first');
    routes['PATCH /api/users/me'] = (call) => json(200, call.body);
    await api.updateProfile({ bio: 'x' });
    jar.set('__Host-csrf', 'rotated');
    await api.updateProfile({ bio: 'y' });
    assert.deepEqual(calls.map((c) => c.csrf), ['first', 'rotated']);
  });

  test('without a CSRF cookie, one is fetched before the unsafe request', async () => {
    routes['PATCH /api/users/me'] = (call) => json(200, call.body);
    await api.updateProfile({ bio: 'x' });
    assert.deepEqual(summary(), ['GET /api/auth/csrf', 'PATCH /api/users/me']);
    assert.equal(calls[1].csrf, 'csrf-1');
  });

  test('login and register always start from a fresh token (the old one may be bound to a dead session)', async () => {
    jar.set('__Host-csrf', 'stale');
    routes['POST /api/auth/login'] = () => json(200, { user: { displayName: 'A' }, accessExpiresAt: 'x' });
    routes['POST /api/auth/register'] = () => json(202, { status: 'accepted' });
    await api.login('a@example.test', 'p');
    await api.register('a@example.test', 'p', 'A');
    assert.deepEqual(summary(), ['GET /api/auth/csrf', 'POST /api/auth/login', 'GET /api/auth/csrf', 'POST /api/auth/register']);
    assert.deepEqual(calls.filter((c) => c.method === 'POST').map((c) => c.csrf), ['csrf-1', 'csrf-2']);
  });

  test('a reset request and its confirmation carry a fresh CSRF token, the token in the body and never in the URL', async () => {
    jar.set('__Host-csrf', 'stale');
    routes['POST /api/auth/password-reset'] = () => json(202, { status: 'accepted' });
    routes['POST /api/auth/password-reset/confirm'] = () => json(204);
    await api.requestPasswordReset('a@example.test');
    assert.equal(await api.confirmPasswordReset('the-token', 'a new long passphrase'), null);
    assert.deepEqual(summary(), ['GET /api/auth/csrf', 'POST /api/auth/password-reset', 'GET /api/auth/csrf',
      'POST /api/auth/password-reset/confirm']);
    assert.deepEqual(calls.filter((c) => c.method === 'POST').map((c) => c.csrf), ['csrf-1', 'csrf-2']);
    assert.deepEqual(calls[3].body, { token: 'the-token', newPassword: 'a new long passphrase' });
    assert.ok(calls.every((c) => !c.path.includes('the-token')));
  });

  test('a 401 at confirmation is reported as it is: no refresh is tried, no session ends', async () => {
    routes['POST /api/auth/password-reset/confirm'] = () => problem(401, 'x');
    await assert.rejects(api.confirmPasswordReset('t', 'p'), (e) => e.status === 401 && !e.sessionEnded);
    assert.deepEqual(summary().filter((c) => c.includes('refresh')), []);
  });

  test('a CSRF 403 gets a fresh token and one more try; a second one is reported', async () => {
    jar.set('__Host-csrf', 'stale');
    routes['POST /api/auth/logout'] = [
      () => problem(403, 'Missing or invalid CSRF token; fetch /api/auth/csrf and send it in X-CSRF-Token.'),
      () => json(204),
    ];
    assert.equal(await api.logout(), null);
    assert.deepEqual(summary(), ['POST /api/auth/logout', 'GET /api/auth/csrf', 'POST /api/auth/logout']);

    calls = [];
    routes['POST /api/auth/logout'] = () => problem(403, 'Missing or invalid CSRF token.');
    await assert.rejects(api.logout(), (e) => e.status === 403 && e.csrf === true);
    assert.equal(calls.filter((c) => c.path === '/api/auth/logout').length, 2);
  });

  test('another 403 (wrong current password) is not retried', async () => {
    jar.set('__Host-csrf', 't');
    routes['POST /api/auth/password'] = () => problem(403, 'The current password is wrong.');
    await assert.rejects(api.changePassword('old', 'new'), (e) => e.status === 403 && e.csrf === false);
    assert.deepEqual(summary(), ['POST /api/auth/password']);
  });
});

describe('refresh once', () => {
  beforeEach(() => jar.set('__Host-csrf', 'session-bound'));

  test('a 401 refreshes once (with a fresh CSRF token) and retries once', async () => {
    routes['GET /api/users/me'] = [() => problem(401, 'expired'), () => json(200, { displayName: 'A' })];
    routes['POST /api/auth/refresh'] = () => {
      jar.set('__Host-csrf', 'after-refresh');
      return json(200, { user: {}, accessExpiresAt: 'x' });
    };
    assert.deepEqual(await api.getProfile(), { displayName: 'A' });
    assert.deepEqual(summary(), ['GET /api/users/me', 'GET /api/auth/csrf', 'POST /api/auth/refresh', 'GET /api/users/me']);
    assert.equal(calls[2].csrf, 'csrf-1');
  });

  test('the retried unsafe request carries the CSRF token the refresh rotated to', async () => {
    routes['PATCH /api/users/me'] = [() => problem(401, 'expired'), (call) => json(200, { csrf: call.csrf })];
    routes['POST /api/auth/refresh'] = () => {
      jar.set('__Host-csrf', 'after-refresh');
      return json(200, {});
    };
    assert.deepEqual(await api.updateProfile({ bio: 'b' }), { csrf: 'after-refresh' });
  });

  test('a failed refresh ends the session: listener told, no retry', async () => {
    let ended = 0;
    api.onSessionEnded(() => ended++);
    routes['GET /api/users/me'] = () => problem(401, 'revoked');
    routes['POST /api/auth/refresh'] = () => problem(401, 'revoked');
    await assert.rejects(api.getProfile(), (e) => e.status === 401 && e.sessionEnded);
    assert.equal(ended, 1);
    assert.deepEqual(summary(), ['GET /api/users/me', 'GET /api/auth/csrf', 'POST /api/auth/refresh']);
  });

  test('a second 401 after a successful refresh ends the session without another refresh', async () => {
    let ended = 0;
    api.onSessionEnded(() => ended++);
    routes['GET /api/users/me'] = () => problem(401, 'revoked');
    routes['POST /api/auth/refresh'] = () => json(200, {});
    await assert.rejects(api.getProfile(), (e) => e.sessionEnded);
    assert.equal(ended, 1);
    assert.equal(calls.filter((c) => c.path === '/api/auth/refresh').length, 1);
    assert.equal(calls.filter((c) => c.path === '/api/users/me').length, 2);
  });

  test('concurrent 401s share one refresh (refresh tokens are single use)', async () => {
    let expired = true;
    routes['GET /api/users/me'] = () => (expired ? problem(401, 'expired') : json(200, { ok: true }));
    routes['POST /api/auth/refresh'] = async () => {
      await new Promise((r) => setTimeout(r, 20));
      expired = false;
      return json(200, {});
    };
    const results = await Promise.all([api.getProfile(), api.getProfile(), api.getProfile()]);
    assert.deepEqual(results, [{ ok: true }, { ok: true }, { ok: true }]);
    assert.equal(calls.filter((c) => c.path === '/api/auth/refresh').length, 1);
  });

  test('a throttled refresh is reported as 429, not as a logout', async () => {
    let ended = 0;
    api.onSessionEnded(() => ended++);
    routes['GET /api/users/me'] = () => problem(401, 'expired');
    routes['POST /api/auth/refresh'] = () => problem(429, 'slow down', { 'Retry-After': '7' });
    await assert.rejects(api.getProfile(), (e) => e.status === 429 && e.retryAfterSeconds === 7);
    assert.equal(ended, 0);
  });

  test('login answering 401 means wrong credentials: no refresh', async () => {
    routes['POST /api/auth/login'] = () => problem(401, 'Wrong email or password.');
    await assert.rejects(api.login('a@example.test', 'p'), (e) => e.status === 401 && !e.sessionEnded);
    assert.deepEqual(summary(), ['GET /api/auth/csrf', 'POST /api/auth/login']);
  });
});

describe('errors', () => {
  test('a 400 problem keeps its detail; 409 and 429 keep status and Retry-After', async () => {
    routes['POST /api/auth/register'] = [
      () => problem(400, 'The password must be at least 15 characters long.'),
      () => problem(409, 'exists'),
      () => problem(429, 'later', { 'Retry-After': '30' }),
    ];
    await assert.rejects(api.register('a@b.c', 'short', 'A'), (e) => e.status === 400 && e.detail.includes('15 characters'));
    await assert.rejects(api.register('a@b.c', 'p', 'A'), (e) => e.status === 409);
    await assert.rejects(api.register('a@b.c', 'p', 'A'), (e) => e.status === 429 && e.retryAfterSeconds === 30);
  });

  test('an unreachable server is status 0 with a readable detail', async () => {
    await assert.rejects(api.getProfile(), (e) => e.status === 0 && /reach the server/.test(e.detail));
  });

  test('Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(api.parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now), 60);
    assert.equal(api.parseRetryAfter('12', now), 12);
    assert.equal(api.parseRetryAfter(null, now), null);
    assert.equal(api.parseRetryAfter('soon', now), null);
  });

  test('document.cookie parsing finds the CSRF cookie among others', () => {
    globalThis.document = { cookie: 'a=1; __Host-csrf=v1.pre-x.123.sig; b=2' };
    assert.equal(api.readCookie('__Host-csrf'), 'v1.pre-x.123.sig');
    assert.equal(api.readCookie('__Host-access'), null);
  });
});

describe('step-up (issue 22)', () => {
  const STEP_UP = 'Bearer error="insufficient_user_authentication", error_description="A recent sign-in is required for this action"';

  test('a 403 with RFC 9470\'s challenge is a step-up, and is neither a CSRF failure nor an ended session', async () => {
    jar.set('__Host-csrf', 'abc');
    routes['DELETE /api/auth/factors/totp'] = () => problem(403, 'This action needs a sign-in with your second factor in the last 10 minutes: sign in again.',
      { 'WWW-Authenticate': STEP_UP });
    await assert.rejects(api.turnOffAuthenticator(), (e) => e.status === 403 && e.stepUp && !e.csrf && !e.sessionEnded);
    assert.deepEqual(summary(), ['DELETE /api/auth/factors/totp']); // no refresh, no retry: only a new sign-in helps
  });

  test('a wrong password\'s 403, or another challenge, is not a step-up', async () => {
    jar.set('__Host-csrf', 'abc');
    routes['POST /api/auth/factors/totp/confirm'] = [() => problem(403, 'The current password is incorrect.'),
      () => problem(403, 'x', { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' })];
    await assert.rejects(api.confirmAuthenticator('123456', 'p'), (e) => e.status === 403 && !e.stepUp);
    await assert.rejects(api.confirmAuthenticator('123456', 'p'), (e) => e.status === 403 && !e.stepUp);
    assert.deepEqual(calls.map((c) => c.body), [{ code: '123456', currentPassword: 'p' }, { code: '123456', currentPassword: 'p' }]);
  });

  test('asksForStepUp reads only a 403 naming insufficient_user_authentication', () => {
    assert.equal(api.asksForStepUp(403, STEP_UP), true);
    assert.equal(api.asksForStepUp(401, STEP_UP), false);
    assert.equal(api.asksForStepUp(403, null), false);
    assert.equal(api.asksForStepUp(403, 'Bearer error="invalid_token"'), false);
  });
});
