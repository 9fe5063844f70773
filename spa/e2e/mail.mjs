// The suite's real mail server as the browser tests read it (GreenMail under make run; MAIL_API is the address make
// run prints after "mail sent ... read it in a browser"). An account gets mail of several flows, each at its own time
// (the link that confirms its address, notices): tests wait for the mails of one subject.
export const MAIL_API = (process.env.MAIL_API || '').replace(/\/+$/, '');

/** Undoes quoted-printable (soft line breaks, =XX bytes) of a message body, as UTF-8. */
function quotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The text body of a single-part message, decoded as its Content-Transfer-Encoding says. Decoding "=XX" in a body that
 * is not quoted-printable broke a link whose token began with two hex digits (one run in eight or so).
 */
function bodyText(mime) {
  const [head, ...rest] = mime.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  const encoding = (/^content-transfer-encoding:\s*(\S+)/im.exec(head)?.[1] || '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return quotedPrintable(body);
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

export function requireMailApi() {
  if (!MAIL_API) throw new Error('MAIL_API is not set: give the mail server address that make run prints ("read it in a browser")');
}

/** The messages with `subject` the mail server holds for `address`, waiting until there are `count` (30 s at most). */
export async function mailsWithSubject(address, subject, count) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${MAIL_API}/api/user/${encodeURIComponent(address)}/messages/`);
    const messages = (response.status === 200 ? await response.json() : [])
      .map((m) => ({ subject: m.subject, text: bodyText(m.mimeMessage) }))
      .filter((m) => m.subject === subject);
    if (messages.length >= count) return messages;
    if (Date.now() > deadline) throw new Error(`${address} got ${messages.length} mails "${subject}", not ${count}, within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The token of the link to SPA page `page` in `mail`. */
export function linkToken(mail, page) {
  const link = new RegExp(`https://\\S+/#/${page}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!link) throw new Error(`no ${page} link in the mail "${mail.subject}": ${mail.text}`);
  return link[1];
}
