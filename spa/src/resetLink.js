/**
 * The token of a reset link (#/reset-password?token=...), taken out of the address bar at once: the history entry is
 * replaced by one without it, so the token stays only in the page's memory (never in web storage) and travels to the
 * server only in the body of the confirmation. The link holds it in the fragment, which browsers never send to a
 * server, and the gateway's Referrer-Policy: no-referrer keeps any address out of a Referer anyway.
 */
export function takeTokenFromAddress(location = window.location, history = window.history) {
  const match = /^#\/reset-password\?(?:.*&)?token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (location.hash.startsWith('#/reset-password?')) history.replaceState(history.state, '', '#/reset-password');
  return match ? match[1] : null;
}
