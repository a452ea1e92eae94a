// Leaderboards and the feed, end to end: with names off (the default) an
// officer sees only their own anonymous band among six, never another's
// name or rank; a rate without enough calls is "not ranked yet"; the admin
// turns names on in the UI and the officer sees a ranked table with their
// own row highlighted; kudos given in the feed reach the colleague live,
// and badge unlocks show in the feed where names are on.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  apiCall,
  assertNoConsoleErrors,
  closeCelebrations,
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
let gia: Guarded; // the admin
let rae: Guarded;
let tia: Guarded;

const BANDS = ['Top 10%', 'Top 25%', 'Upper half', 'Lower half', 'Lower quarter', 'Level with everyone'];
const OTHERS = [USERS.oli.name, USERS.pia.name, USERS.sam.name, USERS.tia.name, USERS.uma.name];

beforeAll(async () => {
  browser = await launch();
  gia = await newGuardedPage(browser);
  rae = await newGuardedPage(browser);
  tia = await newGuardedPage(browser);
});

afterEach(async (ctx) => {
  for (const g of [gia, rae, tia]) await screenshotIfFailed(ctx, g);
});

afterAll(async () => {
  // Leave the org as the other game tests expect it: names off.
  if (gia?.page && !gia.page.isClosed()) await apiCall(gia.page, 'PUT', '/api/game/settings', { named_leaderboards: false }).catch(() => undefined);
  await browser?.close();
});

const board = () => rae.page.getByTestId('leaderboard');

describe('leaderboards', () => {
  it("shows an officer their own anonymous band, never another's name or rank", async () => {
    await login(gia.page, USERS.gia.email, USERS.gia.password);
    await apiCall(gia.page, 'PUT', '/api/game/settings', { named_leaderboards: false });
    const { page } = rae;
    await login(page, USERS.rae.email, USERS.rae.password);
    await noToast(page);
    await apiCall(page, 'POST', '/api/activities', { type: 'call', outcome: 'answered' });
    await apiCall(page, 'POST', '/api/activities', { type: 'call', outcome: 'no_answer' });
    await page.getByRole('link', { name: 'Achievements' }).first().click();
    await page.getByRole('navigation', { name: 'Game sections' }).getByRole('link', { name: 'Leaderboard' }).click();
    await page.waitForURL(/\/leaderboard$/);
    await expect.poll(() => board().getAttribute('data-status')).toBe('ok');
    expect(await board().getAttribute('data-named')).toBe('false');
    expect(BANDS).toContain(await page.getByTestId('band-label').textContent());
    expect(await page.getByTestId('your-value').textContent()).toBe('4');
    expect(await page.getByTestId('leaderboard-message').textContent()).toMatch(
      /Your anonymous band; names are shown only if your org opts in\. Among 6 ranked officers/,
    );
    expect(await page.getByTestId('leaderboard-table').count()).toBe(0);
    expect(await page.getByTestId('your-rank').count()).toBe(0);
    const text = (await page.locator('main').textContent()) ?? '';
    for (const name of OTHERS) expect(text).not.toContain(name);
    await expectAccessible(page, 'leaderboard (band)');
    await screenshot(page, 'game-leaderboard-band');
    assertNoConsoleErrors(rae);
  });

  it('says a rate is not ranked yet without enough calls', async () => {
    const { page } = rae;
    await page.getByLabel('Metric').selectOption('conversion_rate');
    await page.waitForURL(/metric=conversion_rate/);
    await expect.poll(() => board().getAttribute('data-status')).toBe('too_small');
    expect(await page.getByTestId('leaderboard-message').textContent()).toBe('Not ranked yet: too few calls for a rate.');
    expect(await page.getByTestId('unranked').textContent()).toMatch(/not ranked yet: a rate needs 10 calls first/);
    await page.getByLabel('Metric').selectOption('points');
    await expect.poll(() => board().getAttribute('data-status')).toBe('ok');
    assertNoConsoleErrors(rae);
  });

  it('shows a ranked table with the officer highlighted once the admin turns names on', async () => {
    await noToast(gia.page);
    await gia.page.goto('/rewards?tab=manage');
    const toggle = gia.page.getByRole('switch', { name: 'Show names on leaderboards' });
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    expect((await apiCall(gia.page, 'GET', '/api/game/settings')).named_leaderboards).toBe(true);
    assertNoConsoleErrors(gia);

    const { page } = rae;
    await page.reload();
    await expect.poll(() => board().getAttribute('data-named')).toBe('true');
    const rows = page.getByTestId('leaderboard-table').getByTestId('rank-row');
    await expect.poll(() => rows.count()).toBe(6);
    const mine = page.locator('[data-testid="rank-row"][data-you="true"]');
    expect(await mine.count()).toBe(1);
    expect(await mine.textContent()).toMatch(/Rae CoburnYou/);
    expect(await mine.getAttribute('aria-current')).toBe('true');
    expect(await mine.getByTestId('rank-value').textContent()).toBe('4');
    expect(await page.getByTestId('your-rank').textContent()).toMatch(/^You are \d+(st|nd|rd|th) of 6 with 4 points\.$/);
    expect(await page.getByTestId('leaderboard-table').textContent()).toContain(USERS.tia.name);
    // The whole company, today.
    await page.getByLabel('Compare with').selectOption('org');
    await page.getByLabel('Period').selectOption('day');
    await page.waitForURL(/scope=org/);
    await expect.poll(async () => (await board().textContent()) ?? '').toMatch(/Points · Today · the company/);
    await expect.poll(() => mine.count()).toBe(1);
    await expectAccessible(page, 'leaderboard (named)');
    await screenshot(page, 'game-leaderboard-named');
    await setTheme(page, 'dark');
    await expectAccessible(page, 'leaderboard (named, dark)');
    await screenshot(page, 'game-leaderboard-named-dark');
    await setTheme(page, 'light');
    assertNoConsoleErrors(rae);
  });
});

