// Browser test of issue 23 item 5 (the admin page), run by run.mjs after sessions-page.mjs's 23.2, whose first admin
// (with the password it chose) it signs in as.

/** Presses "Log in"; if the page says to wait (every browser here is 127.0.0.1, 30 auth requests a minute), waits once. */
async function pressLogIn(page, heading) {
  const button = page.getByRole('button', { name: 'Log in', exact: true });
  await button.click();
  const wanted = page.getByRole('heading', { level: 1, name: heading });
  const alert = page.getByRole('alert');
  await wanted.or(alert).first().waitFor();
  const wait = (await wanted.isVisible()) ? null : /try again in (\d+) seconds/.exec(await alert.first().textContent());
  if (wait) {
    await page.waitForTimeout((Number(wait[1]) + 1) * 1000);
    await button.click();
  }
}

async function logIn(page, user, waitForPage) {
  await page.goto('/#/login');
  await waitForPage(page, 'Log in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await pressLogIn(page, 'Your profile');
}

export function adminPageTests(h) {
  const { openVisitor, newUser, registerViaUi, waitForPage, expectLoginPage, withDiag } = h;

  return [
    ['23.5 an admin finds an account, sees its session and locks it: that browser is signed out and cannot sign in until unlocked', withDiag(async (diag) => {
      if (!h.firstAdmin) throw new Error('no first admin: 23.2 (sessions-page.mjs) runs first and sets its new password');
      const admin = await openVisitor(diag);
      const target = await openVisitor(diag);
      try {
        const user = newUser();
        await registerViaUi(target.page, user);
        // A user who is no admin sees no Accounts link, and the page itself says it is not theirs.
        if (await target.page.getByRole('link', { name: 'Accounts' }).count()) throw new Error('a non-admin sees the Accounts link');
        await target.page.goto('/#/admin');
        await waitForPage(target.page, 'Accounts');
        await target.page.getByLabel('Email').fill(user.email);
        await target.page.getByRole('button', { name: 'Find' }).click();
        await target.page.getByText('This page is for administrators.').waitFor();
        await target.page.goto('/#/profile');
        await waitForPage(target.page, 'Your profile');

        await logIn(admin.page, h.firstAdmin, waitForPage);
        await waitForPage(admin.page, 'Your profile');
        await admin.page.getByRole('link', { name: 'Accounts' }).click();
        await waitForPage(admin.page, 'Accounts');
        await admin.page.getByLabel('Email').fill(user.email);
        await admin.page.getByRole('button', { name: 'Find' }).click();
        const row = admin.page.locator(`[data-testid=admin-account][data-email="${user.email}"]`);
        await row.waitFor();
        await row.getByRole('button', { name: `Sessions of ${user.email}` }).click();
        await admin.page.getByTestId('admin-session').first().waitFor();
        const seen = await admin.page.getByTestId('admin-session').count();
        if (seen !== 1) throw new Error(`expected the target's 1 session, saw ${seen}`);

        await row.getByRole('button', { name: `Lock ${user.email}` }).click();
        await admin.page.getByText(`Locked ${user.email}: every session of it has ended.`).waitFor();
        await admin.page.locator(`[data-testid=admin-account][data-email="${user.email}"][data-locked=true]`).waitFor();
        await admin.page.getByTestId('admin-no-sessions').waitFor();

        // The locked account's browser: its next request finds the session ended; its right password is refused.
        await target.page.reload();
        await expectLoginPage(target.page);
        await target.page.getByLabel('Email').fill(user.email);
        await target.page.getByLabel('Password').fill(user.password);
        await pressLogIn(target.page, 'Your profile');
        await target.page.getByRole('alert').waitFor();
        if (await target.page.getByRole('heading', { level: 1, name: 'Your profile' }).isVisible()) {
          throw new Error('the locked account signed in');
        }

        await row.getByRole('button', { name: `Unlock ${user.email}` }).click();
        await admin.page.getByText(`Unlocked ${user.email}.`).waitFor();
        await logIn(target.page, user, waitForPage);
        await waitForPage(target.page, 'Your profile');
        return 'non-admin: no link, page refused; admin: found, 1 session, locked (target signed out, sign-in refused), unlocked (sign-in works)';
      } finally {
        await admin.context.close();
        await target.context.close();
      }
    })],
  ];
}
