import { useCallback, useEffect, useState } from 'react';
import { endSession, listSessions, login, loginSecondFactor, loginSecondFactorPasskey, passkeySignInOptions } from './api.js';
import { describeError } from './messages.js';
import { Field, Message } from './Form.jsx';
import { describeCeremonyError, passkeysSupported, signWithPasskey } from './passkey.js';

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

/** The account has no passkey (the password's answer said so): the code is the way. */
class NoPasskey extends Error {}

/**
 * A sign-in made on a signed-in page opens a new session whose cookies replace this one's; the session it replaces is
 * ended, so that "where you're signed in" does not list this browser twice (nobody holds its cookies any more).
 * The second step is a code, or (`code` null) a passkey of this account: always after this account's password, never a
 * password-less sign-in, which could sign in as whichever account the device holds a passkey of and send the action
 * there.
 */
async function signInAgain(email, password, code) {
  const replaced = await listSessions().then((sessions) => sessions.find((s) => s.current)?.id, () => null);
  const answer = await login(email, password);
  if (answer?.secondFactorRequired) {
    try {
      if (code !== null) {
        await loginSecondFactor(answer.challenge, code.trim());
      } else {
        if (!answer.passkey) throw new NoPasskey();
        const credential = await signWithPasskey(await passkeySignInOptions(answer.challenge));
        await loginSecondFactorPasskey(answer.challenge, credential);
      }
    } catch (failure) {
      failure.secondStep = true;
      throw failure;
    }
  }
  if (replaced) await endSession(replaced).catch(() => {});
}

function describeStepUpError(failure, withPasskey) {
  if (failure instanceof NoPasskey) return 'Your account has no passkey: use a code from your authenticator app, or a recovery code.';
  if (failure.status === 401 && !failure.secondStep) return 'That password is not correct.';
  return describeCeremonyError(failure) || describeError(failure, withPasskey ? 'passkey' : 'step-up');
}

function StepUpForm({ email, onConfirmed, onCancel }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  // A passkey instead of the code, for accounts that have one (the password's answer says whether they do).
  const [canUsePasskeys] = useState(passkeysSupported);
  const [withPasskey, setWithPasskey] = useState(false);

  useEffect(() => {
    document.getElementById('stepup-password')?.focus();
  }, []);

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await signInAgain(email, password, withPasskey ? null : code);
      onConfirmed();
    } catch (failure) {
      if (failure.sessionEnded) return;
      setError(describeStepUpError(failure, withPasskey));
      setBusy(false);
      const field = !failure.secondStep ? 'stepup-password' : withPasskey ? 'stepup-submit' : 'stepup-code';
      setTimeout(() => document.getElementById(field)?.focus());
    }
  }

  return (
    <form className="notice" aria-labelledby="stepup-title" onSubmit={submit} data-testid="step-up">
      <h2 id="stepup-title">Confirm it is you</h2>
      <p>
        This change needs a recent sign-in with your second factor. Sign in again here: your password, and a code
        from your authenticator app (or a recovery code), or a passkey. What you entered on this page stays as it is.
      </p>
      <Field id="stepup-password" label="Password" type="password" autoComplete="current-password" required
        value={password} onChange={(e) => setPassword(e.target.value)} />
      {!withPasskey && (
        <Field id="stepup-code" label="Code from your authenticator app, or a recovery code" autoComplete="one-time-code"
          required value={code} onChange={(e) => setCode(e.target.value)} />
      )}
      <Message error={error} />
      <div className="actions">
        <button type="submit" id="stepup-submit" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Checking…' : withPasskey ? 'Confirm with a passkey' : 'Confirm and continue'}
        </button>
        {canUsePasskeys && (
          <button type="button" className="secondary" onClick={() => {
            setWithPasskey(!withPasskey);
            setError(null);
            setTimeout(() => document.getElementById(withPasskey ? 'stepup-code' : 'stepup-password')?.focus());
          }}>
            {withPasskey ? 'Use a code instead' : 'Use a passkey instead'}
          </button>
        )}
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
