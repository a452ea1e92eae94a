// Leaderboards: by points or by an activity or quality metric, for the day,
// week or month, among the team or the whole org. Names only where the org
// opted in; otherwise the caller sees their own anonymous band, never a rank.
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { EyeOff, ListOrdered, Users } from 'lucide-react';
import { gameApi } from '../lib/api';
import { addDays, cn, formatDate } from '../lib/format';
import { BAND_LEVEL, bandNote } from '../lib/hub';
import { LEADERBOARD_METRIC_HINTS, formatGameAmount, formatGameValue, gameUnit, gameKeys, gameMetricLabel, ordinal } from '../lib/game';
import { useTitle } from '../lib/hooks';
import { GameTabs, RankTable, SelectField } from '../components/game';
import { ErrorBanner, PageHeader, Spinner } from '../components/ui';
import { LEADERBOARD_METRICS, type Leaderboard as Board, type LeaderboardMetric, type LeaderboardPeriod, type LeaderboardScope, type PeerBand } from '../types';

const METRIC_OPTIONS = LEADERBOARD_METRICS.map((m) => [m, gameMetricLabel(m)] as const);
const PERIOD_OPTIONS = [
  ['day', 'Today'],
  ['week', 'This week'],
  ['month', 'This month'],
] as const;
const SCOPE_OPTIONS = [
  ['team', 'My team'],
  ['org', 'Whole company'],
] as const;

function pick<T extends string>(value: string | null, allowed: readonly (readonly [T, string])[], fallback: T): T {
  return allowed.some(([v]) => v === value) ? (value as T) : fallback;
}

function BandScale({ band }: { band: string }) {
  const level = BAND_LEVEL[band as PeerBand] ?? 0;
  return (
    <div aria-hidden className="flex gap-1">
      {[1, 2, 3, 4, 5].map((i) => (
        <span key={i} className={cn('h-3 w-8 rounded', i <= level ? 'bg-blue-600 dark:bg-blue-400' : 'bg-slate-200 dark:bg-slate-700')} />
      ))}
    </div>
  );
}

function AnonymousBand({ b }: { b: Board }) {
  const band = b.you.band ?? '';
  return (
    <div data-testid="leaderboard-band" data-band={band}>
      <div className="flex flex-wrap items-center gap-6 rounded-xl bg-gradient-to-r from-blue-50 to-violet-50 p-5 dark:from-blue-950/40 dark:to-violet-950/40">
        <div>
          <p className="text-xs font-medium uppercase tracking-wide muted">Your band</p>
          <p className="text-3xl font-bold" data-testid="band-label">
            {b.you.label}
          </p>
          <p className="mt-0.5 text-sm">{bandNote(band)}</p>
        </div>
        <div className="space-y-2">
          <BandScale band={band} />
          <p className="text-sm">
            You: <span className="font-semibold tabular-nums" data-testid="your-value">{formatGameValue(b.metric, b.you.value)}</span>{' '}
            {gameUnit(b.metric, b.you.value)}
          </p>
        </div>
      </div>
      <p className="mt-3 flex items-start gap-1.5 text-sm muted" data-testid="leaderboard-message">
        <EyeOff aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
        <span>
          {b.message} Among {b.group_size} ranked officers; no one else's name or numbers are shown.
        </span>
      </p>
    </div>
  );
}

function TooSmall({ b }: { b: Board }) {
  return (
    <div data-testid="leaderboard-too-small">
      <p className="rounded-lg bg-slate-50 px-3 py-3 text-sm dark:bg-slate-800/60" data-testid="leaderboard-message">
        {b.message}
      </p>
      {b.you.value !== null && b.you.value !== undefined && (
        <p className="mt-3 text-sm">
          Your own {gameMetricLabel(b.metric).toLowerCase()}:{' '}
          <span className="font-semibold tabular-nums" data-testid="your-value">
            {formatGameValue(b.metric, b.you.value)}
          </span>
        </p>
      )}
    </div>
  );
}

