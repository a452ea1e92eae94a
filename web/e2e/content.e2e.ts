// Content to create and what top performers do differently, end to end, in
// the org "E2E Peers" (users.ts), which no other test uses. An officer with
// no history sees the honest empty state; once five of his prospects and a
// lead are tagged "VA loan(s)" (created through the API as him), "Refresh
// now" shows the topic with its counts and that he never posted about it,
// the coach's tip explains itself under "Why am I seeing this?" without
// speaking of calls, and the card's Create task opens the task form filled
// with the task the coach suggests. Then the admin imports 60 days of the
// org's history (POST /api/import: ten officers, officer i making 2 + i calls
// a day and opening i loans, as SuccessPatternsCompareTopPerformersWithTheRest-
// Anonymously in the server's coach_test.cc; Eli, matched by his email, is
// officer 3), and the officer sees the top performers' median, everyone
// else's and his own side by side, with the test in words and no other
// officer's number anywhere. ?kind= highlights each card; the page passes axe
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

const DAY_MS = 86_400_000;
const X = 'peers-e2e'; // the prefix of every external id imported here
const ME = 3; // Eli is officer 3 of 0..9: 5 calls a day, 3 loans, not a top performer
const CALL_DAYS = 60;

let browser: Browser;
let eli: Guarded;

