import { useState } from 'react';
import { changePassword } from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';
import { PASSWORD_HINT } from './Register.jsx';
import { useStepUp } from '../StepUp.jsx';

/**
 * `required`: the account signed in with a password someone else chose (the first admin's initial one) and may do
 * nothing else until it has a new one; `onChanged` then runs.
 */
export default function Password({ required = false, onChanged, profile, email } = {}) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState(null);
  const [success, setSuccess] = useState(null);
  const [busy, setBusy] = useState(false);
  // An account with a second factor changes its password only after a recent sign-in with it.
  const [withStepUp, stepUpForm] = useStepUp(profile?.email || email);

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    setSuccess(null);
    if (next !== repeat) {
      setError('The two new passwords are not the same.');
      document.getElementById('password-repeat')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await withStepUp(() => changePassword(current, next));
      setCurrent('');
      setNext('');
      setRepeat('');
      setSuccess('Your password is changed. Your other sessions have been logged out.');
      if (onChanged) await onChanged();
    } catch (failure) {
      if (!failure.sessionEnded) {
        setError(describeError(failure, 'password'));
        setTimeout(() => document.getElementById(failure.status === 403 ? 'password-current' : 'password-new')?.focus());
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>Change password</h1>
      {required && (
        <Message info="Choose a new password before you continue: the one you signed in with was set for you, and works only for this." />
      )}
      <form onSubmit={submit}>
        <Field id="password-current" label="Current password" type="password" autoComplete="current-password"
          required value={current} onChange={(e) => setCurrent(e.target.value)} />
        <Field id="password-new" label="New password" type="password" autoComplete="new-password" required
          minLength={15} hint={PASSWORD_HINT} value={next} onChange={(e) => setNext(e.target.value)} />
        <Field id="password-repeat" label="Repeat new password" type="password" autoComplete="new-password"
          required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        <Message error={error} success={success} />
        <button type="submit" aria-disabled={busy ? 'true' : undefined}>{busy ? 'Changing…' : 'Change password'}</button>
      </form>
      {stepUpForm}
    </section>
  );
}
