// The officer's day, end to end, in Debian's Chromium against the real C++
// server: log in, create a contact, a deal and tasks, complete a task and see
// the coach, close a deal and see the referral tip, settings that persist,
// access control by URL, session expiry, accessibility in light and dark.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  assertNoConsoleErrors,
  expectAccessible,
  launch,
  login,
  newGuardedPage,
  noToast,
  screenshot,
  setTheme,
  waitForToast,
  type Guarded,
  screenshotIfFailed,
} from './helpers';
import { USERS } from './users';

let browser: Browser;
let ana: Guarded;
let contactId = 0;
let dealId = 0;

beforeAll(async () => {
  browser = await launch();
  ana = await newGuardedPage(browser);
});

afterEach((ctx) => screenshotIfFailed(ctx, ana));

afterAll(async () => {
  await browser?.close();
});

describe('the test guards', () => {
  it('catch a console error and an accessibility violation (so a clean run means something)', async () => {
    const probe = await newGuardedPage(browser);
    await probe.page.goto('/login');
    await probe.page.getByRole('heading', { name: 'Log in' }).waitFor();
    await probe.page.evaluate(() => console.error('deliberate'));
    expect(() => assertNoConsoleErrors(probe)).toThrow();
    await probe.page.evaluate(() => {
      const b = document.createElement('button'); // no accessible name: axe's button-name, critical
      document.body.appendChild(b);
    });
    await expect(expectAccessible(probe.page, 'probe')).rejects.toThrow(/axe violations on probe/);
    await probe.context.close();
  });
});

