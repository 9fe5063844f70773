import { useState } from 'react';
import { confirmPasswordReset } from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';
import { PASSWORD_HINT } from './Register.jsx';
import { takeTokenFromAddress } from '../resetLink.js';


export default function ResetPassword({ onReset }) {
  const [token] = useState(() => takeTokenFromAddress());
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    if (next !== repeat) {
      setError('The two new passwords are not the same.');
      document.getElementById('reset-repeat')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await confirmPasswordReset(token, next);
      // Nobody is signed in by a reset: every session ended, the owner logs in with the new password.
      onReset?.();
    } catch (failure) {
      setError(describeError(failure, 'reset'));
      setTimeout(() => document.getElementById('reset-new')?.focus());
      setBusy(false);
    }
  }

  if (!token) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>Choose a new password</h1>
        <Message error="This page needs the link from the mail we sent you. Open that link again, or ask for a new one." />
        <p>
          <a href="#/forgot-password">Ask for a new link</a>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>Choose a new password</h1>
      <form onSubmit={submit}>
        <Field id="reset-new" label="New password" type="password" autoComplete="new-password" required
          minLength={15} hint={PASSWORD_HINT} value={next} onChange={(e) => setNext(e.target.value)} />
        <Field id="reset-repeat" label="Repeat new password" type="password" autoComplete="new-password" required
          value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        <Message error={error} />
        <button type="submit" aria-disabled={busy ? 'true' : undefined}>{busy ? 'Saving…' : 'Save the new password'}</button>
      </form>
      <p>
        The link no longer works? <a href="#/forgot-password">Ask for a new one</a>.
      </p>
    </section>
  );
}