function Named({ b }: { b: Board }) {
  return (
    <div>
      {b.you.rank !== undefined && (
        <p className="mb-3 text-sm" data-testid="your-rank">
          You are <span className="font-semibold">{ordinal(b.you.rank)}</span> of {b.group_size} with{' '}
          <span className="font-semibold tabular-nums">{formatGameAmount(b.metric, b.you.value)}</span>.
        </p>
      )}
      {b.items.length === 0 ? (
        <p className="text-sm muted">No one is ranked yet for this period.</p>
      ) : (
        <RankTable
          caption={`${gameMetricLabel(b.metric)} leaderboard`}
          metric={b.metric}
          valueLabel={gameMetricLabel(b.metric)}
          rows={b.items.map((i) => ({ key: i.user_id, rank: i.rank, name: i.name, value: i.value, you: i.you }))}
          testId="leaderboard-table"
        />
      )}
      <p className="mt-3 text-xs muted" data-testid="leaderboard-message">
        {b.message}
      </p>
    </div>
  );
}

export default function Leaderboard() {
  useTitle('Leaderboard');
  const [params, setParams] = useSearchParams();
  const metric = pick<LeaderboardMetric>(params.get('metric'), METRIC_OPTIONS, 'points');
  const period = pick<LeaderboardPeriod>(params.get('period'), PERIOD_OPTIONS, 'week');
  const scope = pick<LeaderboardScope>(params.get('scope'), SCOPE_OPTIONS, 'team');
  const set = (k: string, v: string) =>
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        n.set(k, v);
        return n;
      },
      { replace: true },
    );
  const board = useQuery({
    queryKey: gameKeys.leaderboard(metric, period, scope),
    queryFn: () => gameApi.leaderboard({ metric, period, scope }),
    placeholderData: (prev) => prev,
    refetchInterval: 60_000,
  });
  const b = board.data;
  return (
    <div>
      <PageHeader
        title="Leaderboard"
        subtitle="Friendly competition: points, activity and quality."
        icon={<ListOrdered aria-hidden className="h-8 w-8 text-blue-600 dark:text-blue-400" />}
      />
      <GameTabs />
      <div className="mx-auto max-w-4xl space-y-6 px-4 py-6 sm:px-8">
        <div className="card grid gap-3 p-4 sm:grid-cols-3" role="group" aria-label="Leaderboard filters">
          <SelectField id="lb-metric" label="Metric" value={metric} options={METRIC_OPTIONS} onChange={(v) => set('metric', v)} />
          <SelectField id="lb-period" label="Period" value={period} options={PERIOD_OPTIONS} onChange={(v) => set('period', v)} />
          <SelectField id="lb-scope" label="Compare with" value={scope} options={SCOPE_OPTIONS} onChange={(v) => set('scope', v)} />
          <p className="text-xs muted sm:col-span-3">{LEADERBOARD_METRIC_HINTS[metric]}</p>
        </div>
        <section aria-labelledby="board-title" className="card" data-testid="leaderboard" data-named={b ? String(b.named) : undefined} data-status={b?.status}>
          <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-700">
            <h2 id="board-title" className="flex items-center gap-2 text-base font-semibold">
              <Users aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />
              {gameMetricLabel(metric)} · {PERIOD_OPTIONS.find(([v]) => v === period)?.[1]} · {scope === 'team' ? 'your team' : 'the company'}
            </h2>
            {b && (
              <span className="text-xs muted">
                {b.from === addDays(b.to, -1) ? formatDate(b.from) : `${formatDate(b.from)} – ${formatDate(addDays(b.to, -1))}`}
              </span>
            )}
          </div>
          <div className={cn('p-4', board.isFetching && board.isPlaceholderData && 'opacity-60')} aria-busy={board.isFetching}>
            {board.isLoading ? (
              <Spinner label="Loading the leaderboard" />
            ) : board.error ? (
              <ErrorBanner error={board.error} />
            ) : b ? (
              b.named ? (
                <Named b={b} />
              ) : b.status === 'too_small' ? (
                <TooSmall b={b} />
              ) : (
                <AnonymousBand b={b} />
              )
            ) : null}
            {b && b.unranked > 0 && (
              <p className="mt-2 text-xs muted" data-testid="unranked">
                {b.unranked} not ranked yet: a rate needs {metric === 'application_rate' ? '5 conversations' : '10 calls'} first.
              </p>
            )}
          </div>
        </section>
      </div>
    </div>
  );
}
