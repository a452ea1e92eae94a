// The notification center's state as a pure reducer: pages read from
// GET /api/notifications, notifications arriving live over the stream
// (event `notification`), marking one or all read. The server's `unread`
// count is the truth whenever an answer carries one.
import type { HubNotification, NotificationPage } from '../types';

export interface NotificationState {
  items: HubNotification[]; // newest first, no duplicates
  unread: number;
  nextBefore: number | null; // the next page's `before`; null: no more
  loaded: boolean; // the first page has arrived
}

export type NotificationAction =
  // A page: `append` adds an older page ("Load more"); otherwise it is the
  // newest page again (first load, reconnect), which keeps nothing older.
  | { type: 'page'; page: NotificationPage; append: boolean }
  // A live `notification` event: {"notification", "unread"}.
  | { type: 'arrived'; notification: HubNotification; unread?: number }
  | { type: 'read'; id: number; at: string; unread?: number }
  | { type: 'readAll'; at: string };

export const initialNotificationState: NotificationState = { items: [], unread: 0, nextBefore: null, loaded: false };

function newestFirst(items: HubNotification[]): HubNotification[] {
  const seen = new Set<number>();
  const out: HubNotification[] = [];
  for (const n of items) {
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    out.push(n);
  }
  return out.sort((a, b) => b.id - a.id);
}

export function notificationReducer(state: NotificationState, action: NotificationAction): NotificationState {
  switch (action.type) {
    case 'page': {
      const { page } = action;
      if (action.append)
        return { items: newestFirst([...state.items, ...page.items]), unread: page.unread, nextBefore: page.next_before, loaded: true };
      // Live arrivals newer than the page (raced with the read) stay.
      const top = page.items.length ? page.items[0].id : 0;
      const newer = state.items.filter((n) => n.id > top);
      return { items: newestFirst([...newer, ...page.items]), unread: page.unread, nextBefore: page.next_before, loaded: true };
    }
    case 'arrived': {
      const n = action.notification;
      const known = state.items.some((i) => i.id === n.id);
      const items = known ? state.items : newestFirst([n, ...state.items]);
      const unread = action.unread ?? (known || n.read_at ? state.unread : state.unread + 1);
      return { ...state, items, unread };
    }
    case 'read': {
      const before = state.items.find((i) => i.id === action.id);
      const items = state.items.map((i) => (i.id === action.id && !i.read_at ? { ...i, read_at: action.at } : i));
      const unread = action.unread ?? (before && !before.read_at ? Math.max(0, state.unread - 1) : state.unread);
      return { ...state, items, unread };
    }
    case 'readAll':
      return { ...state, items: state.items.map((i) => (i.read_at ? i : { ...i, read_at: action.at })), unread: 0 };
  }
}

// The badge's text: "9+" past nine; empty at zero.
export function unreadBadge(n: number): string {
  if (!n || n < 0) return '';
  return n > 9 ? '9+' : String(n);
}

// Whether a live notification also goes to the operating system: only with
// permission, and not a celebration (those have their own overlay).
export function wantsBrowserNotification(n: Pick<HubNotification, 'kind'>, permission: string | null | undefined): boolean {
  return permission === 'granted' && n.kind !== 'celebration';
}

// Where a notification leads in the app, if anywhere.
export function notificationTarget(n: Pick<HubNotification, 'kind' | 'data'>): string | null {
  switch (n.kind) {
    case 'celebration': {
      // Gamification's: a badge or a streak milestone, a competition won.
      const kind = n.data?.kind;
      if (kind === 'badge' || kind === 'streak') return '/profile';
      if (kind === 'competition') return typeof n.data?.competition_id === 'number' ? `/competitions/${n.data.competition_id}` : '/competitions';
      return '/today';
    }
    case 'reward':
      return '/rewards?tab=mine';
    case 'reward_request':
      return '/rewards?tab=decide';
    case 'kudos':
      return '/feed';
    case 'morning_push':
    case 'pace_nudge':
    case 'daily_summary':
      return '/today';
    case 'weekly_plan':
      return '/week';
    case 'cycle_review':
    case 'monthly_report':
      return '/month';
    default:
      return null;
  }
}
