// The accountability hub's live side, on the coach's one event stream:
// the notification center (unread count, list, paging, read state, the
// operating system's notifications), the celebrations queue, and the daily
// scoreboard kept current from `scoreboard` events without a refetch.
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { hubApi } from '../lib/api';
import { browserPermission, raiseBrowserNotification, requestBrowserPermission, type Permission } from '../lib/browserNotify';
import { initialNotificationState, notificationReducer, notificationTarget, type NotificationState } from '../lib/notifications';
import type { Celebration, HubNotification, HubToday, Progress } from '../types';
import { useCoach } from './CoachContext';

export interface QueuedCelebration extends Celebration {
  key: number;
}

interface HubContextType {
  notifications: NotificationState;
  notificationsError: unknown;
  loadingMore: boolean;
  loadMore: () => Promise<void>;
  markRead: (id: number) => Promise<void>;
  markAllRead: () => Promise<void>;
  permission: Permission;
  enableBrowserNotifications: () => Promise<Permission>;
  celebration: QueuedCelebration | null;
  closeCelebration: () => void;
}

const HubContext = createContext<HubContextType | undefined>(undefined);

const PAGE = 20;

// The query keys the hub's live events update.
export const hubKeys = {
  today: ['hub', 'today'] as const,
  week: ['hub', 'week'] as const,
  month: ['hub', 'month'] as const,
  progress: (period: string) => ['goals', 'progress', period] as const,
};

export function HubProvider({ children }: { children: ReactNode }) {
  const { subscribe } = useCoach();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [notifications, dispatch] = useReducer(notificationReducer, initialNotificationState);
  const [notificationsError, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [permission, setPermission] = useState<Permission>(browserPermission);
  const [queue, setQueue] = useState<QueuedCelebration[]>([]);
  const seq = useRef(0);
  const stateRef = useRef(notifications);
  stateRef.current = notifications;
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;

  const loadFirst = useCallback(async () => {
    try {
      const page = await hubApi.notifications({ limit: PAGE });
      dispatch({ type: 'page', page, append: false });
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    void loadFirst();
  }, [loadFirst]);

  // Reconnected: catch up on anything missed.
  useEffect(() => subscribe('ready', () => void loadFirst()), [subscribe, loadFirst]);

  useEffect(
    () =>
      subscribe('notification', (d: { notification?: HubNotification; unread?: number }) => {
        const n = d.notification;
        if (!n || typeof n.id !== 'number') return;
        dispatch({ type: 'arrived', notification: n, unread: typeof d.unread === 'number' ? d.unread : undefined });
        raiseBrowserNotification(n, notificationTarget(n), (href) => navigateRef.current(href));
        // A redemption decided (a rejection refunds) or kudos received: the
        // game's views and the feed re-read.
        if (n.kind === 'reward' || n.kind === 'reward_request') queryClient.invalidateQueries({ queryKey: ['game'] });
        if (n.kind === 'kudos') queryClient.invalidateQueries({ queryKey: ['feed'] });
      }),
    [subscribe, queryClient],
  );

  useEffect(
    () =>
      subscribe('scoreboard', (p: Progress) => {
        if (!p || !Array.isArray(p.metrics)) return;
        queryClient.setQueryData<HubToday>(hubKeys.today, (old) => (old ? { ...old, scoreboard: p } : old));
        queryClient.setQueryData(hubKeys.progress('day'), p);
        // The week's and month's sums moved too: those views re-read, as
        // does the recent activity list (the activity may come from elsewhere).
        queryClient.invalidateQueries({ queryKey: ['activities'] });
        queryClient.invalidateQueries({ queryKey: hubKeys.week });
        queryClient.invalidateQueries({ queryKey: hubKeys.month });
        queryClient.invalidateQueries({
          predicate: (q) => q.queryKey[0] === 'goals' && q.queryKey[1] === 'progress' && q.queryKey[2] !== 'day',
        });
        // Points, badges, the streak, leaderboards and standings moved too.
        queryClient.invalidateQueries({ queryKey: ['game'] });
      }),
    [subscribe, queryClient],
  );

  useEffect(
    () =>
      subscribe('celebration', (c: Celebration) => {
        if (!c || typeof c.title !== 'string') return;
        setQueue((q) => [...q, { ...c, key: ++seq.current }].slice(-5));
        // A completed task moves the day's task counts and must-dos.
        if (c.kind === 'task') queryClient.invalidateQueries({ queryKey: hubKeys.today });
        // A badge unlocked, a streak milestone, a competition won.
        if (c.kind === 'badge' || c.kind === 'streak' || c.kind === 'competition') {
          queryClient.invalidateQueries({ queryKey: ['game'] });
          queryClient.invalidateQueries({ queryKey: ['feed'] });
        }
      }),
    [subscribe, queryClient],
  );

  const loadMore = useCallback(async () => {
    const before = stateRef.current.nextBefore;
    if (before === null) return;
    setLoadingMore(true);
    try {
      const page = await hubApi.notifications({ limit: PAGE, before });
      dispatch({ type: 'page', page, append: true });
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  }, []);

  const markRead = useCallback(async (id: number) => {
    const at = new Date().toISOString();
    dispatch({ type: 'read', id, at });
    try {
      const r = await hubApi.markNotificationRead(id);
      dispatch({ type: 'read', id, at, unread: r.unread });
    } catch (e) {
      setError(e);
    }
  }, []);

  const markAllRead = useCallback(async () => {
    const at = new Date().toISOString();
    dispatch({ type: 'readAll', at });
    try {
      await hubApi.markAllNotificationsRead();
    } catch (e) {
      setError(e);
      void loadFirst();
    }
  }, [loadFirst]);

  const enableBrowserNotifications = useCallback(async () => {
    const p = await requestBrowserPermission();
    setPermission(p);
    return p;
  }, []);

  const closeCelebration = useCallback(() => setQueue((q) => q.slice(1)), []);

  const value = useMemo(
    () => ({
      notifications,
      notificationsError,
      loadingMore,
      loadMore,
      markRead,
      markAllRead,
      permission,
      enableBrowserNotifications,
      celebration: queue[0] ?? null,
      closeCelebration,
    }),
    [notifications, notificationsError, loadingMore, loadMore, markRead, markAllRead, permission, enableBrowserNotifications, queue, closeCelebration],
  );
  return <HubContext.Provider value={value}>{children}</HubContext.Provider>;
}

export function useHub() {
  const context = useContext(HubContext);
  if (context === undefined) throw new Error('useHub must be used within a HubProvider');
  return context;
}
