// Issue 21's browser test: forgot password, with the link read from the suite's real mail server (GreenMail under
// make run; MAIL_API is the address make run prints after "mail sent ... read it in a browser").
const MAIL_API = (process.env.MAIL_API || '').replace(/\/+$/, '');

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

/** The messages the mail server holds for `address`, waiting until there are `count` (30 s at most). */
async function mailTo(address, count) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${MAIL_API}/api/user/${encodeURIComponent(address)}/messages/`);
    const messages = response.status === 200 ? await response.json() : [];
    if (messages.length >= count) {
      return messages.map((m) => ({ subject: m.subject, text: quotedPrintable(m.mimeMessage.split(/\r?\n\r?\n/).slice(1).join('\n\n')) }));
    }
    if (Date.now() > deadline) throw new Error(`${address} got ${messages.length} mails, not ${count}, within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function passwordResetTests(h) {
  const { openVisitor, newUser, registerViaUi, loginViaUi, waitForPage, expectLoginPage, withDiag } = h;

  return [
    ['21.1 forgot password: the link from the real mail server sets a new password; the token leaves the address bar at once, travels only in a body, and every session ends', withDiag(async (diag) => {
      if (!MAIL_API) throw new Error('MAIL_API is not set: give the mail server address that make run prints ("read it in a browser")');
      const owner = await openVisitor(diag);
      const forgetful = await openVisitor(diag);
      try {
        const user = newUser();
        await registerViaUi(owner.page, user);

        const page = forgetful.page;
        const urls = [];
        const referers = [];
        page.on('request', (request) => {
          urls.push(request.url());
          const referer = request.headers().referer;
          if (referer) referers.push(referer);
        });
        await page.goto('/#/login');
        await waitForPage(page, 'Log in');
        await page.getByRole('link', { name: 'Forgot your password?' }).click();
        await waitForPage(page, 'Forgot your password?');
        await page.getByLabel('Email').fill(user.email);
        await page.getByRole('button', { name: 'Send the link' }).click();
        await page.getByRole('status').filter({ hasText: 'a link to choose a new password is on its way' }).waitFor();

        const [mail] = await mailTo(user.email, 1);
        if (mail.subject !== 'Choose a new password') throw new Error(`unexpected mail: ${mail.subject}`);
        const link = /(https:\/\/\S+\/#\/reset-password\?token=([A-Za-z0-9_-]+))/.exec(mail.text);
        if (!link) throw new Error(`no reset link in the mail: ${mail.text}`);
        const token = link[2];
        // The link names make run's gateway; this browser may test another address (BASE_URL): same path and fragment.
        await page.goto(`/#/reset-password?token=${token}`);
        await waitForPage(page, 'Choose a new password');
        const address = await page.evaluate(() => window.location.href);
        if (address.includes(token)) throw new Error(`the token is still in the address bar: ${address}`);
        const stored = await page.evaluate(() => JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage }));
        if (stored.includes(token)) throw new Error('the token is in web storage');

        const newPassword = `${user.password}-new`;
        await page.getByLabel('New password', { exact: true }).fill(newPassword);
        await page.getByLabel('Repeat new password').fill(newPassword);
        const confirm = page.waitForRequest((request) => request.url().endsWith('/api/auth/password-reset/confirm'));
        await page.getByRole('button', { name: 'Save the new password' }).click();
        const sent = await confirm;
        if (JSON.parse(sent.postData()).token !== token) throw new Error('the confirmation did not carry the token in its body');
        await waitForPage(page, 'Log in');

        const leaks = [...urls, ...referers].filter((url) => url.includes(token));
        if (leaks.length > 0) throw new Error(`the token travelled in a URL or a Referer: ${leaks}`);
        // Nobody was signed in by the reset, and the owner's session of before is over.
        await owner.page.goto('about:blank');
        await owner.page.goto('/#/profile');
        await expectLoginPage(owner.page);
        await loginViaUi(page, { ...user, password: newPassword });
        const [, notice] = await mailTo(user.email, 2);
        if (notice.subject !== 'Your password was reset' || notice.text.includes(newPassword)) {
          throw new Error(`unexpected notice: ${notice.subject}`);
        }
        return `${urls.length} requests, none with the token; the old session ended; the notice arrived`;
      } finally {
        await owner.context.close();
        await forgetful.context.close();
      }
    })],
  ];
}
