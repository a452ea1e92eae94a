import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { Activity as ActivityIcon, Brain, CheckSquare, Gauge, ListChecks, Sunrise, Target } from 'lucide-react';
import { api, hubApi } from '../lib/api';
import { hubKeys } from '../contexts/HubContext';
import { HubTabs, MetricBoard, SectionCard } from '../components/hub';
import { hourLabel, paceHeadline } from '../lib/hub';
import type { HubToday, MustDoItem } from '../types';
import { useAuth } from '../contexts/AuthContext';
import { useCoach } from '../contexts/CoachContext';
import { activityLabel, cn, formatDateTime, titleCase } from '../lib/format';
import { insightTarget } from '../lib/insightTarget';
import { useTitle, useToday } from '../lib/hooks';
import { LogActivity } from '../components/LogActivity';
import { TaskRow } from '../components/TaskRow';
import { EmptyState, ErrorBanner, Spinner } from '../components/ui';
import { WhyDisclosure } from '../components/WhyDisclosure';

function greeting(tz?: string) {
  let hour = new Date().getHours();
  try {
    hour = Number(new Intl.DateTimeFormat('en-US', { hour: 'numeric', hourCycle: 'h23', timeZone: tz }).format(new Date()));
  } catch {
    /* keep the browser's hour */
  }
  return hour < 12 ? 'Good morning' : hour < 17 ? 'Good afternoon' : 'Good evening';
}

// Where a must-do leads: the contact, the deal, or the task in the list.
export function mustDoHref(m: Pick<MustDoItem, 'entity_type' | 'entity_id'>): string | null {
  switch (m.entity_type) {
    case 'contact':
      return `/contacts/${m.entity_id}`;
    case 'deal':
      return `/deals/${m.entity_id}`;
    case 'task':
      return `/tasks?task=${m.entity_id}`;
    default:
      return null;
  }
}

const MUST_DO_VERB: Record<string, string> = { contact: 'Open contact', deal: 'Open deal', task: 'Open task' };

function PaceCard({ pace }: { pace: NonNullable<HubToday['pace']> }) {
  const scale = Math.max(pace.usual, pace.actual, 1);
  return (
    <section
      aria-labelledby="pace-title"
      data-testid="pace-card"
      data-behind={pace.behind ? 'true' : 'false'}
      className={cn('card border-l-4 p-4', pace.behind ? 'border-l-amber-500' : 'border-l-green-500')}
    >
      <h2 id="pace-title" className="flex items-center gap-2 text-base font-semibold">
        <Gauge aria-hidden className="h-4 w-4" /> Your pace
      </h2>
      <p className="mt-2 text-sm font-medium" data-testid="pace-message">
        {pace.message || paceHeadline(pace)}
      </p>
      <div className="relative mt-3" aria-hidden>
        <div className="h-2.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700">
          <div
            className={cn('h-full rounded-full transition-[width] duration-700', pace.behind ? 'bg-amber-500' : 'bg-green-600 dark:bg-green-500')}
            style={{ width: `${Math.min(100, (pace.actual / scale) * 100)}%` }}
          />
        </div>
        <span className="absolute -top-1 h-4 w-0.5 bg-slate-700 dark:bg-slate-200" style={{ left: `${Math.min(100, (pace.usual / scale) * 100)}%` }} />
      </div>
      <p className="mt-2 text-xs muted">
        {pace.behind ? 'A few calls now will put you back on your usual pace.' : 'On your usual pace. Keep it rolling.'} The mark is your usual count by{' '}
        {hourLabel(pace.hour)}.
      </p>
    </section>
  );
}

