import { useCallback, useEffect, useState } from 'react';
import { endSession, listSessions, login, loginSecondFactor } from './api.js';
import { describeError } from './messages.js';
import { Field, Message } from './Form.jsx';

/**
 * Step-up (RFC 9470): an action the server refuses with 403 insufficient_user_authentication needs a recent sign-in with
 * the second factor. The server has no "confirm it is you" endpoint: the only way to a token with a fresh auth_time and
 * mfa is a sign-in, so this signs in again (the login page's two steps), then sends the action once more.
 *
 * `const [withStepUp, stepUpForm] = useStepUp(email)`: `withStepUp(action)` runs `action` (a function returning the API
 * call's promise); when it asks for a step-up, the promise waits while `stepUpForm` (render it next to the action) asks
 * for the password and a code. The page stays as it is meanwhile, so nothing the person typed is lost. Cancelling
 * rejects with the server's step-up error, which describeError turns into what to do.
 */
export function useStepUp(email) {
  const [pending, setPending] = useState(null);

  const withStepUp = useCallback((action) => action().catch((error) => {
    if (!error.stepUp) throw error;
    return new Promise((resolve, reject) => setPending({ action, resolve, reject, refusal: error }));
  }), []);

  const form = pending && (
    <StepUpForm
      email={email}
      onConfirmed={() => {
        setPending(null);
        pending.action().then(pending.resolve, pending.reject);
      }}
      onCancel={() => {
        setPending(null);
        pending.reject(pending.refusal);
      }}
    />
  );
  return [withStepUp, form];
}

/**
 * A sign-in made on a signed-in page opens a new session whose cookies replace this one's; the session it replaces is
 * ended, so that "where you're signed in" does not list this browser twice (nobody holds its cookies any more).
 */
async function signInAgain(email, password, code) {
  const replaced = await listSessions().then((sessions) => sessions.find((s) => s.current)?.id, () => null);
  const answer = await login(email, password);
  if (answer?.secondFactorRequired) {
    try {
      await loginSecondFactor(answer.challenge, code.trim());
    } catch (failure) {
      failure.secondStep = true;
      throw failure;
    }
  }
  if (replaced) await endSession(replaced).catch(() => {});
}

function StepUpForm({ email, onConfirmed, onCancel }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.getElementById('stepup-password')?.focus();
  }, []);

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await signInAgain(email, password, code);
      onConfirmed();
    } catch (failure) {
      if (failure.sessionEnded) return;
      setError(failure.status === 401 && !failure.secondStep ? 'That password is not correct.' : describeError(failure, 'step-up'));
      setBusy(false);
      setTimeout(() => document.getElementById(failure.secondStep ? 'stepup-code' : 'stepup-password')?.focus());
    }
  }

  return (
    <form className="notice" aria-labelledby="stepup-title" onSubmit={submit} data-testid="step-up">
      <h2 id="stepup-title">Confirm it is you</h2>
      <p>
        This change needs a recent sign-in with your second factor. Sign in again here: your password, and a code
        from your authenticator app (or a recovery code). What you entered on this page stays as it is.
      </p>
      <Field id="stepup-password" label="Password" type="password" autoComplete="current-password" required
        value={password} onChange={(e) => setPassword(e.target.value)} />
      <Field id="stepup-code" label="Code from your authenticator app, or a recovery code" autoComplete="one-time-code"
        required value={code} onChange={(e) => setCode(e.target.value)} />
      <Message error={error} />
      <div className="actions">
        <button type="submit" aria-disabled={busy ? 'true' : undefined}>{busy ? 'Checking…' : 'Confirm and continue'}</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
