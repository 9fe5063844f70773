/**
 * The token of a mailed link (#/reset-password?token=..., #/verify-email?token=..., ...), taken out of the address bar
 * at once: the history entry is replaced by one without it, so the token stays only in the page's memory (never in web
 * storage) and travels to the server only in the body of the confirmation. The link holds it in the fragment, which
 * browsers never send to a server, and the gateway's Referrer-Policy: no-referrer keeps any address out of a Referer.
 */
export function takeLinkToken(page, location = window.location, history = window.history) {
  const match = new RegExp(`^#/${page}\\?(?:.*&)?token=([A-Za-z0-9_-]+)`).exec(location.hash);
  if (location.hash.startsWith(`#/${page}?`)) history.replaceState(history.state, '', `#/${page}`);
  return match ? match[1] : null;
}

/** The reset link's token (#/reset-password?token=...). */
export function takeTokenFromAddress(location = window.location, history = window.history) {
  return takeLinkToken('reset-password', location, history);
}
