/** Small accessible form pieces: every control has a visible label; hints and errors are tied to it. */

export function Field({ id, label, hint, multiline = false, ...props }) {
  const hintId = hint ? `${id}-hint` : undefined;
  const Control = multiline ? 'textarea' : 'input';
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <Control id={id} name={id} aria-describedby={hintId} {...props} />
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** An error (role=alert, read out at once) or a confirmation (role=status). Renders nothing when empty. */
export function Message({ error, success }) {
  if (error) {
    return (
      <p className="message error" role="alert">
        {error}
      </p>
    );
  }
  if (success) {
    return (
      <p className="message success" role="status">
        {success}
      </p>
    );
  }
  return null;
}
