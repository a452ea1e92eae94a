// The hub's monthly view, end to end: the 90-day cycle, trends with their
// direction (30 calls against 12 is up), a goal recommendation applied with
// one click, the month's achievements, the printable report in a new tab,
// and the team roll-up for the team's manager (never for an officer).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  apiCall,
  assertNoConsoleErrors,
  expectAccessible,
  launch,
  login,
  newGuardedPage,
  noToast,
  screenshot,
  screenshotIfFailed,
  setTheme,
  type Guarded,
} from './helpers';
import { USERS } from './users';

let browser: Browser;
let mona: Guarded;
let max: Guarded | undefined;

beforeAll(async () => {
  browser = await launch();
  mona = await newGuardedPage(browser);
});

afterEach(async (ctx) => {
  await screenshotIfFailed(ctx, mona);
  await screenshotIfFailed(ctx, max);
});

afterAll(async () => {
  await browser?.close();
});

// Dates in Chicago (the e2e users' zone).
const chicagoToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date());
function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const dow = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(date, -dow);
}

describe('the monthly view', () => {
  it('shows the cycle, trends with direction and the month goals', async () => {
    const { page } = mona;
    await login(page, USERS.mona.email, USERS.mona.password);
    await noToast(page);
    // Four complete weeks of calls: 10, 10, 12, then 30 last week (Tuesdays, 10 AM Chicago).
    const monday = mondayOf(chicagoToday());
    const calls = [];
    for (const [weeksAgo, n] of [[4, 10], [3, 10], [2, 12], [1, 30]] as const) {
      const tuesday = addDays(monday, -7 * weeksAgo + 1);
      for (let i = 0; i < n; i++) calls.push({ type: 'call', outcome: 'answered', occurred_at: `${tuesday}T16:${String(i).padStart(2, '0')}:00Z` });
    }
    await apiCall(page, 'POST', '/api/activities/bulk', calls);
    await apiCall(page, 'PUT', '/api/goals', { metric: 'calls', period: 'week', target: 5 });
    await apiCall(page, 'PUT', '/api/goals', { metric: 'calls', period: 'cycle', target: 400 });

    await page.getByRole('navigation', { name: 'Hub views' }).getByRole('link', { name: 'Month' }).click();
    await page.waitForURL(/\/month$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('This month');
    const month = await apiCall(page, 'GET', '/api/hub/month');
    await expect.poll(() => page.getByTestId('cycle-day').textContent()).toBe(`Day ${month.cycle.day} of 91`);
    expect(await page.getByTestId('cycle-elapsed').textContent()).toBe(`${month.cycle.elapsed_percent}%`);
    expect(await page.getByTestId('cycle-progress').textContent()).toMatch(/^\d+%$/);

    const calls_ = page.getByTestId('trends').getByTestId('trend-calls');
    expect(await calls_.getAttribute('data-direction')).toBe('up');
    expect(await calls_.textContent()).toMatch(/Up: \+18 \(\+150%\)/);
    expect(await page.getByTestId('trends').getByTestId('trend-posts').getAttribute('data-direction')).toBe('steady');
    await page.getByRole('button', { name: 'Month over month' }).click();
    expect(await page.getByTestId('trends').textContent()).toMatch(/Last complete month/);
    await page.getByRole('button', { name: 'Week over week' }).click();
    // An officer sees no team roll-up (and asks for none).
    expect(await page.getByTestId('team-rollup').count()).toBe(0);
    assertNoConsoleErrors(mona);
  });

  it('applies a recommended goal with one click', async () => {
    const { page } = mona;
    const month = await apiCall(page, 'GET', '/api/hub/month');
    const rec = month.recommendations.find((r: any) => r.metric === 'calls' && r.period === 'week');
    expect(rec.action).toBe('raise');
    expect(rec.suggested_target).toBeGreaterThan(5);
    const row = page.getByTestId('recommendations').getByTestId('recommendation-calls-week');
    expect(await row.textContent()).toContain(rec.reason);
    expect(await row.textContent()).toMatch(new RegExp(`5\\s*→\\s*${rec.suggested_target}`));
    await row.getByRole('button', { name: new RegExp(`^Apply: set the weekly calls goal to ${rec.suggested_target}$`) }).click();
    await expect.poll(() => row.getByText('Applied').isVisible()).toBe(true);
    const goals = await apiCall(page, 'GET', '/api/goals');
    expect(goals.items.find((g: any) => g.metric === 'calls' && g.period === 'week').target).toBe(rec.suggested_target);
    assertNoConsoleErrors(mona);
  });

  it("lists the month's achievements", async () => {
    const { page } = mona;
    await apiCall(page, 'PUT', '/api/goals', { metric: 'posts', period: 'month', target: 1 });
    await apiCall(page, 'POST', '/api/activities', { type: 'video_post', topic: 'VA loans' });
    await page.getByTestId('celebration').waitFor({ timeout: 10_000 });
    await page.getByTestId('celebration').getByRole('button', { name: 'Close celebration' }).click();
    await page.reload();
    await expect.poll(() => page.getByTestId('achievements').textContent()).toMatch(/Goal reached/);
    assertNoConsoleErrors(mona);
  });

  it('opens the printable report in a new tab', async () => {
    const { page, context } = mona;
    const link = page.getByTestId('printable-report');
    expect(await link.getAttribute('target')).toBe('_blank');
    const [report] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await report.waitForLoadState();
    expect(report.url()).toMatch(/\/api\/hub\/reports\/monthly\?month=\d{4}-\d{2}&format=html$/);
    expect(await report.textContent('body')).toContain('Mona Diaz');
    await report.close();
    assertNoConsoleErrors(mona);
  });

  it('has no serious accessibility violations, light and dark', async () => {
    const { page } = mona;
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await page.reload();
      await page.getByTestId('cycle').waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await noToast(page);
      await expectAccessible(page, `month (${theme})`);
      await screenshot(page, theme === 'light' ? 'hub-month' : 'hub-month-dark');
    }
    await setTheme(page, 'light');
    assertNoConsoleErrors(mona);
  });

  it("shows the manager the team's roll-up with a printable team report", async () => {
    max = await newGuardedPage(browser);
    const { page, context } = max;
    await login(page, USERS.max.email, USERS.max.password);
    await noToast(page);
    await page.goto('/month');
    const rollup = page.getByTestId('team-rollup');
    await expect.poll(() => rollup.getByRole('heading').textContent()).toBe('Team roll-up: Coral');
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date()).slice(0, 7);
    const team = await apiCall(page, 'GET', `/api/hub/reports/team?month=${month}`);
    const monaRow = rollup.getByRole('row', { name: /Mona Diaz/ });
    const calls = team.members.find((m: any) => m.name === 'Mona Diaz').metrics.calls;
    expect(await monaRow.textContent()).toContain(String(calls));
    expect(await rollup.getByRole('row').count()).toBe(team.members.length + 2); // header and total
    await expectAccessible(page, 'month (manager)');
    await screenshot(page, 'hub-month-manager');
    const [report] = await Promise.all([context.waitForEvent('page'), rollup.getByRole('link', { name: 'Printable team report' }).click()]);
    await report.waitForLoadState();
    expect(report.url()).toMatch(/\/api\/hub\/reports\/team\?month=\d{4}-\d{2}&format=html$/);
    expect(await report.textContent('body')).toContain('Mona Diaz');
    await report.close();
    assertNoConsoleErrors(max);
  });
});