describe('ChosenCRM in the browser', () => {
  it('shows the login page without demo logins on a normal server and rejects a wrong password', async () => {
    const { page } = ana;
    await page.goto('/contacts'); // a deep link while logged out
    await page.waitForURL(/\/login$/);
    await expect.poll(() => page.getByRole('heading', { name: 'Log in' }).isVisible()).toBe(true);
    expect(await page.getByTestId('demo-logins').count()).toBe(0);
    await expectAccessible(page, 'login (light)');
    await screenshot(page, 'login');
    await setTheme(page, 'dark');
    await expectAccessible(page, 'login (dark)');
    await screenshot(page, 'login-dark');
    await setTheme(page, 'light');

    await page.getByLabel('Email').fill(USERS.ana.email);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/.+/);
    ana.allow.push(/\/api\/auth\/login\b.*401|401.*\/api\/auth\/login\b/);
    assertNoConsoleErrors(ana);
  });

  it('logs in and returns to the deep link it came from', async () => {
    await login(ana.page, USERS.ana.email, USERS.ana.password, /\/contacts$/);
    await expect.poll(() => ana.page.getByRole('heading', { level: 1 }).textContent()).toBe('Contacts');
    expect(await ana.page.getByTestId('current-user').first().textContent()).toBe('Ana Ruiz');
    await ana.page.getByRole('link', { name: 'Today' }).first().click();
    await expect.poll(() => ana.page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Good (morning|afternoon|evening), Ana/);
    assertNoConsoleErrors(ana);
  });

  it('creates a contact and the coach says to call the new lead; Take Action opens the contact to log the call', async () => {
    const { page } = ana;
    await page.getByRole('link', { name: 'Contacts' }).first().click();
    await page.getByRole('button', { name: 'New contact' }).click();
    const dialog = page.getByRole('dialog', { name: 'New contact' });
    await dialog.getByLabel('Name').fill('Jennifer Park');
    await dialog.getByLabel('Email').fill('jennifer.park@example.com');
    await dialog.getByLabel('Phone').fill('(512) 555-0142');
    await dialog.getByLabel('Source').fill('Zillow');
    await dialog.getByLabel('Tags').fill('VA loan, first-time buyer');
    await dialog.getByRole('button', { name: 'Create contact' }).click();
    await page.waitForURL(/\/contacts\/\d+$/);
    contactId = Number(page.url().match(/\/contacts\/(\d+)/)![1]);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Jennifer Park');

    // Pushed over the event stream within a second of the change.
    const toast = await waitForToast(page, /Jennifer Park/);
    expect(await toast.getAttribute('data-priority')).toBe('high');
    await toast.getByRole('button', { name: /^Take Action/ }).click();
    await page.waitForURL(new RegExp(`/contacts/${contactId}\\?log=call$`));
    const log = page.getByTestId('log-activity');
    expect(await log.getByRole('radio', { name: 'Call' }).isChecked()).toBe(true);
    await log.getByLabel('Outcome').selectOption('answered');
    await log.getByLabel('Notes').fill('Pre-approval questions; wants a VA loan');
    await log.getByRole('button', { name: 'Log call' }).click();
    await expect.poll(() => page.getByTestId('timeline').textContent()).toMatch(/Call · Answered/);
    await expect.poll(() => page.getByTestId('timeline').textContent()).toMatch(/Contact created/);
    // One answered call names no best time, but offers the open windows.
    const best = page.getByTestId('best-time');
    await expect.poll(() => best.getByTestId('best-time-message').textContent()).toMatch(/^Not enough history to single out a best time/);
    expect(await best.locator('li').count()).toBeGreaterThan(0);
    expect(await best.textContent()).toMatch(/from 1 answered of 1 calls to them/);
    assertNoConsoleErrors(ana);
  });

  it('edits the contact and finds it by search and filter', async () => {
    const { page } = ana;
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Status').selectOption('PROSPECT');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('header').getByText('Prospect').isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Contacts' }).first().click();
    await page.getByLabel('Search by name, email or phone').fill('jennifer');
    await expect.poll(() => page.getByRole('link', { name: 'Jennifer Park' }).isVisible()).toBe(true);
    await page.getByLabel('Status').selectOption('CLIENT');
    await expect.poll(() => page.getByText('No contacts match').isVisible()).toBe(true);
    await page.getByLabel('Status').selectOption('PROSPECT');
    await expect.poll(() => page.getByRole('link', { name: 'Jennifer Park' }).isVisible()).toBe(true);
    assertNoConsoleErrors(ana);
  });

  it('logs a video post from the Today bar with the keyboard', async () => {
    const { page } = ana;
    await page.getByRole('link', { name: 'Today' }).first().click();
    const bar = page.getByTestId('log-activity');
    await bar.getByRole('radio', { name: 'Call' }).focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight'); // call → text → email → meeting → video post
    expect(await bar.getByRole('radio', { name: 'Video post' }).isChecked()).toBe(true);
    await bar.getByLabel('Topic').focus();
    await page.keyboard.type('VA loans');
    await page.keyboard.press('Enter');
    await expect.poll(() => bar.getByRole('status').textContent()).toMatch(/Video post logged/);
    await expect.poll(() => page.getByTestId('recent-activity').textContent()).toMatch(/Video post · VA loans/);
    assertNoConsoleErrors(ana);
  });

  it('creates a deal for the contact and moves it with the keyboard alternative', async () => {
    const { page } = ana;
    await noToast(page);
    await page.getByRole('link', { name: 'Deals' }).first().click();
    await page.getByRole('button', { name: 'New deal' }).click();
    const dialog = page.getByRole('dialog', { name: 'New deal' });
    await dialog.getByLabel('Title').fill('Park VA purchase');
    await dialog.getByRole('combobox', { name: 'Borrower' }).fill('Jenn');
    await dialog.getByRole('option', { name: /Jennifer Park/ }).waitFor();
    await page.keyboard.press('Enter');
    expect(await dialog.getByTestId('picked-contact').textContent()).toBe('Jennifer Park');
    await dialog.getByLabel('Loan amount ($)').fill('350000');
    await dialog.getByLabel('Loan type').selectOption('VA');
    await dialog.getByRole('button', { name: 'Create deal' }).click();
    const card = page.getByTestId('deal-card').filter({ hasText: 'Park VA purchase' });
    await card.waitFor();
    dealId = Number(await card.getAttribute('data-deal-id'));
    expect(await page.locator('[data-stage="Lead"]').getByRole('link', { name: 'Park VA purchase' }).isVisible()).toBe(true);

    await card.getByTestId('deal-stage-select').selectOption('Application');
    await expect.poll(() => page.locator('[data-stage="Application"]').getByRole('link', { name: 'Park VA purchase' }).isVisible()).toBe(true);
    // It stuck on the server.
    await page.reload();
    await expect.poll(() => page.locator('[data-stage="Application"]').getByRole('link', { name: 'Park VA purchase' }).isVisible()).toBe(true);
    assertNoConsoleErrors(ana);
  });

  it('creates tasks, completes one in one click and the coach names the next priority', async () => {
    const { page } = ana;
    await noToast(page);
    await page.getByRole('link', { name: 'Tasks' }).first().click();
    for (const [title, priority] of [
      ['Call the underwriter', 'high'],
      ['Send disclosures', 'medium'],
    ] as const) {
      await page.getByRole('button', { name: 'New task' }).click();
      const dialog = page.getByRole('dialog', { name: 'New task' });
      await dialog.getByLabel('Title').fill(title);
      await dialog.getByLabel('Priority').selectOption(priority);
      await dialog.getByRole('button', { name: 'Create task' }).click();
      await page.getByTestId('task-row').filter({ hasText: title }).waitFor();
    }
    await page.getByRole('button', { name: 'Complete Send disclosures' }).click();
    const toast = await waitForToast(page, /Next priority: Call the underwriter/);
    expect(await toast.getAttribute('data-priority')).toBe('medium');
    await toast.getByRole('button', { name: /^Take Action/ }).click();
    await page.waitForURL(/\/tasks\?task=\d+$/);
    const highlighted = page.locator('[data-testid="task-row"].ring-2');
    await expect.poll(() => highlighted.textContent()).toMatch(/Call the underwriter/);

    await page.getByRole('button', { name: 'Completed' }).click();
    await expect.poll(() => page.getByTestId('task-row').filter({ hasText: 'Send disclosures' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Overdue' }).click();
    await expect.poll(() => page.getByText('No overdue tasks').isVisible()).toBe(true);
    assertNoConsoleErrors(ana);
  });

  it('drags the deal to Closed Won, confirms, sees the referral tip and acts on it', async () => {
    const { page } = ana;
    await noToast(page);
    await page.getByRole('link', { name: 'Deals' }).first().click();
    // A window wide enough to show every column, so the drag is one gesture.
    await page.setViewportSize({ width: 2400, height: 900 });
    const card = page.locator(`[data-testid="deal-card"][data-deal-id="${dealId}"]`);
    await card.dragTo(page.locator('[data-stage="Closed Won"]'));
    const confirm = page.getByRole('dialog', { name: 'Mark this deal won?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Yes, closed won' }).click();
    await expect.poll(() => page.locator('[data-stage="Closed Won"]').getByRole('link', { name: 'Park VA purchase' }).isVisible()).toBe(true);

    const toast = await waitForToast(page, /Great close!.*Jennifer Park.*referral/);
    expect(await toast.getAttribute('data-priority')).toBe('high');
    await toast.getByRole('button', { name: /^Take Action/ }).click();
    await page.waitForURL(/\/tasks\?new=1/);
    const dialog = page.getByRole('dialog', { name: 'New task' });
    expect(await dialog.getByLabel('Title').inputValue()).toBe('Ask Jennifer Park for referral');
    expect(await dialog.getByLabel('Priority').inputValue()).toBe('high');
    expect(await dialog.getByLabel('Deal').inputValue()).toBe(String(dealId));
    await dialog.getByRole('button', { name: 'Create task' }).click();
    await page.getByTestId('task-row').filter({ hasText: 'Ask Jennifer Park for referral' }).waitFor();

    await page.setViewportSize({ width: 1280, height: 860 });
    // The list view totals.
    await page.goto('/deals?view=list');
    await expect.poll(() => page.getByTestId('deal-total').textContent()).toBe('$350,000');
    assertNoConsoleErrors(ana);
  });

  it('saves coach settings to the server; they persist after a reload', async () => {
    const { page } = ana;
    await noToast(page);
    await page.getByRole('link', { name: 'Settings' }).first().click();
    await page.getByRole('radio', { name: 'Active' }).click();
    await expect.poll(() => page.getByTestId('settings-status').textContent()).toMatch(/Saved/);
    const stale = page.getByLabel('Stale lead alert (days)');
    await stale.fill('45');
    expect(await stale.getAttribute('aria-invalid')).toBe('true');
    await stale.fill('10');
    await stale.press('Enter');
    await page.getByLabel('Stuck deal alert (days)').fill('21');
    await page.getByLabel('Stuck deal alert (days)').blur();
    await expect.poll(async () => {
      const r = await page.request.get('/api/coach/settings');
      return r.json();
    }).toEqual({
      coach_level: 3,
      coach_enabled: true,
      stale_lead_days: 10,
      stuck_deal_days: 21,
      // The hub's settings keep their defaults: every save sends them all.
      morning_push_time: '06:00',
      pace_nudges: true,
      daily_summary: true,
    });
    await page.reload();
    await expect.poll(() => page.getByRole('radio', { name: 'Active' }).getAttribute('aria-checked')).toBe('true');
    expect(await page.getByLabel('Stale lead alert (days)').inputValue()).toBe('10');
    expect(await page.getByLabel('Stuck deal alert (days)').inputValue()).toBe('21');

    await page.getByRole('switch', { name: 'Enable Coach' }).click();
    await expect.poll(() => page.getByRole('switch', { name: 'Enable Coach' }).getAttribute('aria-checked')).toBe('false');
    await page.reload();
    await expect.poll(() => page.getByRole('switch', { name: 'Enable Coach' }).getAttribute('aria-checked')).toBe('false');
    await page.getByRole('switch', { name: 'Enable Coach' }).click();
    await expect.poll(() => page.getByTestId('settings-status').textContent()).toMatch(/Saved/);
    assertNoConsoleErrors(ana);
  });

  it('has no serious accessibility violations on the main pages, light and dark, and screenshots them', async () => {
    const { page } = ana;
    await noToast(page);
    const pages = [
      ['today', '/today'],
      ['contacts', '/contacts'],
      ['contact', `/contacts/${contactId}`],
      ['deals', '/deals'],
      ['deals-list', '/deals?view=list'],
      ['tasks', '/tasks'],
      ['settings', '/settings'],
    ] as const;
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      for (const [name, url] of pages) {
        await page.goto(url);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle').catch(() => undefined);
        await noToast(page);
        await expectAccessible(page, `${name} (${theme})`);
        await screenshot(page, theme === 'light' ? name : `${name}-dark`, name !== 'deals');
      }
    }
    await setTheme(page, 'light');
    assertNoConsoleErrors(ana);
  });

  it('fits a phone screen', async () => {
    const phone = await newGuardedPage(browser, { width: 390, height: 844 });
    await login(phone.page, USERS.ana.email, USERS.ana.password);
    for (const [name, url] of [
      ['today', '/today'],
      ['contacts', '/contacts'],
      ['tasks', '/tasks'],
      ['settings', '/settings'],
    ] as const) {
      await phone.page.goto(url);
      await phone.page.getByRole('heading', { level: 1 }).waitFor();
      await noToast(phone.page);
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} scrolls sideways on a phone`).toBeLessThanOrEqual(0);
      await screenshot(phone.page, `phone-${name}`);
    }
    await phone.page.getByRole('button', { name: 'Open menu' }).click();
    await phone.page.getByRole('link', { name: 'Deals' }).click();
    await phone.page.waitForURL(/\/deals$/);
    await expectAccessible(phone.page, 'deals (phone)');
    await screenshot(phone.page, 'phone-deals', false);
    assertNoConsoleErrors(phone);
    await phone.context.close();
  });

  it("keeps another officer out of Ana's contact, even by URL", async () => {
    const ben = await newGuardedPage(browser);
    await login(ben.page, USERS.ben.email, USERS.ben.password);
    ben.allow.push(new RegExp(`/api/contacts/${contactId}\\b.*404|404.*\\/api\\/contacts\\/${contactId}\\b`));
    await ben.page.goto(`/contacts/${contactId}`);
    await ben.page.getByTestId('not-found').waitFor();
    expect(await ben.page.getByText('Contact not found').isVisible()).toBe(true);
    expect(await ben.page.getByText('Jennifer Park').count()).toBe(0);
    expect((await ben.page.request.get(`/api/contacts/${contactId}`)).status()).toBe(404);
    await ben.page.goto('/contacts');
    await expect.poll(() => ben.page.getByText('No contacts match').isVisible()).toBe(true);
    await screenshot(ben.page, 'other-officer-not-found');
    assertNoConsoleErrors(ben);
    await ben.context.close();
  });

  it('sends an expired session back to the login page, then logs out', async () => {
    const { page, context } = ana;
    await page.goto('/tasks');
    await page.getByRole('heading', { name: 'Tasks' }).waitFor();
    await context.clearCookies(); // the server forgets us, as after 14 days
    ana.allow.push(/401/);
    // The next request the page makes finds the session gone: a click here,
    // unless a background refresh got there first.
    if (!/\/login$/.test(page.url()))
      await page.getByRole('button', { name: 'Completed' }).click({ timeout: 5000 }).catch(() => undefined);
    await page.waitForURL(/\/login$/);
    await expect.poll(() => page.getByText('Your session has ended').isVisible()).toBe(true);
    // Logging in again returns to where the session ended.
    await login(page, USERS.ana.email, USERS.ana.password, /\/tasks(\?filter=completed)?$/);
    await page.getByRole('button', { name: 'Log out' }).first().click();
    await page.waitForURL(/\/login$/);
    await page.goto('/today');
    await page.waitForURL(/\/login$/);
    assertNoConsoleErrors(ana);
  });
});
