// When to call a lead, end to end, in the org "E2E Hours" (users.ts), which
// no other test uses. The officer (in Chicago, working 9 to 5 on weekdays)
// creates a lead in New York and logs eight weeks of calls to her through
// POST /api/activities/bulk: each week one at 2:05 PM her time, answered
// but once, and one at 10 AM, never answered (as ABestTimeToCallComesFrom-
// TheContactsOwnHistoryInTheirTimeZone in the server's coach_test.cc).
// "Refresh now" shows the When to call card: her name linking to her page,
// 2 PM her time and 1 PM his, when that hour next comes on his clock, and
// the evidence in words. His org has only those 16 calls, too few to pull
// her hours toward, and the card says her rates are her own. The coach's
// tip explains itself from her calls, not "your calls over 180 days"; the
// name leads to her page; ?kind= highlights the card; the page passes axe
// in light and dark and fits a phone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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

const NY = 'America/New_York';
const DAY_MS = 86_400_000;

let browser: Browser;
let gus: Guarded;
let jen = 0; // her contact id

// The calendar date and UTC offset (minutes) of an instant in `tz`.
function local(t: number, tz: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', timeZoneName: 'longOffset' })
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(parts.timeZoneName);
  const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return { y: Number(parts.year), mo: Number(parts.month), d: Number(parts.day), offsetMin };
}

// hh:mm in `tz` on the calendar day of instant `t` there, as an ISO instant.
function at(t: number, tz: string, h: number, min: number): string {
  const day = local(t, tz);
  const asUtc = Date.UTC(day.y, day.mo - 1, day.d, h, min);
  return new Date(asUtc - local(asUtc, tz).offsetMin * 60_000).toISOString();
}

// Eight weeks back: 2:05 PM her time answered (but in week 3), 10 AM never.
function calls(contactId: number, now: number) {
  const out: { type: 'call'; contact_id: number; outcome: string; occurred_at: string }[] = [];
  for (let week = 1; week <= 8; ++week) {
    const day = now - week * 7 * DAY_MS;
    out.push({ type: 'call', contact_id: contactId, outcome: week === 3 ? 'no_answer' : 'answered', occurred_at: at(day, NY, 14, 5) });
    out.push({ type: 'call', contact_id: contactId, outcome: 'no_answer', occurred_at: at(day, NY, 10, 0) });
  }
  return out;
}

async function csrf(page: Page): Promise<string> {
  const me = await (await page.request.get('/api/me')).json();
  return me.csrf_token;
}

const card = (page: Page) => page.locator('[data-testid="pattern-card"][data-kind="best_call_time"]');

// Her rates are her own: 16 calls in the whole org are too few to pull toward.
const OWN = "Their own answer rate at each hour, not pulled toward yours or your org's: your org has logged only 0 calls besides theirs in the last 180 days, too few to go on (20 are needed).";

beforeAll(async () => {
  browser = await launch();
  gus = await newGuardedPage(browser);
});

afterEach((ctx) => screenshotIfFailed(ctx, gus));

afterAll(async () => {
  await browser?.close();
});

