import { useEffect, useState } from 'react';
import { QRCodeSVG } from 'qrcode.react';
import {
  confirmAuthenticator, getFactors, renewSession, replaceRecoveryCodes, startAuthenticator, turnOffAuthenticator,
} from '../api.js';
import { describeError } from '../messages.js';
import { Field, Message } from '../Form.jsx';
import { useStepUp } from '../StepUp.jsx';
import { FEW_RECOVERY_CODES, groupedSecret, recoveryCodesLeftText, recoveryCodesText } from '../secondFactor.js';
import Passkeys from './Passkeys.jsx';

/** The codes, shown this once: to copy or download as text before leaving the page. */
function RecoveryCodes({ codes, account, onDone }) {
  const [copied, setCopied] = useState(null);
  const [download, setDownload] = useState(null);
  const text = recoveryCodesText(codes, account);

  // A Blob URL, not a data: link: the codes never appear in an attribute of the page, and the URL dies with the list.
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    setDownload(url);
    return () => URL.revokeObjectURL(url);
  }, [text]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied({ success: 'The codes are copied.' });
    } catch {
      setCopied({ error: 'This browser did not let the page copy. Download the codes, or select them and copy them.' });
    }
  }

  return (
    <section aria-labelledby="codes-title" className="notice">
      <h2 id="codes-title">Your recovery codes</h2>
      <p>
        Keep these {codes.length} codes somewhere safe, away from your phone. Each one signs you in once instead of a code from
        your authenticator app or a passkey. They are shown only now: this page cannot show them again.
      </p>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((code) => <li key={code}><code>{code}</code></li>)}
      </ol>
      <Message error={copied?.error} success={copied?.success} />
      <div className="actions">
        <button type="button" onClick={copy}>Copy the codes</button>
        {download && <a className="button-link" href={download} download="recovery-codes.txt">Download as a text file</a>}
        <button type="button" className="secondary" onClick={onDone}>I have saved them</button>
      </div>
    </section>
  );
}

/** Set up an authenticator: the QR code and the secret, shown once, then its first code and the password. */
function Enrolment({ enrolment, withStepUp, onConfirmed, onCancel }) {
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.getElementById('enrol-title')?.focus();
  }, []);

  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      // An account with a passkey already adds a factor only after a recent sign-in with it (step-up), as for a passkey.
      const { codes } = await withStepUp(() => confirmAuthenticator(code.replace(/\s/g, ''), password));
      // The server puts the factor on this session, but only its next token says so: renew now, so that an action
      // that needs a recent sign-in with the factor (new recovery codes) works at once, without signing in again.
      await renewSession().catch(() => {});
      onConfirmed(codes);
    } catch (failure) {
      if (failure.sessionEnded) return;
      setError(describeError(failure, 'factors'));
      setBusy(false);
      setTimeout(() => document.getElementById(failure.status === 403 ? 'enrol-password' : 'enrol-code')?.focus());
    }
  }

  return (
    <section aria-labelledby="enrol-title">
      <h2 id="enrol-title" tabIndex={-1}>Set up your authenticator app</h2>
      <ol>
        <li>In your authenticator app, add an account and scan this QR code.</li>
        <li>Enter the 6-digit code the app then shows, and your password.</li>
      </ol>
      <QRCodeSVG value={enrolment.otpauthUri} size={192} marginSize={4} className="qr" title="QR code for your authenticator app"
        data-testid="totp-qr" />
      <p>
        No camera? Type this key into the app instead (time-based):{' '}
        <code className="secret" data-testid="totp-secret">{groupedSecret(enrolment.secret)}</code>
      </p>
      <p className="hint">The QR code and the key are shown only now. Leave this page and you start again with a new key.</p>
      <form onSubmit={submit}>
        <Field id="enrol-code" label="Code from your authenticator app" autoComplete="one-time-code" inputMode="numeric"
          required value={code} onChange={(e) => setCode(e.target.value)} />
        <Field id="enrol-password" label="Your password" type="password" autoComplete="current-password" required
          value={password} onChange={(e) => setPassword(e.target.value)} />
        <Message error={error} />
        <div className="actions">
          <button type="submit" aria-disabled={busy ? 'true' : undefined}>{busy ? 'Checking…' : 'Turn on two-step sign-in'}</button>
          <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
        </div>
      </form>
    </section>
  );
}

