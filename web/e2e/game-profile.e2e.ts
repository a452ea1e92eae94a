// The game profile and a live celebration, end to end: a fresh officer's
// profile (Rookie, no points, every badge locked with its progress, no
// streak yet); their first application logged in another request unlocks
// "First application" with a celebration (its own icon and a link to the
// badges) while the profile moves live (points, level, badge, streak,
// ledger); a missed working day is frozen, and the server's 409 and 400
// answers show.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  apiCall,
  assertNoConsoleErrors,
  chicagoDate,
  closeCelebrations,
  expectAccessible,
  launch,
  login,
  newGuardedPage,
  noToast,
  screenshot,
  screenshotIfFailed,
  setTheme,
  waitForStream,
  type Guarded,
} from './helpers';
import { USERS } from './users';

let browser: Browser;
let pia: Guarded;

beforeAll(async () => {
  browser = await launch();
  pia = await newGuardedPage(browser);
  // The freeze answers refused on purpose.
  pia.allow.push(/status of 409/, /status of 400/);
});

afterEach((ctx) => screenshotIfFailed(ctx, pia));

afterAll(async () => {
  await browser?.close();
});

const badge = (key: string) => pia.page.locator(`[data-testid="badge"][data-key="${key}"]`);

const weekday = (date: string) => {
  const w = new Date(`${date}T12:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
};
// The working days (Monday to Friday) of the last 7 days, latest first.
const workingDaysInWindow = () =>
  [1, 2, 3, 4, 5, 6, 7].map((i) => chicagoDate(-i)).filter((d) => weekday(d) <= 5);

describe('the game profile', () => {
  it('opens fresh: Rookie, no points, every badge locked with its progress, no streak yet', async () => {
    const { page } = pia;
    await login(page, USERS.pia.email, USERS.pia.password);
    await noToast(page);
    await page.getByRole('link', { name: 'Achievements' }).first().click();
    await page.waitForURL(/\/profile$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your profile');
    const level = page.getByTestId('level-card');
    await expect.poll(() => level.getAttribute('data-level')).toBe('1');
    expect(await page.getByTestId('level-name').textContent()).toBe('Level 1: Rookie');
    expect(await page.getByTestId('level-to-go').textContent()).toMatch(/^250 points to Prospector \(level 2\)$/);
    expect(await page.getByTestId('points-balance').textContent()).toBe('0');
    expect(await page.getByTestId('points-lifetime').textContent()).toBe('0');
    expect(await page.getByTestId('badges-count').textContent()).toBe('0 of 8 earned');
    expect(await page.locator('[data-testid="badge"][data-earned="false"]').count()).toBe(8);
    expect(await badge('hundred_calls_week').getByTestId('badge-progress').textContent()).toMatch(/^0 \/ 100/);
    expect(await badge('first_application').textContent()).toMatch(/Take your first loan application on a call\./);
    const streak = page.getByTestId('streak-card');
    expect(await streak.getAttribute('data-current')).toBe('0');
    expect(await page.getByTestId('streak-headline').textContent()).toBe('No streak yet');
    expect(await page.getByTestId('streak-today').textContent()).toMatch(/not yet/);
    expect(await page.getByTestId('streak-milestone').textContent()).toBe('5 more days to the 5-day milestone');
    expect(await page.getByTestId('freezes-left').textContent()).toMatch(/^2 freezes left this month\./);
    expect(await page.getByTestId('ledger').textContent()).toMatch(/No points yet/);
    // How it works: the org's points table.
    await page.getByText('How points, levels and streaks work').click();
    await expect.poll(() => page.getByTestId('how-it-works').textContent()).toMatch(/A call that took an application \(on top\)25/);
    await expectAccessible(page, 'profile (fresh)');
    await screenshot(page, 'game-profile-fresh');
    assertNoConsoleErrors(pia);
  });

  it('celebrates the first badge live when an application is logged in another request, and the profile moves', async () => {
    const { page } = pia;
    await waitForStream(page);
    await apiCall(page, 'POST', '/api/activities', { type: 'call', outcome: 'application_taken' });
    const celebration = page.getByTestId('celebration');
    await expect.poll(() => celebration.getAttribute('data-kind'), { timeout: 10_000 }).toBe('badge');
    expect(await page.getByTestId('celebration-title').textContent()).toBe('Badge unlocked: First application');
    expect(await celebration.textContent()).toMatch(/Take your first loan application on a call\./);
    expect(await celebration.getByRole('link', { name: 'See your badges' }).getAttribute('href')).toBe('/profile');
    await expectAccessible(page, 'badge celebration');
    await screenshot(page, 'game-celebration-badge', false);
    // The profile under it moved without a reload.
    await expect.poll(() => badge('first_application').getAttribute('data-earned')).toBe('true');
    expect(await badge('first_application').getByTestId('badge-earned').textContent()).toMatch(/^Earned [A-Z][a-z]{2} \d{1,2}, \d{4}$/);
    expect(await page.getByTestId('points-lifetime').textContent()).toBe('38');
    expect(await page.getByTestId('points-balance').textContent()).toBe('38');
    expect(await page.getByTestId('level-to-go').textContent()).toMatch(/^212 points to Prospector/);
    expect(await page.getByTestId('badges-count').textContent()).toBe('1 of 8 earned');
    expect(await badge('ten_conversations_day').getByTestId('badge-progress').textContent()).toMatch(/^1 \/ 10/);
    await expect.poll(() => page.getByTestId('streak-card').getAttribute('data-current')).toBe('1');
    expect(await page.getByTestId('streak-headline').textContent()).toBe('1 working day in a row');
    expect(await page.getByTestId('streak-today').textContent()).toMatch(/Today counts/);
    const row = page.getByTestId('ledger-row').first();
    await expect.poll(() => row.textContent()).toMatch(/Call, Reached someone, Appointment set, Application taken/);
    expect(await row.getByTestId('ledger-points').textContent()).toBe('+38');
    await celebration.getByRole('button', { name: 'Close celebration' }).click();
    // Stored too: the bell's item leads to the profile.
    await page.getByTestId('notification-bell').first().click();
    const item = page.getByTestId('notification-panel').getByRole('link', { name: 'Badge unlocked: First application' });
    expect(await item.getAttribute('href')).toBe('/profile');
    await page.keyboard.press('Escape');
    assertNoConsoleErrors(pia);
  });

  it("freezes a missed working day, and shows the server's 409 and 400 answers", async () => {
    const { page } = pia;
    await closeCelebrations(page);
    const [missed, called] = workingDaysInWindow();
    const date = page.getByLabel('Missed day', { exact: true });
    // Offered first: the latest working day of the window.
    expect(await date.inputValue()).toBe(missed);
    expect(await date.getAttribute('min')).toBe(chicagoDate(-7));
    expect(await date.getAttribute('max')).toBe(chicagoDate(-1));
    await page.getByRole('button', { name: 'Freeze this day' }).click();
    await expect.poll(() => page.getByTestId('freeze-done').isVisible()).toBe(true);
    const sameMonth = missed.slice(0, 7) === chicagoDate().slice(0, 7);
    await expect.poll(() => page.getByTestId('freezes-left').textContent()).toMatch(sameMonth ? /^1 freeze left this month\./ : /^2 freezes left/);
    expect(await page.getByTestId('freezes-left').textContent()).toMatch(/Frozen recently:/);
    // Again: frozen already (409).
    await date.fill(missed);
    await page.getByRole('button', { name: 'Freeze this day' }).click();
    await expect.poll(() => page.getByTestId('freeze-error').textContent()).toBe('that day is frozen already');
    // A day with a call: nothing to freeze (400).
    const d = new Date(`${called}T12:00:00-06:00`).toISOString();
    await apiCall(page, 'POST', '/api/activities', { type: 'call', outcome: 'no_answer', occurred_at: d });
    await date.fill(called);
    await page.getByRole('button', { name: 'Freeze this day' }).click();
    await expect.poll(() => page.getByTestId('freeze-error').textContent()).toBe('you called that day: there is nothing to freeze');
    // A day off is refused before the server is asked.
    const dayOff = [1, 2, 3, 4, 5, 6, 7].map((i) => chicagoDate(-i)).find((x) => weekday(x) > 5)!;
    await date.fill(dayOff);
    await page.getByRole('button', { name: 'Freeze this day' }).click();
    await expect.poll(() => page.getByText('That is not one of your working days: it cannot break a streak').isVisible()).toBe(true);
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    const profile = await apiCall(page, 'GET', '/api/game/profile');
    expect(profile.streak.recent_freezes).toEqual([missed]);
    await setTheme(page, 'dark');
    await expectAccessible(page, 'profile (dark)');
    await screenshot(page, 'game-profile-dark');
    await setTheme(page, 'light');
    await screenshot(page, 'game-profile');
    assertNoConsoleErrors(pia);
  });

  it('fits a phone: the game sections scroll, the cards stack', async () => {
    const { page } = pia;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect.poll(() => page.getByTestId('level-card').isVisible()).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'profile (phone)');
    await screenshot(page, 'game-profile-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
    assertNoConsoleErrors(pia);
  });
});
