import { useCallback, useEffect, useRef, useState } from 'react';
import { getProfile, logout, onSessionEnded, renewSession } from './api.js';
import { describeError } from './messages.js';
import { Message } from './Form.jsx';
import { listenToOtherTabs, tellOtherTabs } from './session.js';
import { FEW_RECOVERY_CODES, recoveryCodesLeftText } from './secondFactor.js';
import ErrorBoundary from './ErrorBoundary.jsx';
import Login from './pages/Login.jsx';
import Register from './pages/Register.jsx';
import Profile from './pages/Profile.jsx';
import Password from './pages/Password.jsx';
import ForgotPassword from './pages/ForgotPassword.jsx';
import ResetPassword from './pages/ResetPassword.jsx';
import NotFound from './pages/NotFound.jsx';
import Admin from './pages/Admin.jsx';
import EmailAddress from './pages/EmailAddress.jsx';
import TwoStepSignIn from './pages/TwoStepSignIn.jsx';
import { ConfirmEmailChange, EMAIL_LINK_TITLES, UndoEmailChange, VerifyEmail } from './pages/EmailLink.jsx';

// Hash routes (#/login, ...): the gateway only has to serve index.html at /, no fallback for deep links.
const PAGES = {
  '/login': { Page: Login, title: 'Log in', open: true },
  '/register': { Page: Register, title: 'Create an account', open: true },
  '/profile': { Page: Profile, title: 'Your profile' },
  '/password': { Page: Password, title: 'Change password' },
  '/forgot-password': { Page: ForgotPassword, title: 'Forgot your password?', open: true },
  '/reset-password': { Page: ResetPassword, title: 'Choose a new password', open: true },
  '/admin': { Page: Admin, title: 'Accounts' },
  '/email': { Page: EmailAddress, title: 'Email address' },
  '/two-step': { Page: TwoStepSignIn, title: 'Two-step sign-in' },
  '/verify-email': { Page: VerifyEmail, title: EMAIL_LINK_TITLES.verify, open: true },
  '/confirm-email-change': { Page: ConfirmEmailChange, title: EMAIL_LINK_TITLES.change, open: true },
  '/undo-email-change': { Page: UndoEmailChange, title: EMAIL_LINK_TITLES.undo, open: true },
};
const NOT_FOUND = { Page: NotFound, title: 'Page not found', open: true };
const HOME = '/profile';
const SITE = 'Secure suite';

