import { useState } from 'react';
import { confirmEmailLink, renewSession } from '../api.js';
import { describeError } from '../messages.js';
import { Message } from '../Form.jsx';
import { takeLinkToken } from '../resetLink.js';

// The three mailed links of the address flows. Each asks for a click: opening a link (a mail scanner may) changes nothing.
const KINDS = {
  verify: {
    page: 'verify-email',
    title: 'Confirm your email address',
    explain: 'Confirm that this email address is yours.',
    button: 'Confirm this address',
    done: 'Your email address is confirmed.',
  },
  change: {
    page: 'confirm-email-change',
    title: 'Confirm your new email address',
    explain: 'Your account will use this email address from now on: sign in with it, and its mail comes here.',
    button: 'Use this address for my account',
    done: 'Your account now uses this email address. Sign in with it from now on.',
  },
  undo: {
    page: 'undo-email-change',
    title: 'Give your account its address back',
    explain: 'Your account gets this email address back, and everybody signed in to it is signed out.',
    button: 'Give my account this address back',
    done: 'Your account has this email address again, and every session was signed out.',
  },
};

function EmailLink({ kind, signedIn }) {
  const { page, title, explain, button, done } = KINDS[kind];
  const [token] = useState(() => takeLinkToken(page));
  const [error, setError] = useState(null);
  const [finished, setFinished] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await confirmEmailLink(kind, token);
      // A session in this browser gets a token that says what changed (email, email_verified) at once.
      if (signedIn && kind !== 'undo') await renewSession().catch(() => {});
      setFinished(true);
    } catch (failure) {
      setError(describeError(failure, 'email'));
    } finally {
      setBusy(false);
    }
  }

  let body;
  if (finished) {
    body = (
      <>
        <Message success={done} />
        {kind === 'undo' ? (
          <p>
            Someone else may know your password: <a href="#/forgot-password">choose a new password now</a>.
          </p>
        ) : (
          <p>{signedIn ? <a href="#/profile">Go to your profile</a> : <a href="#/login">Log in</a>}</p>
        )}
      </>
    );
  } else if (!token) {
    body = <Message error="This page needs the link from the mail we sent you. Open that link again." />;
  } else {
    body = (
      <form onSubmit={submit}>
        <p>{explain}</p>
        <Message error={error} />
        <button type="submit" aria-disabled={busy ? 'true' : undefined}>{busy ? 'Working…' : button}</button>
      </form>
    );
  }
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>{title}</h1>
      {body}
    </section>
  );
}

export const VerifyEmail = (props) => <EmailLink kind="verify" {...props} />;
export const ConfirmEmailChange = (props) => <EmailLink kind="change" {...props} />;
export const UndoEmailChange = (props) => <EmailLink kind="undo" {...props} />;
export const EMAIL_LINK_TITLES = Object.fromEntries(Object.entries(KINDS).map(([kind, { title }]) => [kind, title]));
