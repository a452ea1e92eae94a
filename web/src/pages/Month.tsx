// The monthly view: the 90-day cycle (time elapsed against progress), the
// month's goals, trends with direction, goal recommendations to apply,
// achievements, the printable report and, for managers and admins, the
// team's roll-up.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import {
  ArrowDown,
  ArrowRight,
  ArrowUp,
  Award,
  CalendarDays,
  Check,
  ChevronLeft,
  ChevronRight,
  Lightbulb,
  Printer,
  RotateCw,
  Target,
  TrendingUp,
  Users,
} from 'lucide-react';
import { hubApi, monthlyReportUrl, teamReportUrl } from '../lib/api';
import { useAuth } from '../contexts/AuthContext';
import { addDays, cn, formatDate, formatDateTime } from '../lib/format';
import {
  addMonths,
  clampPercent,
  DIRECTION_LABEL,
  formatChange,
  formatFraction,
  formatMetricValue,
  goalsAttainment,
  metricLabel,
  monthLabel,
  monthOf,
  PERIOD_LABELS,
} from '../lib/hub';
import { useTitle, useToday } from '../lib/hooks';
import { HubTabs, MetricBoard, ProgressBar, SectionCard } from '../components/hub';
import { Badge, ErrorBanner, PageHeader, Spinner, errorMessage } from '../components/ui';
import { GOAL_METRICS, type HubMonth, type Recommendation, type TeamReport, type Trend } from '../types';

