// The weekly view: the vision board (the week's plan), the thermometer,
// progress per metric against weekly goals, best days, the content
// calendar and the anonymous peer bands.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { CalendarRange, ChevronLeft, ChevronRight, Star, Target, Thermometer as ThermometerIcon, Users, Video, Check } from 'lucide-react';
import { hubApi } from '../lib/api';
import { addDays, cn, formatDate } from '../lib/format';
import { BAND_LEVEL, bandNote, clampPercent, formatMetricValue, metricLabel } from '../lib/hub';
import { mondayOf } from '../lib/plan';
import { useTitle, useToday } from '../lib/hooks';
import { HubTabs, MetricBoard, SectionCard } from '../components/hub';
import { VisionBoard, planKey } from '../components/VisionBoard';
import { ErrorBanner, PageHeader, Spinner } from '../components/ui';
import type { HubWeek, PeerBand, PeerBands } from '../types';

export function ThermometerCard({ t }: { t: HubWeek['thermometer'] }) {
  const pct = clampPercent(t.percent);
  return (
    <div className="flex items-stretch gap-4" data-testid="thermometer">
      <div className="flex flex-col items-center">
        <div
          role="progressbar"
          aria-label="This week's progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(pct)}
          aria-valuetext={`${Math.round(pct)}%`}
          className="relative h-40 w-6 overflow-hidden rounded-t-full border-2 border-slate-300 bg-slate-100 dark:border-slate-600 dark:bg-slate-800"
        >
          <div
            className="absolute inset-x-0 bottom-0 bg-gradient-to-t from-red-500 via-orange-400 to-amber-300 transition-[height] duration-1000 ease-out"
            style={{ height: `${pct}%` }}
          />
        </div>
        <div aria-hidden className="-mt-1 h-9 w-9 rounded-full border-2 border-slate-300 bg-red-500 dark:border-slate-600" />
      </div>
      <div className="min-w-0 flex-1">
        <p className="text-3xl font-bold tabular-nums" data-testid="thermometer-percent">
          {Math.round(pct)}%
        </p>
        <p className="mt-1 text-sm" data-testid="thermometer-message">
          {t.message}
        </p>
        <dl className="mt-3 space-y-1 text-sm">
          <div className="flex justify-between gap-2">
            <dt className="muted">Weekly goals met</dt>
            <dd className="font-medium tabular-nums">
              {t.goals_met} of {t.goals}
            </dd>
          </div>
          <div className="flex justify-between gap-2">
            <dt className="muted">Plan items done</dt>
            <dd className="font-medium tabular-nums">
              {t.plan_done} of {t.plan_items}
            </dd>
          </div>
        </dl>
      </div>
    </div>
  );
}

function BandScale({ band }: { band: string }) {
  const level = BAND_LEVEL[band as PeerBand] ?? 0;
  return (
    <div aria-hidden className="flex gap-0.5">
      {[1, 2, 3, 4, 5].map((i) => (
        <span key={i} className={cn('h-2 w-5 rounded-sm', i <= level ? 'bg-blue-600 dark:bg-blue-400' : 'bg-slate-200 dark:bg-slate-700')} />
      ))}
    </div>
  );
}

function Toggle<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: [T, string][]; onChange: (v: T) => void }) {
  return (
    <div role="group" aria-label={label} className="inline-flex rounded-lg bg-slate-100 p-0.5 text-xs dark:bg-slate-800">
      {options.map(([v, l]) => (
        <button
          key={v}
          type="button"
          aria-pressed={value === v}
          onClick={() => onChange(v)}
          className={cn('rounded-md px-2 py-1 font-medium', value === v ? 'bg-white shadow-sm dark:bg-slate-600' : 'text-slate-600 dark:text-slate-300')}
        >
          {l}
        </button>
      ))}
    </div>
  );
}

export function PeerBandsCard() {
  const [scope, setScope] = useState<'team' | 'org'>('team');
  const [period, setPeriod] = useState<'week' | 'month'>('week');
  const peers = useQuery({ queryKey: ['hub', 'peers', scope, period], queryFn: () => hubApi.peers(scope, period) });
  return (
    <SectionCard
      id="peers-title"
      title="Where you stand"
      icon={<Users aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />}
      testId="peer-bands"
      actions={
        <div className="flex flex-wrap gap-2">
          <Toggle label="Compare with" value={scope} options={[['team', 'Team'], ['org', 'Company']]} onChange={setScope} />
          <Toggle label="Period" value={period} options={[['week', 'Week'], ['month', 'Month']]} onChange={setPeriod} />
        </div>
      }
    >
      {peers.isLoading ? (
        <Spinner label="Loading" />
      ) : peers.error ? (
        <ErrorBanner error={peers.error} />
      ) : peers.data ? (
        <PeerBandsBody p={peers.data} />
      ) : null}
    </SectionCard>
  );
}

function PeerBandsBody({ p }: { p: PeerBands }) {
  if (p.status === 'too_small')
    return (
      <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm dark:bg-slate-800/60" data-testid="peers-too-small">
        {p.message}
      </p>
    );
  return (
    <div>
      {p.message && <p className="mb-3 text-sm muted">{p.message}</p>}
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {p.metrics.map((m) => (
          <li key={m.metric} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid={`band-${m.metric}`}>
            <div>
              <p className="text-sm font-medium">{metricLabel(m.metric)}</p>
              <p className="text-xs muted">
                You: {formatMetricValue(m.metric, m.you)} · {bandNote(m.band)}
              </p>
            </div>
            <div className="flex items-center gap-2">
              <BandScale band={m.band} />
              <span className="w-24 text-right text-sm font-semibold">{m.label}</span>
            </div>
          </li>
        ))}
      </ul>
      <p className="mt-2 text-xs muted">Anonymous: only your own numbers are shown; among {p.group_size} officers.</p>
    </div>
  );
}

