// The officer's game profile: level and the way to the next, points
// (lifetime and the spendable balance), the private call streak with its
// freeze, badges earned and locked, the points ledger, and how it all works.
import { useMemo, useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { CalendarCheck, Check, CircleHelp, Coins, Flame, History, Lock, Medal, Snowflake, Sparkles, UserRound } from 'lucide-react';
import { gameApi } from '../lib/api';
import { cn, formatDate, formatDateTime, localDate } from '../lib/format';
import {
  ACTION_LABELS,
  LEVELS,
  STREAK_MILESTONES,
  badgeFraction,
  defaultFreezeDate,
  formatPoints,
  freezeDateProblem,
  gameKeys,
  freezeWindow,
  ledgerReason,
  milestoneNote,
  signedPoints,
  streakHeadline,
} from '../lib/game';
import { useTitle, useToday } from '../lib/hooks';
import { useAuth } from '../contexts/AuthContext';
import { ProgressBar, SectionCard } from '../components/hub';
import { GameTabs, badgeIcon } from '../components/game';
import { ErrorBanner, PageHeader, Spinner, errorMessage } from '../components/ui';
import type { GameBadge, GameProfile, GameStreak, LedgerEntry } from '../types';

function LevelCard({ p }: { p: GameProfile }) {
  const { level } = p;
  return (
    <section aria-labelledby="level-title" className="card p-5 lg:col-span-2" data-testid="level-card" data-level={level.number}>
      <div className="flex items-center gap-4">
        <div
          aria-hidden
          className="flex h-16 w-16 shrink-0 flex-col items-center justify-center rounded-2xl bg-gradient-to-br from-blue-600 to-violet-600 text-white shadow-md"
        >
          <span className="text-[10px] font-semibold uppercase tracking-wider opacity-90">Level</span>
          <span className="text-2xl font-bold leading-none">{level.number}</span>
        </div>
        <div className="min-w-0 flex-1">
          <h2 id="level-title" className="text-xl font-bold" data-testid="level-name">
            <span className="sr-only">Level {level.number}: </span>
            {level.name}
          </h2>
          <p className="text-sm muted">
            {formatPoints(p.points.lifetime)} lifetime point{p.points.lifetime === 1 ? '' : 's'}
          </p>
        </div>
      </div>
      <div className="mt-4">
        {level.next ? (
          <>
            <div className="mb-1.5 flex flex-wrap justify-between gap-2 text-sm">
              <span data-testid="level-to-go">
                <span className="font-semibold tabular-nums">{formatPoints(level.next.points_to_go)}</span> points to {level.next.name} (level{' '}
                {level.next.number})
              </span>
              <span className="tabular-nums muted">
                {formatPoints(p.points.lifetime)} / {formatPoints(level.next.min_points)}
              </span>
            </div>
            <ProgressBar fraction={level.next.progress} label={`Progress to level ${level.next.number}, ${level.next.name}`} tone="blue" />
          </>
        ) : (
          <p className="flex items-center gap-1.5 text-sm font-medium text-violet-800 dark:text-violet-200">
            <Sparkles aria-hidden className="h-4 w-4" /> The top level. Legendary.
          </p>
        )}
        <p className="mt-2 text-xs muted">Levels count lifetime points: spending points on rewards never lowers your level.</p>
      </div>
    </section>
  );
}

function PointsCard({ p }: { p: GameProfile }) {
  return (
    <section aria-labelledby="points-title" className="card p-5" data-testid="points-card">
      <h2 id="points-title" className="flex items-center gap-2 text-base font-semibold">
        <Coins aria-hidden className="h-4 w-4 text-amber-500" /> Points
      </h2>
      <dl className="mt-3 grid grid-cols-2 gap-3">
        <div className="rounded-lg bg-amber-50 px-3 py-2 dark:bg-amber-950/40">
          <dt className="text-xs muted">Balance</dt>
          <dd className="text-2xl font-bold tabular-nums" data-testid="points-balance">
            {formatPoints(p.points.balance)}
          </dd>
        </div>
        <div className="rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-800/60">
          <dt className="text-xs muted">Lifetime</dt>
          <dd className="text-2xl font-bold tabular-nums" data-testid="points-lifetime">
            {formatPoints(p.points.lifetime)}
          </dd>
        </div>
      </dl>
      <p className="mt-3 text-sm">
        <Link to="/rewards" className="font-medium text-blue-700 hover:underline dark:text-blue-300">
          Spend your balance in the reward store
        </Link>
      </p>
    </section>
  );
}

function FreezeForm({ streak }: { streak: GameStreak }) {
  const { user } = useAuth();
  const today = useToday();
  const queryClient = useQueryClient();
  const workDays = user?.working_hours?.days;
  const range = freezeWindow(today);
  const [date, setDate] = useState(() => defaultFreezeDate(today, workDays, streak.recent_freezes));
  const [touched, setTouched] = useState(false);
  const freeze = useMutation({
    mutationFn: (d: string) => gameApi.freeze(d),
    onSuccess: (s) => {
      queryClient.setQueryData<GameProfile>(gameKeys.profile, (old) => (old ? { ...old, streak: s } : old));
      queryClient.invalidateQueries({ queryKey: gameKeys.profile });
    },
  });
  const problem = touched ? freezeDateProblem(date, today, workDays) : null;
  const none = streak.freezes_left <= 0;
  return (
    <form
      className="mt-4 rounded-lg border border-sky-200 bg-sky-50/60 p-3 dark:border-sky-900 dark:bg-sky-950/30"
      aria-labelledby="freeze-title"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        freeze.reset();
        if (freezeDateProblem(date, today, workDays)) return;
        freeze.mutate(date);
      }}
    >
      <h3 id="freeze-title" className="flex items-center gap-1.5 text-sm font-semibold">
        <Snowflake aria-hidden className="h-4 w-4 text-sky-600 dark:text-sky-300" /> Freeze a missed day
      </h3>
      <p className="mt-0.5 text-xs muted">
        A freeze keeps a missed working day of the last 7 from breaking your streak (it does not add to it). Two a calendar month.
      </p>
      <div className="mt-2 flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="freeze-date" className="label">
            Missed day
          </label>
          <input
            id="freeze-date"
            type="date"
            className={cn('input w-44', problem && 'border-red-500')}
            min={range.min}
            max={range.max}
            value={date}
            aria-invalid={!!problem}
            aria-describedby={problem ? 'freeze-date-error' : 'freeze-left'}
            onChange={(e) => {
              setDate(e.target.value);
              freeze.reset();
            }}
          />
        </div>
        <button type="submit" className="btn-secondary" disabled={freeze.isPending || none}>
          <Snowflake aria-hidden className="h-4 w-4" />
          {freeze.isPending ? 'Freezing…' : 'Freeze this day'}
        </button>
      </div>
      <p id="freeze-left" className="mt-2 text-xs muted" data-testid="freezes-left">
        {none ? 'No freezes left this month.' : `${streak.freezes_left} freeze${streak.freezes_left === 1 ? '' : 's'} left this month.`}
        {streak.recent_freezes.length > 0 && ` Frozen recently: ${streak.recent_freezes.map((d) => formatDate(d)).join(', ')}.`}
      </p>
      {problem && (
        <p id="freeze-date-error" role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
          {problem}
        </p>
      )}
      {freeze.error && (
        <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-300" data-testid="freeze-error">
          {errorMessage(freeze.error)}
        </p>
      )}
      {freeze.isSuccess && (
        <p role="status" className="mt-1 text-sm text-green-800 dark:text-green-300" data-testid="freeze-done">
          {formatDate(freeze.variables)} is frozen: your streak stays unbroken.
        </p>
      )}
    </form>
  );
}

