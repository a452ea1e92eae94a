// Pattern findings, end to end: an officer with no history sees the honest
// empty state; half a year of calls with a planted Tuesday/Thursday lift
// (the server's tests/integration/coach_test.cc CallHistory) is seeded
// through POST /api/activities/bulk; "Refresh now" finds the best days; the
// Patterns page shows the claim with its evidence and per-weekday table; the
// coach's pattern toast explains itself under "Why am I seeing this?"; the
// page passes axe in light and dark and fits a phone. Best days come three
// ways: another officer's half year, in which appointments (10% of calls, 25%
// on Tuesdays and Thursdays) peak while answers stay flat, gives a card for
// setting appointments only, with its own evidence, table and toast.
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

const TZ = 'America/Chicago'; // the e2e officers' time zone (global-setup.ts)
const DAY_MS = 86_400_000;

let browser: Browser;
let cal: Guarded;
let fay: Guarded;

// The calendar date, weekday (1 = Monday … 7 = Sunday) and UTC offset of an instant in TZ.
function local(t: number) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: TZ,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) + 1;
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(parts.timeZoneName);
  const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return { y: Number(parts.year), mo: Number(parts.month), d: Number(parts.day), weekday, offsetMin };
}

// 12 calls each weekday at 10:00 local over the last 175 days, their
// outcomes from `outcomes` (given the weekday and this week's share of the
// rounding). As CallHistory in the server's coach_test.cc: the rounding is
// spread over the weeks, not the weekdays (which would plant a pattern of its own).
function seededCalls(now: number, outcomes: (weekday: number, spread: number) => string[]) {
  const calls: { type: 'call'; outcome: string; occurred_at: string }[] = [];
  for (let back = 1; back <= 175; ++back) {
    const day = local(now - back * DAY_MS);
    if (day.weekday > 5) continue;
    const asUtc = Date.UTC(day.y, day.mo - 1, day.d, 10, 0);
    const at = asUtc - local(asUtc).offsetMin * 60_000; // 10:00 in TZ
    outcomes(day.weekday, (Math.floor(back / 7) % 5) / 5).forEach((outcome, i) =>
      calls.push({ type: 'call', outcome, occurred_at: new Date(at + i * 60_000).toISOString() }),
    );
  }
  return calls;
}

const lifted = (weekday: number, base: number, lift: number) => base + (weekday === 2 || weekday === 4 ? lift : 0);

// Answered at `base`, plus `lift` on Tuesdays and Thursdays.
function callHistory(now: number, base: number, lift: number) {
  return seededCalls(now, (weekday, spread) => {
    const answered = Math.floor(lifted(weekday, base, lift) * 12 + spread);
    return Array.from({ length: 12 }, (_, i) => (i < answered ? 'answered' : 'no_answer'));
  });
}

// An appointment set at `base`, plus `lift` on Tuesdays and Thursdays, while
// half the calls reach someone every day: the answer rate plants nothing.
function appointmentHistory(now: number, base: number, lift: number) {
  return seededCalls(now, (weekday, spread) => {
    const set = Math.floor(lifted(weekday, base, lift) * 12 + spread);
    const reached = Math.max(set, 6);
    return Array.from({ length: 12 }, (_, i) => (i < set ? 'appointment_set' : i < reached ? 'answered' : 'no_answer'));
  });
}

async function csrf(page: Page): Promise<string> {
  const me = await (await page.request.get('/api/me')).json();
  return me.csrf_token;
}

beforeAll(async () => {
  browser = await launch();
  cal = await newGuardedPage(browser);
  fay = await newGuardedPage(browser);
});

afterEach((ctx) => screenshotIfFailed(ctx, cal));

afterAll(async () => {
  await browser?.close();
});

// A sentence such as "Tuesday: 45% of 300 calls answered vs 25% of 1,200 on
// your other days (+20 points, 95% interval +14 to +26)."
const NUM = String.raw`\d[\d,]*(?:\.\d+)?`;
const dayEvidence = (day: string, what = 'answered') =>
  new RegExp(
    String.raw`^${day}: ${NUM}% of ${NUM} calls ${what} vs ${NUM}% of ${NUM} on all your other days \(\+${NUM} points, 95% interval \+${NUM} to \+${NUM}\)\.$`,
  );