describe('the feed', () => {
  it('sends kudos to a colleague, who is notified live; badge unlocks show where names are on', async () => {
    const { page } = tia;
    await login(page, USERS.tia.email, USERS.tia.password);
    await noToast(page);
    // Tia's first application: a badge unlock, in the feed (names are on).
    await apiCall(page, 'POST', '/api/activities', { type: 'call', outcome: 'application_taken' });
    await closeCelebrations(page);
    await page.goto('/feed');
    const feed = page.getByTestId('feed');
    await expect.poll(() => feed.locator('[data-kind="badge"]').filter({ hasText: 'Tia Moss unlocked First application' }).count()).toBe(1);
    // The colleague: from the org's people (GET /api/users), not oneself.
    const select = page.getByLabel('Colleague', { exact: true });
    await expect.poll(() => select.locator('option').count()).toBeGreaterThan(1);
    expect(await select.locator('option', { hasText: 'Tia Moss' }).count()).toBe(0);
    expect(await select.locator('option', { hasText: 'Rae Coburn (Lime)' }).count()).toBe(1);
    const raeId = (await apiCall(rae.page, 'GET', '/api/me')).id;
    // Checked before the server is asked.
    await page.getByRole('button', { name: 'Send kudos' }).click();
    await expect.poll(() => page.getByText('Choose who the kudos are for').isVisible()).toBe(true);
    expect(await page.getByText('Write a short message').isVisible()).toBe(true);
    await select.selectOption(String(raeId));
    await page.getByLabel('Message').fill('Thanks for covering my calls this morning!');
    await page.getByRole('button', { name: 'Send kudos' }).click();
    await expect.poll(() => page.getByTestId('kudos-sent').textContent()).toBe('Kudos sent to Rae Coburn.');
    const first = feed.getByTestId('feed-item').first();
    await expect.poll(() => first.getAttribute('data-kind')).toBe('kudos');
    expect(await first.textContent()).toMatch(/Tia Moss gave kudos to Rae Coburn.*Thanks for covering my calls this morning!/);
    await expectAccessible(page, 'feed');
    await screenshot(page, 'game-feed');
    assertNoConsoleErrors(tia);

    // Rae: a live notification that leads to the feed.
    const bell = rae.page.getByTestId('notification-bell').first();
    await expect.poll(async () => (await bell.getAttribute('aria-label')) ?? '', { timeout: 10_000 }).toMatch(/unread/);
    await bell.click();
    const item = rae.page.getByTestId('notification-panel').getByRole('link', { name: 'Kudos from Tia Moss' });
    await expect.poll(() => item.isVisible()).toBe(true);
    await item.click();
    await rae.page.waitForURL(/\/feed$/);
    await expect.poll(() => rae.page.getByTestId('feed-item').first().textContent()).toMatch(/Tia Moss gave kudos to Rae Coburn/);
    assertNoConsoleErrors(rae);
  });
});