function StreakCard({ streak }: { streak: GameStreak }) {
  const note = milestoneNote(streak);
  return (
    <section aria-labelledby="streak-title" className="card p-5" data-testid="streak-card" data-current={streak.current}>
      <div className="flex items-start justify-between gap-2">
        <h2 id="streak-title" className="flex items-center gap-2 text-base font-semibold">
          <Flame aria-hidden className="h-4 w-4 text-orange-500" /> Call streak
        </h2>
        <span className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs muted dark:bg-slate-800">
          <Lock aria-hidden className="h-3 w-3" /> Only you see this
        </span>
      </div>
      <div className="mt-3 flex items-center gap-4">
        <div
          aria-hidden
          className={cn(
            'flex h-16 w-16 shrink-0 items-center justify-center rounded-full text-2xl font-bold tabular-nums',
            streak.current > 0 ? 'bg-orange-100 text-orange-700 dark:bg-orange-900/50 dark:text-orange-200' : 'bg-slate-100 text-slate-500 dark:bg-slate-800',
          )}
        >
          {streak.current}
        </div>
        <div className="min-w-0">
          <p className="font-semibold" data-testid="streak-headline">
            {streakHeadline(streak)}
          </p>
          {streak.since && <p className="text-sm muted">Since {formatDate(streak.since)}</p>}
          <p className="mt-1 text-sm" data-testid="streak-today">
            {streak.today_done ? (
              <span className="inline-flex items-center gap-1 font-medium text-green-800 dark:text-green-300">
                <Check aria-hidden className="h-4 w-4" /> Today counts: you have called
              </span>
            ) : (
              <span className="muted">Today: not yet. One call keeps it going (the day is not over).</span>
            )}
          </p>
        </div>
      </div>
      {note && (
        <div className="mt-3">
          <p className="mb-1 text-sm" data-testid="streak-milestone">
            {note}
          </p>
          <ProgressBar
            fraction={streak.next_milestone ? streak.current / streak.next_milestone : null}
            label={`Progress to the ${streak.next_milestone}-day milestone`}
            tone="amber"
          />
        </div>
      )}
      <FreezeForm streak={streak} />
    </section>
  );
}

