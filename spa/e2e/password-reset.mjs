// Issue 21's browser test: forgot password, with the link read from the suite's real mail server (mail.mjs).
import { mailsWithSubject, requireMailApi } from './mail.mjs';

export function passwordResetTests(h) {
  const { openVisitor, newUser, registerViaUi, loginViaUi, waitForPage, expectLoginPage, withDiag } = h;

  return [
    ['21.1 forgot password: the link from the real mail server sets a new password; the token leaves the address bar at once, travels only in a body, and every session ends', withDiag(async (diag) => {
      requireMailApi();
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

        const [mail] = await mailsWithSubject(user.email, 'Choose a new password', 1);
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
        const [notice] = await mailsWithSubject(user.email, 'Your password was reset', 1);
        if (notice.text.includes(newPassword)) {
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
