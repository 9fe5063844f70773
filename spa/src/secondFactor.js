/**
 * The wording and small rules of two-step sign-in that more than one page needs (the Two-step sign-in page, the login
 * page after a recovery code): one place for the threshold of "few codes left" and for how codes are written down.
 */

/** At this many recovery codes left or fewer, the pages warn: a person with none left and no phone is locked out. */
export const FEW_RECOVERY_CODES = 3;

/** An authenticator app shows 6 digits (spaces are how some apps group them); anything else is taken as a recovery code. */
export function isAuthenticatorCode(code) {
  return /^\d{6}$/.test(code.replace(/\s/g, ''));
}

/** What to tell a person about the recovery codes they have left, with a warning when they are running out. */
export function recoveryCodesLeftText(left) {
  if (left === 0) {
    return 'You have no recovery codes left: get new ones now, or losing your phone will lock you out.';
  }
  const count = left === 1 ? '1 recovery code' : `${left} recovery codes`;
  if (left <= FEW_RECOVERY_CODES) return `Only ${count} left: get new ones before you run out.`;
  return `${count[0].toUpperCase()}${count.slice(1)} left.`;
}

/** The secret as a person types it into an app without a camera: groups of four, as apps show it. */
export function groupedSecret(secret) {
  return secret.replace(/\s/g, '').match(/.{1,4}/g)?.join(' ') ?? '';
}

/** The recovery codes as the text file (or clipboard text) a person keeps: what they are for, then one code a line. */
export function recoveryCodesText(codes, account, date = new Date()) {
  return [
    `Recovery codes for ${account} (Secure suite), made ${date.toISOString().slice(0, 10)}.`,
    'Each code signs you in once instead of a code from your authenticator app. Keep them somewhere safe.',
    '',
    ...codes,
    '',
  ].join('\n');
}
