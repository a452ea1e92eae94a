// Display and form logic for gamification (points, levels, badges, streaks,
// rewards, leaderboards, competitions, kudos), kept pure for unit tests.
import { addDays } from './format';
import type { FeedItem, GameStreak, LedgerEntry, Person } from '../types';

// The query keys of the game's reads: everything under ['game'] (the feed
// under ['feed']), so a live event can refresh them all at once.
export const gameKeys = {
  all: ['game'] as const,
  profile: ['game', 'profile'] as const,
  ledger: ['game', 'ledger'] as const,
  pointsTable: ['game', 'points-table'] as const,
  settings: ['game', 'settings'] as const,
  rewards: ['game', 'rewards'] as const,
  redemptions: (toDecide: boolean) => ['game', 'redemptions', toDecide ? 'to-decide' : 'mine'] as const,
  leaderboard: (metric: string, period: string, scope: string) => ['game', 'leaderboard', metric, period, scope] as const,
  competitions: ['game', 'competitions'] as const,
  competition: (id: number) => ['game', 'competition', id] as const,
  feed: ['feed'] as const,
  users: ['users'] as const,
};

// --- Points ---

// Short names for the points table's actions (a ledger reason names them).
export const ACTION_LABELS: Record<string, string> = {
  call: 'Call',
  conversation: 'Reached someone',
  appointment: 'Appointment set',
  application: 'Application taken',
  text: 'Text',
  email: 'Email',
  meeting: 'Meeting',
  video_post: 'Video post',
  social_post: 'Social post',
  task_completed: 'Task completed',
  deal_created: 'Loan opened',
  loan_funded: 'Loan funded',
};

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatPoints(n: number): string {
  return whole.format(n);
}

// "+38", "−30", "0".
export function signedPoints(n: number): string {
  if (n > 0) return `+${whole.format(n)}`;
  if (n < 0) return `−${whole.format(-n)}`;
  return '0';
}

export interface ReasonPart {
  label: string;
  points: number;
}

// An award's reason ("call 1 + conversation 2 + application 25") as parts
// with readable labels; a redemption's or refund's ("redeemed Coffee") as a
// sentence. Unknown shapes pass through unchanged.
export function ledgerReason(e: Pick<LedgerEntry, 'kind' | 'reason'>): { text: string; parts: ReasonPart[] } {
  const reason = (e.reason ?? '').trim();
  if (e.kind === 'award') {
    const parts: ReasonPart[] = [];
    for (const chunk of reason.split(' + ')) {
      const m = /^([a-z_]+) (-?\d+)$/.exec(chunk.trim());
      if (!m) return { text: reason || 'Points awarded', parts: [] };
      parts.push({ label: ACTION_LABELS[m[1]] ?? m[1].replace(/_/g, ' '), points: Number(m[2]) });
    }
    return { text: parts.map((p) => p.label).join(', ') || 'Points awarded', parts };
  }
  const m = /^(redeemed|refunded) (.+)$/.exec(reason);
  if (m) return { text: `${m[1] === 'redeemed' ? 'Redeemed' : 'Refunded'}: ${m[2]}`, parts: [] };
  return { text: reason || (e.kind === 'redeem' ? 'Redeemed a reward' : 'Refund'), parts: [] };
}

// The points table's edits that differ from the table: {action: points}, or
// the first error (a whole number 0-1000 each).
export function pointsTableChanges(
  actions: { key: string; points: number }[],
  edits: Record<string, string>,
): { changes: Record<string, number> } | { error: string; key: string } {
  const changes: Record<string, number> = {};
  for (const a of actions) {
    const text = edits[a.key];
    if (text === undefined) continue;
    const n = parseWhole(text, 0, 1000);
    if (n === null) return { error: 'Enter a whole number from 0 to 1,000', key: a.key };
    if (n !== a.points) changes[a.key] = n;
  }
  return { changes };
}

// A whole number within [min, max] from text ("1,000" allowed), or null.
export function parseWhole(text: string, min: number, max: number): number | null {
  const t = text.trim().replace(/,/g, '');
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

// --- Levels and badges ---

// The level ladder (docs/coaching-rules.md, Gamification): for "how it works".
export const LEVELS = [
  { number: 1, name: 'Rookie', min_points: 0 },
  { number: 2, name: 'Prospector', min_points: 250 },
  { number: 3, name: 'Connector', min_points: 1000 },
  { number: 4, name: 'Closer', min_points: 3000 },
  { number: 5, name: 'Rainmaker', min_points: 7500 },
  { number: 6, name: 'Legend', min_points: 15000 },
] as const;

// A badge's progress as a fraction (1 = reached).
export function badgeFraction(p: { value: number; threshold: number }): number {
  if (!p.threshold || p.threshold <= 0) return 0;
  return Math.max(0, Math.min(1, p.value / p.threshold));
}

// --- Streaks ---

export const FREEZE_WINDOW_DAYS = 7;
export const STREAK_MILESTONES = [5, 10, 20, 50, 100, 200];

// ISO weekday (Monday = 1 .. Sunday = 7) of a YYYY-MM-DD date.
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return w === 0 ? 7 : w;
}

