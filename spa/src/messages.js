/** What to tell a person about a failed call. `action` names what they tried: login, register, password, ... */
export function describeError(error, action) {
  const status = error?.status;
  if (status === undefined) return 'Something went wrong in the page. Reload and try again.';
  if (status === 0) return error.detail;
  if (status === 400 || status === 422) return error.detail || 'The server did not accept what you entered.';
  if (status === 401) {
    return action === 'login' ? 'Wrong email or password.' : 'Your session has ended. Please log in again.';
  }
  if (status === 403) {
    if (error.csrf) return 'The request was refused by the cross-site request forgery check. Reload the page and try again.';
    if (action === 'password' || action === 'delete') return 'Your current password is not correct.';
    return `Refused: ${error.detail || 'you are not allowed to do this.'}`;
  }
  if (status === 409) return error.detail || 'This conflicts with the current state. Reload and try again.';
  if (status === 413) return 'That is too much text to save at once.';
  if (status === 429) {
    const wait = error.retryAfterSeconds;
    return wait == null ? 'Too many attempts. Wait a moment, then try again.' : `Too many attempts. Try again in ${duration(wait)}.`;
  }
  if (status >= 500) {
    return `The server could not complete the request (${status}${error.detail ? `: ${error.detail}` : ''}). Try again later.`;
  }
  return error.detail || `The request failed (HTTP ${status}).`;
}

function duration(seconds) {
  if (seconds < 1) return 'a moment';
  if (seconds <= 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'} (${seconds} seconds)`;
}
