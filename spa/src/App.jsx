import { useCallback, useEffect, useRef, useState } from 'react';
import { getProfile, logout, onSessionEnded } from './api.js';
import { describeError } from './messages.js';
import { Message } from './Form.jsx';
import Login from './pages/Login.jsx';
import Register from './pages/Register.jsx';
import Profile from './pages/Profile.jsx';
import Password from './pages/Password.jsx';

// Hash routes (#/login, ...): the gateway only has to serve index.html at /, no fallback for deep links.
const PAGES = { '/login': Login, '/register': Register, '/profile': Profile, '/password': Password };
const PUBLIC = new Set(['/login', '/register']);
const HOME = '/profile';

function currentRoute() {
  const route = window.location.hash.replace(/^#/, '');
  return PAGES[route] ? route : HOME;
}

export default function App() {
  const [route, setRoute] = useState(currentRoute);
  const [profile, setProfile] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [knownEmail, setKnownEmail] = useState('');
  const [logoutError, setLogoutError] = useState(null);
  const returnTo = useRef(null);
  const signedIn = useRef(false);
  signedIn.current = profile !== null;

  /** Goes to a route; `message` ({success} or {error}) is shown on the page we land on, until we leave it. */
  const navigate = useCallback((to, message = null) => {
    setNotice(message ? { ...message, route: to } : null);
    window.location.hash = `#${to}`;
  }, []);

  useEffect(() => {
    const onHashChange = () => {
      const now = currentRoute();
      setNotice((shown) => (shown && shown.route === now ? shown : null));
      setLogoutError(null);
      setRoute(now);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(
    () =>
      onSessionEnded(() => {
        const wasSignedIn = signedIn.current;
        const from = currentRoute();
        if (!PUBLIC.has(from)) returnTo.current = from;
        setProfile(null);
        navigate('/login', {
          success: wasSignedIn ? 'Your session has ended. Please log in again.' : 'Please log in to continue.',
        });
      }),
    [navigate],
  );

  // Pages behind the login need the profile (the header shows the display name): load it once per page load.
  useEffect(() => {
    if (PUBLIC.has(route) || profile) return undefined;
    let cancelled = false;
    setLoadError(null);
    getProfile()
      .then((loaded) => !cancelled && setProfile(loaded))
      .catch((error) => !cancelled && !error.sessionEnded && setLoadError(describeError(error, 'profile')));
    return () => {
      cancelled = true;
    };
  }, [route, profile]);

  const loggedIn = useCallback(
    (user) => {
      setProfile(null);
      const to = returnTo.current || HOME;
      returnTo.current = null;
      navigate(to, user?.displayName ? { success: `Welcome, ${user.displayName}.` } : null);
    },
    [navigate],
  );

  const loggedOut = useCallback(
    (message) => {
      setProfile(null);
      returnTo.current = null;
      navigate('/login', { success: message });
    },
    [navigate],
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

  const Page = PAGES[route];
  let content;
  if (PUBLIC.has(route)) {
    content = (
      <Page
        onLoggedIn={loggedIn}
        knownEmail={knownEmail}
        onRegistered={(email) => {
          setKnownEmail(email);
          navigate('/login', { success: 'Registered. Log in with your email and password (if the address already had an account, use that account\'s password).' });
        }}
      />
    );
  } else if (profile) {
    content = <Page profile={profile} onProfile={setProfile} onLoggedOut={loggedOut} />;
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
      <header className="topbar">
        <a className="brand" href="#/profile">
          Secure suite
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
              <span className="whoami">
                Signed in as <strong data-testid="header-display-name">{profile.displayName}</strong>
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
        {logoutError ? (
          <Message error={logoutError} />
        ) : (
          notice?.route === route && <Message error={notice.error} success={notice.success} />
        )}
        {content}
      </main>
    </>
  );
}
