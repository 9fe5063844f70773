import { useState } from 'react';
import { login } from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';

export default function Login({ onLoggedIn, knownEmail }) {
  const [email, setEmail] = useState(knownEmail || '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await login(email.trim(), password);
      onLoggedIn(answer?.user);
    } catch (failure) {
      setError(describeError(failure, 'login'));
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <form onSubmit={submit}>
        <Field id="login-email" label="Email" type="email" autoComplete="username" required
          value={email} onChange={(e) => setEmail(e.target.value)} />
        <Field id="login-password" label="Password" type="password" autoComplete="current-password" required
          value={password} onChange={(e) => setPassword(e.target.value)} />
        <Message error={error} />
        <button type="submit" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</button>
      </form>
      <p>
        New here? <a href="#/register">Create an account</a>.
      </p>
    </section>
  );
}
