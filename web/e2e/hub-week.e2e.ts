// The hub's weekly view, end to end: the vision board (add, real HTML5 drag
// and drop between and within days that persists across a reload, the
// keyboard's move buttons, status, rename, delete), the thermometer moving
// with the plan, and the peer bands' "too small" state worded kindly.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
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
let wes: Guarded;

beforeAll(async () => {
  browser = await launch();
  wes = await newGuardedPage(browser, { width: 1440 });
});

afterEach((ctx) => screenshotIfFailed(ctx, wes));

afterAll(async () => {
  await browser?.close();
});

const column = (page: Page, day: number | null) => page.getByTestId(`plan-day-${day === null ? 'none' : day}`);
const item = (page: Page, title: string) => page.getByTestId('plan-item').filter({ hasText: title });

// A column's titles in order (without the screen-reader status suffix).
async function titles(page: Page, day: number | null): Promise<string[]> {
  const t = await column(page, day).getByTestId('plan-item-title').allTextContents();
  return t.map((s) => s.replace(/ \((Done|Skipped)\)$/, ''));
}

// The server's order, by day.
async function serverOrder(page: Page): Promise<Record<string, string[]>> {
  const plan = await apiCall(page, 'GET', '/api/plan');
  const out: Record<string, string[]> = {};
  for (const i of plan.items) (out[i.day ?? 'none'] ??= []).push(i.title);
  return out;
}

// A real drag: press on the card's grip, move in steps, release over `target`
// (its top edge: "before it"), then wait for the PATCH that settles it.
async function drag(page: Page, source: Locator, target: Locator, where: 'top' | 'bottom' = 'top') {
  const settled = page.waitForResponse((r) => r.request().method() === 'PATCH' && /\/api\/plan\/\d+$/.test(r.url()));
  const box = (await target.boundingBox())!;
  await source.dragTo(target, { targetPosition: { x: box.width / 2, y: where === 'top' ? 4 : box.height - 4 } });
  const r = await settled;
  expect(r.status()).toBe(200);
}

async function add(page: Page, title: string, day: string) {
  await page.getByLabel('New plan item').fill(title);
  await page.getByLabel('Day', { exact: true }).selectOption({ label: day });
  await page.getByRole('button', { name: 'Add to plan' }).click();
  await expect.poll(() => item(page, title).count()).toBe(1);
}

async function thermometerMatchesServer(page: Page) {
  const week = await apiCall(page, 'GET', '/api/hub/week');
  await expect.poll(() => page.getByTestId('thermometer-percent').textContent()).toBe(`${Math.round(week.thermometer.percent)}%`);
  expect(await page.getByTestId('thermometer-message').textContent()).toBe(week.thermometer.message);
  return week.thermometer;
}

