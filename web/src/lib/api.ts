// The HTTP client: JSON in and out, the session cookie (sent by the browser)
// plus the CSRF token on unsafe requests, one error type, and a hook for an
// expired session. `fetch` is injectable so the client is unit-testable.
import type {
  Activity,
  BestTime,
  CheckInsightRequest,
  Competition,
  CompetitionSummary,
  FeedPage,
  GameProfile,
  GameStreak,
  KudosItem,
  Leaderboard,
  LeaderboardMetric,
  LeaderboardPeriod,
  LeaderboardScope,
  LedgerPage,
  NewCompetition,
  OrgUser,
  PointsTable,
  Redemption,
  Reward,
  CoachInsight,
  CoachSettings,
  Contact,
  ContactLeadScore,
  CrmEvent,
  Deal,
  DemoInfo,
  Goal,
  GoalMetric,
  GoalPeriod,
  HubMonth,
  HubToday,
  HubWeek,
  LeadModel,
  NotificationPage,
  PeerBands,
  PlanItem,
  PlanStatus,
  PlanWeek,
  Progress,
  TeamReport,
  LeadScores,
  Page,
  PatternsResponse,
  Task,
  User,
} from '../types';

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | null | undefined | string[]>;

// Builds "?a=1&b=x" from the defined, non-empty values (arrays become comma lists).
export function toQueryString(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) params.set(k, v.join(','));
      continue;
    }
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  fetch?: FetchLike;
  // Called once per 401 from an authenticated call (not from login itself):
  // the session expired or was ended elsewhere.
  onUnauthorized?: () => void;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ApiClient {
  private csrf: string | null = null;
  private fetchImpl: FetchLike;
  onUnauthorized?: () => void;

  constructor(options: ApiClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.onUnauthorized = options.onUnauthorized;
  }

  setCsrfToken(token: string | null | undefined) {
    this.csrf = token ?? null;
  }

  get csrfToken() {
    return this.csrf;
  }

  async request<T>(method: string, path: string, opts: { query?: Query; body?: unknown; auth?: boolean } = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (UNSAFE.has(method) && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    let res: Response;
    try {
      res = await this.fetchImpl(path + toQueryString(opts.query), {
        method,
        headers,
        credentials: 'same-origin',
        body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      });
    } catch {
      throw new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let data: any = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!res.ok) {
      const e = data?.error;
      const err = new ApiError(
        res.status,
        e?.code ?? 'HTTP_' + res.status,
        e?.message ?? `The server answered ${res.status}`,
        e?.field,
      );
      if (res.status === 401 && opts.auth !== false) {
        this.csrf = null;
        this.onUnauthorized?.();
      }
      throw err;
    }
    return data as T;
  }

  get<T>(path: string, query?: Query) {
    return this.request<T>('GET', path, { query });
  }
  post<T>(path: string, body?: unknown, query?: Query) {
    return this.request<T>('POST', path, { body, query });
  }
  put<T>(path: string, body: unknown) {
    return this.request<T>('PUT', path, { body });
  }
  patch<T>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, { body });
  }
  delete(path: string) {
    return this.request<void>('DELETE', path);
  }

  // --- Session ---
  async login(email: string, password: string): Promise<User> {
    const r = await this.request<{ user: User; csrf_token: string }>('POST', '/api/auth/login', {
      body: { email, password },
      auth: false,
    });
    this.csrf = r.csrf_token;
    return r.user;
  }
  async logout(): Promise<void> {
    try {
      await this.request('POST', '/api/auth/logout', { body: {}, auth: false });
    } finally {
      this.csrf = null;
    }
  }
  // The current user, or null when not logged in (no onUnauthorized call).
  async me(): Promise<User | null> {
    try {
      const u = await this.request<User>('GET', '/api/me', { auth: false });
      this.csrf = u.csrf_token ?? this.csrf;
      return u;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  }
  updateMe(patch: Partial<Pick<User, 'name' | 'timezone' | 'working_hours'>>) {
    return this.patch<User>('/api/me', patch);
  }
  // The demo server's logins, or null on a normal server (404).
  async demo(): Promise<DemoInfo | null> {
    try {
      return await this.request<DemoInfo>('GET', '/api/demo', { auth: false });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }

  // --- CRM ---
  listContacts(q: Query) {
    return this.get<Page<Contact>>('/api/contacts', q);
  }
  getContact(id: number) {
    return this.get<Contact>(`/api/contacts/${id}`);
  }
  getBestTime(id: number) {
    return this.get<BestTime>(`/api/contacts/${id}/best-time`);
  }
  // The contact's chance of a loan soon, if it is an open lead (the lead priority model).
  getContactScore(id: number) {
    return this.get<ContactLeadScore>(`/api/contacts/${id}/score`);
  }
  createContact(c: Partial<Contact>) {
    return this.post<Contact>('/api/contacts', c);
  }
  updateContact(id: number, c: Partial<Contact>) {
    return this.patch<Contact>(`/api/contacts/${id}`, c);
  }
  deleteContact(id: number) {
    return this.delete(`/api/contacts/${id}`);
  }
  listDeals(q: Query) {
    return this.get<Page<Deal>>('/api/deals', q);
  }
  getDeal(id: number) {
    return this.get<Deal>(`/api/deals/${id}`);
  }
  createDeal(d: Partial<Deal>) {
    return this.post<Deal>('/api/deals', d);
  }
  updateDeal(id: number, d: Partial<Deal>) {
    return this.patch<Deal>(`/api/deals/${id}`, d);
  }
  deleteDeal(id: number) {
    return this.delete(`/api/deals/${id}`);
  }
  listTasks(q: Query) {
    return this.get<Page<Task>>('/api/tasks', q);
  }
  getTask(id: number) {
    return this.get<Task>(`/api/tasks/${id}`);
  }
  createTask(t: Partial<Task>) {
    return this.post<Task>('/api/tasks', t);
  }
  updateTask(id: number, t: Partial<Task>) {
    return this.patch<Task>(`/api/tasks/${id}`, t);
  }
  deleteTask(id: number) {
    return this.delete(`/api/tasks/${id}`);
  }
  listActivities(q: Query) {
    return this.get<Page<Activity>>('/api/activities', q);
  }
  createActivity(a: Partial<Activity>) {
    return this.post<Activity>('/api/activities', a);
  }
  listEvents(q: Query) {
    return this.get<Page<CrmEvent>>('/api/events', q);
  }

  // Follows next_cursor until `max` items (or the end); for boards and totals.
  async listAll<T>(path: string, q: Query, max = 1000): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<T> = await this.get<Page<T>>(path, { ...q, limit: 200, cursor: cursor ?? undefined });
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor && items.length < max);
    return { items, truncated: cursor !== null };
  }
}

