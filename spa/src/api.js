/**
 * The SPA's whole API layer: the only module that calls fetch. The rules of the gateway live here and only here:
 *
 * - Credentials are the gateway's HTTP-only cookies (__Host-access, __Host-refresh). This module never sees,
 *   stores or sends a token itself.
 * - Every unsafe request (POST, PUT, PATCH, DELETE) carries X-CSRF-Token with the value of the __Host-csrf
 *   cookie, read from document.cookie at request time (the gateway rotates it on login, refresh and logout).
 *   Login, register and refresh first ask GET /api/auth/csrf for a token that fits the cookies the browser
 *   holds right now (a token is bound to a session, or to "no session"); any unsafe request that is refused
 *   with a CSRF 403 gets a fresh token and is sent once more.
 * - A 401 triggers ONE POST /api/auth/refresh and ONE retry of the request; if either answers 401 the
 *   session is over: the onSessionEnded listener runs (the app shows the login page) and the call fails.
 */

export const CSRF_COOKIE = '__Host-csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A failed call. status 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(status, problem = {}, { retryAfterSeconds = null, sessionEnded = false, csrf = false, stepUp = false } = {}) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = problem.title || null;
    this.detail = problem.detail || null;
    /** The id of the server's log line about a failure on its side: something a person can quote to support. */
    this.correlationId = typeof problem.correlationId === 'string' ? problem.correlationId : null;
    this.retryAfterSeconds = retryAfterSeconds;
    this.sessionEnded = sessionEnded;
    this.csrf = csrf;
    /** The action needs a recent sign-in with the second factor (RFC 9470): sign in again, then send it again. */
    this.stepUp = stepUp;
  }
}

let sessionEndedListener = null;

/** Registers the one listener told when the session is over (after the refresh-once rule gave up). */
export function onSessionEnded(listener) {
  sessionEndedListener = listener;
  return () => {
    if (sessionEndedListener === listener) sessionEndedListener = null;
  };
}

export function readCookie(name) {
  const prefix = `${name}=`;
  for (const part of document.cookie.split(';')) {
    const cookie = part.trim();
    if (cookie.startsWith(prefix)) return cookie.slice(prefix.length);
  }
  return null;
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value == null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

async function rawFetch(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method)) {
    const token = readCookie(CSRF_COOKIE);
    if (token) headers['X-CSRF-Token'] = token;
  }
  try {
    return await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { title: 'Network error', detail: 'Cannot reach the server. Check your connection and try again.' });
  }
}

async function problemOf(response) {
  const type = response.headers.get('Content-Type') || '';
  if (!type.includes('json')) return {};
  try {
    const body = await response.clone().json();
    return body && typeof body === 'object' ? body : {};
  } catch {
    return {};
  }
}

/** RFC 9470's answer to an action that needs a recent sign-in, as token-guard's StepUp writes it. */
export function asksForStepUp(status, wwwAuthenticate) {
  return status === 403 && /error="insufficient_user_authentication"/.test(wwwAuthenticate || '');
}

function mentionsCsrf(problem) {
  return /csrf/i.test(`${problem.title || ''} ${problem.detail || ''}`);
}

async function toError(response) {
  const problem = await problemOf(response);
  return new ApiError(response.status, problem, {
    retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After')),
    csrf: response.status === 403 && mentionsCsrf(problem),
    stepUp: asksForStepUp(response.status, response.headers.get('WWW-Authenticate')),
  });
}

async function fetchCsrfToken() {
  const response = await rawFetch('GET', '/api/auth/csrf');
  if (!response.ok) throw await toError(response);
}

/** One request with the CSRF rules applied (no refresh here). */
async function send(method, path, body, freshCsrf) {
  const unsafe = UNSAFE.has(method);
  if (unsafe && (freshCsrf || !readCookie(CSRF_COOKIE))) await fetchCsrfToken();
  let response = await rawFetch(method, path, body);
  if (unsafe && response.status === 403 && mentionsCsrf(await problemOf(response))) {
    await fetchCsrfToken();
    response = await rawFetch(method, path, body);
  }
  return response;
}

