import { useState } from 'react';
import { login, register } from '../api.js';
import { describeError } from '../messages.js';
import { checkDisplayName } from '../displayName.js';
import { Field, Message } from '../Form.jsx';

export const PASSWORD_HINT =
  'At least 15 characters; a few unrelated words make a good one. Common or breached passwords are refused, ' +
  'and so are passwords that contain your email name or display name.';

export default function Register({ onRegistered, onLoggedIn }) {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  function refuse(fieldErrors, message) {
    setErrors(fieldErrors);
    setError(message);
    setBusy(false);
    const first = ['email', 'displayName', 'password', 'repeat'].find((f) => fieldErrors[f]);
    setTimeout(() => document.getElementById(first ? `register-${first.replace('displayName', 'display-name')}` : 'register-email')?.focus());
  }

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    const name = checkDisplayName(displayName);
    const found = {};
    if (name.error) found.displayName = name.error;
    if (password !== repeat) found.repeat = 'The two passwords are not the same.';
    if (Object.keys(found).length) {
      refuse(found, 'Check the fields marked below.');
      return;
    }
    setBusy(true);
    setErrors({});
    setError(null);
    try {
      await register(email.trim(), password, name.name);
    } catch (failure) {
      const text = describeError(failure, 'register');
      refuse(/display name/i.test(failure.detail || '') ? { displayName: text } : /password/i.test(failure.detail || '') ? { password: text } : {}, text);
      return;
    }
    // Signed in at once with what was just typed: no retyping. If the address already had an account (registration
    // does not say), this password does not fit it and the login page explains.
    try {
      const answer = await login(email.trim(), password);
      onLoggedIn(answer?.user);
    } catch (failure) {
      onRegistered(email.trim(), failure.status === 401 ? null : describeError(failure, 'login'));
    }
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>Create an account</h1>
      <form onSubmit={submit}>
        <Field id="register-email" label="Email" type="email" autoComplete="email" required error={errors.email}
          value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field id="register-display-name" label="Display name" autoComplete="nickname" required dir="auto"
          error={errors.displayName} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        <Field id="register-password" label="Password" type="password" autoComplete="new-password" required
          minLength={15} hint={PASSWORD_HINT} error={errors.password} value={password} onChange={(e) => setPassword(e.target.value)} />
        <Field id="register-repeat" label="Repeat password" type="password" autoComplete="new-password" required
          error={errors.repeat} value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        <Message error={error} />
        <button type="submit" aria-disabled={busy ? 'true' : undefined}>{busy ? 'Creating…' : 'Create account'}</button>
      </form>
      <p>
        Already registered? <a href="#/login">Log in</a>.
      </p>
    </section>
  );
}
