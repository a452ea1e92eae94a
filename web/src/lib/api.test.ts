import { describe, expect, it, vi } from 'vitest';
import { ApiClient, makeHubApi, monthlyReportUrl, ApiError, makeCoachApi, toQueryString } from './api';
import { insightTarget } from './insightTarget';

type Call = { url: string; init: RequestInit };

function fakeFetch(responses: Array<{ status: number; body?: unknown }>) {
  const calls: Call[] = [];
  const fn = async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    const r = responses.shift() ?? { status: 500 };
    const text = r.body === undefined ? '' : JSON.stringify(r.body);
    return new Response(r.status === 204 ? null : text, { status: r.status, headers: { 'Content-Type': 'application/json' } });
  };
  return { fn, calls };
}

const headers = (c: Call) => c.init.headers as Record<string, string>;

describe('ApiClient', () => {
  it('logs in, then sends the CSRF token on unsafe requests only', async () => {
    const { fn, calls } = fakeFetch([
      { status: 200, body: { user: { id: 1, name: 'Ana' }, csrf_token: 'tok-1', expires_at: 'x' } },
      { status: 200, body: { items: [], next_cursor: null } },
      { status: 201, body: { id: 5, name: 'Jen' } },
    ]);
    const api = new ApiClient({ fetch: fn });
    const user = await api.login('ana@x.test', 'pw');
    expect(user.name).toBe('Ana');
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ email: 'ana@x.test', password: 'pw' });
    await api.listContacts({ q: 'jen', status: ['LEAD', 'PROSPECT'], tag: '' });
    expect(calls[1].url).toBe('/api/contacts?q=jen&status=LEAD%2CPROSPECT');
    expect(headers(calls[1])['X-CSRF-Token']).toBeUndefined();
    await api.createContact({ name: 'Jen' });
    expect(headers(calls[2])['X-CSRF-Token']).toBe('tok-1');
    expect(headers(calls[2])['Content-Type']).toBe('application/json');
  });

  it('turns the error shape into ApiError with code and field', async () => {
    const { fn } = fakeFetch([
      { status: 400, body: { error: { code: 'INVALID_ARGUMENT', message: 'priority must be one of: low', field: 'priority' } } },
    ]);
    const api = new ApiClient({ fetch: fn });
    const err = await api.createTask({ title: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.field).toBe('priority');
    expect(err.message).toMatch(/priority/);
  });

  it('reports an expired session once and forgets the token', async () => {
    const onUnauthorized = vi.fn();
    const { fn, calls } = fakeFetch([
      { status: 200, body: { id: 1, csrf_token: 'tok' } },
      { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'expired' } } },
      { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'expired' } } },
    ]);
    const api = new ApiClient({ fetch: fn, onUnauthorized });
    expect((await api.me())?.id).toBe(1);
    expect(api.csrfToken).toBe('tok');
    await expect(api.updateTask(3, { status: 'completed' })).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(api.csrfToken).toBeNull();
    // Not logged in at start-up is not an "expiry".
    expect(await api.me()).toBeNull();
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(3);
  });

  it('handles 204, network failures and non-JSON bodies', async () => {
    const api = new ApiClient({ fetch: fakeFetch([{ status: 204 }]).fn });
    await expect(api.deleteTask(1)).resolves.toBeUndefined();
    const down = new ApiClient({ fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(down.getTask(1)).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
    const html = new ApiClient({ fetch: async () => new Response('<html>', { status: 502 }) });
    await expect(html.getTask(1)).rejects.toMatchObject({ status: 502, code: 'HTTP_502' });
  });

  it('answers null for /api/demo on a normal server', async () => {
    const api = new ApiClient({ fetch: fakeFetch([{ status: 404, body: { error: { code: 'NOT_FOUND', message: 'x' } } }]).fn });
    expect(await api.demo()).toBeNull();
  });

  it('follows cursors in listAll', async () => {
    const { fn, calls } = fakeFetch([
      { status: 200, body: { items: [1, 2], next_cursor: 'c1' } },
      { status: 200, body: { items: [3], next_cursor: null } },
    ]);
    const api = new ApiClient({ fetch: fn });
    const r = await api.listAll<number>('/api/deals', { open: true });
    expect(r).toEqual({ items: [1, 2, 3], truncated: false });
    expect(calls[1].url).toBe('/api/deals?open=true&limit=200&cursor=c1');
  });

  it('speaks the plan coach API', async () => {
    const { fn, calls } = fakeFetch([{ status: 200, body: null }, { status: 200, body: [] }, { status: 200, body: { success: true } }]);
    const coach = makeCoachApi(new ApiClient({ fetch: fn }));
    const settings = {
      coach_level: 3,
      coach_enabled: true,
      stale_lead_days: 5,
      stuck_deal_days: 20,
      morning_push_time: '06:00',
      pace_nudges: true,
      daily_summary: true,
    } as const;
    expect(await coach.checkAction({ action: 'task_completed', entity_type: 'task', entity_id: 4 }, settings)).toBeNull();
    expect(calls[0].url).toBe('/api/coach/check?coach_level=3');
    await coach.getInsights(settings);
    expect(calls[1].url).toBe('/api/coach/insights?coach_level=3&stale_lead_days=5&stuck_deal_days=20');
    await coach.dismissInsight(9);
    expect(calls[2].url).toBe('/api/coach/insights/9/dismiss');
  });

  it('reads and refreshes pattern findings, the refresh with the CSRF token', async () => {
    const empty = { user_id: 4, generated_at: 'x', period: { from: 'a', to: 'b', days: 180 }, patterns: [] };
    const { fn, calls } = fakeFetch([
      { status: 200, body: { user: { id: 4 }, csrf_token: 'tok-9' } },
      { status: 200, body: empty },
      { status: 200, body: empty },
    ]);
    const client = new ApiClient({ fetch: fn });
    await client.login('jk@x.test', 'pw');
    const coach = makeCoachApi(client);
    expect((await coach.getPatterns()).period.days).toBe(180);
    expect(calls[1].url).toBe('/api/coach/patterns');
    expect(calls[1].init.method).toBe('GET');
    expect(headers(calls[1])['X-CSRF-Token']).toBeUndefined();
    expect((await coach.refreshPatterns()).patterns).toEqual([]);
    expect(calls[2].url).toBe('/api/coach/patterns/refresh');
    expect(calls[2].init.method).toBe('POST');
    expect(headers(calls[2])['X-CSRF-Token']).toBe('tok-9');
  });

  it('builds query strings from defined values only', () => {
    expect(toQueryString({ a: 1, b: undefined, c: null, d: '', e: false, f: [] })).toBe('?a=1&e=false');
    expect(toQueryString({})).toBe('');
  });
});

