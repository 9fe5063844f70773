import { useState } from 'react';
import { requestPasswordReset } from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';

/** Asks for a reset link. The answer is the same whether or not an account has the address: so is this page's. */
export default function ForgotPassword() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState(null);
  const [success, setSuccess] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setSuccess(null);
    try {
      await requestPasswordReset(email.trim());
      setSuccess('If an account uses this email address, a link to choose a new password is on its way. '
        + 'It works once, for 30 minutes. Check your mail (and its spam folder).');
    } catch (failure) {
      setError(describeError(failure, 'reset'));
      setTimeout(() => document.getElementById('forgot-email')?.focus());
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>Forgot your password?</h1>
      <p>Enter the email address of your account: we send it a link to choose a new password.</p>
      <form onSubmit={submit}>
        <Field id="forgot-email" label="Email" type="email" autoComplete="username" required
          value={email} onChange={(e) => setEmail(e.target.value)} />
        <Message error={error} success={success} />
        <button type="submit" aria-disabled={busy ? 'true' : undefined}>{busy ? 'Sending…' : 'Send the link'}</button>
      </form>
      <p>
        Remembered it? <a href="#/login">Log in</a>.
      </p>
    </section>
  );
}