function CycleCard({ cycle }: { cycle: HubMonth['cycle'] }) {
  const elapsed = clampPercent(cycle.elapsed_percent);
  const attained = goalsAttainment(cycle.progress?.metrics ?? []);
  const ahead = attained !== null && attained * 100 >= elapsed;
  return (
    <div data-testid="cycle">
      <p className="text-2xl font-bold" data-testid="cycle-day">
        Day {cycle.day} of {cycle.days}
      </p>
      <p className="text-sm muted">
        Cycle {cycle.number}: {formatDate(cycle.from)} – {formatDate(addDays(cycle.to, -1))}
      </p>
      <div className="mt-4 space-y-3">
        <div>
          <div className="mb-1 flex justify-between text-xs">
            <span className="font-medium">Time elapsed</span>
            <span className="tabular-nums muted" data-testid="cycle-elapsed">
              {Math.round(elapsed)}%
            </span>
          </div>
          <ProgressBar fraction={elapsed / 100} tone="slate" label="Cycle time elapsed" />
        </div>
        <div>
          <div className="mb-1 flex justify-between text-xs">
            <span className="font-medium">Progress toward cycle goals</span>
            <span className="tabular-nums muted" data-testid="cycle-progress">
              {attained === null ? 'no cycle goals' : formatFraction(attained)}
            </span>
          </div>
          <ProgressBar fraction={attained} tone={ahead ? 'green' : 'blue'} label="Cycle goal progress" />
        </div>
        <p className="text-sm">
          {attained === null ? (
            <>
              <Link to="/goals" className="font-medium text-blue-700 hover:underline dark:text-blue-300">
                Set 90-day cycle goals
              </Link>{' '}
              to compare your progress with the time elapsed.
            </>
          ) : ahead ? (
            'Ahead of the clock: your progress is running ahead of the time elapsed.'
          ) : (
            'There is still time: the rest of the cycle is yours to close the gap.'
          )}
        </p>
        {attained !== null && (
          <ul className="space-y-1 text-xs">
            {cycle.progress.metrics
              .filter((m) => m.target !== null)
              .map((m) => (
                <li key={m.metric} className="flex justify-between gap-2">
                  <span className="muted">{metricLabel(m.metric)}</span>
                  <span className="tabular-nums">
                    {formatMetricValue(m.metric, m.actual, true)} / {formatMetricValue(m.metric, m.target, true)} ({formatFraction(m.percent)})
                  </span>
                </li>
              ))}
          </ul>
        )}
      </div>
      {cycle.review && (
        <div className="mt-4 rounded-lg bg-slate-50 p-3 text-sm dark:bg-slate-800/60" data-testid="cycle-review">
          <p className="flex items-center gap-1.5 font-medium">
            <RotateCw aria-hidden className="h-4 w-4" /> Cycle {cycle.review.number} review ({formatDate(cycle.review.from)} – {formatDate(addDays(cycle.review.to, -1))})
          </p>
          <p className="mt-1">
            {cycle.review.goals_met} of {cycle.review.goals} cycle goals met.
          </p>
          {cycle.review.metrics.length > 0 && (
            <ul className="mt-1 space-y-0.5 text-xs">
              {cycle.review.metrics
                .filter((m) => m.target !== null || m.actual)
                .map((m) => (
                  <li key={m.metric} className="flex justify-between">
                    <span className="muted">{metricLabel(m.metric)}</span>
                    <span className="tabular-nums">
                      {formatMetricValue(m.metric, m.actual, true)}
                      {m.target !== null && ` / ${formatMetricValue(m.metric, m.target, true)}`}
                    </span>
                  </li>
                ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

const DIR_ICON = { up: ArrowUp, down: ArrowDown, steady: ArrowRight } as const;
const DIR_TONE = {
  up: 'text-green-700 dark:text-green-300',
  down: 'text-amber-700 dark:text-amber-300',
  steady: 'text-slate-600 dark:text-slate-400',
} as const;

function TrendsTable({ trend, unit }: { trend: Trend; unit: string }) {
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Trends table">
      <table className="w-full text-sm" data-testid="trends">
        <caption className="mb-2 text-left text-xs muted">
          Last complete {unit} ({formatDate(trend.current.from)} – {formatDate(addDays(trend.current.to, -1))}) against the one before (
          {formatDate(trend.previous.from)} – {formatDate(addDays(trend.previous.to, -1))})
        </caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide muted dark:border-slate-700">
            <th scope="col" className="py-2 pr-2 font-medium">
              Metric
            </th>
            <th scope="col" className="py-2 pr-2 text-right font-medium">
              Before
            </th>
            <th scope="col" className="py-2 pr-2 text-right font-medium">
              Latest
            </th>
            <th scope="col" className="py-2 text-right font-medium">
              Change
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {trend.metrics.map((m) => {
            const Icon = DIR_ICON[m.direction] ?? ArrowRight;
            return (
              <tr key={m.metric} data-testid={`trend-${m.metric}`} data-direction={m.direction}>
                <th scope="row" className="py-2 pr-2 text-left font-medium">
                  {metricLabel(m.metric)}
                </th>
                <td className="py-2 pr-2 text-right tabular-nums">{formatMetricValue(m.metric, m.previous, true)}</td>
                <td className="py-2 pr-2 text-right tabular-nums">{formatMetricValue(m.metric, m.current, true)}</td>
                <td className={cn('py-2 text-right tabular-nums', DIR_TONE[m.direction])}>
                  <span className="inline-flex items-center gap-1">
                    <Icon aria-hidden className={cn('h-4 w-4', m.direction === 'steady' && 'opacity-70')} />
                    <span className="sr-only">{DIRECTION_LABEL[m.direction]}: </span>
                    {formatChange(m)}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const ACTION_BADGE = { raise: 'green', hold: 'gray', lower: 'amber' } as const;
const ACTION_LABEL = { raise: 'Raise', hold: 'Hold', lower: 'Lower' } as const;

function RecommendationRow({ r }: { r: Recommendation }) {
  const queryClient = useQueryClient();
  const apply = useMutation({
    mutationFn: () => hubApi.putGoal({ metric: r.metric, period: r.period, target: r.suggested_target }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ['goals'] });
      queryClient.invalidateQueries({ queryKey: ['hub'] });
    },
  });
  const changes = r.action !== 'hold' && r.suggested_target !== r.target;
  const label = `${(PERIOD_LABELS[r.period] ?? r.period).toLowerCase()} ${metricLabel(r.metric).toLowerCase()}`;
  return (
    <li className="py-3" data-testid={`recommendation-${r.metric}-${r.period}`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
            <Badge color={ACTION_BADGE[r.action] ?? 'gray'}>{ACTION_LABEL[r.action] ?? r.action}</Badge>
            <span className="inline-block first-letter:uppercase">{label}</span>
            <span className="tabular-nums muted">
              {formatMetricValue(r.metric, r.target)}
              {changes && (
                <>
                  {' '}
                  → <span className="font-semibold text-slate-900 dark:text-white">{formatMetricValue(r.metric, r.suggested_target)}</span>
                </>
              )}
            </span>
          </p>
          <p className="mt-1 text-sm muted">{r.reason}</p>
          {r.history.length > 0 && (
            <p className="mt-1 text-xs muted">
              Recent:{' '}
              {r.history.map((h, i) => (
                <span key={h.from}>
                  {i > 0 && ', '}
                  {formatDate(h.from)} {formatMetricValue(r.metric, h.actual, true)} ({formatFraction(h.percent)})
                </span>
              ))}
            </p>
          )}
        </div>
        {apply.isSuccess ? (
          <span className="inline-flex items-center gap-1 text-sm font-medium text-green-800 dark:text-green-300" role="status">
            <Check aria-hidden className="h-4 w-4" /> Applied
          </span>
        ) : (
          changes && (
            <button
              type="button"
              className="btn-secondary"
              onClick={() => apply.mutate()}
              disabled={apply.isPending}
              aria-label={`Apply: set the ${label} goal to ${formatMetricValue(r.metric, r.suggested_target)}`}
            >
              Apply
            </button>
          )
        )}
      </div>
      {apply.error && (
        <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
          {errorMessage(apply.error)}
        </p>
      )}
    </li>
  );
}

function TeamRollup({ month }: { month: string }) {
  const { user } = useAuth();
  const admin = user?.role === 'admin';
  // An admin picks any team of the org; a manager sees their own.
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => hubApi.teams(), enabled: admin });
  const [picked, setPicked] = useState<number | undefined>(undefined);
  const teamId = admin ? (picked ?? user?.team?.id ?? teams.data?.items[0]?.id) : undefined;
  const report = useQuery({
    queryKey: ['hub', 'team-report', month, teamId],
    queryFn: () => hubApi.teamReport(month, teamId),
    enabled: !admin || teamId !== undefined,
  });
  // The goal metrics in their usual order, then anything newer.
  const metricKeys = (r: TeamReport) => {
    const keys = Object.keys(r.totals);
    return [...GOAL_METRICS.filter((m) => keys.includes(m)), ...keys.filter((k) => !(GOAL_METRICS as readonly string[]).includes(k))];
  };
  return (
    <SectionCard
      id="team-title"
      title={report.data ? `Team roll-up: ${report.data.team}` : 'Team roll-up'}
      icon={<Users aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />}
      testId="team-rollup"
      className="lg:col-span-3"
      actions={
        <>
          {admin && (teams.data?.items.length ?? 0) > 1 && (
            <label className="inline-flex items-center gap-1 text-xs">
              <span className="muted">Team</span>
              <select
                className="input py-1 text-xs"
                value={teamId ?? ''}
                onChange={(e) => setPicked(Number(e.target.value))}
                data-testid="rollup-team"
              >
                {teams.data?.items.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <a href={teamReportUrl({ month, team_id: teamId })} target="_blank" rel="noopener" className="btn-secondary px-2 py-1 text-xs">
            <Printer aria-hidden className="h-3.5 w-3.5" /> Printable team report
          </a>
        </>
      }
    >
      {report.isLoading ? (
        <Spinner label="Loading the team" />
      ) : report.error ? (
        <ErrorBanner error={report.error} />
      ) : report.data && report.data.members.length === 0 ? (
        <p className="text-sm muted">No one on the team yet.</p>
      ) : report.data ? (
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Team roll-up table">
          <table className="w-full text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide muted dark:border-slate-700">
                <th scope="col" className="py-2 pr-3 font-medium">
                  Officer
                </th>
                {metricKeys(report.data).map((k) => (
                  <th key={k} scope="col" className="py-2 pr-3 text-right font-medium">
                    {metricLabel(k)}
                  </th>
                ))}
                <th scope="col" className="py-2 text-right font-medium">
                  Goals met
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {report.data.members.map((m) => (
                <tr key={m.user_id}>
                  <th scope="row" className="py-2 pr-3 text-left font-medium">
                    {m.name}
                  </th>
                  {metricKeys(report.data!).map((k) => (
                    <td key={k} className="py-2 pr-3 text-right tabular-nums">
                      {formatMetricValue(k, m.metrics[k] ?? 0, true)}
                    </td>
                  ))}
                  <td className="py-2 text-right tabular-nums">
                    {m.goals_met} / {m.goals}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="border-t-2 border-slate-300 font-semibold dark:border-slate-600">
                <th scope="row" className="py-2 pr-3 text-left">
                  Team total
                </th>
                {metricKeys(report.data).map((k) => (
                  <td key={k} className="py-2 pr-3 text-right tabular-nums">
                    {formatMetricValue(k, report.data!.totals[k], true)}
                  </td>
                ))}
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
    </SectionCard>
  );
}

export default function Month() {
  useTitle('This month');
  const { user } = useAuth();
  const today = useToday();
  const [params, setParams] = useSearchParams();
  const monthParam = params.get('month') ?? undefined;
  const thisMonth = monthOf(today);
  const month = monthParam ?? thisMonth;
  const data = useQuery({ queryKey: ['hub', 'month', monthParam ?? 'current'], queryFn: () => hubApi.month(monthParam) });
  const [trendUnit, setTrendUnit] = useState<'week' | 'month'>('week');
  const go = (m: string) => setParams(m === thisMonth ? {} : { month: m });
  const manager = user?.role === 'manager' || user?.role === 'admin';
  const d = data.data;
  return (
    <div>
      <PageHeader
        title={month === thisMonth ? 'This month' : monthLabel(month)}
        subtitle={monthLabel(month)}
        icon={<CalendarDays aria-hidden className="h-8 w-8 text-green-600 dark:text-green-400" />}
        actions={
          <>
            <button type="button" className="btn-secondary px-2" onClick={() => go(addMonths(month, -1))} aria-label="Previous month">
              <ChevronLeft aria-hidden className="h-4 w-4" />
            </button>
            <button type="button" className="btn-secondary" onClick={() => go(thisMonth)} disabled={month === thisMonth}>
              This month
            </button>
            <button type="button" className="btn-secondary px-2" onClick={() => go(addMonths(month, 1))} aria-label="Next month">
              <ChevronRight aria-hidden className="h-4 w-4" />
            </button>
            <a href={monthlyReportUrl({ month })} target="_blank" rel="noopener" className="btn-primary" data-testid="printable-report">
              <Printer aria-hidden className="h-4 w-4" /> Printable report
            </a>
          </>
        }
      />
      <HubTabs />
      <div className="px-4 py-6 sm:px-8">
        {data.isLoading && <Spinner label="Loading the month" />}
        {data.error ? <ErrorBanner error={data.error} /> : null}
        {d && (
          <div className="grid gap-6 lg:grid-cols-3">
            <SectionCard id="cycle-title" title="90-day cycle" icon={<RotateCw aria-hidden className="h-4 w-4 text-green-600 dark:text-green-400" />}>
              <CycleCard cycle={d.cycle} />
            </SectionCard>
            <SectionCard
              id="month-progress-title"
              title="Monthly goals"
              icon={<Target aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />}
              className="lg:col-span-2"
              testId="month-progress"
            >
              <MetricBoard progress={d.progress} period="monthly" />
            </SectionCard>
            <SectionCard
              id="trends-title"
              title="Trends"
              icon={<TrendingUp aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />}
              className="lg:col-span-2"
              actions={
                <div role="group" aria-label="Compare" className="inline-flex rounded-lg bg-slate-100 p-0.5 text-xs dark:bg-slate-800">
                  {(['week', 'month'] as const).map((u) => (
                    <button
                      key={u}
                      type="button"
                      aria-pressed={trendUnit === u}
                      onClick={() => setTrendUnit(u)}
                      className={cn('rounded-md px-2 py-1 font-medium', trendUnit === u ? 'bg-white shadow-sm dark:bg-slate-600' : 'text-slate-600 dark:text-slate-300')}
                    >
                      {u === 'week' ? 'Week over week' : 'Month over month'}
                    </button>
                  ))}
                </div>
              }
            >
              <TrendsTable trend={d.trends[trendUnit]} unit={trendUnit} />
            </SectionCard>
            <SectionCard id="achievements-title" title="Achievements" icon={<Award aria-hidden className="h-4 w-4 text-amber-500" />} testId="achievements">
              {d.achievements.length === 0 ? (
                <p className="text-sm muted">Your wins this month will collect here: goals reached and personal bests.</p>
              ) : (
                <ul className="space-y-3">
                  {d.achievements.map((a, i) => (
                    <li key={`${a.created_at}-${i}`} className="flex gap-2">
                      <Award aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-amber-500" />
                      <div>
                        <p className="text-sm font-medium">{a.title}</p>
                        {a.body && <p className="text-sm muted">{a.body}</p>}
                        <p className="text-xs muted">{formatDateTime(a.created_at, user?.timezone)}</p>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </SectionCard>
            <SectionCard
              id="recommendations-title"
              title="Goal recommendations"
              icon={<Lightbulb aria-hidden className="h-4 w-4 text-amber-500" />}
              className="lg:col-span-3"
              testId="recommendations"
            >
              {d.recommendations.length === 0 ? (
                <p className="text-sm muted">Recommendations appear once you have goals with a few periods of history.</p>
              ) : (
                <ul className="divide-y divide-slate-100 dark:divide-slate-800">
                  {d.recommendations.map((r) => (
                    <RecommendationRow key={`${r.goal_id}-${r.metric}-${r.period}`} r={r} />
                  ))}
                </ul>
              )}
            </SectionCard>
            {manager && <TeamRollup month={month} />}
          </div>
        )}
      </div>
    </div>
  );
}