function BadgeTile({ b, tz }: { b: GameBadge; tz?: string }) {
  const Icon = badgeIcon(b.key);
  const earned = !!b.earned_at;
  const frac = badgeFraction(b.progress);
  return (
    <li
      data-testid="badge"
      data-key={b.key}
      data-earned={earned ? 'true' : 'false'}
      className={cn(
        'flex gap-3 rounded-xl border p-3',
        earned ? 'border-violet-200 bg-violet-50/60 dark:border-violet-800 dark:bg-violet-950/30' : 'border-slate-200 dark:border-slate-700',
      )}
    >
      <span
        className={cn(
          'relative flex h-11 w-11 shrink-0 items-center justify-center rounded-full',
          earned ? 'bg-violet-600 text-white dark:bg-violet-500' : 'bg-slate-100 text-slate-500 dark:bg-slate-800 dark:text-slate-400',
        )}
      >
        <Icon aria-hidden className="h-5 w-5" />
        {!earned && (
          <span className="absolute -bottom-0.5 -right-0.5 rounded-full bg-white p-0.5 dark:bg-slate-900">
            <Lock aria-hidden className="h-3 w-3" />
          </span>
        )}
      </span>
      <div className="min-w-0 flex-1">
        <h3 className="text-sm font-semibold">
          {b.name}
          <span className="sr-only">{earned ? ' (earned)' : ' (locked)'}</span>
        </h3>
        <p className="text-xs muted">{b.description}</p>
        {earned ? (
          <p className="mt-1 text-xs font-medium text-violet-800 dark:text-violet-200" data-testid="badge-earned">
            Earned {formatDate(localDate(tz, new Date(b.earned_at!)))}
          </p>
        ) : (
          <div className="mt-1.5">
            <div className="mb-1 flex justify-between text-xs tabular-nums muted" data-testid="badge-progress">
              <span>
                {formatPoints(b.progress.value)} / {formatPoints(b.progress.threshold)}
              </span>
              <span>{Math.round(frac * 100)}%</span>
            </div>
            <ProgressBar fraction={frac} label={`${b.name}: ${b.progress.value} of ${b.progress.threshold}`} tone="slate" className="h-1.5" />
          </div>
        )}
      </div>
    </li>
  );
}

function LedgerRow({ e, tz }: { e: LedgerEntry; tz?: string }) {
  const r = ledgerReason(e);
  return (
    <li className="flex items-start justify-between gap-3 py-2.5" data-testid="ledger-row" data-kind={e.kind}>
      <div className="min-w-0">
        <p className="text-sm font-medium">{r.text}</p>
        {r.parts.length > 1 && (
          <p className="text-xs muted">{r.parts.map((p) => `${p.label} ${signedPoints(p.points)}`).join(' · ')}</p>
        )}
        <p className="text-xs muted">
          <time dateTime={e.created_at}>{formatDateTime(e.created_at, tz)}</time>
        </p>
      </div>
      <span
        className={cn(
          'shrink-0 text-sm font-semibold tabular-nums',
          e.points > 0 ? 'text-green-800 dark:text-green-300' : e.points < 0 ? 'text-red-700 dark:text-red-300' : 'muted',
        )}
        data-testid="ledger-points"
      >
        {signedPoints(e.points)}
      </span>
    </li>
  );
}

