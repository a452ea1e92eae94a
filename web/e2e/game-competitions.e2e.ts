// Competitions, end to end: a manager starts one from the form (checks, the
// "this month" and "this 90-day cycle" presets) and lands on it; an officer
// sees only their own live rank while names are off, and the standings
// table with their row highlighted once the admin turns names on; a team
// competition names teams; a competition that ended is won, recorded once,
// and celebrated live for the winner.
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
let gia: Guarded; // the admin: names on or off
let mel: Guarded; // the manager
let sam: Guarded; // the officer

beforeAll(async () => {
  browser = await launch();
  gia = await newGuardedPage(browser);
  mel = await newGuardedPage(browser);
  sam = await newGuardedPage(browser);
});

afterEach(async (ctx) => {
  for (const g of [gia, mel, sam]) await screenshotIfFailed(ctx, g);
});

afterAll(async () => {
  if (gia?.page && !gia.page.isClosed()) await apiCall(gia.page, 'PUT', '/api/game/settings', { named_leaderboards: false }).catch(() => undefined);
  await browser?.close();
});

const names = (on: boolean) => apiCall(gia.page, 'PUT', '/api/game/settings', { named_leaderboards: on });

function monthRange(today: string) {
  const [y, m] = today.split('-').map(Number);
  return [`${today.slice(0, 7)}-01`, new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)];
}

function cycleRange(today: string) {
  const day = 86_400_000;
  const epoch = Date.UTC(2024, 0, 1);
  const [y, m, d] = today.split('-').map(Number);
  const n = Math.floor((Date.UTC(y, m - 1, d) - epoch) / day / 91);
  const start = epoch + n * 91 * day;
  return [new Date(start).toISOString().slice(0, 10), new Date(start + 90 * day).toISOString().slice(0, 10)];
}

let sprintId = '';

