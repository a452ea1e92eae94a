// The officer's pattern findings (GET /api/coach/patterns): each claim with
// its evidence in plain words and the per-weekday or per-hour numbers behind
// it, when it was computed, and a way to recompute now. No finding is the
// normal, honest answer for a short or even history. Two findings are not
// about the officer's calls alone and get a card each: the content topics
// their open leads share (a count, with the task the coach suggests) and
// what the org's top performers do differently (group medians beside the
// officer's own number, worded as an association). A third gathers the open
// leads and prospects whose own answers single out an hour to call them
// (their time and the officer's, when that hour next comes, the evidence).
import { useEffect, useRef, type ComponentType } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { CalendarDays, Clapperboard, Clock, Gauge, PhoneCall, Plus, RefreshCw, TrendingUp, Trophy, Video } from 'lucide-react';
import { coachApi } from '../lib/api';
import { useAuth } from '../contexts/AuthContext';
import { cn } from '../lib/format';
import { useTitle } from '../lib/hooks';
import { contentTaskTarget, contentTaskTitle } from '../lib/insightTarget';
import { nextStartLabel, windowLabel } from '../lib/bestTime';
import {
  CONTENT_NOTE,
  callTimeCallsSentence,
  callTimeMethodSentence,
  callTimeRateSentence,
  callTimeShrunk,
  callTimeYardstickSentence,
  MIN_PRIOR_CALLS,
  computedAt,
  contentCountSentence,
  contentPostSentence,
  dayMetric,
  evidenceSentences,
  formatCount,
  formatDay,
  formatMetricValue,
  pClause,
  formatRate,
  hourLabel,
  periodDescription,
  successAssociationSentence,
  successDifferenceSentence,
  successEffectSentence,
  successMetric,
  successTestSentence,
  testsSentence,
  SUCCESS_PERIOD_DAYS,
} from '../lib/patternEvidence';
import { Badge, EmptyState, ErrorBanner, PageHeader, Spinner } from '../components/ui';
import type {
  BestCallTimePattern,
  BestDaysPattern,
  ContentDemandPattern,
  EnergyPattern,
  Pattern,
  PatternsResponse,
  SuccessPattern,
} from '../types';

const th = 'px-1.5 py-2 text-left font-medium sm:px-3';
const td = 'px-1.5 py-1.5 sm:px-3';

// A rate as text with a bar beside it (the bar is decoration: the text is the value).
function RateCell({ rate, calls, max }: { rate?: number; calls: number; max: number }) {
  if (!calls) return <span className="muted">no calls</span>;
  const width = max > 0 && typeof rate === 'number' ? Math.max(0, Math.min(100, (rate / max) * 100)) : 0;
  return (
    <div className="flex items-center gap-2">
      <span className="w-12 shrink-0 tabular-nums">{formatRate(rate)}</span>
      <span aria-hidden className="hidden h-2 w-20 rounded bg-slate-100 dark:bg-slate-800 sm:block">
        <span className="block h-2 rounded bg-blue-500 dark:bg-blue-400" style={{ width: `${width}%` }} />
      </span>
    </div>
  );
}

function TableFrame({ label, note, children }: { label: string; note: string; children: React.ReactNode }) {
  // Focusable so a keyboard user can scroll it sideways on a narrow screen.
  return (
    <div>
      <div role="region" aria-label={label} tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-700">
        {children}
      </div>
      <p className="mt-1.5 text-xs muted">{note}</p>
    </div>
  );
}

const narrowHidden = 'hidden sm:table-cell';

// A column header shortened on phones; assistive technology always hears it in full.
function Short({ short, full }: { short: string; full: string }) {
  return (
    <>
      <span aria-hidden className="sm:hidden">
        {short}
      </span>
      <span className="sr-only sm:not-sr-only">{full}</span>
    </>
  );
}

