// Lead priority, end to end: an officer whose org has no history yet sees
// no ranking, only the server's reason; half a year of leads in which Zillow
// leads became loans six times as often as the others is imported through
// the admin's POST /api/import, after which the model learns again at once
// (the admin sees what it learned, and can retrain on demand); the officer's open Zillow leads then rank
// first with a Zillow reason, "Why am I seeing this?" gives the model's AUC
// and when it was trained, and the contact page shows the lead's priority;
// the page passes axe in light and dark and fits a phone. Everything lives
// in the org "E2E Leads" (users.ts), which no other test uses.
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
  type Guarded,
  screenshotIfFailed,
} from './helpers';
import { USERS } from './users';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const X = 'leads-e2e'; // the prefix of every external id imported here

// The officer's open leads: the first four from Zillow, all with the same
// two calls, so that their source is all that tells them apart.
const OPEN = [
  { name: 'Priya Shah', source: 'Zillow' },
  { name: 'Ivy Morales', source: 'Facebook' },
  { name: 'Leo Brandt', source: 'Zillow' },
  { name: 'Sam Ortiz', source: 'Open house' },
  { name: 'Mia Chen', source: 'Zillow' },
  { name: 'Ruth Adler', source: 'Website' },
  { name: 'Theo Grant', source: 'Zillow' },
  { name: 'Gus Lind', source: null },
] as const;
const ZILLOW = OPEN.filter((l) => l.source === 'Zillow').map((l) => l.name);
// One of hers that already has a loan: not ranked.
const CLOSED = 'Kai Ellison';

let browser: Browser;
let dee: Guarded;

// A small deterministic generator (mulberry32): the same history every run.
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The import file (docs/import-format.md). 500 past leads of another officer
// of the org (an imported user who never logs in), created 60 to 200 days
// ago, each called 1 to 3 times a few days apart; a loan (Closed Won) opened
// a few days after the last call for 60% of the Zillow leads and 10% of the
// others; the rest still LEAD, long unlabelled no more. Then Dee's own open
// leads, called twice in the last days, and one client of hers with a loan.
// Dee is named by her email, so the file's user is her account.
function history(now: number): string {
  const rand = random(20261121);
  const iso = (t: number) => new Date(t).toISOString();
  const lines: Record<string, unknown>[] = [
    { type: 'user', external_id: `${X}-dee`, email: USERS.dee.email, name: USERS.dee.name },
    { type: 'user', external_id: `${X}-hal`, email: 'hal.moreno@e2e.test', name: 'Hal Moreno', team: 'Gold', timezone: 'America/Chicago' },
  ];
  const others = ['Facebook', 'Open house', 'Website', null];
  for (let i = 0; i < 500; ++i) {
    const zillow = rand() < 0.4;
    const source = zillow ? 'Zillow' : others[Math.floor(rand() * others.length)];
    const converts = rand() < (zillow ? 0.6 : 0.1);
    const id = `${X}-past-${i}`;
    const created = now - (60 + rand() * 140) * DAY_MS;
    lines.push({ type: 'contact', external_id: id, owner: `${X}-hal`, name: `Past Lead ${i + 1}`, status: converts ? 'CLIENT' : 'LEAD', ...(source ? { source } : {}), created_at: iso(created) });
    let at = created + (2 + rand() * 20) * HOUR_MS;
    let last = at;
    const calls = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < calls; ++k) {
      lines.push({ type: 'activity', external_id: `${id}-call-${k}`, owner: `${X}-hal`, activity_type: 'call', outcome: rand() < 0.5 ? 'answered' : 'no_answer', occurred_at: iso(at), contact: id });
      last = at;
      at += (1 + rand() * 5) * DAY_MS;
    }
    if (converts) {
      const opened = last + (1 + rand() * 5) * DAY_MS;
      lines.push({ type: 'deal', external_id: `${id}-loan`, owner: `${X}-hal`, contact: id, title: `Past loan ${i + 1}`, value: 300000, stage: 'Closed Won', created_at: iso(opened), closed_at: iso(opened + 20 * DAY_MS) });
    }
  }
  OPEN.forEach((l, i) => {
    const id = `${X}-open-${i}`;
    const created = now - (3 - i * 0.25) * DAY_MS;
    lines.push({ type: 'contact', external_id: id, owner: `${X}-dee`, name: l.name, status: 'LEAD', ...(l.source ? { source: l.source } : {}), created_at: iso(created) });
    lines.push({ type: 'activity', external_id: `${id}-call-0`, owner: `${X}-dee`, activity_type: 'call', outcome: 'no_answer', occurred_at: iso(created + HOUR_MS), contact: id });
    lines.push({ type: 'activity', external_id: `${id}-call-1`, owner: `${X}-dee`, activity_type: 'call', outcome: 'answered', occurred_at: iso(created + DAY_MS), contact: id });
  });
  const closedAt = now - 30 * DAY_MS;
  lines.push({ type: 'contact', external_id: `${X}-closed`, owner: `${X}-dee`, name: CLOSED, status: 'CLIENT', source: 'Zillow', created_at: iso(closedAt - 20 * DAY_MS) });
  lines.push({ type: 'deal', external_id: `${X}-closed-loan`, owner: `${X}-dee`, contact: `${X}-closed`, title: 'Ellison purchase', value: 410000, stage: 'Closed Won', created_at: iso(closedAt - 10 * DAY_MS), closed_at: iso(closedAt) });
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

