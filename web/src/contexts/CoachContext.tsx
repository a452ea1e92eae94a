// The seed plan's CoachProvider (Task 11), with the server as the source of
// truth: settings live on the server (GET/PUT /api/coach/settings), new
// insights arrive over Server-Sent Events (/api/stream) and polling is only
// the fallback while the stream is down. The same one stream also carries
// the accountability hub's events (scoreboard, celebration, notification):
// components subscribe to them here rather than opening a second stream.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { coachApi } from '../lib/api';
import { DEFAULT_SETTINGS, normalizeSettings } from '../lib/settings';
import { autoDismissMs, initialToastState, toastReducer } from '../lib/toastQueue';
import type { CheckInsightRequest, CoachInsight, CoachSettings } from '../types';

interface CoachContextType {
  insights: CoachInsight[];
  currentToast: CoachInsight | null;
  settings: CoachSettings;
  settingsLoaded: boolean;
  streamConnected: boolean;
  // Saves at once (optimistically); resolves with the server's copy.
  updateSettings: (settings: Partial<CoachSettings>) => Promise<CoachSettings>;
  dismissInsight: (id: number) => void;
  checkAction: (request: CheckInsightRequest) => Promise<void>;
  dismissCurrentToast: () => void;
  // Hides the toast without dismissing its insight (after Take Action).
  closeCurrentToast: () => void;
  // Pauses the auto-dismiss timer while the pointer or focus is on the toast.
  setToastPaused: (paused: boolean) => void;
  // Listens to an event of the one /api/stream (`scoreboard`, `celebration`,
  // `notification`, or `ready` after every (re)connect) with its parsed data;
  // returns the unsubscribe.
  subscribe: (event: StreamEvent, handler: (data: any) => void) => () => void;
}

export type StreamEvent = 'ready' | 'scoreboard' | 'celebration' | 'notification';
const HUB_EVENTS: StreamEvent[] = ['scoreboard', 'celebration', 'notification'];

const CoachContext = createContext<CoachContextType | undefined>(undefined);

const POLL_WITH_STREAM_MS = 5 * 60 * 1000; // the plan's refresh
const POLL_WITHOUT_STREAM_MS = 30 * 1000; // fallback while the stream is down
const RECONNECT_MS = 15 * 1000;

