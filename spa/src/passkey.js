/**
 * Passkeys (WebAuthn) in the browser: the one place that calls navigator.credentials. The server's options arrive as
 * JSON (PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON) and the credential goes back as JSON, through the
 * browser's own converters (WebAuthn Level 3: parse*OptionsFromJSON, PublicKeyCredential.toJSON), so no base64url
 * code of ours stands between the authenticator and the server. A browser without them is offered no passkey button.
 */

/** Whether this browser can run a passkey ceremony with JSON options (Chromium 129+, Firefox 119+, Safari 18.4+). */
export function passkeysSupported() {
  const credential = globalThis.PublicKeyCredential;
  return Boolean(credential && typeof credential.parseCreationOptionsFromJSON === 'function'
    && typeof credential.parseRequestOptionsFromJSON === 'function' && globalThis.navigator?.credentials);
}

/** The browser or the authenticator did not give a credential: cancelled, timed out, or already registered there. */
export class PasskeyCeremonyError extends Error {
  constructor(cause) {
    super(cause?.message || 'The passkey ceremony did not complete.');
    this.name = 'PasskeyCeremonyError';
    /** The DOMException's name: NotAllowedError (cancelled, timed out, no passkey), InvalidStateError, SecurityError... */
    this.reason = cause?.name || 'UnknownError';
  }
}

async function ceremony(call) {
  let credential;
  try {
    credential = await call();
  } catch (cause) {
    throw new PasskeyCeremonyError(cause);
  }
  if (!credential) throw new PasskeyCeremonyError({ name: 'NotAllowedError' });
  return credential.toJSON();
}

/** Makes a passkey on this device from the server's creation options; the credential as JSON for the server. */
export function createPasskey(options) {
  return ceremony(() => navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) }));
}

/** Signs the server's challenge with a passkey (a discoverable one when allowCredentials is empty); JSON for the server. */
export function signWithPasskey(options) {
  return ceremony(() => navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) }));
}

/** What a person reads when the browser gave no credential, or null when `error` is not about the ceremony. */
export function describeCeremonyError(error, making = false) {
  if (!(error instanceof PasskeyCeremonyError)) return null;
  if (error.reason === 'InvalidStateError' && making) return 'This device already holds a passkey for your account: it is in the list below.';
  if (error.reason === 'NotAllowedError' || error.reason === 'AbortError') {
    return making
      ? 'No passkey was made: the request was cancelled or timed out. Try again when your device asks.'
      : 'No passkey was used: the request was cancelled or timed out, or this device has no passkey for this site.';
  }
  if (error.reason === 'SecurityError') return 'This browser refused passkeys on this address. Open the site at its usual address and try again.';
  return 'This browser could not use a passkey here. Try again, or use your password.';
}
