import { useState } from 'react';
import { findAccounts, listAccountSessions, lockAccount, unlockAccount } from '../api.js';
import { describeError } from '../messages.js';
import { useStepUp } from '../StepUp.jsx';
import { Message } from '../Form.jsx';

const when = (iso) => new Date(iso).toLocaleString();

/**
 * Admin: find accounts by email, see one account's sessions, lock or unlock it. Shown in the menu only to admins; the
 * auth service refuses every call of it to anyone else (a 403 here says so). Locking ends every session of the account.
 */
export default function Admin({ profile, email: ownEmail }) {
  const [email, setEmail] = useState('');
  const [prefix, setPrefix] = useState(false);
  const [accounts, setAccounts] = useState(null);
  const [selected, setSelected] = useState(null);
  const [sessions, setSessions] = useState(null);
  const [error, setError] = useState(null);
  const [success, setSuccess] = useState(null);
  const [busy, setBusy] = useState(false);
  // An admin with a second factor locks and unlocks only after a recent sign-in with it.
  const [withStepUp, stepUpForm] = useStepUp(profile?.email || ownEmail);

  function failed(failure) {
    if (failure.sessionEnded) return;
    setError(failure.status === 403 && !failure.stepUp ? 'This page is for administrators.' : describeError(failure, 'admin'));
  }

  async function search(event) {
    event.preventDefault();
    setError(null);
    setSuccess(null);
    setSelected(null);
    setSessions(null);
    if (!email.trim()) {
      setError('Enter an email address, or its start with "Starts with" ticked.');
      return;
    }
    try {
      const page = await findAccounts(email.trim(), prefix);
      setAccounts(page.accounts);
    } catch (failure) {
      failed(failure);
    }
  }

  async function open(account) {
    setError(null);
    setSuccess(null);
    setSelected(account);
    setSessions(null);
    try {
      setSessions(await listAccountSessions(account.id));
    } catch (failure) {
      failed(failure);
    }
  }

  async function setLocked(account, locked) {
    if (busy) return;
    setBusy(true);
    setError(null);
    setSuccess(null);
    try {
      await withStepUp(() => (locked ? lockAccount(account.id) : unlockAccount(account.id)));
      const changed = { ...account, lockedAt: locked ? new Date().toISOString() : null };
      setAccounts((list) => list.map((a) => (a.id === account.id ? changed : a)));
      setSuccess(locked ? `Locked ${account.email}: every session of it has ended.` : `Unlocked ${account.email}.`);
      await open(changed);
      setSuccess(locked ? `Locked ${account.email}: every session of it has ended.` : `Unlocked ${account.email}.`);
    } catch (failure) {
      failed(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="page-title" data-testid="admin-page">
      <h1 id="page-title" tabIndex={-1}>Accounts</h1>
      <form onSubmit={search}>
        <label htmlFor="admin-email">Email</label>
        <input id="admin-email" type="text" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
        <label>
          <input type="checkbox" checked={prefix} onChange={(e) => setPrefix(e.target.checked)} /> Starts with
        </label>
        <button type="submit">Find</button>
      </form>
      <Message error={error} success={success} id="admin-message" />
      {accounts !== null && (
        accounts.length === 0 ? (
          <p className="muted" data-testid="admin-no-accounts">No account matches.</p>
        ) : (
          <ul className="sessions" aria-label="Accounts found">
            {accounts.map((account) => (
              <li key={account.id} data-testid="admin-account" data-email={account.email}
                data-locked={account.lockedAt ? 'true' : 'false'}>
                <strong><bdi>{account.email}</bdi></strong> (<bdi>{account.displayName}</bdi>)
                {account.admin && <span className="badge"> admin</span>}
                {account.lockedAt && <span className="badge"> locked</span>}
                <div className="actions">
                  <button type="button" className="secondary" onClick={() => open(account)}
                    aria-label={`Sessions of ${account.email}`}>Sessions</button>
                  <button type="button" className="secondary" aria-disabled={busy ? 'true' : undefined}
                    onClick={() => setLocked(account, !account.lockedAt)}
                    aria-label={`${account.lockedAt ? 'Unlock' : 'Lock'} ${account.email}`}>
                    {account.lockedAt ? 'Unlock' : 'Lock'}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )
      )}
      {selected && (
        <div data-testid="admin-sessions">
          <h2 id="admin-sessions-title">Sessions of <bdi>{selected.email}</bdi></h2>
          {sessions === null ? (
            !error && <p className="muted">Loading…</p>
          ) : sessions.length === 0 ? (
            <p className="muted" data-testid="admin-no-sessions">No live session.</p>
          ) : (
            <ul className="sessions" aria-labelledby="admin-sessions-title">
              {sessions.map((session) => (
                <li key={session.id} data-testid="admin-session">
                  <strong>{session.device}</strong>
                  <br />
                  <span className="muted">
                    from {session.network}; signed in {when(session.createdAt)}, last active {when(session.lastUsedAt)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {stepUpForm}
    </section>
  );
}
