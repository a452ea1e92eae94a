// Shared end-to-end helpers: Debian's Chromium through playwright-core, a
// console-error guard, axe-core, screenshots, login and the coach toast.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const baseURL = () => inject('baseURL');

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // playwright-core gives every launch a fresh, empty --user-data-dir.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface Guarded {
  context: BrowserContext;
  page: Page;
  errors: string[];
  // Console errors matching these are expected (e.g. a deliberate 404).
  allow: RegExp[];
}

// Records every console.error and uncaught page error; assertNoConsoleErrors
// fails the test on any not explicitly allowed.
export async function newGuardedPage(browser: Browser, opts: { width?: number; height?: number; dark?: boolean } = {}): Promise<Guarded> {
  const context = await browser.newContext({
    baseURL: baseURL(),
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 },
    colorScheme: opts.dark ? 'dark' : 'light',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const g: Guarded = { context, page, errors: [], allow: [] };
  // Always expected: the app asks /api/me before anyone has logged in (401),
  // and /api/demo is a 404 on a server that is not the demo.
  g.allow.push(/\/api\/me\b.*401|401.*\/api\/me\b/, /\/api\/demo\b.*404|404.*\/api\/demo\b/);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ?? '';
    g.errors.push(`${msg.text()} @ ${where}`);
  });
  page.on('pageerror', (err) => g.errors.push(`pageerror: ${err.message}`));
  return g;
}

export function assertNoConsoleErrors(g: Guarded) {
  const unexpected = g.errors.filter((e) => !g.allow.some((re) => re.test(e)));
  g.errors.length = 0;
  expect(unexpected, 'console errors').toEqual([]);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

// Runs axe-core on the page; fails on any serious or critical violation.
export async function expectAccessible(page: Page, label: string) {
  // page.evaluate is not subject to the page's CSP (which forbids inline scripts).
  const has = await page.evaluate(() => typeof (window as any).axe !== 'undefined');
  if (!has) await page.evaluate(axeSource);
  const violations: AxeViolation[] = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n: any) => ({ target: n.target })) }));
  });
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: [${v.impact}] ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(bad, `axe violations on ${label}`).toEqual([]);
}

export async function setTheme(page: Page, theme: 'light' | 'dark') {
  await page.evaluate((t) => {
    localStorage.setItem('chosen.theme', t);
    document.documentElement.classList.toggle('dark', t === 'dark');
  }, theme);
}

// Saves build/e2e-screenshots/<name>.png: the whole page, or only the
// window (`fullPage: false`) where a wide board scrolls sideways.
export async function screenshot(page: Page, name: string, fullPage = true) {
  await page.screenshot({ path: path.join(inject('screenshotDir'), `${name}.png`), fullPage });
}

// After a failed test, a picture of where its page stood (afterEach).
export async function screenshotIfFailed(ctx: { task: { name: string; result?: { state?: string } } }, g?: Guarded) {
  if (ctx.task.result?.state === 'fail' && g?.page && !g.page.isClosed())
    await screenshot(g.page, `FAILED-${ctx.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
}

// Logs in from the login page (opening it unless already there) and waits
// for `landing` (Today by default; a deep link returns where it was).
export async function login(page: Page, email: string, password: string, landing: RegExp = /\/today$/) {
  if (!/\/login$/.test(page.url())) await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(landing);
  if (String(landing) === String(/\/today$/))
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Good (morning|afternoon|evening)/);
}

// Waits for a coach toast whose message matches `re`, dismissing other
// toasts that come first. Returns the toast's locator.
export async function waitForToast(page: Page, re: RegExp, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  const toast = page.getByTestId('coach-toast');
  const seen: string[] = [];
  while (Date.now() < deadline) {
    if (await toast.isVisible()) {
      const text = (await toast.getByTestId('coach-toast-message').textContent()) ?? '';
      if (re.test(text)) return toast;
      if (!seen.includes(text)) seen.push(text);
      await toast.getByRole('button', { name: /^Dismiss( coach tip)?$/ }).first().click().catch(() => undefined);
    }
    await page.waitForTimeout(150);
  }
  throw new Error(`no coach toast matching ${re} within ${timeoutMs} ms; saw: ${JSON.stringify(seen)}`);
}

export async function noToast(page: Page) {
  for (let i = 0; i < 40 && (await page.getByTestId('coach-toast').isVisible()); i++) {
    await page.getByTestId('coach-toast').getByRole('button', { name: /^Dismiss( coach tip)?$/ }).first().click().catch(() => undefined);
    await page.waitForTimeout(100);
  }
}

// The session's CSRF token (GET /api/me answers it for a cookie session).
export async function csrf(page: Page): Promise<string> {
  const me = await (await page.request.get('/api/me')).json();
  return me.csrf_token;
}

// A request with the page's session, outside the page (as another tab or
// device would make it): JSON in and out; throws on an error status.
export async function apiCall<T = any>(page: Page, method: string, path: string, data?: unknown): Promise<T> {
  const r = await page.request.fetch(path, { method, data, headers: { 'X-CSRF-Token': await csrf(page) } });
  if (!r.ok()) throw new Error(`${method} ${path}: ${r.status()} ${await r.text()}`);
  return (r.status() === 204 ? null : await r.json()) as T;
}

// Closes every celebration on screen (they sit over the top of the page).
export async function closeCelebrations(page: Page) {
  const c = page.getByTestId('celebration');
  for (let i = 0; i < 10 && (await c.isVisible()); i++) {
    await c.getByRole('button', { name: 'Close celebration' }).click().catch(() => undefined);
    await page.waitForTimeout(100);
  }
}

// Today's date in Chicago (the e2e users' zone), or `days` from it.
export function chicagoDate(days = 0): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date());
  const [y, m, d] = today.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// Waits until the page's event stream is open (the side bar says "Coach
// live"), so a live event sent next reaches it.
export async function waitForStream(page: Page) {
  await expect.poll(() => page.getByText('Coach live').first().isVisible(), { timeout: 15_000 }).toBe(true);
}