function MustDos({ items }: { items: MustDoItem[] }) {
  if (items.length === 0) return <p className="text-sm muted">Nothing pressing. A good moment to call a past client or a referral partner.</p>;
  return (
    <ol className="space-y-3" data-testid="must-do-list">
      {items.map((m, i) => {
        const href = mustDoHref(m);
        return (
          <li key={`${m.entity_type}-${m.entity_id}`} className="flex gap-3" data-testid="must-do">
            <span
              aria-hidden
              className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-blue-600 text-sm font-bold text-white dark:bg-blue-500"
            >
              {i + 1}
            </span>
            <div className="min-w-0 flex-1">
              <p className="text-sm font-medium">
                {href ? (
                  <Link to={href} className="hover:underline" aria-label={`${m.title} (${MUST_DO_VERB[m.entity_type] ?? 'Open'})`}>
                    {m.title}
                  </Link>
                ) : (
                  m.title
                )}
              </p>
              <p className="text-sm muted" data-testid="must-do-reason">
                <span className="sr-only">Why: </span>
                {m.reason.charAt(0).toUpperCase() + m.reason.slice(1)}
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function TaskTally({ tasks }: { tasks: HubToday['tasks'] }) {
  const tiles = [
    { key: 'due_today', label: 'Due today', value: tasks.due_today, tone: 'text-amber-800 dark:text-amber-300' },
    { key: 'done_today', label: 'Done today', value: tasks.done_today, tone: 'text-green-800 dark:text-green-300' },
    { key: 'overdue', label: 'Overdue', value: tasks.overdue, tone: tasks.overdue ? 'text-red-700 dark:text-red-300' : '' },
  ];
  return (
    <dl className="grid grid-cols-3 gap-2" data-testid="task-tally">
      {tiles.map((t) => (
        <div key={t.key} className="rounded-lg bg-slate-50 px-3 py-2 text-center dark:bg-slate-800/60" data-testid={`tasks-${t.key}`}>
          <dt className="text-xs muted">{t.label}</dt>
          <dd className={cn('text-2xl font-bold tabular-nums', t.tone)}>{t.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function Today() {
  useTitle('Today');
  const { user } = useAuth();
  const today = useToday();
  const { settings } = useCoach();
  const tasks = useQuery({
    queryKey: ['tasks', 'today-page', today],
    queryFn: () => api.listTasks({ status: 'pending,in_progress', due_to: today, sort: 'due_date', limit: 20 }),
  });
  const undated = useQuery({
    queryKey: ['tasks', 'today-page-priority'],
    queryFn: () => api.listTasks({ status: 'pending,in_progress', priority: 'high,urgent', sort: 'due_date', limit: 10 }),
  });
  const activities = useQuery({ queryKey: ['activities', 'recent'], queryFn: () => api.listActivities({ limit: 10 }) });
  // The daily view; its scoreboard moves live with the stream's `scoreboard` events.
  const hub = useQuery({ queryKey: hubKeys.today, queryFn: () => hubApi.today() });
  const tips = useQuery({
    queryKey: ['coachInsights', 'today', settings.coach_level],
    queryFn: () => api.get<import('../types').CoachInsight[]>('/api/coach/insights', { include_seen: true, limit: 5 }),
    enabled: settings.coach_enabled,
  });
  const contacts = useQuery({
    queryKey: ['contacts', 'all-names'],
    queryFn: () => api.listAll<{ id: number; name: string }>('/api/contacts', { sort: 'name' }),
    staleTime: 60_000,
  });
  const names = new Map((contacts.data?.items ?? []).map((c) => [c.id, c.name]));

  const dueItems = tasks.data?.items ?? [];
  const extra = (undated.data?.items ?? []).filter((t) => !dueItems.some((d) => d.id === t.id));
  const taskList = [...dueItems, ...extra].slice(0, 15);

  return (
    <div>
      <header className="border-b border-slate-200 bg-white px-4 py-5 dark:border-slate-800 dark:bg-slate-900 sm:px-8">
        <div className="flex items-center gap-3">
          <Sunrise aria-hidden className="h-8 w-8 text-amber-500" />
          <div>
            <h1 className="text-xl font-bold tracking-tight sm:text-2xl">
              {greeting(user?.timezone)}, {user?.name.split(' ')[0]}
            </h1>
            <p className="mt-0.5 text-sm muted">
              {new Date().toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: user?.timezone })}
            </p>
          </div>
        </div>
      </header>
      <HubTabs />

      <div className="grid gap-6 px-4 py-6 sm:px-8 xl:grid-cols-3">
        <div className="space-y-6 xl:col-span-2">
          <SectionCard
            id="scoreboard-title"
            title="Today's scoreboard"
            icon={<Target aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />}
            testId="scoreboard"
            actions={
              <Link to="/goals" className="text-sm text-blue-700 hover:underline dark:text-blue-300">
                Goals
              </Link>
            }
          >
            {hub.isLoading ? (
              <Spinner label="Loading the scoreboard" />
            ) : hub.error ? (
              <ErrorBanner error={hub.error} />
            ) : hub.data ? (
              <MetricBoard progress={hub.data.scoreboard} period="daily" />
            ) : null}
          </SectionCard>

          <SectionCard id="must-do-title" title="Your 3 must-dos" icon={<ListChecks aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />} testId="must-dos">
            {hub.isLoading ? <Spinner label="Loading must-dos" /> : hub.data ? <MustDos items={hub.data.must_do} /> : <p className="text-sm muted">Not available right now.</p>}
          </SectionCard>

          <section aria-labelledby="quick-log" className="card p-4 sm:p-5">
            <h2 id="quick-log" className="mb-3 text-base font-semibold">
              Log activity
            </h2>
            <LogActivity />
          </section>

          <section aria-labelledby="due-title" className="card">
            <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3 dark:border-slate-700">
              <h2 id="due-title" className="flex items-center gap-2 text-base font-semibold">
                <CheckSquare aria-hidden className="h-4 w-4" /> Due today and priorities
              </h2>
              <Link to="/tasks" className="text-sm text-blue-700 hover:underline dark:text-blue-300">
                All tasks
              </Link>
            </div>
            {tasks.isLoading ? (
              <Spinner className="p-4" label="Loading tasks" />
            ) : taskList.length === 0 ? (
              <EmptyState title="Nothing due">You're all caught up for today.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-200 dark:divide-slate-700">
                {taskList.map((t) => (
                  <TaskRow key={t.id} task={t} contactName={t.contact_id ? names.get(t.contact_id) : undefined} />
                ))}
              </ul>
            )}
          </section>
        </div>

        <div className="space-y-6">
          {hub.data?.pace && <PaceCard pace={hub.data.pace} />}
          {hub.data && (
            <section aria-labelledby="tally-title" className="card p-4">
              <h2 id="tally-title" className="mb-3 flex items-center gap-2 text-base font-semibold">
                <CheckSquare aria-hidden className="h-4 w-4" /> Tasks today
              </h2>
              <TaskTally tasks={hub.data.tasks} />
            </section>
          )}
          {settings.coach_enabled && (
            <section aria-labelledby="coach-title" className="card">
              <h2 id="coach-title" className="flex items-center gap-2 border-b border-slate-200 px-4 py-3 text-base font-semibold dark:border-slate-700">
                <Brain aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" /> Coach
              </h2>
              {(tips.data ?? []).length === 0 ? (
                <p className="px-4 py-3 text-sm muted">No tips right now. Keep going.</p>
              ) : (
                <ul className="divide-y divide-slate-200 dark:divide-slate-700">
                  {tips.data!.map((i) => {
                    const to = insightTarget(i);
                    return (
                      <li key={i.id} className="px-4 py-3 text-sm">
                        <p>{i.message}</p>
                        <WhyDisclosure insight={i} className="mt-1" />
                        {to && (
                          <Link to={to} className="mt-1 inline-block text-xs font-medium text-blue-700 hover:underline dark:text-blue-300">
                            Take action →
                          </Link>
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          )}

          <section aria-labelledby="recent-title" className="card">
            <h2 id="recent-title" className="flex items-center gap-2 border-b border-slate-200 px-4 py-3 text-base font-semibold dark:border-slate-700">
              <ActivityIcon aria-hidden className="h-4 w-4" /> Recent activity
            </h2>
            {activities.isLoading ? (
              <Spinner className="p-4" label="Loading activity" />
            ) : (activities.data?.items ?? []).length === 0 ? (
              <p className="px-4 py-3 text-sm muted">Nothing logged yet.</p>
            ) : (
              <ul className="divide-y divide-slate-200 dark:divide-slate-700" data-testid="recent-activity">
                {activities.data!.items.map((a) => (
                  <li key={a.id} className="flex items-start justify-between gap-2 px-4 py-2.5 text-sm">
                    <div className="min-w-0">
                      <p className="font-medium">
                        {activityLabel(a.type)}
                        {a.outcome ? ` · ${titleCase(a.outcome)}` : ''}
                        {a.topic ? ` · ${a.topic}` : ''}
                      </p>
                      {a.contact_id && (
                        <Link to={`/contacts/${a.contact_id}`} className="text-xs text-blue-700 hover:underline dark:text-blue-300">
                          {names.get(a.contact_id) ?? 'Contact'}
                        </Link>
                      )}
                    </div>
                    <time dateTime={a.occurred_at} className="shrink-0 text-xs muted">
                      {formatDateTime(a.occurred_at, user?.timezone)}
                    </time>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
