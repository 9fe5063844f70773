import { useState } from 'react';
import { deleteAccount, logoutEverywhere, updateProfile } from '../api.js';
import { describeError } from '../messages.js';
import { checkDisplayName } from '../displayName.js';
import { Field, Message } from '../Form.jsx';
import Sessions from './Sessions.jsx';
import { VerifyReminder } from './EmailAddress.jsx';
import { useStepUp } from '../StepUp.jsx';

const EDITABLE = ['displayName', 'bio', 'privateNotes', 'locale'];
// The user service's limits for the free-text fields (ProfilePatch); the display name has its shared rules.
const LIMITS = { bio: ['Your bio', 2000], privateNotes: ['Your private notes', 10000] };
const LOCALES = ['en', 'en-GB', 'de', 'fr', 'es', 'it', 'nl', 'pt-BR', 'pl', 'sv', 'tr', 'ar', 'he', 'fa', 'hi', 'ja', 'ko', 'zh-CN'];

function localeName(tag) {
  try {
    return new Intl.DisplayNames([navigator.language || 'en', 'en'], { type: 'language' }).of(tag) || tag;
  } catch {
    return tag;
  }
}

function Value({ field, text, dir }) {
  return text ? (
    <dd className="multiline" data-testid={`profile-${field}`} dir={dir}>{text}</dd>
  ) : (
    <dd className="muted" data-testid={`profile-${field}`}>(empty)</dd>
  );
}

/** What a draft would change: { field: value } for the fields that differ from the stored profile. */
function changesOf(draft, profile) {
  return Object.fromEntries(EDITABLE.filter((f) => draft[f] !== (profile[f] ?? '')).map((f) => [f, draft[f]]));
}

function validate(draft) {
  const errors = {};
  const name = checkDisplayName(draft.displayName);
  if (name.error) errors.displayName = name.error;
  for (const [field, [label, max]] of Object.entries(LIMITS)) {
    const length = [...draft[field]].length;
    if (length > max) errors[field] = `${label} can be at most ${max} characters long; this has ${length}.`;
  }
  return { errors, name: name.name };
}

const FIELD_IDS = { displayName: 'profile-display-name', bio: 'profile-bio', privateNotes: 'profile-private-notes', locale: 'profile-locale' };

