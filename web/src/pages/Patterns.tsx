// The officer's pattern findings (GET /api/coach/patterns): each claim with
// its evidence in plain words and the per-weekday or per-hour numbers behind
// it, when it was computed, and a way to recompute now. No finding is the
// normal, honest answer for a short or even history.
import { useEffect, useRef } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { CalendarDays, Clock, Gauge, RefreshCw, TrendingUp, Video } from 'lucide-react';
import { coachApi } from '../lib/api';
import { useAuth } from '../contexts/AuthContext';
import { cn } from '../lib/format';
import { useTitle } from '../lib/hooks';
import {
  computedAt,
  evidenceSentences,
  formatCount,
  pClause,
  formatRate,
  hourLabel,
  periodDescription,
} from '../lib/patternEvidence';
import { Badge, EmptyState, ErrorBanner, PageHeader, Spinner } from '../components/ui';
import type { BestDaysPattern, EnergyPattern, Pattern, PatternsResponse } from '../types';

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
  const caption = 'Answer rate by weekday';
  return (
    <TableFrame
      label={caption}
      note="Answered: the call reached someone. Adjusted: each day's rate pulled toward your overall rate as if it had 20 more calls at it, so a day with few calls does not look extreme."
    >
      <table className="w-full text-sm" data-testid="pattern-table">
        <caption className="px-1.5 pt-2 text-left text-sm font-semibold sm:px-3">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide muted dark:border-slate-700">
          <tr>
            <th scope="col" className={th}>Day</th>
            <th scope="col" className={cn(th, 'text-right')}>Calls</th>
            <th scope="col" className={cn(th, 'text-right', narrowHidden)}>Answered</th>
            <th scope="col" className={th}>
              <Short short="Rate" full="Answer rate" />
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
              <td className={cn(td, 'text-right tabular-nums', narrowHidden)}>{formatCount(r.answered)}</td>
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
  best_days: 'Your best days to call',
  energy: 'When your calls convert',
  behavior_link: 'What comes before you convert',
  pace: 'Your usual pace',
};

function StatDetails({ p }: { p: Pattern }) {
  const ev = p.evidence as Record<string, any> | undefined;
  if (!ev) return null;
  const method = typeof ev.method === 'string' && ev.method ? ev.method.charAt(0).toUpperCase() + ev.method.slice(1) + '.' : null;
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
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [focused]);
  const titleId = `pattern-${p.kind}-${p.subject}-title`;
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
      className={cn('card space-y-4 p-4 sm:p-5', focused && 'ring-2 ring-blue-500 dark:ring-blue-400')}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={titleId} className="flex items-center gap-2 text-base font-semibold">
          <Icon aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />
          {kindTitle[p.kind] ?? 'Pattern'}
        </h2>
        {when && <p className="text-xs muted">{when}</p>}
      </div>
      <p className="text-sm font-medium leading-relaxed" data-testid="pattern-message">
        {p.message}
      </p>
      {sentences.length > 0 && (
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide muted">The evidence</h3>
          <ul className="list-disc space-y-1 pl-5 text-sm leading-relaxed" data-testid="pattern-evidence">
            {sentences.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </div>
      )}
      {p.kind === 'best_days' && <BestDaysTable p={p} />}
      {p.kind === 'energy' && <EnergyTable p={p} />}
      <StatDetails p={p} />
    </section>
  );
}

export default function Patterns() {
  useTitle('Patterns');
  const { user } = useAuth();
  const tz = user?.timezone;
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const focusKind = params.get('kind');
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
                The coach looks at the calls you log: which weekdays they are answered most, and whether they convert less late in the day.
              </p>
            </EmptyState>
          </div>
        ) : (
          list.map((p) => <PatternCard key={`${p.kind}:${p.subject}`} p={p} tz={tz} focused={focusKind === p.kind} runAt={data?.generated_at} />)
        )}
      </div>
    </div>
  );
}
