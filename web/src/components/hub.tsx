// Shared pieces of the accountability hub's views: the Today / Week / Month
// tabs, progress bars and the metric board (scoreboard).
import type { ComponentType } from 'react';
import { NavLink, Link } from 'react-router-dom';
import { CalendarDays, CalendarRange, Check, Sunrise, Target } from 'lucide-react';
import { barWidth, formatFraction, formatMetricValue, goalMet, metricLabel, withGoalsFirst } from '../lib/hub';
import { cn } from '../lib/format';
import type { Progress, ProgressMetric } from '../types';

const TABS = [
  { to: '/today', label: 'Today', icon: Sunrise },
  { to: '/week', label: 'Week', icon: CalendarRange },
  { to: '/month', label: 'Month', icon: CalendarDays },
];

type TabIcon = ComponentType<{ className?: string; 'aria-hidden'?: boolean }>;

// Pages of one section as tabs under the page header (the hub's views, the
// game's pages).
export function SectionTabs({ label, tabs }: { label: string; tabs: { to: string; label: string; icon: TabIcon }[] }) {
  return (
    <nav aria-label={label} className="overflow-x-auto border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900 sm:px-8">
      <ul className="-mb-px flex gap-1">
        {tabs.map((t) => (
          <li key={t.to}>
            <NavLink
              to={t.to}
              className={({ isActive }) =>
                cn(
                  'inline-flex items-center gap-1.5 whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium',
                  isActive
                    ? 'border-blue-600 text-blue-800 dark:border-blue-400 dark:text-blue-200'
                    : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100',
                )
              }
            >
              <t.icon aria-hidden className="h-4 w-4" />
              {t.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function HubTabs() {
  return <SectionTabs label="Hub views" tabs={TABS} />;
}

// A horizontal bar for a fraction (1 = full); the width animates as it moves.
export function ProgressBar({
  fraction,
  label,
  tone = 'blue',
  className,
}: {
  fraction: number | null;
  label: string;
  tone?: 'blue' | 'green' | 'amber' | 'slate';
  className?: string;
}) {
  const width = barWidth(fraction);
  const color = {
    blue: 'bg-blue-600 dark:bg-blue-400',
    green: 'bg-green-600 dark:bg-green-400',
    amber: 'bg-amber-500 dark:bg-amber-400',
    slate: 'bg-slate-400 dark:bg-slate-500',
  }[tone];
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(width)}
      aria-valuetext={fraction === null ? 'no goal' : formatFraction(fraction)}
      className={cn('h-2.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700', className)}
    >
      <div className={cn('h-full rounded-full transition-[width] duration-700 ease-out', color)} style={{ width: `${width}%` }} />
    </div>
  );
}

function MetricRow({ m, period }: { m: ProgressMetric; period: string }) {
  const met = goalMet(m);
  return (
    <li className="py-2.5" data-testid={`score-${m.metric}`} data-actual={m.actual} data-target={m.target ?? ''}>
      <div className="mb-1 flex items-baseline justify-between gap-2 text-sm">
        <span className="flex items-center gap-1.5 font-medium">
          {metricLabel(m.metric)}
          {met && (
            <span className="inline-flex items-center gap-0.5 rounded-full bg-green-100 px-1.5 text-xs font-semibold text-green-800 dark:bg-green-950 dark:text-green-200">
              <Check aria-hidden className="h-3 w-3" /> Goal met
            </span>
          )}
        </span>
        <span className="tabular-nums">
          <span className="font-semibold" data-testid="score-actual">
            {formatMetricValue(m.metric, m.actual)}
          </span>
          <span className="muted"> / {formatMetricValue(m.metric, m.target)}</span>
          <span className="ml-2 text-xs muted">{formatFraction(m.percent)}</span>
        </span>
      </div>
      <ProgressBar fraction={m.percent} tone={met ? 'green' : 'blue'} label={`${metricLabel(m.metric)}: ${period} goal progress`} />
    </li>
  );
}

// Progress against goals: the metrics with a goal as bars, the others as
// plain counts. `period` names the goals ("daily", "weekly"...).
export function MetricBoard({ progress, period, emptyHint = true }: { progress: Progress; period: string; emptyHint?: boolean }) {
  const metrics = withGoalsFirst(progress.metrics);
  const withGoal = metrics.filter((m) => m.target !== null);
  const without = metrics.filter((m) => m.target === null);
  return (
    <div>
      {withGoal.length > 0 ? (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {withGoal.map((m) => (
            <MetricRow key={m.metric} m={m} period={period} />
          ))}
        </ul>
      ) : (
        emptyHint && (
          <p className="flex flex-wrap items-center gap-1 py-2 text-sm muted">
            <Target aria-hidden className="h-4 w-4" /> No {period} goals yet.
            <Link to="/goals" className="font-medium text-blue-700 hover:underline dark:text-blue-300">
              Set goals
            </Link>
            to see progress bars.
          </p>
        )
      )}
      {without.length > 0 && (
        <dl className="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-4">
          {without.map((m) => (
            <div key={m.metric} className="rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-800/60" data-testid={`score-${m.metric}`} data-actual={m.actual}>
              <dt className="text-xs muted">{metricLabel(m.metric)}</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid="score-actual">
                {formatMetricValue(m.metric, m.actual, true)}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

export function SectionCard({
  id,
  title,
  icon,
  actions,
  children,
  className,
  testId,
}: {
  id: string;
  title: string;
  icon?: React.ReactNode;
  actions?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section aria-labelledby={id} className={cn('card', className)} data-testid={testId}>
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-700">
        <h2 id={id} className="flex items-center gap-2 text-base font-semibold">
          {icon}
          {title}
        </h2>
        {actions}
      </div>
      <div className="p-4">{children}</div>
    </section>
  );
}