// The dates a freeze may cover: the last 7 days before today (not today).
export function freezeWindow(today: string): { min: string; max: string } {
  return { min: addDays(today, -FREEZE_WINDOW_DAYS), max: addDays(today, -1) };
}

// The date to offer first: the latest working day of the window that is not
// frozen already (the server still decides: a day with a call is refused).
export function defaultFreezeDate(today: string, workDays: number[] | undefined, frozen: string[]): string {
  const days = workDays?.length ? workDays : [1, 2, 3, 4, 5];
  for (let i = 1; i <= FREEZE_WINDOW_DAYS; i++) {
    const d = addDays(today, -i);
    if (days.includes(isoWeekday(d)) && !frozen.includes(d)) return d;
  }
  return addDays(today, -1);
}

// A client-side check before asking the server: in the window and a working day.
export function freezeDateProblem(date: string, today: string, workDays: number[] | undefined): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'Choose a date';
  const { min, max } = freezeWindow(today);
  if (date < min || date > max) return `Choose a day of the last ${FREEZE_WINDOW_DAYS} days, before today`;
  const days = workDays?.length ? workDays : null;
  if (days && !days.includes(isoWeekday(date))) return 'That is not one of your working days: it cannot break a streak';
  return null;
}

// "3 working days in a row", "No streak yet".
export function streakHeadline(s: Pick<GameStreak, 'current'>): string {
  if (s.current <= 0) return 'No streak yet';
  return `${s.current} working day${s.current === 1 ? '' : 's'} in a row`;
}

// "2 more days to the 5-day milestone", or null past the last one.
export function milestoneNote(s: Pick<GameStreak, 'current' | 'next_milestone'>): string | null {
  if (s.next_milestone === null || s.next_milestone === undefined) return null;
  const left = s.next_milestone - s.current;
  if (left <= 0) return null;
  return `${left} more day${left === 1 ? '' : 's'} to the ${s.next_milestone}-day milestone`;
}

// --- Rewards: one request id per click intent ---

// The redeem button's intent: a new request id when a click starts one; a
// click while one is in flight is ignored (a double click redeems once).
// After a definite answer the intent ends; after a network failure it is
// kept, so trying again sends the same id and the server answers the first.
export interface RedeemIntent {
  requestId: string | null;
  inFlight: boolean;
}

export const idleIntent: RedeemIntent = { requestId: null, inFlight: false };

export function startIntent(s: RedeemIntent, makeId: () => string): { state: RedeemIntent; requestId: string } | null {
  if (s.inFlight) return null;
  const requestId = s.requestId ?? makeId();
  return { state: { requestId, inFlight: true }, requestId };
}

// `status`: the HTTP status of the answer (0: none reached us).
export function finishIntent(s: RedeemIntent, status: number): RedeemIntent {
  const unsure = status === 0 || status >= 500;
  return unsure ? { requestId: s.requestId, inFlight: false } : idleIntent;
}