/** Two-step sign-in: its state, set up an authenticator, passkeys, new recovery codes, turn the authenticator off. */
export default function TwoStepSignIn({ profile, email }) {
  const account = profile?.email || email;
  const [factors, setFactors] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [enrolment, setEnrolment] = useState(null);
  const [codes, setCodes] = useState(null);
  const [confirmingOff, setConfirmingOff] = useState(false);
  const [error, setError] = useState(null);
  const [success, setSuccess] = useState(null);
  const [busy, setBusy] = useState(false);
  const [withStepUp, stepUpForm] = useStepUp(account);

  function load() {
    return getFactors().then(setFactors)
      .catch((failure) => !failure.sessionEnded && setLoadError(describeError(failure, 'factors')));
  }

  useEffect(() => {
    load();
  }, []);

  async function run(action, done) {
    if (busy) return;
    setBusy(true);
    setError(null);
    setSuccess(null);
    try {
      done(await action());
    } catch (failure) {
      if (!failure.sessionEnded) setError(describeError(failure, 'factors'));
    } finally {
      setBusy(false);
    }
  }

  const start = () => run(() => withStepUp(startAuthenticator), setEnrolment);
  const newCodes = () => run(() => withStepUp(replaceRecoveryCodes), (answer) => setCodes(answer.codes));
  const passkeys = factors?.passkeys ?? [];
  const appOn = factors?.totp === 'confirmed';
  // Any factor turns two-step sign-in on: an authenticator app, a passkey, or both.
  const on = appOn || passkeys.length > 0;
  const turnOff = () => run(() => withStepUp(turnOffAuthenticator), () => {
    setConfirmingOff(false);
    setSuccess(passkeys.length
      ? 'The authenticator app is removed: your passkeys still work after your password.'
      : 'Two-step sign-in is off: your password alone signs you in, and the recovery codes no longer work.');
    return load();
  });

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>Two-step sign-in</h1>
      <p>
        With two-step sign-in, your password alone no longer signs you in: you also enter a code from an authenticator app
        on your phone, or use a passkey, or one of your recovery codes.
      </p>
      <Message error={loadError} />
      {factors && !enrolment && !codes && (
        <p data-testid="factor-state">
          {on ? 'Two-step sign-in is on.' : 'Two-step sign-in is off.'}
          {on && <> <span data-testid="codes-left">{recoveryCodesLeftText(factors.recoveryCodesLeft)}</span></>}
        </p>
      )}
      {on && !codes && factors.recoveryCodesLeft <= FEW_RECOVERY_CODES && (
        <Message info="When your recovery codes run out, a lost phone means a lost account: get new ones below." />
      )}
      <Message error={error} success={success} />
      {codes && (
        <RecoveryCodes codes={codes} account={account} onDone={() => {
          setCodes(null);
          setSuccess('Your recovery codes are saved. Each works once.');
          load();
        }} />
      )}
      {enrolment && !codes && (
        <Enrolment enrolment={enrolment} withStepUp={withStepUp} onCancel={() => setEnrolment(null)} onConfirmed={(made) => {
          setEnrolment(null);
          setCodes(made);
          setSuccess('Two-step sign-in is on. Your other sessions were signed out.');
        }} />
      )}
      {factors && !appOn && !enrolment && !codes && (
        <button type="button" onClick={start} aria-disabled={busy ? 'true' : undefined}>Set up an authenticator app</button>
      )}
      {factors && !enrolment && !codes && (
        <Passkeys passkeys={passkeys} withStepUp={withStepUp} onChanged={load} onAdded={(answer) => {
          if (answer?.recoveryCodes?.codes) {
            setCodes(answer.recoveryCodes.codes);
            setSuccess('Your passkey is added, and two-step sign-in is on. Your other sessions were signed out.');
          }
          return load();
        }} />
      )}
      {on && !codes && (
        <>
          <h2>Recovery codes</h2>
          <p>New codes replace the ones you have: the old ones stop working.</p>
          <button type="button" onClick={newCodes} aria-disabled={busy ? 'true' : undefined}>Get new recovery codes</button>
        </>
      )}
      {appOn && !codes && (
        <>
          <h2>{passkeys.length ? 'Authenticator app' : 'Turn off'}</h2>
          {confirmingOff ? (
            <div role="group" aria-labelledby="off-question">
              <p id="off-question">
                {passkeys.length
                  ? 'Remove the authenticator app? Your passkeys will still work after your password.'
                  : 'Turn off two-step sign-in? Your password alone will sign you in, and your recovery codes stop working.'}
              </p>
              <div className="actions">
                <button type="button" className="destructive" onClick={turnOff} aria-disabled={busy ? 'true' : undefined}>
                  {passkeys.length ? 'Yes, remove the app' : 'Yes, turn it off'}
                </button>
                <button type="button" className="secondary" onClick={() => setConfirmingOff(false)}>Keep it on</button>
              </div>
            </div>
          ) : (
            <button type="button" className="destructive" onClick={() => setConfirmingOff(true)}>
              {passkeys.length ? 'Remove the authenticator app…' : 'Turn off two-step sign-in…'}
            </button>
          )}
        </>
      )}
      {stepUpForm}
    </section>
  );
}
