/**
 * Small accessible form pieces: every control has a visible label; its hint and its error are tied to it
 * (aria-describedby), and a control in error says so (aria-invalid), so a screen reader reads the reason on focus.
 */
export function Field({ id, label, hint, error, multiline = false, ...props }) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const Control = multiline ? 'textarea' : 'input';
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <Control id={id} name={id} aria-describedby={describedBy} aria-invalid={error ? 'true' : undefined} {...props} />
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

/**
 * An error (role=alert, read out at once), a confirmation (role=status) or a neutral note (role=status, not styled
 * as a success: "log in to continue" is not good news). Renders nothing when empty.
 */
export function Message({ error, success, info, id }) {
  if (error) {
    return (
      <p className="message error" role="alert" id={id}>
        {error}
      </p>
    );
  }
  if (success || info) {
    return (
      <p className={success ? 'message success' : 'message info'} role="status" id={id}>
        {success || info}
      </p>
    );
  }
  return null;
}

/** Focuses the first control in error of a form (after a failed submit), or the element with `fallbackId`. */
export function focusFirstInvalid(form, fallbackId) {
  const target = form?.querySelector('[aria-invalid="true"]') || (fallbackId && document.getElementById(fallbackId));
  target?.focus();
}
