// Issue 21's browser tests of the address flows: confirm the address (with "send the link again") and change it (with
// the old address's undo), every link read from the suite's real mail server (mail.mjs) and opened in a browser.
import { linkToken, mailsWithSubject, requireMailApi } from './mail.mjs';

/** Opens a mailed link's page in `page` and checks that the token left the address bar and web storage at once. */
async function openLink(page, waitForPage, route, token, heading) {
  await page.goto('about:blank'); // a link from a mail opens a fresh page load, never a change of this page's fragment
  await page.goto(`/#/${route}?token=${token}`);
  await waitForPage(page, heading);
  const address = await page.evaluate(() => window.location.href);
  if (address.includes(token)) throw new Error(`the token is still in the address bar: ${address}`);
  const stored = await page.evaluate(() => JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage }));
  if (stored.includes(token)) throw new Error('the token is in web storage');
}

export function emailTests(h) {
  const { openVisitor, newUser, registerViaUi, loginViaUi, waitForPage, expectLoginPage, withDiag, field } = h;

  return [
    ['21.2 confirm the address: the profile asks for it, "send the link again" mails a new link, the link from the real mail server confirms it', withDiag(async (diag) => {
      requireMailApi();
      const visitor = await openVisitor(diag);
      const { page } = visitor;
      try {
        const user = newUser();
        await registerViaUi(page, user);
        const reminder = page.getByRole('region', { name: 'Confirm your email address' });
        await reminder.waitFor();
        await mailsWithSubject(user.email, 'Confirm your email address', 1);
        await reminder.getByRole('button', { name: 'Send the link again' }).click();
        await reminder.getByRole('status').filter({ hasText: 'A new link is on its way' }).waitFor();
        const mails = await mailsWithSubject(user.email, 'Confirm your email address', 2);
        const older = linkToken(mails[0], 'verify-email');
        const token = linkToken(mails[1], 'verify-email');

        const sent = [];
        page.on('request', (request) => sent.push(request.url()));
        await openLink(page, waitForPage, 'verify-email', older, 'Confirm your email address');
        await page.getByRole('button', { name: 'Confirm this address' }).click();
        await page.getByRole('alert').filter({ hasText: 'does not work' }).waitFor(); // the older link died with the new one
        await openLink(page, waitForPage, 'verify-email', token, 'Confirm your email address');
        await page.getByRole('button', { name: 'Confirm this address' }).click();
        await page.getByRole('status').filter({ hasText: 'Your email address is confirmed.' }).waitFor();
        if (sent.some((url) => url.includes(token))) throw new Error('the token travelled in a URL');

        await page.goto('about:blank');
        await page.goto('/#/profile');
        await waitForPage(page, 'Your profile');
        await page.waitForTimeout(500);
        if (await reminder.isVisible()) throw new Error('the profile still asks to confirm a confirmed address');
        return 'the reminder went away once the newest link was used; the older link was refused';
      } finally {
        await visitor.context.close();
      }
    })],

    ['21.4 change the address: password, link to the new address (opened in another browser), notice with an undo link to the old, confirmed one, which gives it back and ends every session', withDiag(async (diag) => {
      requireMailApi();
      const owner = await openVisitor(diag);
      const elsewhere = await openVisitor(diag);
      try {
        const user = newUser();
        await registerViaUi(owner.page, user);
        // The owner confirms the address first: only a confirmed old address gets the undo link.
        const [verification] = await mailsWithSubject(user.email, 'Confirm your email address', 1);
        await openLink(elsewhere.page, waitForPage, 'verify-email', linkToken(verification, 'verify-email'), 'Confirm your email address');
        await elsewhere.page.getByRole('button', { name: 'Confirm this address' }).click();
        await elsewhere.page.getByRole('status').filter({ hasText: 'Your email address is confirmed.' }).waitFor();
        const newEmail = user.email.replace('@', '-new@');
        const { page } = owner;
        await page.goto('/#/profile');
        await waitForPage(page, 'Your profile');
        await page.getByRole('link', { name: 'Email address' }).click();
        await waitForPage(page, 'Email address');
        await page.getByLabel('New email address').fill(newEmail);
        await page.getByLabel('Current password').fill(`${user.password}-wrong`);
        await page.getByRole('button', { name: 'Send a link to the new address' }).click();
        await page.getByRole('alert').filter({ hasText: 'Your current password is not correct.' }).waitFor();
        await page.getByLabel('Current password').fill(user.password);
        await page.getByRole('button', { name: 'Send a link to the new address' }).click();
        await page.getByRole('status').filter({ hasText: 'a link to confirm it is on its way there' }).waitFor();

        const [change] = await mailsWithSubject(newEmail, 'Confirm your new email address', 1);
        await openLink(elsewhere.page, waitForPage, 'confirm-email-change', linkToken(change, 'confirm-email-change'),
          'Confirm your new email address');
        await elsewhere.page.getByRole('button', { name: 'Use this address for my account' }).click();
        await elsewhere.page.getByRole('status').filter({ hasText: 'Your account now uses this email address.' }).waitFor();

        // The signed-in browser's next token carries the new address (the profile shows the email from the token).
        await owner.context.clearCookies({ name: '__Host-access' });
        await page.goto('about:blank');
        await page.goto('/#/profile');
        await waitForPage(page, 'Your profile');
        const shown = await field(page, 'email');
        if (shown !== newEmail) throw new Error(`the profile shows ${shown}, not the new address, after a refresh`);

        const [notice] = await mailsWithSubject(user.email, 'Your email address was changed', 1);
        if (notice.text.includes(newEmail)) throw new Error('the notice names the new address');
        await openLink(elsewhere.page, waitForPage, 'undo-email-change', linkToken(notice, 'undo-email-change'),
          'Give your account its address back');
        await elsewhere.page.getByRole('button', { name: 'Give my account this address back' }).click();
        await elsewhere.page.getByRole('status').filter({ hasText: 'every session was signed out' }).waitFor();

        await page.goto('about:blank');
        await page.goto('/#/profile');
        await expectLoginPage(page);
        await loginViaUi(page, user); // the old address signs in again
        return 'changed, then undone from the old address; the session of before ended';
      } finally {
        await owner.context.close();
        await elsewhere.context.close();
      }
    })],
  ];
}
