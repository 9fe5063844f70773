import { useState } from 'react';
import { deleteAccount, logoutEverywhere, updateProfile } from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';

const EDITABLE = ['displayName', 'bio', 'privateNotes'];

function Value({ field, text }) {
  return text ? (
    <dd className="multiline" data-testid={`profile-${field}`}>{text}</dd>
  ) : (
    <dd className="muted" data-testid={`profile-${field}`}>(empty)</dd>
  );
}

export default function Profile({ profile, onProfile, onLoggedOut }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(null);
  const [error, setError] = useState(null);
  const [success, setSuccess] = useState(null);
  const [busy, setBusy] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [deletePassword, setDeletePassword] = useState('');

  function startEditing() {
    setDraft(Object.fromEntries(EDITABLE.map((field) => [field, profile[field] ?? ''])));
    setEditing(true);
    setError(null);
    setSuccess(null);
  }

  /** Runs one action; a 401 that ended the session is handled by the app (login page), not shown here. */
  async function run(action, what) {
    setBusy(true);
    setError(null);
    setSuccess(null);
    try {
      await action();
    } catch (failure) {
      if (!failure.sessionEnded) setError(describeError(failure, what));
    } finally {
      setBusy(false);
    }
  }

  function save(event) {
    event.preventDefault();
    const changes = Object.fromEntries(EDITABLE.filter((f) => draft[f] !== (profile[f] ?? '')).map((f) => [f, draft[f]]));
    if (Object.keys(changes).length === 0) {
      setEditing(false);
      return;
    }
    run(async () => {
      onProfile(await updateProfile(changes));
      setEditing(false);
      setSuccess('Profile saved.');
    }, 'profile');
  }

  const edit = (field) => (e) => setDraft({ ...draft, [field]: e.target.value });

  return (
    <>
      <section aria-labelledby="profile-title">
        <h1 id="profile-title">Your profile</h1>
        {editing ? (
          <form onSubmit={save}>
            <Field id="profile-display-name" label="Display name" required maxLength={100}
              value={draft.displayName} onChange={edit('displayName')} />
            <Field id="profile-bio" label="Bio" multiline rows={4} maxLength={2000}
              value={draft.bio} onChange={edit('bio')} />
            <Field id="profile-private-notes" label="Private notes" multiline rows={6} maxLength={10000}
              hint="Only you can see these." value={draft.privateNotes} onChange={edit('privateNotes')} />
            <Message error={error} />
            <div className="actions">
              <button type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
              <button type="button" className="secondary" disabled={busy} onClick={() => setEditing(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <>
            <dl className="profile">
              <dt>Display name</dt>
              <Value field="displayName" text={profile.displayName} />
              <dt>Bio</dt>
              <Value field="bio" text={profile.bio} />
              <dt>Private notes</dt>
              <Value field="privateNotes" text={profile.privateNotes} />
              <dt>Locale</dt>
              <Value field="locale" text={profile.locale} />
              <dt>Last updated</dt>
              <Value field="updatedAt" text={profile.updatedAt && new Date(profile.updatedAt).toLocaleString()} />
            </dl>
            <Message error={error} success={success} />
            <button type="button" onClick={startEditing}>Edit profile</button>
          </>
        )}
      </section>

      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <p>Log out on every device and browser where you are logged in, this one included.</p>
        <button type="button" className="secondary" disabled={busy}
          onClick={() => run(async () => {
            await logoutEverywhere();
            onLoggedOut('You are logged out everywhere.');
          }, 'logout')}>
          Log out everywhere
        </button>
      </section>

      <section aria-labelledby="danger-title" className="danger">
        <h2 id="danger-title">Delete account</h2>
        {confirmingDelete ? (
          <div role="group" aria-labelledby="delete-warning">
            <p id="delete-warning">
              This deletes your account, your profile and your private notes for good. It cannot be undone.
            </p>
            <Field id="delete-password" label="Your password" type="password" autoComplete="current-password" required
              value={deletePassword} onChange={(e) => setDeletePassword(e.target.value)} />
            <div className="actions">
              <button type="button" className="destructive" disabled={busy || deletePassword === ''}
                onClick={() => run(async () => {
                  await deleteAccount(deletePassword);
                  onLoggedOut('Your account has been deleted.');
                }, 'delete')}>
                Yes, delete my account
              </button>
              <button type="button" className="secondary" disabled={busy}
                onClick={() => { setConfirmingDelete(false); setDeletePassword(''); }}>
                Keep my account
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className="destructive" onClick={() => setConfirmingDelete(true)}>
            Delete account…
          </button>
        )}
      </section>
    </>
  );
}
