import { useEffect, useState } from 'react';
import { changeEmail, getEmail, resendVerification } from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';
import { useStepUp } from '../StepUp.jsx';

/** "Confirm your address", with "Send the link again": shown on the profile and the address page until confirmed. */
export function VerifyReminder() {
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);
  const [sent, setSent] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    getEmail().then((loaded) => !cancelled && setState(loaded)).catch(() => {});
    return () => {
      cancelled = true;
    };
  }, []);

  if (!state || state.verified) return null;

  async function resend() {
    if (busy) return;
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      await resendVerification();
      setSent('A new link is on its way to your address. It works once, for 24 hours; the older link no longer works.');
    } catch (failure) {
      setError(describeError(failure, 'email'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="notice" role="region" aria-label="Confirm your email address">
      <p>
        Please confirm your email address, <bdi>{state.email}</bdi>: open the link we sent there.
      </p>
      <Message error={error} success={sent} />
      <button type="button" onClick={resend} aria-disabled={busy ? 'true' : undefined}>
        {busy ? 'Sending…' : 'Send the link again'}
      </button>
    </div>
  );
}

/** The account's address: its state, and a change (the password again, then a link to the new address). */
export default function EmailAddress({ profile, email }) {
  const [state, setState] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [password, setPassword] = useState('');
  const [newEmail, setNewEmail] = useState('');
  const [error, setError] = useState(null);
  const [success, setSuccess] = useState(null);
  const [busy, setBusy] = useState(false);
  // An account with a second factor changes its address only after a recent sign-in with it.
  const [withStepUp, stepUpForm] = useStepUp(profile?.email || email);

  useEffect(() => {
    let cancelled = false;
    getEmail().then((loaded) => !cancelled && setState(loaded))
      .catch((failure) => !cancelled && !failure.sessionEnded && setLoadError(describeError(failure, 'email')));
    return () => {
      cancelled = true;
    };
  }, []);

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setSuccess(null);
    try {
      await withStepUp(() => changeEmail(password, newEmail.trim()));
      setPassword('');
      setSuccess('If this address can be used, a link to confirm it is on its way there. Nothing changes until you open '
        + 'it; it works once, for 60 minutes. Your current address gets a notice once the change is made.');
    } catch (failure) {
      setError(describeError(failure, 'email'));
      setTimeout(() => document.getElementById('email-password')?.focus());
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>Email address</h1>
      <Message error={loadError} />
      {state && (
        <p data-testid="email-state">
          Your account uses <bdi data-testid="email-current">{state.email}</bdi>{' '}
          ({state.verified ? 'confirmed' : 'not confirmed yet'}).
        </p>
      )}
      <VerifyReminder />
      <h2>Change your email address</h2>
      <form onSubmit={submit}>
        <Field id="email-new" label="New email address" type="email" autoComplete="email" required
          value={newEmail} onChange={(e) => setNewEmail(e.target.value)} />
        <Field id="email-password" label="Current password" type="password" autoComplete="current-password" required
          value={password} onChange={(e) => setPassword(e.target.value)} />
        <Message error={error} success={success} />
        <button type="submit" aria-disabled={busy ? 'true' : undefined}>{busy ? 'Sending…' : 'Send a link to the new address'}</button>
      </form>
      {stepUpForm}
    </section>
  );
}
