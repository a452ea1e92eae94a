// The notification center, end to end: a goal reached by a call logged
// elsewhere (another request, as from a phone) arrives live over the one
// event stream: the bell's unread count moves and a celebration shows
// (not as a browser notification: celebrations have their own overlay);
// mark one read, mark all read; the hub's three settings persist.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  apiCall,
  assertNoConsoleErrors,
  baseURL,
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
let nia: Guarded;

beforeAll(async () => {
  browser = await launch();
  nia = await newGuardedPage(browser);
  // Allow notifications and record every one the app raises.
  await nia.context.grantPermissions(['notifications'], { origin: baseURL() });
  await nia.context.addInitScript(() => {
    const raised: string[] = [];
    (window as any).__raised = raised;
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string) {
        raised.push(title);
      }
      close() {}
    }
    (window as any).Notification = FakeNotification;
  });
});

afterEach((ctx) => screenshotIfFailed(ctx, nia));

afterAll(async () => {
  await browser?.close();
});

const bell = () => nia.page.getByTestId('notification-bell').first();
const badge = () => nia.page.getByTestId('notification-bell').first().getByTestId('unread-count');

async function logCall() {
  await apiCall(nia.page, 'POST', '/api/activities', { type: 'call', outcome: 'answered' });
}

describe('the notification center', () => {
  it('starts empty: no unread count, an empty panel', async () => {
    const { page } = nia;
    await login(page, USERS.nia.email, USERS.nia.password);
    await noToast(page);
    expect(await badge().count()).toBe(0);
    expect(await bell().getAttribute('aria-label')).toBe('Notifications');
    await bell().click();
    const panel = page.getByTestId('notification-panel');
    await expect.poll(() => panel.getByText(/No notifications yet/).isVisible()).toBe(true);
    await expect.poll(() => panel.getByTestId('browser-notifications-on').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    assertNoConsoleErrors(nia);
  });

  it('shows a live notification: a goal reached by a call logged elsewhere raises the unread count', async () => {
    const { page } = nia;
    await apiCall(page, 'PUT', '/api/goals', { metric: 'calls', period: 'day', target: 1 });
    await logCall();
    // Pushed over the stream: no reload.
    await expect.poll(() => badge().textContent(), { timeout: 10_000 }).toBe('1');
    expect(await bell().getAttribute('aria-label')).toBe('Notifications, 1 unread');
    // The celebration overlay shows it too; the browser is not also asked to.
    const celebration = page.getByTestId('celebration');
    await expect.poll(() => celebration.getAttribute('data-kind')).toBe('goal');
    expect(await page.getByTestId('celebration-title').textContent()).toMatch(/Goal reached/);
    expect(await page.evaluate(() => (window as any).__raised)).toEqual([]);
    await celebration.getByRole('button', { name: 'Close celebration' }).click();
    assertNoConsoleErrors(nia);
  });

  it('lists it in the panel and marks it read', async () => {
    const { page } = nia;
    await bell().click();
    const panel = page.getByTestId('notification-panel');
    const item = panel.getByTestId('notification-item').first();
    await expect.poll(() => item.getAttribute('data-read')).toBe('false');
    expect(await item.textContent()).toMatch(/Goal reached/);
    expect(await panel.getByTestId('unread-summary').textContent()).toBe('1 unread');
    await expectAccessible(page, 'notification panel');
    await screenshot(page, 'hub-notifications', false);
    await item.getByRole('button', { name: /^Mark read: Goal reached/ }).click();
    await expect.poll(() => item.getAttribute('data-read')).toBe('true');
    await expect.poll(() => badge().count()).toBe(0);
    expect(await panel.getByTestId('unread-summary').textContent()).toBe('All caught up');
    const server = await (await page.request.get('/api/notifications')).json();
    expect(server.unread).toBe(0);
    expect(server.items[0].read_at).not.toBeNull();
    await page.keyboard.press('Escape');
    assertNoConsoleErrors(nia);
  });

  it('marks all read after more arrive, and the count survives a reload', async () => {
    const { page } = nia;
    // Weekly and monthly goals just above today's count: the next call reaches both.
    await apiCall(page, 'PUT', '/api/goals', { metric: 'calls', period: 'week', target: 2 });
    await apiCall(page, 'PUT', '/api/goals', { metric: 'calls', period: 'month', target: 2 });
    await logCall();
    await expect.poll(() => badge().textContent(), { timeout: 10_000 }).toBe('2');
    await page.reload();
    await expect.poll(() => badge().textContent()).toBe('2');
    await noToast(page);
    await bell().click();
    const panel = page.getByTestId('notification-panel');
    await expect.poll(() => panel.getByTestId('notification-item').count()).toBe(3);
    await panel.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => badge().count()).toBe(0);
    for (const item of await panel.getByTestId('notification-item').all()) expect(await item.getAttribute('data-read')).toBe('true');
    expect((await (await page.request.get('/api/notifications')).json()).unread).toBe(0);
    // The full page lists the same.
    await panel.getByRole('link', { name: 'Open the notification center' }).click();
    await page.waitForURL(/\/notifications$/);
    await expect.poll(() => page.getByTestId('notification-item').count()).toBe(3);
    await setTheme(page, 'dark');
    await expectAccessible(page, 'notifications page (dark)');
    await screenshot(page, 'hub-notifications-page-dark');
    await setTheme(page, 'light');
    assertNoConsoleErrors(nia);
  });

  it("saves the hub's settings, sending every field, and keeps the local sound toggle", async () => {
    const { page } = nia;
    await page.getByRole('link', { name: 'Settings' }).first().click();
    const time = page.getByLabel('Morning must-dos at');
    await time.fill('07:30');
    await expect.poll(async () => (await (await page.request.get('/api/coach/settings')).json()).morning_push_time).toBe('07:30');
    await page.getByRole('switch', { name: 'Pace nudges' }).click();
    await expect.poll(async () => (await (await page.request.get('/api/coach/settings')).json()).pace_nudges).toBe(false);
    await page.getByRole('switch', { name: 'Daily summary' }).click();
    await expect.poll(async () => (await (await page.request.get('/api/coach/settings')).json())).toEqual({
      coach_level: 2,
      coach_enabled: true,
      stale_lead_days: 7,
      stuck_deal_days: 14,
      morning_push_time: '07:30',
      pace_nudges: false,
      daily_summary: false,
    });
    // Out of the 04:00-11:00 window: not saved.
    await time.fill('12:30');
    expect(await time.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Choose a time from 4:00 AM to 11:00 AM').isVisible()).toBe(true);
    const sound = page.getByRole('switch', { name: 'Celebration sound' });
    expect(await sound.getAttribute('aria-checked')).toBe('false'); // off by default
    await sound.click();
    await page.reload();
    await expect.poll(() => page.getByRole('switch', { name: 'Celebration sound' }).getAttribute('aria-checked')).toBe('true');
    expect(await page.getByLabel('Morning must-dos at').inputValue()).toBe('07:30');
    expect(await page.getByRole('switch', { name: 'Pace nudges' }).getAttribute('aria-checked')).toBe('false');
    expect((await (await page.request.get('/api/coach/settings')).json()).morning_push_time).toBe('07:30');
    await expectAccessible(page, 'settings with the hub');
    assertNoConsoleErrors(nia);
  });
});