function BestDaysTable({ p }: { p: BestDaysPattern }) {
  const rows = p.by_weekday ?? [];
  if (rows.length === 0) return null;
  const best = new Set(p.days ?? []);
  const max = Math.max(0, ...rows.map((r) => (r.calls ? r.rate : 0)));
  // Reaching people, setting appointments or taking applications.
  const m = dayMetric(p);
  const caption = `${m.rate} by weekday`;
  return (
    <TableFrame
      label={caption}
      note={`${m.definition} Adjusted: each day's rate pulled toward your overall rate as if it had 20 more calls at it, so a day with few calls does not look extreme.`}
    >
      <table className="w-full text-sm" data-testid="pattern-table">
        <caption className="px-1.5 pt-2 text-left text-sm font-semibold sm:px-3">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide muted dark:border-slate-700">
          <tr>
            <th scope="col" className={th}>Day</th>
            <th scope="col" className={cn(th, 'text-right')}>Calls</th>
            <th scope="col" className={cn(th, 'text-right', narrowHidden)}>{m.column}</th>
            <th scope="col" className={th}>
              <Short short="Rate" full={m.rate} />
            </th>
            <th scope="col" className={cn(th, 'text-right')}>
              <Short short="Adj." full="Adjusted" />
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((r) => (
            <tr key={r.weekday} className={best.has(r.weekday) ? 'bg-blue-50/60 dark:bg-blue-950/40' : undefined}>
              <th scope="row" className={cn(td, 'whitespace-nowrap text-left', best.has(r.weekday) ? 'font-semibold' : 'font-normal')}>
                {r.weekday}
                {best.has(r.weekday) && (
                  <span className="ml-1.5">
                    <Badge color="blue">best</Badge>
                  </span>
                )}
              </th>
              <td className={cn(td, 'text-right tabular-nums')}>{formatCount(r.calls)}</td>
              <td className={cn(td, 'text-right tabular-nums', narrowHidden)}>{formatCount(r[m.counted] ?? 0)}</td>
              <td className={td}>
                <RateCell rate={r.rate} calls={r.calls} max={max} />
              </td>
              <td className={cn(td, 'text-right tabular-nums')}>{r.calls ? formatRate(r.shrunk_rate) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}

function EnergyTable({ p }: { p: EnergyPattern }) {
  const rows = (p.by_hour ?? []).filter((r) => r.calls > 0);
  if (rows.length === 0) return null;
  const split = p.split_hour;
  const max = Math.max(0, ...rows.map((r) => r.rate));
  const groups =
    typeof split === 'number'
      ? [
          { label: `Before ${hourLabel(split)}`, rows: rows.filter((r) => r.hour < split) },
          { label: `From ${hourLabel(split)}`, rows: rows.filter((r) => r.hour >= split) },
        ]
      : [{ label: '', rows }];
  const caption = 'Conversion rate by hour of day';
  return (
    <TableFrame
      label={caption}
      note="Converted: the call set an appointment or took an application. Hours in your time zone; hours without calls are left out."
    >
      <table className="w-full text-sm" data-testid="pattern-table">
        <caption className="px-1.5 pt-2 text-left text-sm font-semibold sm:px-3">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide muted dark:border-slate-700">
          <tr>
            <th scope="col" className={th}>Hour</th>
            <th scope="col" className={cn(th, 'text-right')}>Calls</th>
            <th scope="col" className={cn(th, 'text-right', narrowHidden)}>Converted</th>
            <th scope="col" className={th}>
              <Short short="Rate" full="Conversion rate" />
            </th>
          </tr>
        </thead>
        {groups.map((g) => (
          <tbody key={g.label} className="divide-y divide-slate-100 dark:divide-slate-800">
            {g.label && (
              <tr className="bg-slate-50 dark:bg-slate-800/60">
                <th scope="rowgroup" colSpan={4} className={cn(td, 'text-left text-xs font-semibold')}>
                  {g.label}
                </th>
              </tr>
            )}
            {g.rows.map((r) => (
              <tr key={r.hour}>
                <th scope="row" className={cn(td, 'text-left font-normal')}>
                  {hourLabel(r.hour)}
                </th>
                <td className={cn(td, 'text-right tabular-nums')}>{formatCount(r.calls)}</td>
                <td className={cn(td, 'text-right tabular-nums', narrowHidden)}>{formatCount(r.converted)}</td>
                <td className={td}>
                  <RateCell rate={r.rate} calls={r.calls} max={max} />
                </td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </TableFrame>
  );
}

const kindTitle: Record<string, string> = {
  energy: 'When your calls convert',
  behavior_link: 'What comes before you convert',
  pace: 'Your usual pace',
};

// Best days say what they are best for: calling, appointments, applications.
const titleOf = (p: Pattern) => (p.kind === 'best_days' ? dayMetric(p).title : (kindTitle[p.kind] ?? 'Pattern'));

// An id from a finding's kind and subject ("VA loans" has a space).
const idOf = (...parts: string[]) => parts.join('-').replace(/[^A-Za-z0-9_-]+/g, '_');

// A highlighted card (?kind=…) scrolls into view.
function useScrollTo(focused: boolean) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [focused]);
  return ref;
}

function CardHeading({ id, icon: Icon, title, when }: { id: string; icon: ComponentType<{ className?: string; 'aria-hidden'?: boolean }>; title: string; when: string | null }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-2">
      <h2 id={id} className="flex items-center gap-2 text-base font-semibold">
        <Icon aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />
        {title}
      </h2>
      {when && <p className="text-xs muted">{when}</p>}
    </div>
  );
}

function EvidenceList({ sentences, heading = 'The evidence', testId = 'pattern-evidence' }: { sentences: string[]; heading?: string | null; testId?: string }) {
  if (sentences.length === 0) return null;
  return (
    <div>
      {heading && <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide muted">{heading}</h3>}
      <ul className="list-disc space-y-1 pl-5 text-sm leading-relaxed" data-testid={testId}>
        {sentences.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
    </div>
  );
}

const sentenceCase = (s: unknown) => (typeof s === 'string' && s ? s.charAt(0).toUpperCase() + s.slice(1) + (s.endsWith('.') ? '' : '.') : null);

function StatDetails({ p }: { p: Pattern }) {
  const ev = p.evidence as Record<string, any> | undefined;
  if (!ev) return null;
  const method = sentenceCase(ev.method);
  const rows: string[] = [];
  if (p.kind === 'best_days')
    for (const c of p.evidence?.comparisons ?? []) rows.push(`${c.weekday ?? 'Day'}: ${pClause('p', c.p_value)}, ${pClause('q', c.q_value)}`);
  else if ((p.kind === 'energy' || p.kind === 'behavior_link') && p.evidence)
    rows.push(`${pClause('p', p.evidence.p_value)}, ${pClause('q', p.evidence.q_value)}`);
  if (!method && rows.length === 0) return null;
  return (
    <details className="text-xs muted">
      <summary className="cursor-pointer font-medium text-slate-700 dark:text-slate-300">How this was tested</summary>
      <div className="mt-1.5 space-y-1">
        {method && <p>{method}</p>}
        {rows.map((r) => (
          <p key={r}>{r}</p>
        ))}
        {rows.length > 0 && (
          <p>q is the p-value adjusted for testing several days, hours or kinds of post at once; a finding is shown only when q ≤ 0.05.</p>
        )}
      </div>
    </details>
  );
}

function PatternCard({ p, tz, focused, runAt }: { p: Pattern; tz?: string; focused: boolean; runAt?: string }) {
  const ref = useScrollTo(focused);
  const titleId = idOf('pattern', p.kind, p.subject, 'title');
  const sentences = evidenceSentences(p);
  // Said once for the page unless this finding was computed at another time.
  const when = p.generated_at !== runAt ? computedAt(p.generated_at, tz) : null;
  const Icon = p.kind === 'energy' ? Clock : p.kind === 'behavior_link' ? Video : p.kind === 'pace' ? Gauge : CalendarDays;
  return (
    <section
      ref={ref}
      aria-labelledby={titleId}
      data-testid="pattern-card"
      data-kind={p.kind}
      data-subject={p.subject}
      className={cn('card space-y-4 p-4 sm:p-5', focused && 'ring-2 ring-blue-500 dark:ring-blue-400')}
    >
      <CardHeading id={titleId} icon={Icon} title={titleOf(p)} when={when} />
      <p className="text-sm font-medium leading-relaxed" data-testid="pattern-message">
        {p.message}
      </p>
      <EvidenceList sentences={sentences} />
      {p.kind === 'best_days' && <BestDaysTable p={p} />}
      {p.kind === 'energy' && <EnergyTable p={p} />}
      <StatDetails p={p} />
    </section>
  );
}

// One topic to make a video about: who shares it, when it was last covered,
// and the task the coach suggests (the create-task flow of its insight).
function ContentTopic({ p, tz }: { p: ContentDemandPattern; tz?: string }) {
  const topic = p.topic || p.subject;
  const ev = p.evidence ?? {};
  const found = [contentCountSentence(ev), contentPostSentence(ev, tz)].filter((s): s is string => !!s);
  const headingId = idOf('content-topic', topic);
  return (
    <li data-testid="content-topic" aria-labelledby={headingId} className="flex flex-col gap-3 py-3 first:pt-0 last:pb-0 sm:flex-row sm:items-start sm:justify-between">
      <div className="min-w-0 space-y-1">
        <h3 id={headingId} className="text-sm font-semibold">
          {topic}
        </h3>
        {/* Without its counts, the server's sentence says it. */}
        <EvidenceList sentences={found.length ? found : [p.message]} heading={null} testId="content-evidence" />
      </div>
      {/* Named in full: each topic has its own Create task. */}
      <Link to={contentTaskTarget(topic)} aria-label={`Create task: ${contentTaskTitle(topic)}`} className="btn-secondary shrink-0 self-start">
        <Plus aria-hidden className="h-4 w-4" />
        Create task
      </Link>
    </li>
  );
}

function ContentCard({ items, tz, focused, runAt }: { items: ContentDemandPattern[]; tz?: string; focused: boolean; runAt?: string }) {
  const ref = useScrollTo(focused);
  const titleId = 'pattern-content_demand-title';
  const first = items[0];
  const when = first?.generated_at !== runAt ? computedAt(first?.generated_at, tz) : null;
  const method = sentenceCase(first?.evidence?.method);
  return (
    <section
      ref={ref}
      aria-labelledby={titleId}
      data-testid="pattern-card"
      data-kind="content_demand"
      className={cn('card space-y-4 p-4 sm:p-5', focused && 'ring-2 ring-blue-500 dark:ring-blue-400')}
    >
      <CardHeading id={titleId} icon={Clapperboard} title="Content to create" when={when} />
      <p className="text-sm leading-relaxed">
        Topics that many of your open leads and prospects share and that none of your recent video or social posts covered: one video speaks to
        all of them at once.
      </p>
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {items.map((p) => (
          <ContentTopic key={p.subject} p={p} tz={tz} />
        ))}
      </ul>
      <details className="text-xs muted">
        <summary className="cursor-pointer font-medium text-slate-700 dark:text-slate-300">How this was counted</summary>
        <div className="mt-1.5 space-y-1">
          {method && <p>{method}</p>}
          <p>{CONTENT_NOTE}</p>
        </div>
      </details>
    </section>
  );
}

// One contact to call at their hour: the name (to their page), the hour on
// both clocks, when it next comes on the officer's, and the calls behind it.
function CallTimeContact({ p, tz }: { p: BestCallTimePattern; tz?: string }) {
  const w = p.window;
  const ev = p.evidence ?? {};
  const hour = { contact_hour: w?.contact_hour ?? p.contact_hour, officer_hour: w?.officer_hour ?? p.officer_hour };
  const next = nextStartLabel(w?.next_start, tz);
  const sentences = [callTimeCallsSentence(hour.contact_hour, w, ev), callTimeRateSentence(w, ev)].filter((s): s is string => !!s);
  const headingId = idOf('call-time', p.subject);
  return (
    <li data-testid="call-time-contact" data-contact-id={p.contact_id} aria-labelledby={headingId} className="space-y-1.5 py-3 first:pt-0 last:pb-0">
      <h3 id={headingId} className="text-sm font-semibold">
        <Link to={`/contacts/${p.contact_id}`} className="text-blue-700 hover:underline dark:text-blue-300">
          {p.name}
        </Link>
      </h3>
      <p className="text-sm" data-testid="call-time-when">
        Around <span className="font-medium">{windowLabel(hour, !tz || p.contact_timezone === tz)}</span>
        {next && <span className="muted"> · next: {next} (your time)</span>}
      </p>
      {/* Without its numbers, the server's sentence says it. */}
      <EvidenceList sentences={sentences.length ? sentences : [p.message]} heading={null} testId="call-time-evidence" />
    </li>
  );
}

function CallTimeCard({ items, tz, focused, runAt }: { items: BestCallTimePattern[]; tz?: string; focused: boolean; runAt?: string }) {
  const ref = useScrollTo(focused);
  const titleId = 'pattern-best_call_time-title';
  const first = items[0];
  const ev = first?.evidence ?? {};
  const when = first?.generated_at !== runAt ? computedAt(first?.generated_at, tz) : null;
  const method = sentenceCase(ev.method);
  // Said once: every contact here was estimated against the same curves.
  const how = [callTimeMethodSentence(ev), callTimeYardstickSentence(ev)].filter((s): s is string => !!s);
  return (
    <section
      ref={ref}
      aria-labelledby={titleId}
      data-testid="pattern-card"
      data-kind="best_call_time"
      className={cn('card space-y-4 p-4 sm:p-5', focused && 'ring-2 ring-blue-500 dark:ring-blue-400')}
    >
      <CardHeading id={titleId} icon={PhoneCall} title="When to call" when={when} />
      <p className="text-sm leading-relaxed">
        Open leads and prospects whose own calls single out an hour of their day, among the hours you can call them: 8 AM to 9 PM their
        time, within your working hours.
      </p>
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {items.map((p) => (
          <CallTimeContact key={p.subject} p={p} tz={tz} />
        ))}
      </ul>
      <div className="space-y-1 text-xs muted" data-testid="call-time-method">
        {how.map((s) => (
          <p key={s}>{s}</p>
        ))}
      </div>
      <details className="text-xs muted">
        <summary className="cursor-pointer font-medium text-slate-700 dark:text-slate-300">How this was estimated</summary>
        <div className="mt-1.5 space-y-1">
          {method && <p>{method}</p>}
          {!callTimeShrunk(ev) && (
            <p>
              Until your org has logged {formatCount(MIN_PRIOR_CALLS)} calls there is nothing to pull toward: the rates above are the contact's
              own, and each interval is Wilson's on their own calls.
            </p>
          )}
          <p>
            An hour is named only when at least 5 calls went to the contact, at least one was answered in that hour, and the hour's 95% interval
            lies above their average over the hours you can call them.
          </p>
        </div>
      </details>
    </section>
  );
}

// A value beside a bar (the bar is decoration: the text is the value).
function CompareRow({ label, detail, value, width, bar }: { label: string; detail?: string; value: string; width: number; bar: string }) {
  return (
    <div className="flex items-center gap-2">
      <dt className="w-32 shrink-0 sm:w-56">
        {label}
        {detail && <span className="muted"> ({detail})</span>}
      </dt>
      <dd className="flex min-w-0 flex-1 items-center gap-2">
        <span className="w-14 shrink-0 text-right font-medium tabular-nums">{value}</span>
        <span aria-hidden className="h-2 min-w-0 flex-1 rounded bg-slate-100 dark:bg-slate-800">
          <span className={cn('block h-2 rounded', bar)} style={{ width: `${width}%` }} />
        </span>
      </dd>
    </div>
  );
}

const officers = (n?: number) => (typeof n === 'number' ? `${formatCount(n)} ${n === 1 ? 'officer' : 'officers'}` : undefined);

// One measure: the top group's median, the others' median and the reader's
// own number side by side, then the test in words. Nobody else's number.
function SuccessMeasure({ p }: { p: SuccessPattern }) {
  const metric = p.metric ?? p.subject;
  const words = successMetric(metric, p.noun);
  const ev = p.evidence ?? {};
  const values = [ev.top?.median, ev.rest?.median, p.you].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const max = Math.max(0, ...values);
  const width = (v?: number | null) => (typeof v === 'number' && max > 0 ? Math.max(0, Math.min(100, (v / max) * 100)) : 0);
  const sentences = [successEffectSentence(ev), successDifferenceSentence(metric, ev), successTestSentence(ev)].filter((s): s is string => !!s);
  const headingId = idOf('success', p.subject);
  return (
    <li data-testid="success-measure" data-metric={metric} aria-labelledby={headingId} className="space-y-2 py-4 first:pt-0 last:pb-0">
      <h3 id={headingId} className="text-sm font-semibold">
        {words.label}
        {words.fewer && <span className="font-normal muted"> (fewer is faster)</span>}
      </h3>
      <dl className="space-y-1.5 text-sm" data-testid="success-compare">
        <CompareRow label="Top performers" detail={officers(ev.top?.officers)} value={formatMetricValue(metric, ev.top?.median)} width={width(ev.top?.median)} bar="bg-blue-600 dark:bg-blue-400" />
        <CompareRow label="Everyone else" detail={officers(ev.rest?.officers)} value={formatMetricValue(metric, ev.rest?.median)} width={width(ev.rest?.median)} bar="bg-slate-400 dark:bg-slate-500" />
        <CompareRow
          label="You"
          value={typeof p.you === 'number' ? formatMetricValue(metric, p.you) : 'not measured'}
          width={width(p.you)}
          bar="bg-emerald-600 dark:bg-emerald-400"
        />
      </dl>
      <EvidenceList sentences={sentences} heading={null} testId="success-evidence" />
    </li>
  );
}

function SuccessCard({ items, tz, focused, runAt }: { items: SuccessPattern[]; tz?: string; focused: boolean; runAt?: string }) {
  const ref = useScrollTo(focused);
  const titleId = 'pattern-success_pattern-title';
  const first = items[0];
  const ev = first?.evidence ?? {};
  const days = typeof first?.period?.days === 'number' && first.period.days > 0 ? first.period.days : SUCCESS_PERIOD_DAYS;
  const from = formatDay(first?.period?.from, tz);
  const to = formatDay(first?.period?.to, tz);
  const when = first?.generated_at !== runAt ? computedAt(first?.generated_at, tz) : null;
  const method = sentenceCase(ev.method);
  const tests = testsSentence(ev, ['measure', 'measures']);
  const fdr = typeof ev.fdr === 'number' && ev.fdr > 0 && ev.fdr < 1 ? ev.fdr : 0.05;
  const unmeasured = items.some((p) => typeof p.you !== 'number');
  return (
    <section
      ref={ref}
      aria-labelledby={titleId}
      data-testid="pattern-card"
      data-kind="success_pattern"
      className={cn('card space-y-4 p-4 sm:p-5', focused && 'ring-2 ring-blue-500 dark:ring-blue-400')}
    >
      <CardHeading id={titleId} icon={Trophy} title="What top performers do differently" when={when} />
      <div className="space-y-2 text-sm leading-relaxed">
        <p data-testid="success-scope">
          Top performers: the officers of your org who opened the most loans in the last {formatCount(days)} days
          {from && to ? ` (${from} to ${to})` : ''}. Each measure shows their median beside the median of everyone else, and your own number; no
          other officer's own numbers are shown.
        </p>
        <p className="font-medium" data-testid="success-association">
          {successAssociationSentence(days)}
        </p>
      </div>
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {items.map((p) => (
          <SuccessMeasure key={p.subject} p={p} />
        ))}
      </ul>
      {unmeasured && (
        <p className="text-xs muted">
          Not measured: too little of your own activity in these {formatCount(days)} days to measure it (the comparison counts officers with
          at least 20 logged activities; speed to lead needs at least 5 new contacts).
        </p>
      )}
      <details className="text-xs muted">
        <summary className="cursor-pointer font-medium text-slate-700 dark:text-slate-300">How this was tested</summary>
        <div className="mt-1.5 space-y-1">
          {method && <p>{method}</p>}
          {tests && <p>{tests}</p>}
          <p>
            Effect size: the rank-biserial correlation, from −1 to +1; 0 means the top performers' numbers are no higher or lower than the
            others' on balance. q is the p-value adjusted for testing several measures at once; a difference is shown only when q ≤{' '}
            {Number(fdr.toPrecision(6))}.
          </p>
        </div>
      </details>
    </section>
  );
}

// The page's cards in the order the server lists the findings; the content
// topics, the contacts' best times to call and the top performers' measures
// each make one card.
type Block =
  | { type: 'one'; p: Pattern }
  | { type: 'content'; items: ContentDemandPattern[] }
  | { type: 'call_time'; items: BestCallTimePattern[] }
  | { type: 'success'; items: SuccessPattern[] };

function blocksOf(list: Pattern[]): Block[] {
  const out: Block[] = [];
  let content: ContentDemandPattern[] | null = null;
  let callTimes: BestCallTimePattern[] | null = null;
  let success: SuccessPattern[] | null = null;
  for (const p of list) {
    if (p.kind === 'content_demand') {
      if (!content) out.push({ type: 'content', items: (content = []) });
      content.push(p);
    } else if (p.kind === 'best_call_time') {
      if (!callTimes) out.push({ type: 'call_time', items: (callTimes = []) });
      callTimes.push(p);
    } else if (p.kind === 'success_pattern') {
      if (!success) out.push({ type: 'success', items: (success = []) });
      success.push(p);
    } else out.push({ type: 'one', p });
  }
  return out;
}

export default function Patterns() {
  useTitle('Patterns');
  const { user } = useAuth();
  const tz = user?.timezone;
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const focusKind = params.get('kind');
  const focusSubject = params.get('subject');
  const patterns = useQuery({ queryKey: ['coachPatterns'], queryFn: coachApi.getPatterns });
  const refresh = useMutation({
    mutationFn: coachApi.refreshPatterns,
    onSuccess: (data: PatternsResponse) => {
      queryClient.setQueryData(['coachPatterns'], data);
      // A refresh re-evaluates the pattern insights too.
      queryClient.invalidateQueries({ queryKey: ['coachInsights'] });
    },
  });

  const data = patterns.data;
  const list = data?.patterns ?? [];
  const when = computedAt(data?.generated_at, tz);

  return (
    <div>
      <PageHeader
        title="Patterns"
        subtitle="What your own call history shows, with the evidence behind each finding"
        icon={<TrendingUp aria-hidden className="h-7 w-7 text-blue-600 dark:text-blue-400" />}
        actions={
          <button type="button" className="btn-secondary" onClick={() => refresh.mutate()} disabled={refresh.isPending || patterns.isLoading}>
            <RefreshCw aria-hidden className={cn('h-4 w-4', refresh.isPending && 'animate-spin')} />
            {refresh.isPending ? 'Refreshing…' : 'Refresh now'}
          </button>
        }
      />
      <div className="mx-auto max-w-4xl space-y-4 px-4 py-6 sm:px-8">
        {data && (
          <p className="text-sm muted" data-testid="patterns-meta">
            {periodDescription(data.period, tz)}
            {when ? ` ${when}.` : ''}
          </p>
        )}
        <p role="status" className="text-sm text-green-700 empty:hidden dark:text-green-400" data-testid="patterns-status">
          {refresh.isSuccess && !refresh.isPending
            ? `Refreshed: ${refresh.data.patterns.length === 0 ? 'no findings' : refresh.data.patterns.length === 1 ? '1 finding' : `${refresh.data.patterns.length} findings`}.`
            : ''}
        </p>
        <ErrorBanner error={refresh.error} />
        {patterns.isLoading ? (
          <Spinner label="Loading patterns" />
        ) : patterns.error ? (
          <ErrorBanner error={patterns.error} />
        ) : list.length === 0 ? (
          <div className="card" data-testid="patterns-empty">
            <EmptyState icon={<TrendingUp aria-hidden className="h-8 w-8" />} title="Not enough evidence yet">
              <p>Patterns appear only when your history supports them — we'd rather say nothing than guess.</p>
              <p className="mt-2">
                The coach looks at the calls you log: which weekdays they are answered most, set appointments or take applications, and whether
                they convert less late in the day. It also counts the topics your open leads and prospects share, names the hour an open lead or
                prospect answers when their own calls single one out, and, in an org with at least 10 active officers, compares what its top
                performers do with everyone else.
              </p>
            </EmptyState>
          </div>
        ) : (
          blocksOf(list).map((b) =>
            b.type === 'content' ? (
              <ContentCard key="content_demand" items={b.items} tz={tz} focused={focusKind === 'content_demand'} runAt={data?.generated_at} />
            ) : b.type === 'call_time' ? (
              <CallTimeCard key="best_call_time" items={b.items} tz={tz} focused={focusKind === 'best_call_time'} runAt={data?.generated_at} />
            ) : b.type === 'success' ? (
              <SuccessCard key="success_pattern" items={b.items} tz={tz} focused={focusKind === 'success_pattern'} runAt={data?.generated_at} />
            ) : (
              <PatternCard
                key={`${b.p.kind}:${b.p.subject}`}
                p={b.p}
                tz={tz}
                focused={focusKind === b.p.kind && (!focusSubject || focusSubject === b.p.subject)}
                runAt={data?.generated_at}
              />
            ),
          )
        )}
      </div>
    </div>
  );
}