describe('When to call', () => {
  it("names the hour a lead answers, on her clock and the officer's, with the evidence, after a refresh", async () => {
    const { page } = gus;
    await login(page, USERS.gus.email, USERS.gus.password);
    // His working hours cover 1 PM in Chicago, 2 PM in New York.
    const me = await (await page.request.get('/api/me')).json();
    expect(me.timezone).toBe('America/Chicago');
    expect(me.working_hours).toEqual({ start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] });
    await page.goto('/patterns');
    await page.getByTestId('patterns-empty').waitFor();

    const token = await csrf(page);
    const created = await page.request.post('/api/contacts', {
      data: { name: 'Jen Early', status: 'LEAD', timezone: NY },
      headers: { 'X-CSRF-Token': token },
    });
    expect(created.status(), await created.text()).toBe(201);
    jen = (await created.json()).id;
    const logged = calls(jen, Date.now());
    const seeded = await page.request.post('/api/activities/bulk', { data: logged, headers: { 'X-CSRF-Token': token } });
    expect(seeded.status(), await seeded.text()).toBe(201);
    expect((await seeded.json()).created).toBe(16);

    // Stored findings are served until a refresh: still nothing.
    await page.reload();
    await page.getByTestId('patterns-empty').waitFor();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect.poll(() => page.getByTestId('patterns-status').textContent()).toBe('Refreshed: 1 finding.');

    await card(page).waitFor();
    expect(await card(page).getByRole('heading', { level: 2 }).textContent()).toBe('When to call');
    const contacts = card(page).getByTestId('call-time-contact');
    expect(await contacts.count()).toBe(1);
    const link = contacts.getByRole('heading', { level: 3 }).getByRole('link', { name: 'Jen Early' });
    expect(await link.getAttribute('href')).toBe(`/contacts/${jen}`);
    // Her 2 PM is his 1 PM, next on a weekday at 1 PM on his clock.
    expect(await contacts.getByTestId('call-time-when').textContent()).toMatch(
      /^Around 2 PM their time \(1 PM yours\) · next: (Mon|Tue|Wed|Thu|Fri), \w{3} \d+, 1:00 PM \(your time\)$/,
    );
    expect(await contacts.getByTestId('call-time-evidence').getByRole('listitem').allTextContents()).toEqual([
      'They answered 7 of 8 calls made between 2 PM and 3 PM their time; 7 of 16 calls to them in all.',
      'Answer rate then: 88% (95% interval 53% to 98%), against their average of 44% over the hours you can call them that have calls to go on (this one included).',
    ]);
    expect(await card(page).getByTestId('call-time-method').textContent()).toBe(OWN);

    await card(page).getByText('How this was estimated').click();
    expect(await card(page).getByText(/^Answer rate by hour: the contact's calls shrunk toward .*at least 40 calls\)\.$/).isVisible()).toBe(true);
    expect(await card(page).getByText(/^Until your org has logged 20 calls there is nothing to pull toward: the rates above are the contact's own/).isVisible()).toBe(true);
    expect(await card(page).getByText(/^An hour is named only when at least 5 calls went to the contact/).isVisible()).toBe(true);
    assertNoConsoleErrors(gus);
  });

  it("explains the coach's call tip from her calls, not from 180 days of his", async () => {
    const { page } = gus;
    // The refresh re-evaluated the pattern insights: the tip is pushed live.
    const toast = await waitForToast(page, /^Call Jen Early around 2 PM their time: they answered 7 of 8 calls then/);
    const why = toast.getByRole('button', { name: 'Why am I seeing this?' });
    await why.click();
    expect(await why.getAttribute('aria-expanded')).toBe('true');
    const text = (await toast.getByTestId('why-panel').locator('p').allTextContents()).map((s) => s.trim());
    expect(text).toHaveLength(4);
    expect(text[0]).toBe('Of the 16 calls logged with them, 7 were answered; the coach singles out the hour between 2 PM and 3 PM their time.');
    expect(text[1]).toBe(
      'The coach names this hour because the 95% interval of its answer rate lies above their average of 44% over the hours you can call them that have calls to go on (this one included).',
    );
    expect(text[2]).toBe(OWN);
    expect(text[3]).toMatch(/^Based on every call logged with this contact, by the hour of their day\. Computed .+\.$/);
    // Its action is the call, on her page.
    expect(await toast.getByRole('button', { name: 'Take Action: Log a call' }).isVisible()).toBe(true);
    await expectAccessible(page, 'patterns with the call tip explained');
    await screenshot(page, 'patterns-call-time-why', false);
    await toast.getByRole('button', { name: 'Dismiss', exact: true }).click();
    assertNoConsoleErrors(gus);
  });

  it('leads from her name to her page, which names the same hour', async () => {
    const { page } = gus;
    await noToast(page);
    await card(page).getByRole('link', { name: 'Jen Early' }).click();
    await page.waitForURL(new RegExp(`/contacts/${jen}$`));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Jen Early');
    await expect.poll(() => page.getByTestId('best-time-message').textContent()).toMatch(/^Call Jen Early around 2 PM their time: they answered 7 of 8 calls then/);
    assertNoConsoleErrors(gus);
  });

  it('highlights the card a link names', async () => {
    const { page } = gus;
    await page.goto('/patterns?kind=best_call_time');
    await expect.poll(() => card(page).getAttribute('class')).toMatch(/ring-2/);
    await page.goto('/patterns?kind=best_days');
    await card(page).waitFor();
    expect(await card(page).getAttribute('class')).not.toMatch(/ring-2/);
    assertNoConsoleErrors(gus);
  });

  it('has no serious accessibility violations with the card, light and dark', async () => {
    const { page } = gus;
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await page.goto('/patterns');
      await card(page).waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await noToast(page);
      await card(page).getByText('How this was estimated').click();
      await expectAccessible(page, `patterns, when to call (${theme})`);
      await screenshot(page, theme === 'light' ? 'patterns-call-time' : 'patterns-call-time-dark');
    }
    await setTheme(page, 'light');
    assertNoConsoleErrors(gus);
  });

  it('fits a phone screen', async () => {
    const phone = await newGuardedPage(browser, { width: 390, height: 844 });
    await login(phone.page, USERS.gus.email, USERS.gus.password);
    await phone.page.goto('/patterns');
    await card(phone.page).waitFor();
    await noToast(phone.page);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'patterns scrolls sideways on a phone').toBeLessThanOrEqual(0);
    await expectAccessible(phone.page, 'patterns, when to call (phone)');
    await screenshot(phone.page, 'phone-patterns-call-time');
    assertNoConsoleErrors(phone);
    await phone.context.close();
  });
});