describe('the hub API', () => {
  it('speaks the contract: goals, plan moves, notifications paging, report links', async () => {
    const { fn, calls } = fakeFetch([
      { status: 200, body: { user: { id: 4 }, csrf_token: 'tok-h' } },
      { status: 200, body: { id: 1 } },
      { status: 200, body: { user_id: 4, week: '2026-11-16', items: [] } },
      { status: 200, body: { items: [], unread: 0, next_before: null } },
      { status: 200, body: { success: true, unread: 0 } },
      { status: 204 },
      { status: 200, body: {} },
    ]);
    const client = new ApiClient({ fetch: fn });
    await client.login('h@x.test', 'pw');
    const hub = makeHubApi(client);
    await hub.putGoal({ metric: 'calls', period: 'day', target: 20 });
    expect(calls[1].url).toBe('/api/goals');
    expect(calls[1].init.method).toBe('PUT');
    expect(JSON.parse(String(calls[1].init.body))).toEqual({ metric: 'calls', period: 'day', target: 20 });
    expect(headers(calls[1])['X-CSRF-Token']).toBe('tok-h');
    await hub.updatePlanItem(7, { day: 3, position: 0 });
    expect(calls[2].url).toBe('/api/plan/7');
    expect(calls[2].init.method).toBe('PATCH');
    expect(JSON.parse(String(calls[2].init.body))).toEqual({ day: 3, position: 0 });
    await hub.notifications({ limit: 20, before: 41 });
    expect(calls[3].url).toBe('/api/notifications?limit=20&before=41');
    await hub.markAllNotificationsRead();
    expect(calls[4].url).toBe('/api/notifications/read-all');
    await hub.deletePlanItem(7);
    expect(calls[5].init.method).toBe('DELETE');
    await hub.week('2026-11-18');
    expect(calls[6].url).toBe('/api/hub/week?week=2026-11-18');
    expect(monthlyReportUrl()).toBe('/api/hub/reports/monthly?format=html');
    expect(monthlyReportUrl({ month: '2026-10' })).toBe('/api/hub/reports/monthly?month=2026-10&format=html');
  });
});

describe('insightTarget', () => {
  it('goes to the exact record or filtered list', () => {
    expect(insightTarget({ suggested_action: 'view_task', action_params: { task_id: 7 } })).toBe('/tasks?task=7');
    expect(insightTarget({ suggested_action: 'view_deal', action_params: { deal_id: 3 } })).toBe('/deals/3');
    expect(insightTarget({ suggested_action: 'view_overdue_tasks', action_params: { count: 2 } })).toBe('/tasks?filter=overdue');
    expect(insightTarget({ suggested_action: 'view_stale_leads', action_params: { stale_lead_days: 10 } })).toBe('/contacts?stale=10');
    expect(insightTarget({ suggested_action: 'call_contact', action_params: { contact_id: 12 } })).toBe('/contacts/12?log=call');
    expect(
      insightTarget({
        suggested_action: 'create_task',
        action_params: { title: 'Ask Sue for referral', priority: 'high', deal_id: 94, contact_id: 205 },
      }),
    ).toBe('/tasks?new=1&title=Ask+Sue+for+referral&priority=high&deal_id=94&contact_id=205');
    expect(insightTarget({ suggested_action: null, entity_type: null, entity_id: null })).toBeNull();
  });
});
