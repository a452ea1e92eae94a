// The reward store, end to end: an admin adds rewards in the UI; an officer
// earns points by logging applications elsewhere (38 points each), redeems
// in the store, and a fast double click redeems once (one request, one
// redemption, the balance down once); the server's 409s (out of stock, not
// enough points) show on a stale page; the manager approves one and rejects
// one with a note; the officer is notified live and refunded.
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
let oli: Guarded; // the officer
let mel: Guarded; // the manager
const redeemPosts: string[] = [];

beforeAll(async () => {
  browser = await launch();
  gia = await newGuardedPage(browser);
  oli = await newGuardedPage(browser);
  mel = await newGuardedPage(browser);
  oli.page.on('request', (r) => {
    if (r.method() === 'POST' && /\/api\/game\/rewards\/\d+\/redeem$/.test(new URL(r.url()).pathname)) redeemPosts.push(r.postData() ?? '');
  });
  // The 409s the store shows on purpose.
  oli.allow.push(/status of 409/);
});

afterEach(async (ctx) => {
  for (const g of [gia, oli, mel]) await screenshotIfFailed(ctx, g);
});

afterAll(async () => {
  await browser?.close();
});

const reward = (g: Guarded, name: string) => g.page.getByTestId('reward').filter({ has: g.page.getByRole('heading', { name }) });
const balance = () => oli.page.getByTestId('balance-value');

