import { useState } from 'react';
import { addPasskey, passkeyCreationOptions, removePasskey, renewSession } from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';
import { createPasskey, describeCeremonyError, passkeysSupported } from '../passkey.js';

const when = (iso) => new Date(iso).toLocaleString();

/** One passkey of the list: its name, when it was added and last used, and "Remove" behind a confirmation. */
function PasskeyItem({ passkey, busy, onRemove }) {
  const [confirming, setConfirming] = useState(false);
  const used = passkey.lastUsedAt ? `last used ${when(passkey.lastUsedAt)}` : 'not used to sign in yet';
  return (
    <li data-testid="passkey">
      <bdi data-testid="passkey-name">{passkey.name}</bdi>{' '}
      <span className="hint">(added {when(passkey.createdAt)}, {used})</span>
      {confirming ? (
        <div role="group" aria-label={`Remove the passkey ${passkey.name}?`} className="actions">
          <p>Remove <bdi>{passkey.name}</bdi>? It will no longer sign you in.</p>
          <button type="button" className="destructive" onClick={() => onRemove(passkey).finally(() => setConfirming(false))}
            aria-disabled={busy ? 'true' : undefined}>
            Yes, remove it
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>Keep it</button>
        </div>
      ) : (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          Remove<span className="visually-hidden"> {passkey.name}</span>…
        </button>
      )}
    </li>
  );
}

/**
 * The account's passkeys on the Two-step sign-in page: the list, remove, and add one (a name and the password, then the
 * device makes the key). Adding and removing are step-up actions once the account has a factor: `withStepUp` (the
 * page's) asks to confirm it is you and sends them again. `onAdded(answer)` gets the server's answer (recovery codes
 * when this was the first factor), `onChanged` reloads the page's state.
 */
export default function Passkeys({ passkeys, withStepUp, onAdded, onChanged }) {
  const [supported] = useState(passkeysSupported);
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [success, setSuccess] = useState(null);
  const [busy, setBusy] = useState(false);

  async function add(event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setSuccess(null);
    try {
      // The options' challenge and the credential made for it belong together: after a step-up both are made again.
      const answer = await withStepUp(async () => addPasskey(await createPasskey(await passkeyCreationOptions()), name.trim(), password));
      // A first factor is put on this session, but only its next token says so (as for an authenticator app).
      if (answer?.recoveryCodes) await renewSession().catch(() => {});
      setAdding(false);
      setName('');
      setPassword('');
      setSuccess(`The passkey ${answer?.passkey?.name ?? ''} is added: it signs you in on its own, or after your password.`);
      onAdded(answer);
    } catch (failure) {
      if (failure.sessionEnded) return;
      // A 409 says why in words for people: this passkey is registered already, or the account holds as many as it may.
      const conflict = failure.status === 409 && failure.detail;
      setError(describeCeremonyError(failure, true) || conflict || describeError(failure, 'factors'));
      const wrongPassword = failure.status === 403 && !failure.stepUp;
      setTimeout(() => document.getElementById(wrongPassword ? 'passkey-password' : 'passkey-name')?.focus());
    } finally {
      setBusy(false);
    }
  }

  async function remove(passkey) {
    if (busy) return;
    setBusy(true);
    setError(null);
    setSuccess(null);
    try {
      await withStepUp(() => removePasskey(passkey.id));
      setSuccess(`The passkey ${passkey.name} is removed: it no longer signs you in.`);
      await onChanged();
    } catch (failure) {
      if (!failure.sessionEnded) setError(describeError(failure, 'factors'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="passkeys-title" data-testid="passkeys">
      <h2 id="passkeys-title">Passkeys</h2>
      <p>
        A passkey is a key your device keeps (unlocked with your fingerprint, face or screen lock). It signs you in without
        a password, or stands in for the code after your password.
      </p>
      {passkeys.length > 0 ? (
        <ul className="passkeys" data-testid="passkey-list">
          {passkeys.map((passkey) => <PasskeyItem key={passkey.id} passkey={passkey} busy={busy} onRemove={remove} />)}
        </ul>
      ) : (
        <p data-testid="no-passkeys">You have no passkeys.</p>
      )}
      <Message error={error} success={success} />
      {!supported && <p className="hint">This browser cannot make passkeys. Another browser or device can.</p>}
      {supported && !adding && (
        <button type="button" onClick={() => {
          setAdding(true);
          setSuccess(null);
          setTimeout(() => document.getElementById('passkey-name')?.focus());
        }}>
          Add a passkey
        </button>
      )}
      {supported && adding && (
        <form onSubmit={add} aria-labelledby="passkey-add-title">
          <h3 id="passkey-add-title">Add a passkey</h3>
          <Field id="passkey-name" label="Name of this passkey" required maxLength={64} autoComplete="off"
            hint="So you can tell your passkeys apart, for example the device it is on." value={name}
            onChange={(e) => setName(e.target.value)} />
          <Field id="passkey-password" label="Your password" type="password" autoComplete="current-password" required
            value={password} onChange={(e) => setPassword(e.target.value)} />
          <div className="actions">
            <button type="submit" aria-disabled={busy ? 'true' : undefined}>{busy ? 'Waiting for your device…' : 'Make the passkey'}</button>
            <button type="button" className="secondary" onClick={() => setAdding(false)}>Cancel</button>
          </div>
        </form>
      )}
    </section>
  );
}