export default function Profile({ profile, email: signInEmail, onProfile, onLoggedOut, draft, onDraft }) {
  // An unsaved draft (kept by the app across a re-login) opens the form again where it was left.
  const [editing, setEditing] = useState(draft !== null);
  const [errors, setErrors] = useState({});
  const [error, setError] = useState(null);
  const [success, setSuccess] = useState(null);
  const [restored] = useState(draft !== null);
  const [busy, setBusy] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [confirmingLogoutAll, setConfirmingLogoutAll] = useState(false);
  const [deletePassword, setDeletePassword] = useState('');
  const email = profile.email || signInEmail;
  // Deleting an account with a second factor needs a recent sign-in with it (issue 22): asked in place, then retried.
  const [withStepUp, stepUpForm] = useStepUp(email);
  const values = draft || Object.fromEntries(EDITABLE.map((field) => [field, profile[field] ?? '']));

  function startEditing() {
    onDraft(Object.fromEntries(EDITABLE.map((field) => [field, profile[field] ?? ''])));
    setEditing(true);
    setErrors({});
    setError(null);
    setSuccess(null);
    setTimeout(() => document.getElementById('profile-display-name')?.focus());
  }

  function stopEditing() {
    onDraft(null);
    setEditing(false);
    setErrors({});
    setTimeout(() => document.getElementById('profile-edit')?.focus());
  }

  function cancel() {
    if (Object.keys(changesOf(values, profile)).length && !window.confirm('Discard your unsaved changes?')) return;
    stopEditing();
  }

  function showErrors(found, message) {
    setErrors(found);
    setError(message);
    const first = EDITABLE.find((f) => found[f]);
    setTimeout(() => document.getElementById(first ? FIELD_IDS[first] : 'profile-error')?.focus());
  }

  /** Runs one action; a 401 that ended the session is handled by the app (login page, draft kept), not shown here. */
  async function run(action, what) {
    if (busy) return;
    setBusy(true);
    setError(null);
    setSuccess(null);
    try {
      await action();
    } catch (failure) {
      if (!failure.sessionEnded) {
        const text = describeError(failure, what);
        if (what === 'profile' && /display name/i.test(failure.detail || '')) showErrors({ displayName: text }, null);
        else showErrors({}, text);
      }
    } finally {
      setBusy(false);
    }
  }

  function save(event) {
    event.preventDefault();
    const checked = validate(values);
    if (Object.keys(checked.errors).length) {
      showErrors(checked.errors, null);
      return;
    }
    const changes = changesOf({ ...values, displayName: checked.name }, profile);
    if (Object.keys(changes).length === 0) {
      stopEditing();
      return;
    }
    run(async () => {
      onProfile(await updateProfile(changes));
      stopEditing();
      setSuccess('Profile saved.');
    }, 'profile');
  }

  const edit = (field) => (e) => onDraft({ ...values, [field]: e.target.value });
  const locales = LOCALES.includes(values.locale) || !values.locale ? LOCALES : [values.locale, ...LOCALES];

  return (
    <>
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>Your profile</h1>
        <VerifyReminder />
        {editing ? (
          <form onSubmit={save} noValidate>
            {restored && <Message info="Your unsaved changes are back. Save them when you are ready." />}
            <Field id="profile-display-name" label="Display name" required dir="auto" error={errors.displayName}
              value={values.displayName} onChange={edit('displayName')} />
            <Field id="profile-bio" label="Bio" multiline rows={4} dir="auto" error={errors.bio}
              value={values.bio} onChange={edit('bio')} />
            <Field id="profile-private-notes" label="Private notes" multiline rows={6} dir="auto" error={errors.privateNotes}
              hint="Only you can see these." value={values.privateNotes} onChange={edit('privateNotes')} />
            <div className="field">
              <label htmlFor="profile-locale">Language</label>
              <select id="profile-locale" value={values.locale} onChange={edit('locale')}>
                {!values.locale && <option value="">Not set</option>}
                {locales.map((tag) => (
                  <option key={tag} value={tag}>{localeName(tag)}</option>
                ))}
              </select>
            </div>
            <Message error={error} id="profile-error" />
            <div className="actions">
              <button type="submit" aria-disabled={busy ? 'true' : undefined}>{busy ? 'Saving…' : 'Save'}</button>
              <button type="button" className="secondary" onClick={cancel}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <>
            <dl className="profile">
              <dt>Email</dt>
              <Value field="email" text={email} />
              <dt>Display name</dt>
              <Value field="displayName" text={profile.displayName} dir="auto" />
              <dt>Bio</dt>
              <Value field="bio" text={profile.bio} dir="auto" />
              <dt>Private notes</dt>
              <Value field="privateNotes" text={profile.privateNotes} dir="auto" />
              <dt>Language</dt>
              <Value field="locale" text={profile.locale && localeName(profile.locale)} />
              <dt>Last updated</dt>
              <Value field="updatedAt" text={profile.updatedAt && new Date(profile.updatedAt).toLocaleString()} />
            </dl>
            <Message error={error} success={success} id="profile-error" />
            <button type="button" id="profile-edit" onClick={startEditing}>Edit profile</button>
          </>
        )}
      </section>

      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <Sessions />
        <p>Log out on every device and browser where you are logged in, this one included.</p>
        {confirmingLogoutAll ? (
          <div role="group" aria-labelledby="logout-all-question">
            <p id="logout-all-question">
              Log out everywhere? Every device and browser signed in to this account will have to log in again.
            </p>
            <div className="actions">
              <button type="button" onClick={() => run(async () => {
                await logoutEverywhere();
                onLoggedOut('You are logged out everywhere.');
              }, 'logout')}>
                Yes, log out everywhere
              </button>
              <button type="button" className="secondary" onClick={() => setConfirmingLogoutAll(false)}>
                Stay logged in
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className="secondary" onClick={() => setConfirmingLogoutAll(true)}>
            Log out everywhere…
          </button>
        )}
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
              <button type="button" className="destructive" aria-disabled={busy || deletePassword === '' ? 'true' : undefined}
                onClick={() => deletePassword !== '' && run(async () => {
                  await withStepUp(() => deleteAccount(deletePassword));
                  onLoggedOut('Your account has been deleted.');
                }, 'delete')}>
                Yes, delete my account
              </button>
              <button type="button" className="secondary"
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
        {stepUpForm}
      </section>
    </>
  );
}