async function addReward(name: string, description: string, cost: string, stock: string) {
  const { page } = gia;
  await page.getByRole('button', { name: 'New reward' }).click();
  const dialog = page.getByRole('dialog', { name: 'New reward' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Description').fill(description);
  await dialog.getByLabel('Cost (points)').fill(cost);
  await dialog.getByLabel('Stock').fill(stock);
  await dialog.getByRole('button', { name: 'Add reward' }).click();
  await expect.poll(() => dialog.count()).toBe(0);
  await expect.poll(() => page.getByTestId('manage-reward').filter({ hasText: name }).count()).toBe(1);
}

describe('the reward store', () => {
  it('lets an admin add rewards (with checks) in the Manage tab', async () => {
    const { page } = gia;
    await login(page, USERS.gia.email, USERS.gia.password);
    await noToast(page);
    await page.getByRole('link', { name: 'Achievements' }).first().click();
    await page.waitForURL(/\/profile$/);
    await page.getByRole('navigation', { name: 'Game sections' }).getByRole('link', { name: 'Rewards' }).click();
    await page.getByRole('tab', { name: 'Manage' }).click();
    await expect.poll(() => page.getByTestId('manage-rewards').textContent()).toMatch(/No rewards yet/);
    // A cost of 0 is refused before the server is asked.
    await page.getByRole('button', { name: 'New reward' }).click();
    const dialog = page.getByRole('dialog', { name: 'New reward' });
    await dialog.getByLabel('Name').fill('Nothing');
    await dialog.getByLabel('Cost (points)').fill('0');
    await dialog.getByLabel('Stock').fill('1');
    await dialog.getByRole('button', { name: 'Add reward' }).click();
    await expect.poll(() => dialog.getByText('A whole number of points from 1 to 10,000,000').isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await addReward('Team lunch', 'Lunch with the team, on the company.', '50', '5');
    await addReward('Coffee card', 'A $10 coffee card.', '30', '1');
    // Edit: a reward can be hidden and shown again.
    await page.getByRole('button', { name: 'Edit Coffee card' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Coffee card' });
    expect(await edit.getByLabel('Cost (points)').inputValue()).toBe('30');
    await edit.getByRole('button', { name: 'Save reward' }).click();
    await expect.poll(() => edit.count()).toBe(0);
    const rewards = (await apiCall(page, 'GET', '/api/game/rewards')).items;
    expect(rewards.map((r: any) => [r.name, r.cost, r.stock, r.active])).toEqual([
      ['Coffee card', 30, 1, true],
      ['Team lunch', 50, 5, true],
    ]);
    await expectAccessible(page, 'rewards: manage');
    await screenshot(page, 'game-rewards-manage');
    assertNoConsoleErrors(gia);
  });

  it('shows the balance an officer earned by logging applications elsewhere', async () => {
    const { page } = oli;
    await login(page, USERS.oli.email, USERS.oli.password);
    await noToast(page);
    for (let i = 0; i < 3; i++) await apiCall(page, 'POST', '/api/activities', { type: 'call', outcome: 'application_taken' });
    await closeCelebrations(page);
    await page.goto('/rewards');
    await expect.poll(() => balance().textContent()).toBe('114');
    await expect.poll(() => page.getByTestId('reward').count()).toBe(2);
    expect(await reward(oli, 'Team lunch').getByTestId('reward-cost').textContent()).toBe('50 points');
    expect(await reward(oli, 'Team lunch').getByTestId('reward-stock').textContent()).toBe('5 left');
    expect(await reward(oli, 'Coffee card').getByTestId('reward-stock').textContent()).toBe('Last one');
    // Officers have no To decide or Manage tabs.
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Store', 'My redemptions']);
    await expectAccessible(page, 'rewards: store');
    assertNoConsoleErrors(oli);
  });

  it('redeems once on a fast double click: one request id, one redemption, the balance down once', async () => {
    const { page } = oli;
    await closeCelebrations(page);
    await reward(oli, 'Team lunch').getByRole('button', { name: /^Redeem/ }).dblclick();
    await expect.poll(() => reward(oli, 'Team lunch').getByTestId('redeem-done').isVisible()).toBe(true);
    const mine = (await apiCall(page, 'GET', '/api/game/redemptions')).items;
    expect(mine.map((r: any) => [r.reward, r.cost, r.status])).toEqual([['Team lunch', 50, 'pending']]);
    expect(redeemPosts.length).toBe(1);
    expect(JSON.parse(redeemPosts[0]).request_id).toBe(mine[0].request_id);
    expect(mine[0].request_id).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => balance().textContent()).toBe('64');
    await expect.poll(() => reward(oli, 'Team lunch').getByTestId('reward-stock').textContent()).toBe('4 left');
    // A later click is a new intent: a new request id.
    await page.getByRole('tab', { name: 'My redemptions' }).click();
    const row = page.getByTestId('my-redemption');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.first().textContent()).toMatch(/Team lunch.*50.*Waiting for approval/);
    await screenshot(page, 'game-rewards-mine');
    assertNoConsoleErrors(oli);
  });

  it("shows the server's 409s on a stale page: out of stock, not enough points", async () => {
    const { page } = oli;
    await page.getByRole('tab', { name: 'Store' }).click();
    await expect.poll(() => reward(oli, 'Coffee card').getByTestId('reward-stock').textContent()).toBe('Last one');
    // The admin takes the last coffee card off the shelf meanwhile.
    const coffee = (await apiCall(gia.page, 'GET', '/api/game/rewards')).items.find((r: any) => r.name === 'Coffee card');
    await apiCall(gia.page, 'PATCH', `/api/game/rewards/${coffee.id}`, { stock: 0 });
    await reward(oli, 'Coffee card').getByRole('button', { name: /^Redeem/ }).click();
    await expect.poll(() => reward(oli, 'Coffee card').getByTestId('redeem-error').textContent()).toBe('that reward is out of stock');
    await expect.poll(() => reward(oli, 'Coffee card').getByTestId('reward-stock').textContent()).toBe('Out of stock');
    expect(await reward(oli, 'Coffee card').getByRole('button', { name: /^Redeem/ }).isDisabled()).toBe(true);
    // Another tab spends 50 of the 64 points: this page still shows 64.
    const lunch = (await apiCall(page, 'GET', '/api/game/rewards')).items.find((r: any) => r.name === 'Team lunch');
    await apiCall(page, 'POST', `/api/game/rewards/${lunch.id}/redeem`, { request_id: 'another-tab-1' });
    expect(await balance().textContent()).toBe('64');
    await reward(oli, 'Team lunch').getByRole('button', { name: /^Redeem/ }).click();
    await expect.poll(() => reward(oli, 'Team lunch').getByTestId('redeem-error').textContent()).toBe('not enough points: it costs 50');
    await expect.poll(() => balance().textContent()).toBe('14');
    await expect.poll(() => reward(oli, 'Team lunch').textContent()).toMatch(/36 more points to go|not enough points/);
    expect(await reward(oli, 'Team lunch').getByRole('button', { name: /^Redeem/ }).isDisabled()).toBe(true);
    expect((await apiCall(page, 'GET', '/api/game/redemptions')).items.length).toBe(2);
    await expectAccessible(page, 'rewards: store after 409s');
    await screenshot(page, 'game-rewards-store');
    assertNoConsoleErrors(oli);
  });

  it('lets the manager approve one and reject one with a note; the officer is notified and refunded live', async () => {
    await login(mel.page, USERS.mel.email, USERS.mel.password);
    await noToast(mel.page);
    await mel.page.goto('/rewards');
    await expect.poll(() => mel.page.getByTestId('decide-count').textContent()).toBe('2');
    await mel.page.getByRole('tab', { name: /To decide/ }).click();
    const rows = mel.page.getByTestId('to-decide');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toMatch(/Oli Brandt asks for Team lunch/);
    await expectAccessible(mel.page, 'rewards: to decide');
    await screenshot(mel.page, 'game-rewards-decide');
    const [newer, older] = await Promise.all([rows.nth(0).getAttribute('data-redemption-id'), rows.nth(1).getAttribute('data-redemption-id')]);
    // Approve the older (the store's), reject the newer with a note.
    await mel.page.getByRole('button', { name: 'Approve Team lunch for Oli Brandt' }).nth(1).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-redemption-id')).toBe(newer);
    await rows.first().getByLabel('Note for Oli Brandt (optional)').fill('Next quarter, promise.');
    await rows.first().getByRole('button', { name: 'Reject Team lunch for Oli Brandt' }).click();
    await expect.poll(() => mel.page.getByTestId('decide-empty').isVisible()).toBe(true);
    assertNoConsoleErrors(mel);

    // The officer: two reward notifications arrive live, and the refund.
    const { page } = oli;
    await expect.poll(() => balance().textContent(), { timeout: 10_000 }).toBe('64');
    await page.getByTestId('notification-bell').first().click();
    const panel = page.getByTestId('notification-panel');
    await expect.poll(() => panel.getByText('Reward not approved: Team lunch').isVisible()).toBe(true);
    expect(await panel.getByText('Reward approved: Team lunch').isVisible()).toBe(true);
    expect(await panel.textContent()).toMatch(/Your 50 points are back in your balance\. Next quarter, promise\./);
    await panel.getByRole('link', { name: 'Reward not approved: Team lunch' }).click();
    await page.waitForURL(/\/rewards\?tab=mine$/);
    const mine = page.getByTestId('my-redemption');
    await expect.poll(async () => (await mine.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status'))))).toEqual(['rejected', 'approved']);
    expect(await mine.first().textContent()).toMatch(/Note: Next quarter, promise\./);
    const server = (await apiCall(page, 'GET', '/api/game/redemptions')).items;
    expect(server.map((r: any) => [String(r.id), r.status])).toEqual([
      [newer, 'rejected'],
      [older, 'approved'],
    ]);
    // The ledger: three awards, two redemptions, one refund.
    const ledger = (await apiCall(page, 'GET', '/api/game/ledger')).items.map((e: any) => [e.kind, e.points]);
    expect(ledger).toEqual([
      ['refund', 50],
      ['redeem', -50],
      ['redeem', -50],
      ['award', 38],
      ['award', 38],
      ['award', 38],
    ]);
    await setTheme(page, 'dark');
    await expectAccessible(page, 'rewards: my redemptions (dark)');
    await screenshot(page, 'game-rewards-mine-dark');
    await setTheme(page, 'light');
    assertNoConsoleErrors(oli);
  });
});
