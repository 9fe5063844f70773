import { useEffect, useRef, useState } from 'react';
import { getFactors, login, loginSecondFactor } from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';
import { isAuthenticatorCode } from '../secondFactor.js';

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
  const wait = useCountdown(retryAt);
  const form = useRef(null);

  async function submit(event) {
    event.preventDefault();
    if (busy || wait > 0) return;
    setBusy(true);
    setError(null);
    setWrongCredentials(false);
    try {
      const answer = challenge ? await loginSecondFactor(challenge, code.trim()) : await login(email.trim(), password);
      if (answer?.secondFactorRequired) {
        setChallenge(answer.challenge);
        setPassword('');
        setBusy(false);
        setTimeout(() => document.getElementById('login-code')?.focus());
        return;
      }
      // A recovery code works once: say how many are left, so that nobody finds out at the last one.
      const recoveryCodesLeft = challenge && !isAuthenticatorCode(code)
        ? await getFactors().then((factors) => factors.recoveryCodesLeft, () => null) : null;
      onLoggedIn(answer?.user, Boolean(answer?.passwordChangeRequired), recoveryCodesLeft);
    } catch (failure) {
      setError(describeError(failure, challenge ? 'second-factor' : 'login'));
      setWrongCredentials(failure.status === 401);
      if (failure.status === 429) setRetryAt(Date.now() + 1000 * (failure.retryAfterSeconds ?? 60));
      setBusy(false);
      // Focus goes to the first field to fix (a wrong password: the email, then the password), not to the body.
      const field = challenge ? 'login-code' : failure.status === 401 ? 'login-email' : 'login-password';
      setTimeout(() => document.getElementById(field)?.focus());
    }
  }

  const invalid = wrongCredentials ? 'login-error' : undefined;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>Log in</h1>
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