// The seed plan's coach client (Task 10), on the shared ApiClient.
export function makeCoachApi(api: ApiClient) {
  return {
    checkAction: (request: CheckInsightRequest, settings: CoachSettings) =>
      api.post<CoachInsight | null>('/api/coach/check', request, { coach_level: settings.coach_level }),
    getInsights: (settings: CoachSettings) =>
      api.get<CoachInsight[]>('/api/coach/insights', {
        coach_level: settings.coach_level,
        stale_lead_days: settings.stale_lead_days,
        stuck_deal_days: settings.stuck_deal_days,
      }),
    markSeen: (insightId: number) => api.post<{ success: boolean }>(`/api/coach/insights/${insightId}/seen`),
    dismissInsight: (insightId: number) => api.post<{ success: boolean }>(`/api/coach/insights/${insightId}/dismiss`),
    getSettings: () => api.get<CoachSettings>('/api/coach/settings'),
    saveSettings: (s: CoachSettings) => api.put<CoachSettings>('/api/coach/settings', s),
    // The officer's stored pattern findings (computed on first use).
    getPatterns: () => api.get<PatternsResponse>('/api/coach/patterns'),
    // Recomputes the findings now (and re-evaluates the pattern insights).
    refreshPatterns: () => api.post<PatternsResponse>('/api/coach/patterns/refresh'),
    // The org's lead priority model (trained on first use).
    getLeadModel: () => api.get<LeadModel>('/api/coach/lead-model'),
    // Retrains it now (managers and admins; 403 for an officer).
    refreshLeadModel: () => api.post<LeadModel>('/api/coach/lead-model/refresh'),
    // An officer's open leads ranked by it (the caller's own without user_id).
    getLeadScores: (q: { limit?: number; user_id?: number } = {}) => api.get<LeadScores>('/api/coach/lead-scores', q),
  };
}

export type CoachApi = ReturnType<typeof makeCoachApi>;