function Ledger() {
  const { user } = useAuth();
  const list = useInfiniteQuery({
    queryKey: gameKeys.ledger,
    queryFn: ({ pageParam }) => gameApi.ledger({ limit: 20, before: pageParam }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next_before ?? undefined,
  });
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  return (
    <SectionCard id="ledger-title" title="Points history" icon={<History aria-hidden className="h-4 w-4 text-slate-500" />} testId="ledger">
      {list.isLoading ? (
        <Spinner label="Loading points history" />
      ) : list.error ? (
        <ErrorBanner error={list.error} />
      ) : items.length === 0 ? (
        <p className="text-sm muted">No points yet. Every call, conversation, application and funded loan earns points.</p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {items.map((e) => (
            <LedgerRow key={e.id} e={e} tz={user?.timezone} />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <div className="mt-3 text-center">
          <button type="button" className="btn-secondary" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? 'Loading…' : 'Older points'}
          </button>
        </div>
      )}
    </SectionCard>
  );
}

function HowItWorks() {
  const [open, setOpen] = useState(false);
  const table = useQuery({ queryKey: gameKeys.pointsTable, queryFn: gameApi.pointsTable, enabled: open });
  return (
    <details className="card" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)} data-testid="how-it-works">
      <summary className="flex cursor-pointer items-center gap-2 px-4 py-3 text-base font-semibold">
        <CircleHelp aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" /> How points, levels and streaks work
      </summary>
      <div className="grid gap-6 border-t border-slate-200 p-4 text-sm dark:border-slate-700 md:grid-cols-2">
        <div>
          <h3 className="mb-2 font-semibold">Points your org gives</h3>
          {table.isLoading ? (
            <Spinner label="Loading the points table" />
          ) : table.error ? (
            <ErrorBanner error={table.error} />
          ) : table.data ? (
            <table className="w-full">
              <caption className="sr-only">Points per action</caption>
              <tbody>
                {table.data.actions.map((a) => (
                  <tr key={a.key} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                    <th scope="row" className="py-1 pr-2 text-left font-normal">
                      {a.label}
                    </th>
                    <td className="py-1 text-right font-semibold tabular-nums">{a.points}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <p className="mt-2 text-xs muted">
            Points come only from what you log, priced by the table in force when it happened. A call's outcome adds on top:{' '}
            {ACTION_LABELS.call.toLowerCase()}, then reaching someone, an appointment, an application.
          </p>
        </div>
        <div className="space-y-4">
          <div>
            <h3 className="mb-2 font-semibold">Levels (lifetime points)</h3>
            <ol className="space-y-1">
              {LEVELS.map((l) => (
                <li key={l.number} className="flex justify-between gap-2 rounded bg-slate-50 px-2 py-1 dark:bg-slate-800/60">
                  <span>
                    {l.number}. {l.name}
                  </span>
                  <span className="whitespace-nowrap tabular-nums muted">{l.min_points ? `${formatPoints(l.min_points)} points` : 'from the start'}</span>
                </li>
              ))}
            </ol>
          </div>
          <div>
            <h3 className="mb-1 font-semibold">Streaks</h3>
            <p className="muted">
              A working day counts when it has a call. Days off neither count nor break it, and today without a call yet does not break it. Milestones
              at {STREAK_MILESTONES.join(', ')} days are celebrated. Your streak is private.
            </p>
          </div>
        </div>
      </div>
    </details>
  );
}

export default function Profile() {
  useTitle('Profile');
  const { user } = useAuth();
  const profile = useQuery({ queryKey: gameKeys.profile, queryFn: () => gameApi.profile() });
  const p = profile.data;
  const earned = p?.badges.filter((b) => b.earned_at).length ?? 0;
  return (
    <div>
      <PageHeader
        title="Your profile"
        subtitle={p ? `Level ${p.level.number} · ${p.level.name} · ${formatPoints(p.points.balance)} points to spend` : 'Points, levels, badges and your streak'}
        icon={<UserRound aria-hidden className="h-8 w-8 text-blue-600 dark:text-blue-400" />}
      />
      <GameTabs />
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-6 sm:px-8">
        {profile.isLoading ? (
          <Spinner label="Loading your profile" />
        ) : profile.error ? (
          <ErrorBanner error={profile.error} />
        ) : p ? (
          <>
            <div className="grid gap-6 lg:grid-cols-3">
              <LevelCard p={p} />
              <PointsCard p={p} />
            </div>
            <div className="grid gap-6 lg:grid-cols-3">
              {p.streak && (
                <div className="lg:col-span-1">
                  <StreakCard streak={p.streak} />
                </div>
              )}
              <div className={p.streak ? 'lg:col-span-2' : 'lg:col-span-3'}>
                <SectionCard
                  id="badges-title"
                  title="Badges"
                  icon={<Medal aria-hidden className="h-4 w-4 text-violet-600 dark:text-violet-300" />}
                  actions={
                    <span className="text-sm muted" data-testid="badges-count">
                      {earned} of {p.badges.length} earned
                    </span>
                  }
                  testId="badges"
                >
                  <ul className="grid gap-3 sm:grid-cols-2">
                    {[...p.badges]
                      .sort((a, b) => Number(!!b.earned_at) - Number(!!a.earned_at))
                      .map((b) => (
                        <BadgeTile key={b.key} b={b} tz={user?.timezone} />
                      ))}
                  </ul>
                </SectionCard>
              </div>
            </div>
            <div className="grid gap-6 lg:grid-cols-2">
              <Ledger />
              <div className="space-y-6">
                <HowItWorks />
                <p className="flex items-center gap-1.5 text-sm muted">
                  <CalendarCheck aria-hidden className="h-4 w-4" /> Points and badges update as you log calls, anywhere.
                </p>
              </div>
            </div>
          </>
        ) : null}
      </div>
    </div>
  );
}