export function CoachProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [toasts, dispatch] = useReducer(toastReducer, initialToastState);
  const [streamConnected, setStreamConnected] = useState(false);
  const [paused, setToastPaused] = useState(false);

  // Normalized, so a save always sends every field (the PUT resets absent ones).
  const settingsQuery = useQuery({
    queryKey: ['coachSettings'],
    queryFn: async () => normalizeSettings(await coachApi.getSettings()),
    staleTime: 60_000,
  });
  const settings = settingsQuery.data ?? DEFAULT_SETTINGS;
  const settingsRef = useRef(settings);
  settingsRef.current = settings;

  const { data: insights = [] } = useQuery({
    queryKey: ['coachInsights', settings],
    queryFn: () => coachApi.getInsights(settings),
    enabled: settingsQuery.isSuccess && settings.coach_enabled,
    refetchInterval: streamConnected ? POLL_WITH_STREAM_MS : POLL_WITHOUT_STREAM_MS,
  });

  const listeners = useRef(new Map<StreamEvent, Set<(data: any) => void>>());
  const subscribe = useCallback((event: StreamEvent, handler: (data: any) => void) => {
    let set = listeners.current.get(event);
    if (!set) listeners.current.set(event, (set = new Set()));
    set.add(handler);
    return () => {
      set!.delete(handler);
    };
  }, []);
  const emit = useCallback((event: StreamEvent, data: unknown) => {
    for (const h of [...(listeners.current.get(event) ?? [])]) {
      try {
        h(data);
      } catch (e) {
        console.warn(`stream ${event} handler failed`, e);
      }
    }
  }, []);

  const enqueue = useCallback((list: CoachInsight[]) => {
    if (!settingsRef.current.coach_enabled || list.length === 0) return;
    dispatch({ type: 'enqueue', insights: list, level: settingsRef.current.coach_level });
  }, []);

  // Queue new insights as toasts (the plan's effect).
  useEffect(() => {
    enqueue(insights);
  }, [insights, enqueue]);

  // Live updates.
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const refresh = () => queryClient.invalidateQueries({ queryKey: ['coachInsights'] });
    const parse = (e: MessageEvent) => {
      try {
        return JSON.parse(e.data);
      } catch {
        return null;
      }
    };
    const connect = () => {
      es = new EventSource('/api/stream');
      es.addEventListener('ready', () => {
        setStreamConnected(true);
        refresh(); // catch up on anything missed while disconnected
        emit('ready', {});
      });
      for (const name of HUB_EVENTS) {
        es.addEventListener(name, (e) => {
          const d = parse(e as MessageEvent);
          if (d && typeof d === 'object') emit(name, d);
        });
      }
      es.addEventListener('insight', (e) => {
        const i = parse(e as MessageEvent);
        if (i && typeof i.id === 'number') enqueue([i]);
        refresh();
      });
      es.addEventListener('insight_updated', (e) => {
        const i = parse(e as MessageEvent);
        if (i && typeof i.id === 'number') dispatch({ type: 'update', insight: i });
        refresh();
      });
      for (const name of ['insight_resolved', 'insight_dismissed']) {
        es.addEventListener(name, (e) => {
          const d = parse(e as MessageEvent);
          if (d && typeof d.id === 'number') dispatch({ type: 'remove', id: d.id });
          refresh();
        });
      }
      // An event too large to relay between servers: re-read the list.
      es.addEventListener('resync', refresh);
      es.onerror = () => {
        setStreamConnected(false);
        // The browser retries a dropped stream itself; a refused one (e.g.
        // 401, too many tabs) is closed for good, so try again later.
        if (es && es.readyState === EventSource.CLOSED && !closed) {
          es = null;
          retry = setTimeout(connect, RECONNECT_MS);
        }
      };
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      es?.close();
      setStreamConnected(false);
    };
  }, [enqueue, emit, queryClient]);

  // Mark a toast seen when it shows.
  const current = toasts.current;
  useEffect(() => {
    if (current) coachApi.markSeen(current.id).catch(() => undefined);
  }, [current?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  // Auto-dismiss after 8/10/15 s by level (hidden only: it stays in the list).
  useEffect(() => {
    if (!current || paused) return;
    const timer = setTimeout(() => dispatch({ type: 'advance' }), autoDismissMs(settings.coach_level));
    return () => clearTimeout(timer);
  }, [current?.id, paused, settings.coach_level]); // eslint-disable-line react-hooks/exhaustive-deps

  // A disabled coach shows nothing.
  useEffect(() => {
    if (!settings.coach_enabled) dispatch({ type: 'clear' });
  }, [settings.coach_enabled]);

  const dismissMutation = useMutation({
    mutationFn: coachApi.dismissInsight,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['coachInsights'] }),
  });

  const saveMutation = useMutation({ mutationFn: coachApi.saveSettings });

  const updateSettings = useCallback(
    async (patch: Partial<CoachSettings>) => {
      const prev = settingsRef.current;
      const next = { ...prev, ...patch };
      queryClient.setQueryData(['coachSettings'], next);
      try {
        const saved = await saveMutation.mutateAsync(next);
        queryClient.setQueryData(['coachSettings'], saved);
        return saved;
      } catch (e) {
        queryClient.setQueryData(['coachSettings'], prev);
        throw e;
      }
    },
    [queryClient, saveMutation],
  );

  const dismissInsight = useCallback(
    (id: number) => {
      dismissMutation.mutate(id);
      dispatch({ type: 'remove', id });
    },
    [dismissMutation],
  );

  const dismissCurrentToast = useCallback(() => {
    if (!current) return;
    dismissMutation.mutate(current.id);
    dispatch({ type: 'advance' });
  }, [current, dismissMutation]);

  const closeCurrentToast = useCallback(() => dispatch({ type: 'advance' }), []);

  const checkAction = useCallback(
    async (request: CheckInsightRequest) => {
      const s = settingsRef.current;
      if (!s.coach_enabled) return;
      try {
        const insight = await coachApi.checkAction(request, s);
        if (insight) enqueue([insight]);
        queryClient.invalidateQueries({ queryKey: ['coachInsights'] });
      } catch {
        // The coach is advice: a failed check must never disturb the user's work.
      }
    },
    [enqueue, queryClient],
  );

  const value = useMemo(
    () => ({
      insights,
      currentToast: current,
      settings,
      settingsLoaded: settingsQuery.isSuccess,
      streamConnected,
      updateSettings,
      dismissInsight,
      checkAction,
      dismissCurrentToast,
      closeCurrentToast,
      setToastPaused,
      subscribe,
    }),
    [insights, current, settings, settingsQuery.isSuccess, streamConnected, updateSettings, dismissInsight, checkAction, dismissCurrentToast, closeCurrentToast, subscribe],
  );

  return <CoachContext.Provider value={value}>{children}</CoachContext.Provider>;
}

export function useCoach() {
  const context = useContext(CoachContext);
  if (context === undefined) throw new Error('useCoach must be used within a CoachProvider');
  return context;
}
