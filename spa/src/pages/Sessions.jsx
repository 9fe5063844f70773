import { useEffect, useState } from 'react';
import { endSession, listSessions } from '../api.js';
import { describeError } from '../messages.js';
import { Message } from '../Form.jsx';

const when = (iso) => new Date(iso).toLocaleString();

/**
 * "Where you're signed in": every live session of this account with what a person recognises it by (the browser and
 * system, roughly where from, when it began and was last used), and a sign-out for each of the others. This browser's
 * own is marked; it signs out with the Log out button like any other time.
 */
export default function Sessions() {
  const [sessions, setSessions] = useState(null);
  const [error, setError] = useState(null);
  const [success, setSuccess] = useState(null);
  const [busy, setBusy] = useState(null);

  async function load() {
    try {
      setSessions(await listSessions());
    } catch (failure) {
      if (!failure.sessionEnded) setError(describeError(failure, 'sessions'));
    }
  }

  useEffect(() => {
    load();
  }, []);

  async function signOut(session) {
    if (busy) return;
    setBusy(session.id);
    setError(null);
    setSuccess(null);
    try {
      await endSession(session.id);
      setSuccess(`Signed out: ${session.device}.`);
    } catch (failure) {
      if (failure.sessionEnded) return;
      // Already ended elsewhere (404): the list below is simply out of date.
      if (failure.status !== 404) setError(describeError(failure, 'sessions'));
    } finally {
      setBusy(null);
    }
    await load();
  }

  return (
    <div data-testid="session-list">
      <h3 id="where-title">Where you're signed in</h3>
      <Message error={error} success={success} id="sessions-message" />
      {sessions === null ? (
        !error && <p className="muted">Loading your sessions…</p>
      ) : (
        <ul aria-labelledby="where-title" className="sessions">
          {sessions.map((session) => (
            <li key={session.id} data-testid="session" data-current={session.current ? 'true' : 'false'}>
              <strong>{session.device}</strong>
              {session.current && <span className="badge"> (this browser)</span>}
              <br />
              <span className="muted">
                from {session.network}; signed in {when(session.createdAt)}, last active {when(session.lastUsedAt)}
              </span>
              {!session.current && (
                <div className="actions">
                  <button type="button" className="secondary" aria-disabled={busy ? 'true' : undefined}
                    aria-label={`Sign out ${session.device}, signed in ${when(session.createdAt)}`}
                    onClick={() => signOut(session)}>
                    {busy === session.id ? 'Signing out…' : 'Sign out'}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