describe('the weekly view', () => {
  it('opens from the hub tabs with an empty board, the thermometer and kind peer bands', async () => {
    const { page } = wes;
    await login(page, USERS.wes.email, USERS.wes.password);
    await noToast(page);
    await page.getByRole('navigation', { name: 'Hub views' }).getByRole('link', { name: 'Week' }).click();
    await page.waitForURL(/\/week$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('This week');
    await expect.poll(() => page.getByTestId('vision-board').isVisible()).toBe(true);
    expect(await page.getByTestId('plan-item').count()).toBe(0);
    const t = await thermometerMatchesServer(page);
    expect(t.percent).toBe(0);
    // Four officers on the team: fewer than five, so no bands, only the reason.
    const peers = await apiCall(page, 'GET', '/api/hub/peers');
    expect(peers.status).toBe('too_small');
    const small = page.getByTestId('peers-too-small');
    await expect.poll(() => small.textContent()).toBe(peers.message);
    expect(await page.getByTestId('peer-bands').textContent()).not.toMatch(/worst|last place|fail|poor|behind everyone/i);
    assertNoConsoleErrors(wes);
  });

  it('adds plan items to days and to Unscheduled; the plan warms the thermometer', async () => {
    const { page } = wes;
    await add(page, 'Call past clients', 'Monday');
    await add(page, 'Lunch with realtor', 'Monday');
    await add(page, 'Record VA video', 'Unscheduled');
    expect(await titles(page, 1)).toEqual(['Call past clients', 'Lunch with realtor']);
    expect(await titles(page, null)).toEqual(['Record VA video']);
    const t = await thermometerMatchesServer(page);
    expect(t.percent).toBeGreaterThan(0); // a set plan is never an empty bar
    assertNoConsoleErrors(wes);
  });

  it('drags an item from Unscheduled between two Monday items, and the order survives a reload', async () => {
    const { page } = wes;
    await drag(page, item(page, 'Record VA video'), item(page, 'Lunch with realtor'), 'top');
    expect(await titles(page, 1)).toEqual(['Call past clients', 'Record VA video', 'Lunch with realtor']);
    expect(await titles(page, null)).toEqual([]);
    await page.reload();
    await expect.poll(() => titles(page, 1)).toEqual(['Call past clients', 'Record VA video', 'Lunch with realtor']);
    expect((await serverOrder(page))['1']).toEqual(['Call past clients', 'Record VA video', 'Lunch with realtor']);
    assertNoConsoleErrors(wes);
  });

  it('drags within a day (last to first) and onto an empty day', async () => {
    const { page } = wes;
    await drag(page, item(page, 'Lunch with realtor'), item(page, 'Call past clients'), 'top');
    expect(await titles(page, 1)).toEqual(['Lunch with realtor', 'Call past clients', 'Record VA video']);
    await drag(page, item(page, 'Call past clients'), column(page, 3), 'bottom');
    expect(await titles(page, 3)).toEqual(['Call past clients']);
    expect(await titles(page, 1)).toEqual(['Lunch with realtor', 'Record VA video']);
    await page.reload();
    await expect.poll(() => titles(page, 1)).toEqual(['Lunch with realtor', 'Record VA video']);
    expect(await titles(page, 3)).toEqual(['Call past clients']);
    const plan = await apiCall(page, 'GET', '/api/plan');
    expect(plan.items.filter((i: any) => i.day === 1).map((i: any) => i.position)).toEqual([0, 1]);
    assertNoConsoleErrors(wes);
  });

  it('moves with the keyboard alone', async () => {
    const { page } = wes;
    const up = page.getByRole('button', { name: 'Move Record VA video up' });
    await up.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => titles(page, 1)).toEqual(['Record VA video', 'Lunch with realtor']);
    const next = page.getByRole('button', { name: 'Move Record VA video to Tuesday' });
    await next.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => titles(page, 2)).toEqual(['Record VA video']);
    // Top of its day: "up" is not offered.
    expect(await page.getByRole('button', { name: 'Move Record VA video up' }).isDisabled()).toBe(true);
    await page.reload();
    await expect.poll(() => titles(page, 2)).toEqual(['Record VA video']);
    expect(await titles(page, 1)).toEqual(['Lunch with realtor']);
    assertNoConsoleErrors(wes);
  });

  it('marks an item done (the thermometer rises), renames and deletes', async () => {
    const { page } = wes;
    const before = await thermometerMatchesServer(page);
    await page.getByRole('button', { name: 'Call past clients: Planned. Change status' }).click();
    await expect.poll(() => item(page, 'Call past clients').getAttribute('data-status')).toBe('done');
    await expect.poll(async () => (await apiCall(page, 'GET', '/api/hub/week')).thermometer.plan_done).toBe(1);
    const after = await thermometerMatchesServer(page);
    expect(after.percent).toBeGreaterThan(before.percent);

    await page.getByRole('button', { name: 'Rename Record VA video' }).click();
    const input = page.getByLabel('New title for Record VA video');
    await input.fill('Record FHA video');
    await input.press('Enter');
    await expect.poll(() => titles(page, 2)).toEqual(['Record FHA video']);

    await page.getByRole('button', { name: 'Delete Lunch with realtor' }).click();
    await expect.poll(() => item(page, 'Lunch with realtor').count()).toBe(0);
    await page.reload();
    await expect.poll(() => titles(page, 2)).toEqual(['Record FHA video']);
    expect(await titles(page, 1)).toEqual([]);
    expect(await item(page, 'Call past clients').getAttribute('data-status')).toBe('done');
    expect(await serverOrder(page)).toEqual({ '2': ['Record FHA video'], '3': ['Call past clients'] });
    assertNoConsoleErrors(wes);
  });

  it('has no serious accessibility violations, light and dark', async () => {
    const { page } = wes;
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await page.reload();
      await page.getByTestId('thermometer').waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await noToast(page);
      await expectAccessible(page, `week (${theme})`);
      await screenshot(page, theme === 'light' ? 'hub-week' : 'hub-week-dark');
    }
    await setTheme(page, 'light');
    assertNoConsoleErrors(wes);
  });
});