function currentRoute() {
  // A route's query (the reset link's ?token=) is the page's to read, not part of the route.
  const route = window.location.hash.replace(/^#/, '').split('?')[0];
  return route === '' ? HOME : route;
}

const pageOf = (route) => PAGES[route] || NOT_FOUND;

/** The note on the first page after a sign-in: after a recovery code, how many are left (a warning when few). */
function welcome(user, recoveryCodesLeft) {
  const hello = user?.displayName ? `Welcome, ${user.displayName}.` : '';
  if (recoveryCodesLeft == null) return hello ? { success: hello } : null;
  const text = `${hello} You signed in with a recovery code, which no longer works. ${recoveryCodesLeftText(recoveryCodesLeft)}`.trim();
  return recoveryCodesLeft <= FEW_RECOVERY_CODES ? { info: `${text} Get new ones on the Two-step sign-in page.` } : { success: text };
}

export default function App() {
  const [route, setRoute] = useState(currentRoute);
  const [profile, setProfile] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [knownEmail, setKnownEmail] = useState('');
  const [logoutError, setLogoutError] = useState(null);
  const [announcement, setAnnouncement] = useState('');
  // Unsaved profile edits, kept in memory only (never in web storage) while a session that ended under them is
  // renewed: { owner, values }. Given back only to the same account; gone on a logout.
  const [draft, setDraft] = useState(null);
  // Signed in with a password someone else chose (the first admin): only the password page, until it is changed.
  const [mustChangePassword, setMustChangePassword] = useState(false);
  // The admin group, as the sign-in answered it (the profile does not carry groups): only shows the Accounts link.
  const [isAdmin, setIsAdmin] = useState(false);
  const returnTo = useRef(null);
  const signedIn = useRef(false);
  const dirty = useRef(false);
  const ourNavigation = useRef(false);
  const focusedRoute = useRef(null);
  signedIn.current = profile !== null;

  /** Goes to a route; `message` ({success}, {info} or {error}) is shown on the page we land on, until we leave it. */
  const navigate = useCallback((to, message = null) => {
    setNotice(message ? { ...message, route: to } : null);
    if (currentRoute() === to) {
      setRoute(to);
      return;
    }
    ourNavigation.current = true; // no "discard your changes?" for a move the app makes itself
    window.location.hash = `#${to}`;
  }, []);

  useEffect(() => {
    let restoring = null;
    const onHashChange = (event) => {
      const now = currentRoute();
      if (restoring === now) {
        restoring = null;
        return;
      }
      const leaving = event && new URL(event.oldURL).hash.replace(/^#/, '');
      if (!ourNavigation.current && dirty.current && now !== leaving
          && !window.confirm('You have unsaved changes to your profile. Leave this page and discard them?')) {
        restoring = leaving;
        window.location.hash = `#${leaving}`;
        return;
      }
      if (!ourNavigation.current && dirty.current) {
        dirty.current = false;
        setDraft(null);
      }
      ourNavigation.current = false;
      setNotice((shown) => (shown && shown.route === now ? shown : null));
      setLogoutError(null);
      setRoute(now);
    };
    const beforeUnload = (event) => {
      if (dirty.current) event.preventDefault();
    };
    window.addEventListener('hashchange', onHashChange);
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      window.removeEventListener('hashchange', onHashChange);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, []);

  /** A session ended under us (revoked elsewhere, expired): back to login, keeping what was being typed. */
  const sessionEnded = useCallback(
    (fromOtherTab) => {
      const wasSignedIn = signedIn.current;
      const from = currentRoute();
      if (!pageOf(from).open) returnTo.current = from;
      dirty.current = false;
      setProfile(null);
      let message = 'Log in to continue.';
      if (wasSignedIn) message = 'Your session has ended. Log in again to continue.';
      if (wasSignedIn && draft) message = 'Your session has ended. Log in again to continue: your unsaved changes are kept.';
      navigate('/login', { info: message });
      if (wasSignedIn && !fromOtherTab) tellOtherTabs('session-ended');
    },
    [navigate, draft],
  );

  /** A logout in this browser, here or in another tab: nothing private stays on screen or in memory. */
  const clearPrivateData = useCallback(
    (message) => {
      dirty.current = false;
      setProfile(null);
      setDraft(null);
      setMustChangePassword(false);
      setIsAdmin(false);
      setKnownEmail('');
      returnTo.current = null;
      navigate('/login', { info: message });
    },
    [navigate],
  );

  useEffect(() => onSessionEnded(() => sessionEnded(false)), [sessionEnded]);

  useEffect(
    () =>
      listenToOtherTabs((event) => {
        if (event === 'signed-out') clearPrivateData('You logged out in another tab.');
        else if (event === 'session-ended') sessionEnded(true);
        else if (event === 'signed-in') {
          // Another tab signed in (maybe as someone else): show this browser's session as it is now.
          setProfile(null);
          setIsAdmin(false);
          if (pageOf(currentRoute()).open) navigate(returnTo.current || HOME);
        }
      }),
    [clearPrivateData, sessionEnded, navigate],
  );

  // Pages behind the login need the profile (the header shows the display name): load it once per page load.
  // A signed-out visitor's first load costs no login attempt: the gateway answers a refresh without a refresh
  // cookie itself, outside the auth rate limit.
  const { Page, title, open } = pageOf(route);
  useEffect(() => {
    if (open || profile || mustChangePassword) return undefined;
    let cancelled = false;
    setLoadError(null);
    getProfile()
      .then((loaded) => !cancelled && setProfile(loaded))
      .catch((error) => !cancelled && !error.sessionEnded && setLoadError(describeError(error, 'load')));
    return () => {
      cancelled = true;
    };
  }, [open, profile, mustChangePassword]);

  // Each page has its own title; a page change is announced, and focus moves to the new page's heading.
  const ready = open || profile !== null || mustChangePassword;
  useEffect(() => {
    document.title = `${title} - ${SITE}`;
    if (!ready || focusedRoute.current === route) return;
    const heading = document.getElementById('page-title');
    if (!heading) return;
    if (focusedRoute.current !== null) {
      heading.focus();
      setAnnouncement(`${title} page`);
    }
    focusedRoute.current = route;
  });

  const loggedIn = useCallback(
    (user, passwordChangeRequired = false, recoveryCodesLeft = null) => {
      setProfile(null);
      setIsAdmin(Boolean(user?.groups?.includes('admin')));
      if (passwordChangeRequired) {
        if (user?.email) setKnownEmail(user.email);
        setMustChangePassword(true);
        navigate('/password');
        return;
      }
      if (user?.email) setKnownEmail(user.email);
      setDraft((kept) => {
        const same = kept && user && kept.owner === user.id;
        dirty.current = Boolean(same);
        return same ? kept : null;
      });
      tellOtherTabs('signed-in');
      const to = returnTo.current || HOME;
      returnTo.current = null;
      navigate(to, welcome(user, recoveryCodesLeft));
    },
    [navigate],
  );

  const loggedOut = useCallback(
    (message) => {
      tellOtherTabs('signed-out');
      clearPrivateData(message);
    },
    [clearPrivateData],
  );

  async function logOutHere() {
    setLogoutError(null);
    try {
      await logout();
    } catch (error) {
      if (!error.sessionEnded) {
        setLogoutError(describeError(error, 'logout'));
        return;
      }
    }
    loggedOut('You are logged out.');
  }

  let content;
  if (mustChangePassword) {
    content = (
      <Password required onChanged={async () => {
        await renewSession();
        setMustChangePassword(false);
        tellOtherTabs('signed-in');
        navigate(HOME, { success: 'Your new password is set.' });
      }} />
    );
  } else if (open) {
    content = (
      <Page
        onLoggedIn={loggedIn}
        knownEmail={knownEmail}
        onRegistered={(email, loginProblem) => {
          setKnownEmail(email);
          navigate('/login', {
            info: loginProblem
              ? `Registered, but we could not sign you in yet. ${loginProblem}`
              : 'Registered. Log in with your email and password (if the address already had an account, use that account\'s password).',
          });
        }}
        onReset={() => navigate('/login', {
          success: 'Your new password is saved and every session was logged out. Log in with the new password.',
        })}
        signedIn={profile !== null}
      />
    );
  } else if (profile) {
    content = (
      <Page
        profile={profile}
        email={knownEmail}
        onProfile={setProfile}
        onLoggedOut={loggedOut}
        draft={draft && draft.owner === profile.id ? draft.values : null}
        onDraft={(values) => {
          dirty.current = values !== null;
          setDraft(values === null ? null : { owner: profile.id, values });
        }}
      />
    );
  } else {
    content = loadError ? (
      <Message error={loadError} />
    ) : (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  }

  return (
    <>
      <a className="skip-link" href="#page-title" onClick={(e) => {
        e.preventDefault();
        document.getElementById('page-title')?.focus();
      }}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="#/profile">
          {SITE}
        </a>
        <nav aria-label="Main">
          {profile ? (
            <>
              <a href="#/profile" aria-current={route === '/profile' ? 'page' : undefined}>
                Profile
              </a>
              <a href="#/password" aria-current={route === '/password' ? 'page' : undefined}>
                Change password
              </a>
              {isAdmin && (
                <a href="#/admin" aria-current={route === '/admin' ? 'page' : undefined}>
                  Accounts
                </a>
              )}
              <a href="#/email" aria-current={route === '/email' ? 'page' : undefined}>
                Email address
              </a>
              <a href="#/two-step" aria-current={route === '/two-step' ? 'page' : undefined}>
                Two-step sign-in
              </a>
              <span className="whoami">
                Signed in as <bdi data-testid="header-display-name">{profile.displayName}</bdi>
              </span>
              <button type="button" className="link-button" onClick={logOutHere}>
                Log out
              </button>
            </>
          ) : (
            <>
              <a href="#/login" aria-current={route === '/login' ? 'page' : undefined}>
                Log in
              </a>
              <a href="#/register" aria-current={route === '/register' ? 'page' : undefined}>
                Register
              </a>
            </>
          )}
        </nav>
      </header>
      <main>
        <p className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
          {announcement}
        </p>
        {logoutError ? (
          <Message error={logoutError} />
        ) : (
          notice?.route === route && <Message error={notice.error} success={notice.success} info={notice.info} />
        )}
        <ErrorBoundary key={route} onRetry={() => setProfile(null)}>{content}</ErrorBoundary>
      </main>
    </>
  );
}
