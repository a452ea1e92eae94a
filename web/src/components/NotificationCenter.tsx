// The notification center: a bell with the unread count (live over the
// coach's event stream) and a panel listing the hub's pushes and nudges,
// with mark read, mark all read, older pages and the browser notifications
// switch. The same list is the /notifications page.
import { useEffect, useId, useRef, type ComponentType } from 'react';
import { Link } from 'react-router-dom';
import {
  Bell,
  BellOff,
  BellRing,
  CalendarRange,
  Check,
  CheckCheck,
  ClipboardList,
  FileText,
  Gauge,
  Gift,
  Heart,
  PartyPopper,
  RotateCw,
  Sunrise,
  X,
} from 'lucide-react';
import { useAuth } from '../contexts/AuthContext';
import { useHub } from '../contexts/HubContext';
import { cn, formatDateTime, relativeTime } from '../lib/format';
import { notificationTarget, unreadBadge } from '../lib/notifications';
import type { HubNotification } from '../types';
import { ErrorBanner, Spinner } from './ui';
import { celebrationLook } from './game';

const KIND: Record<string, { icon: ComponentType<{ className?: string; 'aria-hidden'?: boolean }>; label: string; tone: string }> = {
  morning_push: { icon: Sunrise, label: 'Morning must-dos', tone: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200' },
  pace_nudge: { icon: Gauge, label: 'Pace', tone: 'bg-blue-100 text-blue-800 dark:bg-blue-950 dark:text-blue-200' },
  celebration: { icon: PartyPopper, label: 'Celebration', tone: 'bg-pink-100 text-pink-800 dark:bg-pink-950 dark:text-pink-200' },
  daily_summary: { icon: ClipboardList, label: 'Daily summary', tone: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200' },
  weekly_plan: { icon: CalendarRange, label: 'Weekly plan', tone: 'bg-purple-100 text-purple-800 dark:bg-purple-950 dark:text-purple-200' },
  cycle_review: { icon: RotateCw, label: 'Cycle review', tone: 'bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200' },
  monthly_report: { icon: FileText, label: 'Monthly report', tone: 'bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-200' },
  reward: { icon: Gift, label: 'Reward', tone: 'bg-pink-100 text-pink-800 dark:bg-pink-950 dark:text-pink-200' },
  reward_request: { icon: Gift, label: 'Reward to decide', tone: 'bg-pink-100 text-pink-800 dark:bg-pink-950 dark:text-pink-200' },
  kudos: { icon: Heart, label: 'Kudos', tone: 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200' },
};

// A celebration's look by its own kind (a badge, a streak, a competition won...).
function kindOf(n: HubNotification) {
  if (n.kind === 'celebration' && typeof n.data?.kind === 'string' && n.data.kind !== 'goal' && n.data.kind !== 'personal_best' && n.data.kind !== 'task') {
    const look = celebrationLook(n.data.kind);
    return { icon: look.icon, label: look.label, tone: look.tone };
  }
  return KIND[n.kind] ?? OTHER;
}
const OTHER = { icon: Bell, label: 'Notification', tone: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200' };

export function NotificationBell({ onClick, expanded, className }: { onClick: () => void; expanded: boolean; className?: string }) {
  const { notifications } = useHub();
  const badge = unreadBadge(notifications.unread);
  return (
    <button
      type="button"
      onClick={onClick}
      aria-expanded={expanded}
      aria-controls="notification-panel"
      aria-label={notifications.unread ? `Notifications, ${notifications.unread} unread` : 'Notifications'}
      title="Notifications"
      data-testid="notification-bell"
      className={cn('btn-ghost relative p-2', className)}
    >
      <Bell aria-hidden className="h-5 w-5" />
      {badge && (
        <span
          aria-hidden
          data-testid="unread-count"
          className="absolute -right-0.5 -top-0.5 flex h-5 min-w-5 items-center justify-center rounded-full bg-red-600 px-1 text-[11px] font-bold leading-none text-white ring-2 ring-white dark:ring-slate-900"
        >
          {badge}
        </span>
      )}
    </button>
  );
}

function BrowserNotificationsSwitch() {
  const { permission, enableBrowserNotifications } = useHub();
  if (permission === 'unsupported') return null;
  if (permission === 'granted')
    return (
      <p className="flex items-center gap-1.5 text-xs muted" data-testid="browser-notifications-on">
        <BellRing aria-hidden className="h-3.5 w-3.5" /> Browser notifications are on
      </p>
    );
  if (permission === 'denied')
    return (
      <p className="flex items-center gap-1.5 text-xs muted">
        <BellOff aria-hidden className="h-3.5 w-3.5" /> Browser notifications are blocked in this browser's site settings
      </p>
    );
  return (
    <button type="button" className="btn-secondary px-2 py-1 text-xs" onClick={() => void enableBrowserNotifications()}>
      <BellRing aria-hidden className="h-3.5 w-3.5" /> Enable browser notifications
    </button>
  );
}

function NotificationItem({ n, onNavigate }: { n: HubNotification; onNavigate?: () => void }) {
  const { markRead } = useHub();
  const { user } = useAuth();
  const meta = kindOf(n);
  const Icon = meta.icon;
  const unread = !n.read_at;
  const to = notificationTarget(n);
  return (
    <li
      data-testid="notification-item"
      data-notification-id={n.id}
      data-read={unread ? 'false' : 'true'}
      className={cn('flex gap-3 px-4 py-3', unread && 'bg-blue-50/60 dark:bg-blue-950/30')}
    >
      <span className={cn('mt-0.5 flex h-8 w-8 shrink-0 items-center justify-center rounded-lg', meta.tone)}>
        <Icon aria-hidden className="h-4 w-4" />
      </span>
      <div className="min-w-0 flex-1">
        <p className="flex items-start gap-2 text-sm">
          {unread && (
            <>
              <span aria-hidden className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-blue-600 dark:bg-blue-400" />
              <span className="sr-only">Unread: </span>
            </>
          )}
          {to ? (
            <Link
              to={to}
              onClick={() => {
                if (unread) void markRead(n.id);
                onNavigate?.();
              }}
              className={cn('hover:underline', unread ? 'font-semibold' : 'font-medium')}
            >
              {n.title}
            </Link>
          ) : (
            <span className={unread ? 'font-semibold' : 'font-medium'}>{n.title}</span>
          )}
        </p>
        {n.body && <p className="mt-0.5 whitespace-pre-line text-sm text-slate-700 dark:text-slate-300">{n.body}</p>}
        <p className="mt-1 text-xs muted">
          <span className="sr-only">{meta.label}, </span>
          <time dateTime={n.created_at} title={formatDateTime(n.created_at, user?.timezone)}>
            {relativeTime(n.created_at)}
          </time>
        </p>
      </div>
      {unread && (
        <button
          type="button"
          className="btn-ghost h-8 shrink-0 p-1.5"
          onClick={() => void markRead(n.id)}
          aria-label={`Mark read: ${n.title}`}
          title="Mark read"
        >
          <Check aria-hidden className="h-4 w-4" />
        </button>
      )}
    </li>
  );
}

export function NotificationList({
  headingId,
  headingLevel = 2,
  onNavigate,
  extra,
}: {
  headingId: string;
  headingLevel?: 1 | 2;
  onNavigate?: () => void;
  extra?: React.ReactNode; // e.g. the panel's close button, beside "Mark all read"
}) {
  const { notifications, notificationsError, loadMore, loadingMore, markAllRead } = useHub();
  const H = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-700">
        <div>
          <H id={headingId} className={cn('font-semibold', headingLevel === 1 ? 'text-xl' : 'text-base')}>
            Notifications
          </H>
          <p className="text-xs muted" aria-live="polite" data-testid="unread-summary">
            {notifications.unread === 0 ? 'All caught up' : `${notifications.unread} unread`}
          </p>
        </div>
        <div className="flex items-center gap-1">
          <button type="button" className="btn-secondary px-2 py-1 text-xs" onClick={() => void markAllRead()} disabled={notifications.unread === 0}>
            <CheckCheck aria-hidden className="h-3.5 w-3.5" /> Mark all read
          </button>
          {extra}
        </div>
      </div>
      <div className="border-b border-slate-200 px-4 py-2 dark:border-slate-700">
        <BrowserNotificationsSwitch />
      </div>
      {notificationsError ? <ErrorBanner error={notificationsError} className="m-3" /> : null}
      {!notifications.loaded ? (
        <Spinner className="p-4" label="Loading notifications" />
      ) : notifications.items.length === 0 ? (
        <p className="px-4 py-8 text-center text-sm muted">No notifications yet. Your morning must-dos, nudges and wins will show up here.</p>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-700" data-testid="notification-list">
          {notifications.items.map((n) => (
            <NotificationItem key={n.id} n={n} onNavigate={onNavigate} />
          ))}
        </ul>
      )}
      {notifications.nextBefore !== null && (
        <div className="border-t border-slate-200 p-3 text-center dark:border-slate-700">
          <button type="button" className="btn-secondary" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </div>
  );
}

// The bell's panel: a non-modal dialog; Escape or a click outside closes it
// and focus returns to the bell.
export function NotificationPanel({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const headingId = useId();
  useEffect(() => {
    if (!open) return;
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (ref.current?.contains(t)) return;
      if ((t as HTMLElement).closest?.('[data-testid="notification-bell"]')) return;
      onClose();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
      if (opener && document.contains(opener)) opener.focus();
    };
  }, [open, onClose]);
  if (!open) return null;
  return (
    <div
      ref={ref}
      id="notification-panel"
      role="dialog"
      aria-labelledby={headingId}
      tabIndex={-1}
      data-testid="notification-panel"
      className="fixed inset-x-2 top-14 z-50 max-h-[80vh] overflow-y-auto rounded-xl border border-slate-200 bg-white shadow-2xl focus:outline-none dark:border-slate-700 dark:bg-slate-900 sm:left-auto sm:right-4 sm:w-[26rem] lg:left-[15.5rem] lg:right-auto lg:top-3"
    >
      <NotificationList
        headingId={headingId}
        onNavigate={onClose}
        extra={
          <button type="button" onClick={onClose} className="btn-ghost p-1.5" aria-label="Close notifications">
            <X aria-hidden className="h-4 w-4" />
          </button>
        }
      />
      <div className="border-t border-slate-200 px-4 py-2 text-right text-xs dark:border-slate-700">
        <Link to="/notifications" onClick={onClose} className="text-blue-700 hover:underline dark:text-blue-300">
          Open the notification center
        </Link>
      </div>
    </div>
  );
}