// Every weekday is tested for answers, appointments and applications at once.
const TESTED = 'Tested 15 weekday comparisons (answers, appointments and applications on each weekday); false-discovery rate controlled at 5%.';

describe('Patterns', () => {
  it('says nothing rather than guess when there is no history', async () => {
    const { page } = cal;
    await login(page, USERS.cal.email, USERS.cal.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patterns' }).click();
    await page.waitForURL(/\/patterns$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Patterns');
    const empty = page.getByTestId('patterns-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain(
      "Not enough evidence yet" + "Patterns appear only when your history supports them — we'd rather say nothing than guess.",
    );
    expect(await page.getByTestId('pattern-card').count()).toBe(0);
    expect(await page.getByTestId('patterns-meta').textContent()).toMatch(/last 180 days .*Computed /);
    await expectAccessible(page, 'patterns empty (light)');
    await screenshot(page, 'patterns-empty');
    assertNoConsoleErrors(cal);
  });

  it('finds the planted best days after seeding half a year of calls and refreshing, with the evidence', async () => {
    const { page } = cal;
    const calls = callHistory(Date.now(), 0.25, 0.2);
    expect(calls.length).toBeGreaterThan(1000);
    const seeded = await page.request.post('/api/activities/bulk', { data: calls, headers: { 'X-CSRF-Token': await csrf(page) } });
    expect(seeded.status(), await seeded.text()).toBe(201);
    expect((await seeded.json()).created).toBe(calls.length);

    // Stored findings are served until a refresh: still nothing.
    await page.reload();
    await page.getByTestId('patterns-empty').waitFor();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    // The best days, and the pace of those calls (a description, never a toast).
    await expect.poll(() => page.getByTestId('patterns-status').textContent()).toBe('Refreshed: 2 findings.');
    const pace = page.locator('[data-testid="pattern-card"][data-kind="pace"]');
    await pace.waitFor();
    expect(await pace.textContent()).toContain('Your usual pace');
    expect(await pace.getByTestId('pattern-message').textContent()).toMatch(/you usually make 12 calls by 11 AM/);

    const card = page.locator('[data-testid="pattern-card"][data-kind="best_days"]');
    await card.waitFor();
    expect(await card.getByRole('heading', { level: 2 }).textContent()).toBe('Your best days to call');
    expect(await card.getByTestId('pattern-message').textContent()).toMatch(/^Your best days are Tuesdays and Thursdays: .*\d+% .*\d+%/);
    const evidence = await card.getByTestId('pattern-evidence').getByRole('listitem').allTextContents();
    expect(evidence).toHaveLength(3);
    expect(evidence[0]).toMatch(dayEvidence('Tuesday'));
    expect(evidence[1]).toMatch(dayEvidence('Thursday'));
    expect(evidence[2]).toBe(TESTED);

    // The numbers behind it: a real table with a caption, every weekday.
    const table = card.getByRole('table', { name: /Answer rate by weekday/ });
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(7);
    const tuesday = await rows.filter({ has: page.getByRole('rowheader', { name: /^Tuesday/ }) }).locator('td').allTextContents();
    expect(tuesday[0]).toMatch(/^\d+$/); // calls
    expect(tuesday[2]).toMatch(/^\d+% *$/); // the rate as text beside its bar
    expect(tuesday[3]).toMatch(/^\d+%$/); // adjusted
    expect(await rows.filter({ hasText: 'best' }).count()).toBe(2);
    expect(await rows.filter({ has: page.getByRole('rowheader', { name: /^Sunday/ }) }).textContent()).toMatch(/no calls/);
    expect(await page.getByTestId('patterns-meta').textContent()).toMatch(
      /^Based on your calls over the last 180 days \(\w{3} \d+, \d{4} to \w{3} \d+, \d{4}\)\. Computed .*\(just now\)\.$/,
    );

    // "How this was tested" opens the method and p/q values.
    await card.getByText('How this was tested').click();
    await expect.poll(() => card.getByText(/^Tuesday: p [<=] [\d.]+, q [<=] [\d.]+$/).isVisible()).toBe(true);
    assertNoConsoleErrors(cal);
  });

  it("explains the coach's pattern toast under \"Why am I seeing this?\", by keyboard too", async () => {
    const { page } = cal;
    // The refresh re-evaluated the pattern insights: the tip is pushed live.
    const toast = await waitForToast(page, /best days are Tuesdays and Thursdays/);
    expect(await toast.getAttribute('data-priority')).toBe('medium');
    const why = toast.getByRole('button', { name: 'Why am I seeing this?' });
    expect(await why.getAttribute('aria-expanded')).toBe('false');
    expect(await toast.getByTestId('why-panel').isVisible()).toBe(false);
    await why.focus();
    await page.keyboard.press('Enter');
    expect(await why.getAttribute('aria-expanded')).toBe('true');
    const panel = toast.getByTestId('why-panel');
    expect(await panel.isVisible()).toBe(true);
    expect(await why.getAttribute('aria-controls')).toBe(await panel.getAttribute('id'));
    const text = (await panel.locator('p').allTextContents()).map((s) => s.trim());
    expect(text[0]).toMatch(dayEvidence('Tuesday'));
    expect(text[1]).toMatch(dayEvidence('Thursday'));
    expect(text[2]).toBe(TESTED);
    expect(text[3]).toMatch(/^Based on your calls over the last 180 days\. Computed .+\.$/);
    await expectAccessible(page, 'patterns with the toast explained');
    await screenshot(page, 'patterns-why-toast', false);
    await page.keyboard.press('Space');
    expect(await why.getAttribute('aria-expanded')).toBe('false');
    expect(await panel.isVisible()).toBe(false);
    // Open, the evidence keeps the toast from timing out while it is read.
    await page.keyboard.press('Enter');
    expect(await why.getAttribute('aria-expanded')).toBe('true');

    // The Today page's coach list explains it as well.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
    const coach = page.getByRole('region', { name: 'Coach' });
    const listed = coach.getByRole('listitem').filter({ hasText: 'Tuesdays and Thursdays' });
    await listed.waitFor();
    const listedWhy = listed.getByRole('button', { name: 'Why am I seeing this?' });
    await listedWhy.click();
    expect(await listedWhy.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => listed.getByTestId('why-panel').textContent()).toMatch(/Tuesday: \d+% of/);

    // Take Action goes to the finding on the Patterns page.
    expect(await toast.isVisible()).toBe(true);
    await toast.getByRole('button', { name: 'Take Action: See patterns' }).click();
    await page.waitForURL(/\/patterns\?kind=best_days&subject=calls$/);
    await expect.poll(() => page.locator('[data-testid="pattern-card"][data-kind="best_days"]').getAttribute('class')).toMatch(/ring-2/);
    assertNoConsoleErrors(cal);
  });

  it('has no serious accessibility violations on the Patterns page, light and dark', async () => {
    const { page } = cal;
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await page.goto('/patterns');
      await page.locator('[data-testid="pattern-card"][data-kind="best_days"]').waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await noToast(page);
      await page.locator('[data-testid="pattern-card"][data-kind="best_days"]').getByText('How this was tested').click();
      await expectAccessible(page, `patterns (${theme})`);
      await screenshot(page, theme === 'light' ? 'patterns' : 'patterns-dark');
    }
    await setTheme(page, 'light');
    assertNoConsoleErrors(cal);
  });

  it('fits a phone screen', async () => {
    const phone = await newGuardedPage(browser, { width: 390, height: 844 });
    await login(phone.page, USERS.cal.email, USERS.cal.password);
    await phone.page.goto('/patterns');
    await phone.page.locator('[data-testid="pattern-card"][data-kind="best_days"]').waitFor();
    await noToast(phone.page);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'patterns scrolls sideways on a phone').toBeLessThanOrEqual(0);
    await expectAccessible(phone.page, 'patterns (phone)');
    await screenshot(phone.page, 'phone-patterns');
    assertNoConsoleErrors(phone);
    await phone.context.close();
  });
});