let refreshInFlight = null;

/**
 * POST /api/auth/refresh, at most one at a time in this tab (and across tabs where Web Locks exist): refresh
 * tokens are single use, so two refreshes with the same cookie would look like a stolen token to the server.
 * Resolves true on success, false on 401; throws for anything else (429, 503, network).
 */
function refreshSession() {
  if (!refreshInFlight) {
    const attempt = async () => {
      const response = await send('POST', '/api/auth/refresh', undefined, true);
      if (response.ok) return true;
      if (response.status === 401) return false;
      throw await toError(response);
    };
    const locks = globalThis.navigator?.locks;
    refreshInFlight = (locks ? locks.request('suite-session-refresh', attempt) : attempt()).finally(() => {
      refreshInFlight = null;
    });
  }
  return refreshInFlight;
}

function sessionEnded() {
  if (sessionEndedListener) sessionEndedListener();
  return new ApiError(401, { title: 'Unauthorized', detail: 'Your session has ended. Please log in again.' }, { sessionEnded: true });
}

async function readBody(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Calls the API. options.session (default true): a 401 means the session may have expired, so refresh once
 * and retry once. Auth calls that answer 401 for other reasons (login: wrong password) pass session: false.
 */
export async function request(method, path, body, { session = true, freshCsrf = false } = {}) {
  let response = await send(method, path, body, freshCsrf);
  if (response.status === 401 && session) {
    if (!(await refreshSession())) throw sessionEnded();
    response = await send(method, path, body, false);
    if (response.status === 401) throw sessionEnded();
  }
  if (!response.ok) throw await toError(response);
  return readBody(response);
}

export const register = (email, password, displayName) =>
  request('POST', '/api/auth/register', { email, password, displayName }, { session: false, freshCsrf: true });

export const login = (email, password) =>
  request('POST', '/api/auth/login', { email, password }, { session: false, freshCsrf: true });

/**
 * The second step of a sign-in with a second factor: login answered {secondFactorRequired, challenge} (202, no
 * cookies); the challenge (kept in memory only) and a TOTP or recovery code open the session.
 */
export const loginSecondFactor = (challenge, code) =>
  request('POST', '/api/auth/login/second-factor', { challenge, code }, { session: false, freshCsrf: true });

/**
 * A passkey instead of a code for the second step: the options for {challenge} (the password's 202) name this
 * account's passkeys; the credential (src/passkey.js) goes back with the same challenge.
 */
export const loginSecondFactorPasskey = (challenge, passkey) =>
  request('POST', '/api/auth/login/second-factor', { challenge, passkey }, { session: false, freshCsrf: true });

/**
 * Passkey sign-in options: `{}` for a password-less sign-in (allowCredentials empty: the device offers its passkeys
 * for this site), `{challenge}` for the second step of a password sign-in.
 */
export const passkeySignInOptions = (challenge) =>
  request('POST', '/api/auth/login/passkey/options', challenge ? { challenge } : {}, { session: false, freshCsrf: true });
/** A password-less sign-in: answered as /login's 200, with the session cookies. */
export const loginWithPasskey = (credential) =>
  request('POST', '/api/auth/login/passkey', { credential }, { session: false, freshCsrf: true });

/** Forgot password: the same answer whoever owns the address. Signed out, so a fresh pre-login CSRF token. */
export const requestPasswordReset = (email) =>
  request('POST', '/api/auth/password-reset', { email }, { session: false, freshCsrf: true });
/** The token from the reset link goes in the body, never in a URL. */
export const confirmPasswordReset = (token, newPassword) =>
  request('POST', '/api/auth/password-reset/confirm', { token, newPassword }, { session: false, freshCsrf: true });

/** The account's address and whether it is confirmed. */
export const getEmail = () => request('GET', '/api/auth/email');
/** "Send the link again": a new link to confirm the address (bounded by the server; the same answer every time). */
export const resendVerification = () => request('POST', '/api/auth/email/verification');
/** A new address, confirmed by a link mailed there: the password again, as for a password change. */
export const changeEmail = (currentPassword, newEmail) => request('POST', '/api/auth/email/change', { currentPassword, newEmail });
/** The links' tokens go in the body, never in a URL; the links work from any browser, signed in or not. */
export const confirmEmailLink = (kind, token) =>
  request('POST', { verify: '/api/auth/email/verification/confirm', change: '/api/auth/email/change/confirm',
    undo: '/api/auth/email/change/undo' }[kind], { token }, { session: false, freshCsrf: true });

export const logout = () => request('POST', '/api/auth/logout');
export const logoutEverywhere = () => request('POST', '/api/auth/logout-all');
export const changePassword = (currentPassword, newPassword) =>
  request('POST', '/api/auth/password', { currentPassword, newPassword });

export const getProfile = () => request('GET', '/api/users/me');
export const updateProfile = (changes) => request('PATCH', '/api/users/me', changes);
/** Deleting the account takes the password again: a session left open somewhere must not be enough. */
export const deleteAccount = (currentPassword) => request('DELETE', '/api/users/me', { currentPassword });

/** "Where you're signed in": this account's live sessions, most recently used first (the current one marked). */
export const listSessions = () => request('GET', '/api/auth/sessions');
/** Ends one session as logout would; ending another user's is a 404 like an unknown id. */
export const endSession = (id) => request('DELETE', `/api/auth/sessions/${encodeURIComponent(id)}`);
/** A new access token for this session (after a required password change, it carries the account's own groups). */
export const renewSession = () => request('POST', '/api/auth/refresh', undefined, { session: false, freshCsrf: true });

// Second factors (issue 22). Turning the authenticator off and new recovery codes need a recent sign-in with it
// (ApiError.stepUp when not: StepUp.jsx signs in again and sends the action once more).
/** {totp: 'none' | 'pending' | 'confirmed', recoveryCodesLeft, passkeys: [{id, name, createdAt, lastUsedAt}]} */
export const getFactors = () => request('GET', '/api/auth/factors');
/** A new authenticator secret, {secret, otpauthUri}: shown this once. */
export const startAuthenticator = () => request('POST', '/api/auth/factors/totp');
/** The authenticator's first code and the password turn it on: {codes, left}, the recovery codes, shown this once. */
export const confirmAuthenticator = (code, currentPassword) =>
  request('POST', '/api/auth/factors/totp/confirm', { code, currentPassword });
export const turnOffAuthenticator = () => request('DELETE', '/api/auth/factors/totp');
/** New recovery codes, the old ones void: {codes, left}. */
export const replaceRecoveryCodes = () => request('POST', '/api/auth/factors/recovery-codes');
/** Creation options for a new passkey of this account (a step-up action when the account has a factor already). */
export const passkeyCreationOptions = () => request('POST', '/api/auth/factors/passkeys/options');
/**
 * The new passkey's credential, its name and the password: {passkey, recoveryCodes}, the codes ({codes, left}) only
 * when it is the account's first factor, shown this once.
 */
export const addPasskey = (credential, name, currentPassword) =>
  request('POST', '/api/auth/factors/passkeys', { credential, name, currentPassword });
export const removePasskey = (id) => request('DELETE', `/api/auth/factors/passkeys/${encodeURIComponent(id)}`);

// Admin (issue 23): the auth service checks the admin group on every one of these; the SPA only hides the page.
const adminAccount = (id) => `/api/auth/admin/accounts/${encodeURIComponent(id)}`;
export const findAccounts = (email, prefix) =>
  request('GET', `/api/auth/admin/accounts?email=${encodeURIComponent(email)}&match=${prefix ? 'prefix' : 'exact'}`);
export const listAccountSessions = (id) => request('GET', `${adminAccount(id)}/sessions`);
export const lockAccount = (id) => request('POST', `${adminAccount(id)}/lock`);
export const unlockAccount = (id) => request('POST', `${adminAccount(id)}/unlock`);