describe('competitions', () => {
  it('lets a manager start one from the form, with its checks and date presets', async () => {
    await login(gia.page, USERS.gia.email, USERS.gia.password);
    await names(false);
    const { page } = mel;
    await login(page, USERS.mel.email, USERS.mel.password);
    await noToast(page);
    await page.getByRole('link', { name: 'Achievements' }).first().click();
    await page.getByRole('navigation', { name: 'Game sections' }).getByRole('link', { name: 'Competitions' }).click();
    await page.waitForURL(/\/competitions$/);
    await page.getByRole('button', { name: 'New competition' }).click();
    const dialog = page.getByRole('dialog', { name: 'New competition' });
    const today = chicagoDate();
    const [monthStart, monthEnd] = monthRange(today);
    // "This month" by default.
    expect(await dialog.getByLabel('Starts on').inputValue()).toBe(monthStart);
    expect(await dialog.getByLabel('Ends on (inclusive)').inputValue()).toBe(monthEnd);
    expect(await dialog.getByRole('button', { name: 'This month' }).getAttribute('aria-pressed')).toBe('true');
    await dialog.getByRole('button', { name: 'This 90-day cycle' }).click();
    const [cycleStart, cycleEnd] = cycleRange(today);
    expect(await dialog.getByLabel('Starts on').inputValue()).toBe(cycleStart);
    expect(await dialog.getByLabel('Ends on (inclusive)').inputValue()).toBe(cycleEnd);
    await dialog.getByRole('button', { name: 'This month' }).click();
    // Checked before the server is asked.
    await dialog.getByRole('button', { name: 'Start competition' }).click();
    await expect.poll(() => dialog.getByText('Give the competition a name').isVisible()).toBe(true);
    await dialog.getByLabel('Name').fill('Month call sprint');
    await dialog.getByLabel('What counts').selectOption('calls');
    await dialog.getByLabel('Rules').fill('Most calls logged this month wins.\nThe winner picks the team lunch.');
    await expectAccessible(page, 'new competition');
    await screenshot(page, 'game-competition-new', false);
    await dialog.getByRole('button', { name: 'Start competition' }).click();
    await page.waitForURL(/\/competitions\/\d+$/);
    sprintId = page.url().split('/').pop()!;
    const detail = page.getByTestId('competition-detail');
    await expect.poll(() => detail.getAttribute('data-status')).toBe('live');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Month call sprint');
    expect(await page.getByTestId('competition-rules').textContent()).toBe('Most calls logged this month wins.\nThe winner picks the team lunch.');
    // Names off: no table; a manager is not ranked.
    expect(await page.getByTestId('standings-hidden').textContent()).toMatch(/each officer sees only their own rank\. Only officers are ranked\./);
    expect(await page.getByTestId('competition-you').count()).toBe(0);
    const server = await apiCall(page, 'GET', `/api/game/competitions/${sprintId}`);
    expect([server.name, server.metric, server.kind, server.starts_on, server.ends_on]).toEqual(['Month call sprint', 'calls', 'individual', monthStart, monthEnd]);
    assertNoConsoleErrors(mel);
  });

  it('shows an officer only their own live rank while names are off, then the standings once they are on', async () => {
    const { page } = sam;
    await login(page, USERS.sam.email, USERS.sam.password);
    await noToast(page);
    for (let i = 0; i < 4; i++) await apiCall(page, 'POST', '/api/activities', { type: 'call', outcome: 'no_answer' });
    await page.goto('/competitions');
    const card = page.locator(`[data-testid="competition"][data-competition-id="${sprintId}"]`);
    await expect.poll(() => card.getAttribute('data-status')).toBe('live');
    expect(await card.textContent()).toMatch(/Month call sprint.*Live.*Calls.*Individual/);
    await expectAccessible(page, 'competitions list');
    await card.getByRole('link').click();
    await page.waitForURL(new RegExp(`/competitions/${sprintId}$`));
    await expect.poll(() => page.getByTestId('competition-you').textContent()).toBe('You are 1st of 6 with 4 calls.');
    expect(await page.getByTestId('standings-table').count()).toBe(0);
    expect(await page.getByTestId('standings-hidden').textContent()).toMatch(/Names are hidden/);
    await expectAccessible(page, 'competition (names hidden)');
    await screenshot(page, 'game-competition-hidden');

    await names(true);
    await page.reload();
    const rows = page.getByTestId('standings-table').getByTestId('rank-row');
    await expect.poll(() => rows.count()).toBe(6);
    const mine = rows.first();
    expect(await mine.getAttribute('data-you')).toBe('true');
    expect(await mine.textContent()).toMatch(/1st.*Sam IbarraYou.*4/);
    expect(await page.getByTestId('standings-table').textContent()).toContain(USERS.uma.name);
    await setTheme(page, 'dark');
    await expectAccessible(page, 'competition standings (dark)');
    await screenshot(page, 'game-competition-standings-dark');
    await setTheme(page, 'light');
    // The manager sees the same table, with no row of their own.
    await mel.page.reload();
    await expect.poll(() => mel.page.getByTestId('standings-table').getByTestId('rank-row').count()).toBe(6);
    expect(await mel.page.locator('[data-testid="rank-row"][data-you="true"]').count()).toBe(0);
    assertNoConsoleErrors(sam);
    assertNoConsoleErrors(mel);
  });

  it('names teams in a team competition', async () => {
    const [start, end] = cycleRange(chicagoDate());
    const c = await apiCall(mel.page, 'POST', '/api/game/competitions', { name: 'Cycle points, by team', metric: 'points', kind: 'team', starts_on: start, ends_on: end });
    await names(false); // team standings name teams either way
    const { page } = sam;
    await page.goto(`/competitions/${c.id}`);
    const row = page.locator('[data-testid="rank-row"][data-you="true"]');
    await expect.poll(() => row.textContent()).toMatch(/1st.*LimeYour team/);
    expect(await page.getByTestId('competition-you').textContent()).toMatch(/^Your team is 1st of 1 with \d+ points\.$/);
    assertNoConsoleErrors(sam);
  });

  it('records the winners when one ends, and celebrates the winner live', async () => {
    await names(true);
    const { page } = sam;
    const yesterday = chicagoDate(-1);
    await apiCall(page, 'POST', '/api/activities', { type: 'call', outcome: 'answered', occurred_at: new Date(`${yesterday}T12:00:00-06:00`).toISOString() });
    await page.goto('/competitions');
    await waitForStream(page);
    await closeCelebrations(page);
    const c = await apiCall(mel.page, 'POST', '/api/game/competitions', {
      name: "Yesterday's sprint",
      metric: 'calls',
      kind: 'individual',
      starts_on: yesterday,
      ends_on: yesterday,
      rules: 'One day, most calls.',
    });
    // Ended already: the first read (or the scheduler) records the winners once.
    const read = await apiCall(mel.page, 'GET', `/api/game/competitions/${c.id}`);
    expect(read.status).toBe('ended');
    expect(read.winners.map((w: any) => [w.rank, w.name, w.value])).toEqual([[1, 'Sam Ibarra', 1]]);
    const celebration = page.getByTestId('celebration');
    await expect.poll(() => celebration.getAttribute('data-kind'), { timeout: 10_000 }).toBe('competition');
    expect(await page.getByTestId('celebration-title').textContent()).toBe("You won Yesterday's sprint");
    expect(await celebration.textContent()).toMatch(/You came first\./);
    await expectAccessible(page, 'competition celebration');
    await screenshot(page, 'game-celebration-competition', false);
    await celebration.getByRole('link', { name: 'See the results' }).click();
    await page.waitForURL(new RegExp(`/competitions/${c.id}$`));
    await expect.poll(() => page.getByTestId('competition-detail').getAttribute('data-status')).toBe('ended');
    const winners = page.getByTestId('winner');
    await expect.poll(() => winners.count()).toBe(1);
    expect(await winners.first().textContent()).toMatch(/1st place.*Sam Ibarra.*1 call$/);
    expect(await page.getByRole('heading', { name: 'Final standings' }).isVisible()).toBe(true);
    await expectAccessible(page, 'competition ended');
    await screenshot(page, 'game-competition-ended');
    // Listed as ended.
    await page.getByRole('link', { name: 'All competitions' }).click();
    await expect.poll(() => page.locator(`[data-testid="competition"][data-competition-id="${c.id}"]`).getAttribute('data-status')).toBe('ended');
    assertNoConsoleErrors(sam);
  });
});