describe('Best days for appointments', () => {
  afterEach((ctx) => screenshotIfFailed(ctx, fay));

  const card = (page: Page) => page.locator('[data-testid="pattern-card"][data-kind="best_days"][data-subject="appointments"]');

  it('finds the days that set appointments, not the days that answer, with the evidence in those words', async () => {
    const { page } = fay;
    await login(page, USERS.fay.email, USERS.fay.password);
    const calls = appointmentHistory(Date.now(), 0.1, 0.15);
    const seeded = await page.request.post('/api/activities/bulk', { data: calls, headers: { 'X-CSRF-Token': await csrf(page) } });
    expect(seeded.status(), await seeded.text()).toBe(201);
    await page.goto('/patterns');
    await page.getByTestId('patterns-empty').waitFor();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    // Appointments and the pace; the answer rate was the same every day.
    await expect.poll(() => page.getByTestId('patterns-status').textContent()).toBe('Refreshed: 2 findings.');
    await card(page).waitFor();
    expect(await page.locator('[data-testid="pattern-card"][data-kind="best_days"]').count()).toBe(1);

    expect(await card(page).getByRole('heading', { level: 2 }).textContent()).toBe('Your best days to set appointments');
    expect(await card(page).getByTestId('pattern-message').textContent()).toMatch(
      /^Your best days for setting appointments are Tuesdays and Thursdays: 25% of your calls set an appointment \(or took an application\) then, versus 10% on other days/,
    );
    const evidence = await card(page).getByTestId('pattern-evidence').getByRole('listitem').allTextContents();
    expect(evidence).toEqual([
      'Tuesday: 25% of 300 calls set an appointment vs 14% of 1,200 on all your other days (+11 points, 95% interval +6.2 to +17).',
      'Thursday: 25% of 300 calls set an appointment vs 14% of 1,200 on all your other days (+11 points, 95% interval +6.2 to +17).',
      TESTED,
    ]);

    // The table counts appointments, not answers.
    const table = card(page).getByRole('table', { name: /^Appointment rate by weekday/ });
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Day', 'Calls', 'Appointments', 'RateAppointment rate', 'Adj.Adjusted']);
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(7);
    const row = async (day: string) => (await rows.filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${day}`) }) }).locator('td').allTextContents()).map((t) => t.trim());
    expect(await row('Tuesday')).toEqual(['300', '75', '25%', '24%']);
    expect(await row('Monday')).toEqual(['300', '30', '10%', '10%']);
    expect(await rows.filter({ hasText: 'best' }).count()).toBe(2);
    expect(await card(page).getByText(/^Appointments: the call set an appointment or took an application\. Adjusted: /).isVisible()).toBe(true);
    assertNoConsoleErrors(fay);
  });

  it("explains the appointments toast in the same words, and Take Action highlights that card", async () => {
    const { page } = fay;
    const toast = await waitForToast(page, /^Your best days for setting appointments are Tuesdays and Thursdays/);
    await toast.getByRole('button', { name: 'Why am I seeing this?' }).click();
    const text = (await toast.getByTestId('why-panel').locator('p').allTextContents()).map((s) => s.trim());
    expect(text[0]).toBe('Tuesday: 25% of 300 calls set an appointment vs 14% of 1,200 on all your other days (+11 points, 95% interval +6.2 to +17).');
    expect(text[1]).toMatch(dayEvidence('Thursday', 'set an appointment'));
    expect(text[2]).toBe(TESTED);
    expect(text[3]).toMatch(/^Based on your calls over the last 180 days\. Computed .+\.$/);
    await toast.getByRole('button', { name: 'Take Action: See patterns' }).click();
    await page.waitForURL(/\/patterns\?kind=best_days&subject=appointments$/);
    await expect.poll(() => card(page).getAttribute('class')).toMatch(/ring-2/);
    assertNoConsoleErrors(fay);
  });

  it('has no serious accessibility violations with the appointments card, light and dark', async () => {
    const { page } = fay;
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await page.goto('/patterns');
      await card(page).waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await noToast(page);
      await card(page).getByText('How this was tested').click();
      await expectAccessible(page, `patterns, appointments (${theme})`);
      await screenshot(page, theme === 'light' ? 'patterns-appointments' : 'patterns-appointments-dark');
    }
    await setTheme(page, 'light');
    assertNoConsoleErrors(fay);
  });
});
