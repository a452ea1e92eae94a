// Goals per metric and period (GET/PUT/DELETE /api/goals) with this
// period's progress (GET /api/goals/progress) as bars.
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Save, Target, Trash2 } from 'lucide-react';
import { hubApi } from '../lib/api';
import { formatDate, cn } from '../lib/format';
import { parseTarget } from '../lib/goals';
import { formatFraction, formatMetricValue, goalMet, metricLabel, PERIOD_LABELS, PERIOD_NOUNS } from '../lib/hub';
import { useTitle } from '../lib/hooks';
import { ProgressBar } from '../components/hub';
import { ConfirmDialog, ErrorBanner, PageHeader, Spinner, errorMessage } from '../components/ui';
import { GOAL_METRICS, GOAL_PERIODS, type Goal, type GoalPeriod, type ProgressMetric } from '../types';

const HINTS: Record<string, string> = {
  calls: 'Every call you log',
  conversations: 'Calls answered, or that set an appointment or took an application',
  appointments: 'Appointments set or applications taken',
  applications: 'Applications taken',
  closings: 'Deals closed won',
  posts: 'Video and social posts',
  partner_meetings: 'Meetings with referral partners',
  funded_volume: 'Dollars of deals closed won',
};

function GoalRow({ metric, period, goal, progress }: { metric: string; period: GoalPeriod; goal?: Goal; progress?: ProgressMetric }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState(goal ? String(goal.target) : '');
  const [touched, setTouched] = useState(false);
  const [confirm, setConfirm] = useState(false);
  useEffect(() => {
    setText(goal ? String(goal.target) : '');
    setTouched(false);
  }, [goal?.target, goal?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const refresh = () => {
    queryClient.invalidateQueries({ queryKey: ['goals'] });
    queryClient.invalidateQueries({ queryKey: ['hub'] });
  };
  const save = useMutation({
    mutationFn: (target: number) => hubApi.putGoal({ metric, period, target }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: () => hubApi.deleteGoal(goal!.id),
    onSuccess: () => {
      setConfirm(false);
      refresh();
    },
  });
  const parsed = parseTarget(metric, text);
  const invalid = touched && 'error' in parsed;
  const unchanged = !text.trim() || ('value' in parsed && parsed.value === goal?.target);
  const id = `goal-${period}-${metric}`;
  const label = metricLabel(metric);
  const met = progress ? goalMet(progress) : false;
  return (
    <li className="grid gap-3 px-4 py-4 sm:grid-cols-[1fr_auto] sm:items-center" data-testid={`goal-${metric}`}>
      <div className="min-w-0">
        <p className="text-sm font-semibold">{label}</p>
        <p className="text-xs muted">{HINTS[metric]}</p>
        {progress && (
          <div className="mt-2">
            <div className="mb-1 flex justify-between text-xs tabular-nums">
              <span>
                <span className="font-semibold">{formatMetricValue(metric, progress.actual)}</span>
                {progress.target !== null && <span className="muted"> of {formatMetricValue(metric, progress.target)}</span>}
                {progress.target === null && <span className="muted"> so far this {PERIOD_NOUNS[period]}</span>}
              </span>
              {progress.target !== null && <span className={cn(met ? 'font-semibold text-green-800 dark:text-green-300' : 'muted')}>{formatFraction(progress.percent)}</span>}
            </div>
            {progress.target !== null && (
              <ProgressBar fraction={progress.percent} tone={met ? 'green' : 'blue'} label={`${label}: ${PERIOD_LABELS[period].toLowerCase()} goal progress`} />
            )}
          </div>
        )}
      </div>
      <form
        className="flex items-start gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          save.reset();
          if ('value' in parsed) save.mutate(parsed.value);
        }}
      >
        <div className="w-36">
          <label htmlFor={id} className="sr-only">
            {PERIOD_LABELS[period]} target for {label}
          </label>
          <input
            id={id}
            inputMode="numeric"
            className={cn('input tabular-nums', invalid && 'border-red-500')}
            placeholder="No goal"
            value={text}
            aria-invalid={invalid}
            aria-describedby={invalid ? `${id}-error` : undefined}
            onChange={(e) => setText(e.target.value)}
            onBlur={() => text && setTouched(true)}
          />
          {invalid && 'error' in parsed && (
            <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
              {parsed.error}
            </p>
          )}
          {save.error && (
            <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
              {errorMessage(save.error)}
            </p>
          )}
        </div>
        <button type="submit" className="btn-primary" disabled={save.isPending || unchanged}>
          <Save aria-hidden className="h-4 w-4" />
          <span className="sr-only sm:not-sr-only">{goal ? 'Update' : 'Set'}</span>
          <span className="sr-only"> {label} goal</span>
        </button>
        {goal && (
          <button type="button" className="btn-ghost p-2" onClick={() => setConfirm(true)} aria-label={`Delete ${label} goal`} title="Delete goal">
            <Trash2 aria-hidden className="h-4 w-4" />
          </button>
        )}
      </form>
      {confirm && goal && (
        <ConfirmDialog
          title="Delete goal?"
          message={`Remove your ${PERIOD_LABELS[period].toLowerCase()} ${label.toLowerCase()} goal of ${formatMetricValue(metric, goal.target)}?`}
          confirmLabel="Delete goal"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
          onCancel={() => setConfirm(false)}
        />
      )}
    </li>
  );
}

export default function Goals() {
  useTitle('Goals');
  const [period, setPeriod] = useState<GoalPeriod>('day');
  const goals = useQuery({ queryKey: ['goals', 'list'], queryFn: () => hubApi.listGoals() });
  const progress = useQuery({ queryKey: ['goals', 'progress', period], queryFn: () => hubApi.progress(period) });
  const byMetric = new Map((goals.data?.items ?? []).filter((g) => g.period === period).map((g) => [g.metric as string, g]));
  const progressBy = new Map((progress.data?.metrics ?? []).map((m) => [m.metric, m]));
  const counts = Object.fromEntries(GOAL_PERIODS.map((p) => [p, (goals.data?.items ?? []).filter((g) => g.period === p).length]));

  return (
    <div>
      <PageHeader
        title="Goals"
        subtitle="Set targets for the day, week, month and 90-day cycle; the hub tracks them live."
        icon={<Target aria-hidden className="h-8 w-8 text-blue-600 dark:text-blue-400" />}
      />
      <div className="max-w-4xl px-4 py-6 sm:px-8">
        <div role="tablist" aria-label="Goal period" className="mb-4 inline-flex flex-wrap rounded-xl bg-slate-100 p-1 dark:bg-slate-800">
          {GOAL_PERIODS.map((p) => (
            <button
              key={p}
              type="button"
              role="tab"
              id={`tab-${p}`}
              aria-selected={period === p}
              aria-controls="goal-panel"
              tabIndex={period === p ? 0 : -1}
              onClick={() => setPeriod(p)}
              onKeyDown={(e) => {
                const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
                if (!d) return;
                e.preventDefault();
                const next = GOAL_PERIODS[(GOAL_PERIODS.indexOf(p) + d + GOAL_PERIODS.length) % GOAL_PERIODS.length];
                setPeriod(next);
                requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
              }}
              className={cn(
                'rounded-lg px-3 py-1.5 text-sm font-medium',
                period === p ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-600 dark:text-white' : 'text-slate-600 hover:text-slate-900 dark:text-slate-300',
              )}
            >
              {PERIOD_LABELS[p]}
              {counts[p] > 0 && <span className="ml-1.5 rounded-full bg-blue-100 px-1.5 text-xs text-blue-800 dark:bg-blue-950 dark:text-blue-200">{counts[p]}</span>}
            </button>
          ))}
        </div>
        <section id="goal-panel" role="tabpanel" aria-labelledby={`tab-${period}`} className="card">
          <div className="border-b border-slate-200 px-4 py-3 text-sm muted dark:border-slate-700">
            {progress.data
              ? `This ${PERIOD_NOUNS[period]}: ${formatDate(progress.data.from)} – ${formatDate(addDaysBack(progress.data.to))}`
              : `${PERIOD_LABELS[period]} goals`}
          </div>
          {goals.error && <ErrorBanner error={goals.error} className="m-4" />}
          {goals.isLoading ? (
            <Spinner className="p-4" label="Loading goals" />
          ) : (
            <ul className="divide-y divide-slate-200 dark:divide-slate-700">
              {GOAL_METRICS.map((m) => (
                <GoalRow key={`${period}-${m}`} metric={m} period={period} goal={byMetric.get(m)} progress={progressBy.get(m)} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

// `to` is exclusive: the period's last day is the one before.
function addDaysBack(to: string): string {
  const [y, m, d] = to.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}