// The import file (docs/import-format.md): officer i of ten made 2 + i calls
// a day (all answered) on each of the last 60 days and opened i loans. The
// others are imported users who never log in; Eli is named by his email, so
// the file's officer 3 is his account.
function history(now: number): string {
  const iso = (t: number) => new Date(t).toISOString();
  const lines: Record<string, unknown>[] = [];
  for (let i = 0; i < 10; ++i) {
    const id = `${X}-o${i}`;
    lines.push(
      i === ME
        ? { type: 'user', external_id: id, email: USERS.eli.email, name: USERS.eli.name }
        : { type: 'user', external_id: id, email: `peer${i}@peers.e2e.test`, name: `Peer Officer ${i}`, team: 'Teal', timezone: 'America/Chicago' },
    );
    for (let d = 1; d <= CALL_DAYS; ++d)
      for (let k = 0; k < 2 + i; ++k)
        lines.push({ type: 'activity', external_id: `${id}-call-${d}-${k}`, owner: id, activity_type: 'call', outcome: 'answered', occurred_at: iso(now - d * DAY_MS + k * 60_000) });
    for (let l = 0; l < i; ++l) lines.push({ type: 'deal', external_id: `${id}-loan-${l}`, owner: id, title: `Loan ${l + 1}`, created_at: iso(now - (l + 1) * DAY_MS) });
  }
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

// Calls per working day (Monday to Friday in the officers' time zone) over
// the 90 days the server looks at, for 2 + i calls a day on 60 of them.
function callsPerWorkingDay(calls: number, now: number): number {
  let working = 0;
  for (let d = 0; d < 90; ++d) {
    const weekday = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', weekday: 'short' }).format(new Date(now - d * DAY_MS));
    if (!['Sat', 'Sun'].includes(weekday)) ++working;
  }
  return (calls * CALL_DAYS) / working;
}

async function csrf(page: Page): Promise<string> {
  const me = await (await page.request.get('/api/me')).json();
  return me.csrf_token;
}

const contentCard = (page: Page) => page.locator('[data-testid="pattern-card"][data-kind="content_demand"]');
const successCard = (page: Page) => page.locator('[data-testid="pattern-card"][data-kind="success_pattern"]');

beforeAll(async () => {
  browser = await launch();
  eli = await newGuardedPage(browser);
});

afterEach((ctx) => screenshotIfFailed(ctx, eli));

afterAll(async () => {
  await browser?.close();
});

describe('Content to create', () => {
  it('says nothing while the officer and his org have no history', async () => {
    const { page } = eli;
    await login(page, USERS.eli.email, USERS.eli.password);
    await page.goto('/patterns');
    await page.getByTestId('patterns-empty').waitFor();
    expect(await page.getByTestId('pattern-card').count()).toBe(0);
    assertNoConsoleErrors(eli);
  });

  it('lists the topic his open prospects share after "Refresh now", with its counts', async () => {
    const { page } = eli;
    const token = await csrf(page);
    // Five prospects and a lead of the topic (tagged two ways: one topic),
    // and two open contacts of no topic.
    const contacts = [
      ...['Ray Holt', 'June Park', 'Omar Diaz', 'Lena Fox', 'Tom Reed'].map((name) => ({ name, status: 'PROSPECT', tags: ['VA loan'] })),
      { name: 'Sue Vance', status: 'LEAD', tags: ['VA loans', 'first home'] },
      { name: 'Kim Lowe', status: 'LEAD', tags: ['refinance'] },
      { name: 'Al Brook', status: 'PROSPECT' },
    ];
    for (const c of contacts) {
      const r = await page.request.post('/api/contacts', { data: c, headers: { 'X-CSRF-Token': token } });
      expect(r.status(), await r.text()).toBe(201);
    }
    // Stored findings are served until a refresh: still nothing.
    await page.reload();
    await page.getByTestId('patterns-empty').waitFor();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect.poll(() => page.getByTestId('patterns-status').textContent()).toBe('Refreshed: 1 finding.');

    const card = contentCard(page);
    await card.waitFor();
    expect(await card.getByRole('heading', { level: 2 }).textContent()).toBe('Content to create');
    const topics = card.getByTestId('content-topic');
    expect(await topics.count()).toBe(1);
    expect(await topics.getByRole('heading', { level: 3 }).textContent()).toBe('VA loans');
    expect(await topics.getByTestId('content-evidence').getByRole('listitem').allTextContents()).toEqual([
      '6 of your 8 open leads and prospects (75%) share it: 1 lead and 5 prospects.',
      'You have not made a video or social post about it in the last 180 days.',
    ]);
    await card.getByText('How this was counted').click();
    expect(await card.getByText(/^Open leads and prospects tagged with the topic .* in the last 30 days mentions it\.$/).isVisible()).toBe(true);
    expect(await card.getByText('A count of your own open leads, prospects and posts, not a statistical inference.').isVisible()).toBe(true);
    assertNoConsoleErrors(eli);
  });

  it("explains the coach's tip from the counts, not from calls", async () => {
    const { page } = eli;
    // The refresh re-evaluated the pattern insights: the tip is pushed live.
    const toast = await waitForToast(page, /^Create a video about VA loans: 6 of your open leads and prospects share it/);
    await toast.getByRole('button', { name: 'Why am I seeing this?' }).click();
    const text = (await toast.getByTestId('why-panel').locator('p').allTextContents()).map((s) => s.trim());
    expect(text).toHaveLength(4);
    expect(text[0]).toBe('6 of your 8 open leads and prospects (75%) share it: 1 lead and 5 prospects.');
    expect(text[1]).toBe('You have not made a video or social post about it in the last 180 days.');
    expect(text[2]).toBe('A count of your own open leads, prospects and posts, not a statistical inference.');
    expect(text[3]).toMatch(/^Based on your open leads and prospects now and your video and social posts of the last 180 days\. Computed .+\.$/);
    // Its action is the task, as on the card.
    expect(await toast.getByRole('button', { name: 'Take Action: Create task' }).isVisible()).toBe(true);
    await expectAccessible(page, 'patterns with the content tip explained');
    await toast.getByRole('button', { name: 'Dismiss', exact: true }).click();
    assertNoConsoleErrors(eli);
  });

  it('opens the task form with the task the coach suggests', async () => {
    const { page } = eli;
    await noToast(page);
    await contentCard(page).getByRole('link', { name: 'Create task: Record a video about VA loans' }).click();
    await page.waitForURL(/\/tasks\?new=1&title=Record\+a\+video\+about\+VA\+loans&priority=medium$/);
    const dialog = page.getByRole('dialog', { name: 'New task' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Title').inputValue()).toBe('Record a video about VA loans');
    expect(await dialog.getByLabel('Priority').inputValue()).toBe('medium');
    await dialog.getByRole('button', { name: 'Create task' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('region', { name: 'Task list' }).getByText('Record a video about VA loans').waitFor();
    assertNoConsoleErrors(eli);
  });
});

describe('What top performers do differently', () => {
  it("compares the officer with his org's top performers once the admin imports its history", async () => {
    const ivo = await newGuardedPage(browser);
    await login(ivo.page, USERS.ivo.email, USERS.ivo.password);
    const now = Date.now();
    const imported = await ivo.page.request.post('/api/import', {
      data: history(now),
      headers: { 'Content-Type': 'application/x-ndjson', 'X-CSRF-Token': await csrf(ivo.page) },
    });
    expect(imported.status(), await imported.text()).toBe(200);
    const report = await imported.json();
    expect(report.committed).toBe(true);
    expect(report.counts.user).toEqual({ imported: 9, already_present: 1, rejected: 0 });
    expect(report.counts.deal.imported).toBe(45);
    assertNoConsoleErrors(ivo);
    await ivo.context.close();

    // The import dropped the org's success patterns: the next read learns them again.
    const { page } = eli;
    await page.goto('/patterns');
    const card = successCard(page);
    await card.waitFor();
    expect(await card.getByRole('heading', { level: 2 }).textContent()).toBe('What top performers do differently');
    expect(await card.getByTestId('success-scope').textContent()).toMatch(
      /^Top performers: the officers of your org who opened the most loans in the last 90 days \(\w{3} \d+, \d{4} to \w{3} \d+, \d{4}\)\. .*no other officer's own numbers are shown\.$/,
    );
    expect(await card.getByTestId('success-association').textContent()).toBe(
      "An association among your org's officers over the last 90 days, not proof that doing the same would open more loans.",
    );

    // Calls per working day: officers 5-9 (7 to 11 calls a day) against 0-4
    // (2 to 6), medians 9 and 4 calls a day; Eli made 5.
    const measure = card.locator('[data-testid="success-measure"][data-metric="calls_per_day"]');
    expect(await measure.getByRole('heading', { level: 3 }).textContent()).toBe('Calls per working day');
    const compare = measure.getByTestId('success-compare');
    expect((await compare.locator('dt').allTextContents()).map((s) => s.trim())).toEqual(['Top performers (5 officers)', 'Everyone else (5 officers)', 'You']);
    const values = (await compare.locator('dd').allTextContents()).map((s) => s.trim());
    expect(values).toHaveLength(3);
    for (const v of values) expect(v).toMatch(/^\d+\.\d$/);
    const [top, rest, you] = values.map(Number);
    expect(Math.abs(top - callsPerWorkingDay(9, now))).toBeLessThanOrEqual(0.2);
    expect(Math.abs(rest - callsPerWorkingDay(4, now))).toBeLessThanOrEqual(0.2);
    expect(Math.abs(you - callsPerWorkingDay(5, now))).toBeLessThanOrEqual(0.2);
    const evidence = await measure.getByTestId('success-evidence').getByRole('listitem').allTextContents();
    expect(evidence).toContain(
      "Effect size (rank-biserial correlation): +1.00: pairing each top performer with each of the others, the top performer's number was the higher in every pair.",
    );
    expect(evidence.some((s) => /^Mann-Whitney U test: p = 0\.0079, q = 0\.0[0-4]\d*\.$/.test(s))).toBe(true);
    // Every call reached someone: conversations show the same difference.
    expect(await card.locator('[data-testid="success-measure"][data-metric="conversations_per_day"]').count()).toBe(1);

    await card.getByText('How this was tested').click();
    expect(await card.getByText(/^Tested \d+ measures; false-discovery rate controlled at 5%\.$/).isVisible()).toBe(true);

    // Only the groups and his own number, in the page and in what it was sent.
    const raw = await (await page.request.get('/api/coach/patterns')).text();
    expect(raw).not.toContain('"values"');
    // The content card is still there beside it.
    expect(await contentCard(page).count()).toBe(1);
    assertNoConsoleErrors(eli);
  });

  it('highlights the card a link names', async () => {
    const { page } = eli;
    await page.goto('/patterns?kind=success_pattern');
    await expect.poll(() => successCard(page).getAttribute('class')).toMatch(/ring-2/);
    expect(await contentCard(page).getAttribute('class')).not.toMatch(/ring-2/);
    await page.goto('/patterns?kind=content_demand');
    await expect.poll(() => contentCard(page).getAttribute('class')).toMatch(/ring-2/);
    expect(await successCard(page).getAttribute('class')).not.toMatch(/ring-2/);
    assertNoConsoleErrors(eli);
  });

  it('has no serious accessibility violations with the new cards, light and dark', async () => {
    const { page } = eli;
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await page.goto('/patterns');
      await successCard(page).waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await noToast(page);
      await contentCard(page).getByText('How this was counted').click();
      await successCard(page).getByText('How this was tested').click();
      await expectAccessible(page, `patterns, content and top performers (${theme})`);
      await screenshot(page, theme === 'light' ? 'patterns-content-success' : 'patterns-content-success-dark');
    }
    await setTheme(page, 'light');
    assertNoConsoleErrors(eli);
  });

  it('fits a phone screen', async () => {
    const phone = await newGuardedPage(browser, { width: 390, height: 844 });
    await login(phone.page, USERS.eli.email, USERS.eli.password);
    await phone.page.goto('/patterns');
    await successCard(phone.page).waitFor();
    await contentCard(phone.page).waitFor();
    await noToast(phone.page);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'patterns scrolls sideways on a phone').toBeLessThanOrEqual(0);
    // The group medians stay readable beside their labels.
    const row = successCard(phone.page).locator('[data-metric="calls_per_day"] [data-testid="success-compare"] > div').first();
    const box = await row.boundingBox();
    expect(box && box.width).toBeLessThanOrEqual(390);
    await expectAccessible(phone.page, 'patterns, content and top performers (phone)');
    await screenshot(phone.page, 'phone-patterns-content-success');
    assertNoConsoleErrors(phone);
    await phone.context.close();
  });
});