// The accountability hub (docs/api.md: goals, the daily/weekly/monthly
// views, the weekly plan, peer bands, reports, notifications).
export function makeHubApi(api: ApiClient) {
  return {
    listGoals: (userId?: number) => api.get<{ items: Goal[] }>('/api/goals', { user_id: userId }),
    // Creates or replaces the goal for that metric and period.
    putGoal: (g: { metric: GoalMetric | string; period: GoalPeriod | string; target: number; user_id?: number }) =>
      api.put<Goal>('/api/goals', g),
    deleteGoal: (id: number) => api.delete(`/api/goals/${id}`),
    progress: (period: GoalPeriod = 'day', userId?: number) => api.get<Progress>('/api/goals/progress', { period, user_id: userId }),

    today: (userId?: number) => api.get<HubToday>('/api/hub/today', { user_id: userId }),
    week: (week?: string, userId?: number) => api.get<HubWeek>('/api/hub/week', { week, user_id: userId }),
    peers: (scope: 'team' | 'org' = 'team', period: 'week' | 'month' = 'week') => api.get<PeerBands>('/api/hub/peers', { scope, period }),
    month: (month?: string, userId?: number) => api.get<HubMonth>('/api/hub/month', { month, user_id: userId }),
    teamReport: (month?: string, teamId?: number) => api.get<TeamReport>('/api/hub/reports/team', { month, team_id: teamId }),
    teams: () => api.get<{ items: { id: number; name: string; members: number }[] }>('/api/teams'),

    plan: (week?: string, userId?: number) => api.get<PlanWeek>('/api/plan', { week, user_id: userId }),
    addPlanItem: (item: { title: string; week?: string; day?: number | null; status?: PlanStatus; user_id?: number }) =>
      api.post<PlanItem>('/api/plan', item),
    // A move (day and position) answers the whole week, renumbered.
    updatePlanItem: (id: number, patch: { title?: string; status?: PlanStatus; day?: number | null; position?: number }) =>
      api.patch<PlanWeek>(`/api/plan/${id}`, patch),
    deletePlanItem: (id: number) => api.delete(`/api/plan/${id}`),

    notifications: (q: { limit?: number; before?: number; unread?: boolean } = {}) =>
      api.get<NotificationPage>('/api/notifications', { limit: q.limit, before: q.before, unread: q.unread || undefined }),
    markNotificationRead: (id: number) => api.post<{ success: boolean; unread: number }>(`/api/notifications/${id}/read`),
    markAllNotificationsRead: () => api.post<{ success: boolean; unread: number }>('/api/notifications/read-all'),
  };
}

export type HubApi = ReturnType<typeof makeHubApi>;

// Gamification (docs/api.md: /api/game/..., /api/kudos, /api/feed, and
// /api/users to pick a colleague).
export function makeGameApi(api: ApiClient) {
  return {
    profile: (userId?: number) => api.get<GameProfile>('/api/game/profile', { user_id: userId }),
    ledger: (q: { limit?: number; before?: number; user_id?: number } = {}) => api.get<LedgerPage>('/api/game/ledger', q),
    freeze: (date: string) => api.post<GameStreak>('/api/game/streak/freeze', { date }),
    pointsTable: () => api.get<PointsTable>('/api/game/points-table'),
    // Only the changed actions: a new version of the table from now on (admins).
    putPointsTable: (points: Record<string, number>) => api.put<PointsTable>('/api/game/points-table', { points }),
    settings: () => api.get<{ named_leaderboards: boolean }>('/api/game/settings'),
    putSettings: (s: { named_leaderboards: boolean }) => api.put<{ named_leaderboards: boolean }>('/api/game/settings', s),

    rewards: () => api.get<{ items: Reward[] }>('/api/game/rewards'),
    createReward: (r: Pick<Reward, 'name' | 'description' | 'cost' | 'stock' | 'active'>) => api.post<Reward>('/api/game/rewards', r),
    updateReward: (id: number, r: Partial<Pick<Reward, 'name' | 'description' | 'cost' | 'stock' | 'active'>>) =>
      api.patch<Reward>(`/api/game/rewards/${id}`, r),
    // One request_id per intended redemption: a repeat answers the first.
    redeem: (rewardId: number, requestId: string) => api.post<Redemption>(`/api/game/rewards/${rewardId}/redeem`, { request_id: requestId }),
    redemptions: (toDecide = false) => api.get<{ items: Redemption[] }>('/api/game/redemptions', { to_decide: toDecide || undefined }),
    decide: (id: number, approve: boolean, note?: string) =>
      api.post<Redemption>(`/api/game/redemptions/${id}/${approve ? 'approve' : 'reject'}`, note ? { note } : {}),

    kudos: (toUserId: number, message: string) => api.post<KudosItem>('/api/kudos', { to_user_id: toUserId, message }),
    feed: (q: { limit?: number; before?: string } = {}) => api.get<FeedPage>('/api/feed', q),
    users: () => api.get<{ items: OrgUser[] }>('/api/users'),

    leaderboard: (q: { metric: LeaderboardMetric; period: LeaderboardPeriod; scope: LeaderboardScope }) =>
      api.get<Leaderboard>('/api/game/leaderboard', q),
    competitions: () => api.get<{ items: CompetitionSummary[] }>('/api/game/competitions'),
    competition: (id: number) => api.get<Competition>(`/api/game/competitions/${id}`),
    createCompetition: (c: NewCompetition) => api.post<Competition>('/api/game/competitions', c),
  };
}

export type GameApi = ReturnType<typeof makeGameApi>;

// Links (cookie auth works for a plain <a href>): the printable reports.
export function monthlyReportUrl(q: { month?: string; user_id?: number } = {}): string {
  return '/api/hub/reports/monthly' + toQueryString({ ...q, format: 'html' });
}
export function teamReportUrl(q: { month?: string; team_id?: number } = {}): string {
  return '/api/hub/reports/team' + toQueryString({ ...q, format: 'html' });
}

// The app's one client.
export const api = new ApiClient();
export const coachApi = makeCoachApi(api);
export const hubApi = makeHubApi(api);
export const gameApi = makeGameApi(api);
