import { describe, expect, it } from 'vitest';
import {
  initialNotificationState,
  notificationReducer,
  notificationTarget,
  unreadBadge,
  wantsBrowserNotification,
  type NotificationState,
} from './notifications';
import type { HubNotification } from '../types';

const n = (id: number, read = false, kind = 'morning_push'): HubNotification => ({
  id,
  kind,
  title: `N${id}`,
  body: 'body',
  data: {},
  created_at: '2026-11-21T12:00:00.000Z',
  read_at: read ? '2026-11-21T12:30:00.000Z' : null,
});

const loaded = (): NotificationState =>
  notificationReducer(initialNotificationState, {
    type: 'page',
    page: { items: [n(9), n(8, true), n(7)], unread: 5, next_before: 7 },
    append: false,
  });

describe('notification reducer', () => {
  it('loads the first page with the server unread count', () => {
    const s = loaded();
    expect(s.loaded).toBe(true);
    expect(s.items.map((i) => i.id)).toEqual([9, 8, 7]);
    expect(s.unread).toBe(5);
    expect(s.nextBefore).toBe(7);
  });

  it('appends an older page without duplicates and ends paging', () => {
    const s = notificationReducer(loaded(), { type: 'page', page: { items: [n(7), n(6), n(5)], unread: 5, next_before: null }, append: true });
    expect(s.items.map((i) => i.id)).toEqual([9, 8, 7, 6, 5]);
    expect(s.nextBefore).toBeNull();
  });

  it('puts a live arrival first and takes the unread count it carries', () => {
    const s = notificationReducer(loaded(), { type: 'arrived', notification: n(10), unread: 6 });
    expect(s.items[0].id).toBe(10);
    expect(s.unread).toBe(6);
    // The same one again (two tabs, a refetch) is not added twice.
    const again = notificationReducer(s, { type: 'arrived', notification: n(10), unread: 6 });
    expect(again.items.filter((i) => i.id === 10)).toHaveLength(1);
    // Without a count: one more unread.
    expect(notificationReducer(loaded(), { type: 'arrived', notification: n(11) }).unread).toBe(6);
  });

  it('keeps a live arrival newer than a refetched first page', () => {
    const s = notificationReducer(loaded(), { type: 'arrived', notification: n(10), unread: 6 });
    const r = notificationReducer(s, { type: 'page', page: { items: [n(9), n(8)], unread: 6, next_before: 8 }, append: false });
    expect(r.items.map((i) => i.id)).toEqual([10, 9, 8]);
  });

  it('marks one read (once) and all read', () => {
    const at = '2026-11-21T13:00:00.000Z';
    let s = notificationReducer(loaded(), { type: 'read', id: 9, at });
    expect(s.items[0].read_at).toBe(at);
    expect(s.unread).toBe(4);
    s = notificationReducer(s, { type: 'read', id: 9, at }); // already read: no change to the count
    expect(s.unread).toBe(4);
    s = notificationReducer(s, { type: 'read', id: 7, at, unread: 2 }); // the server's count wins
    expect(s.unread).toBe(2);
    s = notificationReducer(s, { type: 'readAll', at });
    expect(s.unread).toBe(0);
    expect(s.items.every((i) => i.read_at)).toBe(true);
    expect(s.items[1].read_at).toBe('2026-11-21T12:30:00.000Z'); // an earlier read keeps its time
  });
});

describe('notification helpers', () => {
  it('shows a short badge', () => {
    expect(unreadBadge(0)).toBe('');
    expect(unreadBadge(3)).toBe('3');
    expect(unreadBadge(12)).toBe('9+');
  });

  it('raises a browser notification only with permission and never for a celebration', () => {
    expect(wantsBrowserNotification({ kind: 'pace_nudge' }, 'granted')).toBe(true);
    expect(wantsBrowserNotification({ kind: 'pace_nudge' }, 'default')).toBe(false);
    expect(wantsBrowserNotification({ kind: 'pace_nudge' }, 'denied')).toBe(false);
    expect(wantsBrowserNotification({ kind: 'celebration' }, 'granted')).toBe(false);
  });

  it('links each kind to its view', () => {
    expect(notificationTarget({ kind: 'morning_push', data: {} })).toBe('/today');
    expect(notificationTarget({ kind: 'weekly_plan', data: {} })).toBe('/week');
    expect(notificationTarget({ kind: 'monthly_report', data: {} })).toBe('/month');
    expect(notificationTarget({ kind: 'something_new', data: {} })).toBeNull();
    expect(notificationTarget({ kind: 'celebration', data: { kind: 'goal' } })).toBe('/today');
    expect(notificationTarget({ kind: 'celebration', data: null })).toBe('/today');
    expect(notificationTarget({ kind: 'celebration', data: { kind: 'badge', badge: 'first_application' } })).toBe('/profile');
    expect(notificationTarget({ kind: 'celebration', data: { kind: 'streak', value: 5 } })).toBe('/profile');
    expect(notificationTarget({ kind: 'celebration', data: { kind: 'competition', competition_id: 4 } })).toBe('/competitions/4');
    expect(notificationTarget({ kind: 'reward', data: { redemption_id: 3, status: 'approved' } })).toBe('/rewards?tab=mine');
    expect(notificationTarget({ kind: 'reward_request', data: { redemption_id: 3 } })).toBe('/rewards?tab=decide');
    expect(notificationTarget({ kind: 'kudos', data: { kudos_id: 1 } })).toBe('/feed');
  });
});
