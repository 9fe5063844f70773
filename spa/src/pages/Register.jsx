import { useState } from 'react';
import { register } from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';

export const PASSWORD_HINT =
  'At least 15 characters; a few unrelated words make a good one. Common or breached passwords are refused, ' +
  'and so are passwords that contain your email name or display name.';

export default function Register({ onRegistered }) {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    if (password !== repeat) {
      setError('The two passwords are not the same.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await register(email.trim(), password, displayName.trim());
      onRegistered(email.trim());
    } catch (failure) {
      setError(describeError(failure, 'register'));
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="register-title">
      <h1 id="register-title">Create an account</h1>
      <form onSubmit={submit}>
        <Field id="register-email" label="Email" type="email" autoComplete="email" required
          value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field id="register-display-name" label="Display name" autoComplete="nickname" required maxLength={100}
          value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        <Field id="register-password" label="Password" type="password" autoComplete="new-password" required
          minLength={15} hint={PASSWORD_HINT} value={password} onChange={(e) => setPassword(e.target.value)} />
        <Field id="register-repeat" label="Repeat password" type="password" autoComplete="new-password" required
          value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        <Message error={error} />
        <button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create account'}</button>
      </form>
      <p>
        Already registered? <a href="#/login">Log in</a>.
      </p>
    </section>
  );
}