async function csrf(page: Page): Promise<string> {
  const me = await (await page.request.get('/api/me')).json();
  return me.csrf_token;
}

// A chance as shown ("62%", "9.8%") as a number.
const percent = (s: string | null) => Number.parseFloat((s ?? '').replace(/[^\d.]/g, ''));

beforeAll(async () => {
  browser = await launch();
  dee = await newGuardedPage(browser);
});

afterEach((ctx) => screenshotIfFailed(ctx, dee));

afterAll(async () => {
  await browser?.close();
});

describe('Call first', () => {
  it('ranks nothing and says why while the org has no history', async () => {
    const { page } = dee;
    await login(page, USERS.dee.email, USERS.dee.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Call first' }).click();
    await page.waitForURL(/\/leads$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Call first');
    const card = page.getByTestId('leads-not-ready');
    await card.waitFor();
    expect(await card.getByText('No ranking yet', { exact: true }).isVisible()).toBe(true);
    expect(await card.getByTestId('leads-message').textContent()).toMatch(
      /^No lead ranking yet: too little history to learn from: 0 leads converted and 0 did not \(a model needs at least 30 of each to train and 10 more of each to test on\)\.$/,
    );
    expect(await card.textContent()).toMatch(/Checked .+ \((just now|\d+ min ago)\)\.$/);
    // No numbers at all: no rows, no chances, no model section, nothing to explain.
    expect(await page.getByTestId('lead-row').count()).toBe(0);
    expect(await page.getByTestId('lead-model').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Why am I seeing this?' }).count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/\d%/);
    // An officer cannot retrain: no button, and the server says no.
    expect(await page.getByRole('button', { name: 'Retrain now' }).count()).toBe(0);
    const refused = await page.request.post('/api/coach/lead-model/refresh', { headers: { 'X-CSRF-Token': await csrf(page) } });
    expect(refused.status()).toBe(403);
    await noToast(page);
    await expectAccessible(page, 'call first, no ranking (light)');
    await screenshot(page, 'leads-not-ready');
    assertNoConsoleErrors(dee);
  });

  it('learns the planted signal as soon as the admin imports the history', async () => {
    const ada = await newGuardedPage(browser);
    await login(ada.page, USERS.ada.email, USERS.ada.password);
    const file = history(Date.now());
    const imported = await ada.page.request.post('/api/import', {
      data: file,
      headers: { 'Content-Type': 'application/x-ndjson', 'X-CSRF-Token': await csrf(ada.page) },
    });
    expect(imported.status(), await imported.text()).toBe(200);
    const report = await imported.json();
    expect(report.committed).toBe(true);
    expect(report.error_count).toBe(0);
    expect(report.counts.user).toEqual({ imported: 1, already_present: 1, rejected: 0 });
    expect(report.counts.contact.imported).toBe(500 + OPEN.length + 1);

    // The import dropped the stored model: the page's first read learns from
    // the new history. Retraining on demand gives the same answer.
    await ada.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Call first' }).click();
    await ada.page.getByTestId('lead-model').waitFor();
    expect(await ada.page.getByTestId('leads-not-ready').count()).toBe(0);
    await ada.page.getByRole('button', { name: 'Retrain now' }).click();
    await expect.poll(() => ada.page.getByTestId('leads-status').textContent()).toBe('Retrained: the ranking is ready.');
    // The admin has no open leads of her own, but sees what the model learned.
    await ada.page.getByTestId('leads-empty').waitFor();
    const learned = ada.page.getByTestId('lead-model');
    await learned.waitFor();
    expect(await learned.getByRole('heading', { level: 2 }).textContent()).toBe('What the model learned');
    const features = await learned.getByTestId('lead-model-features').getByRole('listitem').allTextContents();
    expect(features.length).toBeGreaterThan(0);
    expect(features.length).toBeLessThanOrEqual(8);
    expect(features[0]).toMatch(/^Source: Zillow raises the odds of a loan \d+(\.\d)?-fold against the average lead \(in \d+% of the calls learned from\)\.$/);
    expect(features.some((f) => /^Source: Facebook lowers the odds/.test(f))).toBe(true);
    const evidence = await learned.getByTestId('lead-model-evidence').locator('p').allTextContents();
    expect(evidence[0]).toMatch(/^Learned from [\d,]+ calls to leads in your org's history, [\d,]+ of them followed by a loan within 30 days\.$/);
    expect(evidence[1]).toMatch(/^Tested on [\d,]+ calls to leads it never saw \([\d,]+ followed by a loan\): AUC 0\.\d\d, 95% interval 0\.\d\d to 0\.\d\d\. /);
    await noToast(ada.page);
    await expectAccessible(ada.page, 'call first, admin after retraining');
    assertNoConsoleErrors(ada);
    await ada.context.close();
  });

  it("ranks the officer's open Zillow leads first, with the reasons and the model's evidence", async () => {
    const { page } = dee;
    await page.goto('/leads');
    const rows = page.getByTestId('lead-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(OPEN.length);
    const names = await rows.getByRole('link').allTextContents();
    expect(new Set(names.slice(0, ZILLOW.length))).toEqual(new Set(ZILLOW));
    expect(new Set(names)).toEqual(new Set(OPEN.map((l) => l.name)));
    expect(await rows.first().getByTestId('lead-source').textContent()).toBe('Source: Zillow');
    expect(await rows.nth(ZILLOW.length).getByTestId('lead-source').textContent()).not.toBe('Source: Zillow');
    // Chances as percentages, most likely first, each against the average lead.
    const chances = (await rows.getByTestId('lead-chance').allTextContents()).map((s) => s.trim());
    for (const c of chances) expect(c).toMatch(/^\d+(\.\d+)?% chance(\d+(\.\d+)?× the average lead|about the average lead)$/);
    const values = chances.map(percent);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    expect(values[0]).toBeGreaterThan(values[values.length - 1]);
    // A Zillow lead is well above the average lead, the last one below it.
    const lift = (s: string) => Number(/chance([\d.]+)×/.exec(s)?.[1] ?? 1);
    expect(lift(chances[0])).toBeGreaterThan(1.3);
    expect(lift(chances[chances.length - 1])).toBeLessThan(1);

    // A Zillow lead's reasons: a raising chip names the source, said in words to a screen reader.
    const top = rows.first().getByRole('list', { name: /^Why .+ ranks here$/ });
    const zillowChip = top.getByRole('listitem').filter({ hasText: 'Source: Zillow' });
    expect(await zillowChip.getAttribute('data-direction')).toBe('up');
    expect(await zillowChip.textContent()).toBe('Raises the chance: Source: Zillow');
    // Another source lowers it (a dashed chip with a down arrow).
    const last = rows.nth(OPEN.length - 1).getByRole('listitem');
    expect(await last.evaluateAll((els) => els.some((e) => e.getAttribute('data-direction') === 'down'))).toBe(true);
    expect(await page.getByTestId('leads-more').count()).toBe(0);

    // "Why am I seeing this?": the model's AUC, what the chance means, when it was trained.
    const why = page.getByRole('button', { name: 'Why am I seeing this?' });
    expect(await why.getAttribute('aria-expanded')).toBe('false');
    await why.click();
    expect(await why.getAttribute('aria-expanded')).toBe('true');
    const panel = page.getByTestId('why-panel');
    expect(await why.getAttribute('aria-controls')).toBe(await panel.getAttribute('id'));
    const text = (await panel.locator('p').allTextContents()).map((s) => s.trim());
    expect(text[0]).toMatch(/^Ranks leads better than chance: AUC 0\.\d\d \(95% CI 0\.\d\d-0\.\d\d\) on \d+ held-out calls to \d+ contacts, \d+ of them followed by a loan\.$/);
    expect(text[1]).toBe("The chance is that a loan is opened within 30 days after your next call, estimated from your org's own history.");
    expect(text[text.length - 1]).toMatch(/^Trained .+ \((just now|\d+ min ago)\)\.$/);
    // The officer reads what the model learned too, but cannot retrain it.
    expect(await page.getByTestId('lead-model').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Retrain now' }).count()).toBe(0);
    await screenshot(page, 'leads');
    assertNoConsoleErrors(dee);
  });

  it("shows an open lead's priority on the contact page, and says why a client has none", async () => {
    const { page } = dee;
    const first = page.getByTestId('lead-row').first();
    const name = (await first.getByRole('link').textContent()) ?? '';
    const chance = (await first.getByTestId('lead-chance').locator('span').first().textContent()) ?? '';
    await first.getByRole('link').click();
    await page.waitForURL(/\/contacts\/\d+$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
    const card = page.getByTestId('lead-priority');
    await card.waitFor();
    expect((await card.getByRole('heading', { level: 2 }).textContent())?.trim()).toBe('Lead priority');
    expect(await card.getByTestId('lead-priority-chance').textContent()).toMatch(
      new RegExp(`^${chance.replace('.', '\\.')} chance of a loan within 30 days after the next call: \\d+(\\.\\d)?× the average lead\\.$`),
    );
    expect(await card.getByRole('listitem').filter({ hasText: 'Source: Zillow' }).getAttribute('data-direction')).toBe('up');
    await card.getByRole('link', { name: 'See the Call first list' }).waitFor();
    await noToast(page);
    await screenshot(page, 'contact-lead-priority');

    // A client with a loan is not ranked: the server's sentence, no number.
    const found = await (await page.request.get('/api/contacts', { params: { q: CLOSED } })).json();
    expect(found.items).toHaveLength(1);
    await page.goto(`/contacts/${found.items[0].id}`);
    const closed = page.getByTestId('lead-priority');
    await closed.getByTestId('lead-priority-message').waitFor();
    expect(await closed.getByTestId('lead-priority-message').textContent()).toBe('Only open leads and prospects without a loan are ranked.');
    expect(await closed.textContent()).not.toMatch(/\d%/);
    await noToast(page);
    await expectAccessible(page, 'contact with lead priority');
    assertNoConsoleErrors(dee);
  });

  it('has no serious accessibility violations on the Call first page, light and dark', async () => {
    const { page } = dee;
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await page.goto('/leads');
      await page.getByTestId('lead-row').first().waitFor();
      await page.getByTestId('lead-model').waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await noToast(page);
      await page.getByRole('button', { name: 'Why am I seeing this?' }).click();
      await expectAccessible(page, `call first (${theme})`);
      await screenshot(page, theme === 'light' ? 'leads-why' : 'leads-dark');
    }
    await setTheme(page, 'light');
    assertNoConsoleErrors(dee);
  });

  it('fits a phone screen', async () => {
    const phone = await newGuardedPage(browser, { width: 390, height: 844 });
    await login(phone.page, USERS.dee.email, USERS.dee.password);
    await phone.page.goto('/leads');
    await phone.page.getByTestId('lead-row').first().waitFor();
    await phone.page.getByTestId('lead-model').waitFor();
    await noToast(phone.page);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'call first scrolls sideways on a phone').toBeLessThanOrEqual(0);
    await expectAccessible(phone.page, 'call first (phone)');
    await screenshot(phone.page, 'phone-leads');
    assertNoConsoleErrors(phone);
    await phone.context.close();
  });
});
