import { useEffect, useRef, useState } from 'react';
import { login, loginSecondFactor } from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';

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
      onLoggedIn(answer?.user, Boolean(answer?.passwordChangeRequired));
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
        <Field id="login-code" label="Code from your authenticator app, or a recovery code" autoComplete="one-time-code"
          inputMode="text" required value={code} onChange={(e) => setCode(e.target.value)} />
        <Message error={error} id="login-error" />
        <button type="submit" aria-disabled={busy || wait > 0 ? 'true' : undefined} data-testid="login-code-submit">
          {busy ? 'Checking…' : wait > 0 ? `Continue (wait ${wait} s)` : 'Continue'}
        </button>
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