export default function Week() {
  useTitle('This week');
  const today = useToday();
  const [params, setParams] = useSearchParams();
  const weekParam = params.get('week') ?? undefined;
  const plan = useQuery({ queryKey: planKey(weekParam), queryFn: () => hubApi.plan(weekParam) });
  const week = useQuery({ queryKey: ['hub', 'week', weekParam ?? 'current'], queryFn: () => hubApi.week(weekParam) });
  const monday = plan.data?.week ?? week.data?.week.from ?? mondayOf(weekParam ?? today);
  const thisMonday = mondayOf(today);
  const go = (d: string | null) => setParams(d && d !== thisMonday ? { week: d } : {});
  return (
    <div>
      <PageHeader
        title={monday === thisMonday ? 'This week' : `Week of ${formatDate(monday)}`}
        subtitle={`${formatDate(monday)} – ${formatDate(addDays(monday, 6))}`}
        icon={<CalendarRange aria-hidden className="h-8 w-8 text-purple-600 dark:text-purple-400" />}
        actions={
          <>
            <button type="button" className="btn-secondary px-2" onClick={() => go(addDays(monday, -7))} aria-label="Previous week">
              <ChevronLeft aria-hidden className="h-4 w-4" />
            </button>
            <button type="button" className="btn-secondary" onClick={() => go(null)} disabled={monday === thisMonday}>
              This week
            </button>
            <button type="button" className="btn-secondary px-2" onClick={() => go(addDays(monday, 7))} aria-label="Next week">
              <ChevronRight aria-hidden className="h-4 w-4" />
            </button>
          </>
        }
      />
      <HubTabs />
      <div className="space-y-6 px-4 py-6 sm:px-8">
        <section aria-labelledby="board-title" className="card" data-testid="plan">
          <h2 id="board-title" className="border-b border-slate-200 px-4 py-3 text-base font-semibold dark:border-slate-700">
            Vision board
          </h2>
          {plan.isLoading ? (
            <Spinner className="p-4" label="Loading the plan" />
          ) : plan.error ? (
            <ErrorBanner error={plan.error} className="m-4" />
          ) : plan.data ? (
            <VisionBoard plan={plan.data} weekParam={weekParam} />
          ) : null}
        </section>

        {week.error ? <ErrorBanner error={week.error} /> : null}
        {week.isLoading && <Spinner label="Loading the week" />}
        {week.data && (
          <div className="grid gap-6 lg:grid-cols-3">
            <SectionCard id="thermo-title" title="Week thermometer" icon={<ThermometerIcon aria-hidden className="h-4 w-4 text-red-500" />}>
              <ThermometerCard t={week.data.thermometer} />
            </SectionCard>
            <SectionCard
              id="week-progress-title"
              title="Weekly goals"
              icon={<Target aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />}
              className="lg:col-span-2"
              testId="week-progress"
            >
              <MetricBoard progress={week.data.progress} period="weekly" />
            </SectionCard>
            <SectionCard id="best-days-title" title="Your best days" icon={<Star aria-hidden className="h-4 w-4 text-amber-500" />} testId="best-days">
              {week.data.best_days.length === 0 ? (
                <p className="text-sm muted">Not enough history yet to single out a best day. Keep logging calls.</p>
              ) : (
                <ul className="space-y-3">
                  {week.data.best_days.map((b) => (
                    <li key={b.subject}>
                      <p className="text-sm font-medium">
                        {metricLabel(b.subject)}: {b.days.join(', ')}
                      </p>
                      <p className="text-sm muted">{b.message}</p>
                    </li>
                  ))}
                </ul>
              )}
            </SectionCard>
            <SectionCard
              id="calendar-title"
              title="Content calendar"
              icon={<Video aria-hidden className="h-4 w-4 text-pink-600 dark:text-pink-400" />}
              testId="content-calendar"
            >
              {week.data.content_calendar.length === 0 ? (
                <p className="text-sm muted">No topics to suggest this week.</p>
              ) : (
                <ul className="divide-y divide-slate-100 dark:divide-slate-800">
                  {week.data.content_calendar.map((c) => (
                    <li key={c.date + c.topic} className="flex items-start justify-between gap-2 py-2">
                      <div>
                        <p className="text-sm font-medium">
                          {c.weekday} <span className="font-normal muted">· {formatDate(c.date)}</span>
                        </p>
                        <p className="text-sm">{c.topic}</p>
                        <p className="text-xs muted">
                          {c.open_contacts} open lead{c.open_contacts === 1 ? '' : 's'} and prospects share it
                        </p>
                      </div>
                      {c.posted ? (
                        <span className="inline-flex items-center gap-1 rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800 dark:bg-green-950 dark:text-green-200">
                          <Check aria-hidden className="h-3 w-3" /> Posted
                        </span>
                      ) : (
                        <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-200">Planned</span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </SectionCard>
            <PeerBandsCard />
          </div>
        )}
      </div>
    </div>
  );
}