export function newRequestId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  // Older browsers: random enough for one user's redemptions.
  return `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export const REDEMPTION_STATUS: Record<string, { label: string; color: 'amber' | 'green' | 'red' | 'gray' }> = {
  pending: { label: 'Waiting for approval', color: 'amber' },
  approved: { label: 'Approved', color: 'green' },
  rejected: { label: 'Not approved (refunded)', color: 'red' },
};

// "In stock: 3", "Last one", "Out of stock".
export function stockLabel(stock: number): string {
  if (stock <= 0) return 'Out of stock';
  if (stock === 1) return 'Last one';
  return `${whole.format(stock)} left`;
}

// --- Leaderboards ---

export const LEADERBOARD_METRIC_LABELS: Record<string, string> = {
  points: 'Points',
  calls: 'Calls',
  conversations: 'Conversations',
  applications: 'Applications',
  conversion_rate: 'Conversion rate',
  application_rate: 'Application rate',
  appointments: 'Appointments',
  closings: 'Closings',
  posts: 'Posts',
};

export const LEADERBOARD_METRIC_HINTS: Record<string, string> = {
  points: 'Points earned this period',
  calls: 'Calls logged',
  conversations: 'Calls that reached someone',
  applications: 'Applications taken',
  conversion_rate: 'Conversations per call (ranked from 10 calls)',
  application_rate: 'Applications per conversation (ranked from 5 conversations)',
};

export function gameMetricLabel(metric: string): string {
  return LEADERBOARD_METRIC_LABELS[metric] ?? metric.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

// A value of a metric: rates (fractions) as percents, counts as numbers.
export function formatGameValue(metric: string, v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (metric.endsWith('_rate')) return `${Math.round(v * 1000) / 10}%`;
  return whole.format(v);
}

// A value with its unit: "1 call", "4 calls", "38 points", "33.3% conversion rate".
export function formatGameAmount(metric: string, v: number | null | undefined): string {
  const value = formatGameValue(metric, v);
  if (v === null || v === undefined || Number.isNaN(v)) return value;
  return `${value} ${gameUnit(metric, v)}`;
}

// The unit after a value: "call" for 1, "calls" otherwise; a rate's name.
export function gameUnit(metric: string, v: number | null | undefined): string {
  const label = gameMetricLabel(metric).toLowerCase();
  return !metric.endsWith('_rate') && v === 1 ? label.replace(/s$/, '') : label;
}

// 1st, 2nd, 3rd, 4th, 11th, 21st.
export function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
}

// --- Competitions ---

// Calendar days from a to b (b later: positive).
export function daysBetween(a: string, b: string): number {
  const t = (d: string) => {
    const [y, m, dd] = d.split('-').map(Number);
    return Date.UTC(y, m - 1, dd);
  };
  return Math.round((t(b) - t(a)) / 86_400_000);
}

export const MAX_COMPETITION_DAYS = 100;

// This calendar month, first to last day.
export function thisMonthRange(today: string): { starts_on: string; ends_on: string } {
  const [y, m] = today.split('-').map(Number);
  const first = `${today.slice(0, 7)}-01`;
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { starts_on: first, ends_on: last };
}

// The 90-day cycle holding today: 13 weeks from a Monday, back to back from
// Monday 2024-01-01 (the hub's cycles).
export const CYCLE_EPOCH = '2024-01-01';
export const CYCLE_DAYS = 91;
export function thisCycleRange(today: string): { starts_on: string; ends_on: string } {
  const n = Math.floor(daysBetween(CYCLE_EPOCH, today) / CYCLE_DAYS);
  const start = addDays(CYCLE_EPOCH, n * CYCLE_DAYS);
  return { starts_on: start, ends_on: addDays(start, CYCLE_DAYS - 1) };
}

export interface CompetitionForm {
  name: string;
  metric: string;
  kind: string;
  starts_on: string;
  ends_on: string;
  rules: string;
}

export type CompetitionErrors = Partial<Record<keyof CompetitionForm, string>>;

export function validateCompetition(f: CompetitionForm): CompetitionErrors {
  const e: CompetitionErrors = {};
  const name = f.name.trim();
  if (!name) e.name = 'Give the competition a name';
  else if ([...name].length > 100) e.name = 'At most 100 characters';
  if (!f.metric) e.metric = 'Choose what counts';
  if (f.kind !== 'individual' && f.kind !== 'team') e.kind = 'Choose individual or team';
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!date.test(f.starts_on)) e.starts_on = 'Choose a start date';
  if (!date.test(f.ends_on)) e.ends_on = 'Choose an end date';
  else if (!e.starts_on) {
    const span = daysBetween(f.starts_on, f.ends_on);
    if (span < 0) e.ends_on = 'End on or after the start';
    else if (span >= MAX_COMPETITION_DAYS) e.ends_on = `At most ${MAX_COMPETITION_DAYS} days long`;
  }
  if ([...f.rules].length > 2000) e.rules = 'At most 2,000 characters';
  return e;
}

// "Ends in 3 days", "Ends today", "Starts tomorrow", "Results are in".
export function competitionTiming(c: { status: string; starts_on: string; ends_on: string }, today: string): string {
  if (c.status === 'upcoming') {
    const d = daysBetween(today, c.starts_on);
    return d <= 0 ? 'Starts today' : d === 1 ? 'Starts tomorrow' : `Starts in ${d} days`;
  }
  if (c.status === 'live') {
    const d = daysBetween(today, c.ends_on);
    return d <= 0 ? 'Ends today' : d === 1 ? 'Ends tomorrow' : `Ends in ${d} days`;
  }
  return 'Results are in';
}

export const COMPETITION_STATUS: Record<string, { label: string; color: 'green' | 'blue' | 'gray' }> = {
  live: { label: 'Live', color: 'green' },
  upcoming: { label: 'Upcoming', color: 'blue' },
  ended: { label: 'Ended', color: 'gray' },
};

// --- Kudos and the feed ---

export function feedKey(item: FeedItem): string {
  return item.kind === 'kudos' ? `kudos-${item.id}` : `badge-${item.user.id}-${item.badge}`;
}

// The people seen in the feed (to pick a colleague without a directory),
// without `selfId`, by name.
export function peopleFromFeed(items: FeedItem[], selfId: number | undefined): Person[] {
  const byId = new Map<number, Person>();
  for (const i of items) {
    const people = i.kind === 'kudos' ? [i.from, i.to] : [i.user];
    for (const p of people) if (p && p.id !== selfId && !byId.has(p.id)) byId.set(p.id, { id: p.id, name: p.name });
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

// Feed pages joined newest first, each item once.
export function mergeFeed(pages: FeedItem[][]): FeedItem[] {
  const seen = new Set<string>();
  const out: FeedItem[] = [];
  for (const page of pages)
    for (const i of page) {
      const k = feedKey(i);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(i);
    }
  return out;
}

export const KUDOS_MAX = 500;
