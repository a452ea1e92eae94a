// The hub's daily view, end to end: goals set on the Goals page, the
// scoreboard moving live when a call is logged elsewhere (no refetch), the
// three must-dos with their reasons and links, the task tally, a completed
// task's celebration (no confetti under reduced motion; confetti without),
// the pace card, and accessibility in light and dark.
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
let tom: Guarded;
let hubReads = 0;

beforeAll(async () => {
  browser = await launch();
  tom = await newGuardedPage(browser);
  tom.page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/hub/today') hubReads++;
  });
});

afterEach((ctx) => screenshotIfFailed(ctx, tom));

afterAll(async () => {
  await browser?.close();
});

const score = (metric: string) => tom.page.getByTestId('scoreboard').getByTestId(`score-${metric}`);

// Today's date in Chicago (the e2e users' zone).
const chicagoToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date());

describe('the daily view', () => {
  it('opens on Today with the hub tabs, an empty scoreboard and no must-dos', async () => {
    const { page } = tom;
    await login(page, USERS.tom.email, USERS.tom.password);
    await noToast(page);
    const tabs = page.getByRole('navigation', { name: 'Hub views' });
    expect(await tabs.getByRole('link', { name: 'Today' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.getByTestId('scoreboard').textContent()).toMatch(/No daily goals yet/);
    expect(await score('calls').getAttribute('data-actual')).toBe('0');
    expect(await page.getByTestId('must-dos').textContent()).toMatch(/Nothing pressing/);
    expect(await page.getByTestId('tasks-due_today').textContent()).toMatch(/0/);
    assertNoConsoleErrors(tom);
  });

  it('sets, changes and deletes goals on the Goals page, with progress bars', async () => {
    const { page } = tom;
    await page.getByRole('link', { name: 'Goals' }).first().click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Goals');
    expect(await page.getByRole('tab', { name: 'Daily' }).getAttribute('aria-selected')).toBe('true');
    const calls = page.getByLabel('Daily target for Calls');
    await calls.fill('0');
    await page.getByRole('button', { name: /^(Set|Update) Calls goal$/ }).click();
    await expect.poll(() => page.getByText('Enter a whole number from 1 to 100,000').isVisible()).toBe(true);
    await calls.fill('3');
    await page.getByRole('button', { name: /^(Set|Update) Calls goal$/ }).click();
    const row = page.getByTestId('goal-calls');
    await expect.poll(() => row.getByRole('progressbar').count()).toBe(1);
    expect(await row.textContent()).toMatch(/0 of 3/);
    // A weekly goal, then a posts goal deleted again.
    await page.getByRole('tab', { name: 'Weekly' }).click();
    await page.getByLabel('Weekly target for Calls').fill('15');
    await page.getByRole('button', { name: /^(Set|Update) Calls goal$/ }).click();
    await expect.poll(() => page.getByTestId('goal-calls').textContent()).toMatch(/of 15/);
    await page.getByRole('tab', { name: 'Daily' }).click();
    await page.getByLabel('Daily target for Posts').fill('2');
    await page.getByRole('button', { name: 'Set Posts goal' }).click();
    await page.getByRole('button', { name: 'Delete Posts goal' }).click();
    await page.getByRole('dialog', { name: 'Delete goal?' }).getByRole('button', { name: 'Delete goal' }).click();
    await expect.poll(async () => (await apiCall(page, 'GET', '/api/goals')).items.map((g: any) => `${g.metric}/${g.period}/${g.target}`)).toEqual([
      'calls/day/3',
      'calls/week/15',
    ]);
    await expectAccessible(page, 'goals');
    await screenshot(page, 'hub-goals');
    assertNoConsoleErrors(tom);
  });

  it('moves the scoreboard live when a call is logged in another request, without re-reading the view', async () => {
    const { page } = tom;
    await page.getByRole('link', { name: 'Today' }).first().click();
    await expect.poll(() => score('calls').getAttribute('data-target')).toBe('3');
    expect(await score('calls').getAttribute('data-actual')).toBe('0');
    await page.waitForLoadState('networkidle').catch(() => undefined);
    const readsBefore = hubReads;
    await apiCall(page, 'POST', '/api/activities', { type: 'call', outcome: 'answered' });
    await expect.poll(() => score('calls').getAttribute('data-actual'), { timeout: 10_000 }).toBe('1');
    expect(await score('calls').getByRole('progressbar').getAttribute('aria-valuenow')).toBe('33');
    expect(await score('conversations').getAttribute('data-actual')).toBe('1');
    expect(hubReads).toBe(readsBefore);
    // The recent activity list catches up too.
    await expect.poll(() => page.getByTestId('recent-activity').textContent()).toMatch(/Call · Answered/);
    assertNoConsoleErrors(tom);
  });

  it('lists the must-dos with their reasons and links to the records', async () => {
    const { page } = tom;
    const lead = await apiCall(page, 'POST', '/api/contacts', { name: 'Rosa Quinn', source: 'Zillow' });
    const task = await apiCall(page, 'POST', '/api/tasks', { title: 'Send the appraisal to Rosa', due_date: chicagoToday(), priority: 'high' });
    await page.reload();
    const list = page.getByTestId('must-do-list');
    await expect.poll(() => list.getByTestId('must-do').count()).toBeGreaterThanOrEqual(2);
    const call = list.getByRole('link', { name: /^Call Rosa Quinn/ });
    expect(await call.getAttribute('href')).toBe(`/contacts/${lead.id}`);
    const send = list.getByRole('link', { name: /^Send the appraisal to Rosa/ });
    expect(await send.getAttribute('href')).toBe(`/tasks?task=${task.id}`);
    const reasons = await list.getByTestId('must-do-reason').allTextContents();
    expect(reasons.join(' | ')).toMatch(/new lead/i);
    expect(reasons.every((r) => /^Why: [A-Z]/.test(r))).toBe(true);
    expect(await page.getByTestId('tasks-due_today').textContent()).toMatch(/1/);
    await call.click();
    await page.waitForURL(new RegExp(`/contacts/${lead.id}$`));
    await page.goBack();
    await page.waitForURL(/\/today$/);
    assertNoConsoleErrors(tom);
  });

  it('celebrates a completed task (a toast; no confetti under reduced motion)', async () => {
    const { page } = tom;
    await noToast(page);
    await page.getByRole('button', { name: 'Complete Send the appraisal to Rosa' }).click();
    const celebration = page.getByTestId('celebration');
    await expect.poll(() => celebration.getAttribute('data-kind'), { timeout: 10_000 }).toBe('task');
    expect(await celebration.textContent()).toMatch(/Send the appraisal to Rosa/);
    expect(await celebration.getAttribute('data-confetti')).toBe('off');
    expect(await page.getByTestId('confetti').count()).toBe(0);
    await expect.poll(() => page.getByTestId('tasks-done_today').textContent()).toMatch(/1/);
    await celebration.getByRole('button', { name: 'Close celebration' }).click();
    await expect.poll(() => celebration.count()).toBe(0);
    assertNoConsoleErrors(tom);
  });

  it('bursts confetti where motion is welcome when the daily goal is reached', async () => {
    const g = await newGuardedPage(browser);
    // newGuardedPage asks for reduced motion; this page says it does not mind motion.
    await g.page.emulateMedia({ reducedMotion: 'no-preference' });
    await login(g.page, USERS.tom.email, USERS.tom.password);
    await noToast(g.page);
    await apiCall(g.page, 'POST', '/api/activities', { type: 'call', outcome: 'voicemail' });
    await apiCall(g.page, 'POST', '/api/activities', { type: 'call', outcome: 'no_answer' });
    const celebration = g.page.getByTestId('celebration');
    await expect.poll(() => celebration.getAttribute('data-kind'), { timeout: 10_000 }).toBe('goal');
    expect(await celebration.getAttribute('data-confetti')).toBe('on');
    expect(await g.page.getByTestId('confetti').count()).toBe(1);
    // The other tab sees the goal met on its board.
    await expect.poll(() => score('calls').getAttribute('data-actual')).toBe('3');
    expect(await score('calls').textContent()).toMatch(/Goal met/);
    assertNoConsoleErrors(g);
    await g.context.close();
    assertNoConsoleErrors(tom);
  });

  it('shows the pace card exactly when the server has a pace for now', async () => {
    const { page } = tom;
    // Every hour a working hour, and six weeks of calls through the day.
    await apiCall(page, 'PATCH', '/api/me', { working_hours: { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] } });
    const calls = [];
    for (let d = 1; d <= 42; d++) {
      const day = new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
      for (const h of [0, 3, 6, 9, 12, 15, 18]) calls.push({ type: 'call', outcome: 'no_answer', occurred_at: `${day}T${String(h).padStart(2, '0')}:20:00Z` });
    }
    await apiCall(page, 'POST', '/api/activities/bulk', calls);
    await apiCall(page, 'POST', '/api/coach/patterns/refresh');
    const today = await apiCall(page, 'GET', '/api/hub/today');
    await page.reload();
    await page.getByTestId('scoreboard').getByTestId('score-calls').waitFor();
    if (today.pace) {
      await expect.poll(() => page.getByTestId('pace-message').textContent()).toBe(today.pace.message);
      expect(await page.getByTestId('pace-card').getAttribute('data-behind')).toBe(String(today.pace.behind));
    } else {
      expect(await page.getByTestId('pace-card').count()).toBe(0);
    }
    assertNoConsoleErrors(tom);
  });

  it('has no serious accessibility violations, light and dark', async () => {
    const { page } = tom;
    await noToast(page);
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await page.goto('/today');
      await page.getByTestId('scoreboard').getByTestId('score-calls').waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await noToast(page);
      await expectAccessible(page, `today hub (${theme})`);
      await screenshot(page, theme === 'light' ? 'hub-today' : 'hub-today-dark');
    }
    await setTheme(page, 'light');
    assertNoConsoleErrors(tom);
  });
});
