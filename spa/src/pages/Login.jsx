import { useEffect, useRef, useState } from 'react';
import { getFactors, login, loginSecondFactor, loginSecondFactorPasskey, loginWithPasskey, passkeySignInOptions } from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';
import { isAuthenticatorCode } from '../secondFactor.js';
import { describeCeremonyError, passkeysSupported, signWithPasskey } from '../passkey.js';

/** Seconds until `at` (a Date.now() value), counted down once a second; 0 when past or absent. */
export function useCountdown(at) {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!at || at <= Date.now()) return undefined;
    const timer = setInterval(() => {
      setTick((t) => t + 1);
      if (Date.now() >= at) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [at]);
  // From the clock at each render (the ticks only re-render): a stale "now" would show a wait that is not there.
  return at ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : 0;
}

export default function Login({ onLoggedIn, knownEmail }) {
  const [email, setEmail] = useState(knownEmail || '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [wrongCredentials, setWrongCredentials] = useState(false);
  const [busy, setBusy] = useState(false);
  const [retryAt, setRetryAt] = useState(null);
  // An account with a second factor: the password's challenge, held in memory only, until a code completes the sign-in.
  const [challenge, setChallenge] = useState(null);
  const [code, setCode] = useState('');
  // The second step asks for the app's code; a person without their phone switches to a recovery code.
  const [recoveryCode, setRecoveryCode] = useState(false);
  // The password's answer says whether the account has a passkey: then the second step offers it first.
  const [passkeyOffered, setPasskeyOffered] = useState(false);
  const [canUsePasskeys] = useState(passkeysSupported);
  const wait = useCountdown(retryAt);
  const form = useRef(null);

  function begin() {
    if (busy || wait > 0) return false;
    setBusy(true);
    setError(null);
    setWrongCredentials(false);
    return true;
  }

  /** The server's answer to a step: the second step (its challenge held in memory only), or the session. */
  async function proceed(answer, usedRecoveryCode) {
    if (answer?.secondFactorRequired) {
      setChallenge(answer.challenge);
      setPasskeyOffered(Boolean(answer.passkey) && canUsePasskeys);
      setPassword('');
      setBusy(false);
      setTimeout(() => document.getElementById(answer.passkey && canUsePasskeys ? 'login-passkey' : 'login-code')?.focus());
      return;
    }
    // A recovery code works once: say how many are left, so that nobody finds out at the last one.
    const recoveryCodesLeft = usedRecoveryCode ? await getFactors().then((factors) => factors.recoveryCodesLeft, () => null) : null;
    onLoggedIn(answer?.user, Boolean(answer?.passwordChangeRequired), recoveryCodesLeft);
  }

  function failed(failure, action, field) {
    setError(describeCeremonyError(failure) || describeError(failure, action));
    setWrongCredentials(action === 'login' && failure.status === 401);
    if (failure.status === 429) setRetryAt(Date.now() + 1000 * (failure.retryAfterSeconds ?? 60));
    setBusy(false);
    setTimeout(() => document.getElementById(field)?.focus());
  }

  async function submit(event) {
    event.preventDefault();
    if (!begin()) return;
    try {
      const answer = challenge ? await loginSecondFactor(challenge, code.trim()) : await login(email.trim(), password);
      await proceed(answer, challenge && !isAuthenticatorCode(code));
    } catch (failure) {
      // Focus goes to the first field to fix (a wrong password: the email, then the password), not to the body.
      failed(failure, challenge ? 'second-factor' : 'login', challenge ? 'login-code' : failure.status === 401 ? 'login-email' : 'login-password');
    }
  }

  /** A passkey: alone (signed out, no email: the device offers its passkeys for this site), or as the second step. */
  async function signInWithPasskey() {
    if (!begin()) return;
    try {
      const credential = await signWithPasskey(await passkeySignInOptions(challenge));
      await proceed(challenge ? await loginSecondFactorPasskey(challenge, credential) : await loginWithPasskey(credential), false);
    } catch (failure) {
      failed(failure, 'passkey', 'login-passkey');
    }
  }

  const invalid = wrongCredentials ? 'login-error' : undefined;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>Log in</h1>
      {challenge && passkeyOffered && (
        <div className="actions passkey-step">
          <button type="button" id="login-passkey" onClick={signInWithPasskey} aria-disabled={busy || wait > 0 ? 'true' : undefined}>
            Use a passkey
          </button>
          <p className="hint">Or enter a code below.</p>
        </div>
      )}
      {challenge ? (
      <form onSubmit={submit} ref={form}>
        {recoveryCode ? (
          <Field id="login-code" label="Recovery code" autoComplete="off" required value={code}
            hint="One of the codes you saved when you turned on two-step sign-in. Each works once."
            onChange={(e) => setCode(e.target.value)} />
        ) : (
          <Field id="login-code" label="Code from your authenticator app" autoComplete="one-time-code" inputMode="numeric"
            required value={code} onChange={(e) => setCode(e.target.value)} />
        )}
        <Message error={error} id="login-error" />
        <div className="actions">
          <button type="submit" aria-disabled={busy || wait > 0 ? 'true' : undefined} data-testid="login-code-submit">
            {busy ? 'Checking…' : wait > 0 ? `Continue (wait ${wait} s)` : 'Continue'}
          </button>
          <button type="button" className="secondary" onClick={() => {
            setRecoveryCode(!recoveryCode);
            setCode('');
            setError(null);
            setTimeout(() => document.getElementById('login-code')?.focus());
          }}>
            {recoveryCode ? 'Use your authenticator app instead' : 'Use a recovery code instead'}
          </button>
        </div>
      </form>
      ) : (
      <form onSubmit={submit} ref={form}>
        <Field id="login-email" label="Email" type="email" autoComplete="username" required
          aria-invalid={invalid ? 'true' : undefined} aria-errormessage={invalid}
          value={email} onChange={(e) => setEmail(e.target.value)} {...(invalid && { 'aria-describedby': invalid })} />
        <Field id="login-password" label="Password" type="password" autoComplete="current-password" required
          aria-invalid={invalid ? 'true' : undefined} aria-errormessage={invalid}
          value={password} onChange={(e) => setPassword(e.target.value)} {...(invalid && { 'aria-describedby': invalid })} />
        <Message error={error} id="login-error" />
        <button type="submit" aria-disabled={busy || wait > 0 ? 'true' : undefined} data-testid="login-submit">
          {busy ? 'Logging in…' : wait > 0 ? `Log in (wait ${wait} s)` : 'Log in'}
        </button>
        {canUsePasskeys && (
          <p className="passkey-alternative">
            <button type="button" id="login-passkey" className="secondary" onClick={signInWithPasskey}
              aria-disabled={busy || wait > 0 ? 'true' : undefined}>
              Sign in with a passkey
            </button>
          </p>
        )}
      </form>
      )}
      <p>
        <a href="#/forgot-password">Forgot your password?</a>
      </p>
      <p>
        New here? <a href="#/register">Create an account</a>.
      </p>
    </section>
  );
}
