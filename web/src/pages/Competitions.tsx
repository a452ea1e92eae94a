// Competitions: the org's list, one competition's rules, dates and live
// standings (or only the caller's own rank where names are hidden), its
// winners once it ends; managers and admins start new ones.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ArrowLeft, CalendarRange, Crown, EyeOff, Flag, Medal, Plus, ScrollText, Trophy, Users } from 'lucide-react';
import { ApiError, gameApi } from '../lib/api';
import { cn, formatDate } from '../lib/format';
import {
  COMPETITION_STATUS,
  competitionTiming,
  formatGameAmount,
  gameKeys,
  gameMetricLabel,
  ordinal,
  thisCycleRange,
  thisMonthRange,
  validateCompetition,
  type CompetitionForm,
} from '../lib/game';
import { useTitle, useToday } from '../lib/hooks';
import { useAuth } from '../contexts/AuthContext';
import { SectionCard } from '../components/hub';
import { GameTabs, RankTable } from '../components/game';
import { Badge, EmptyState, ErrorBanner, Field, Modal, PageHeader, Spinner, errorMessage } from '../components/ui';
import { COMPETITION_METRICS, type Competition, type CompetitionSummary } from '../types';

const KIND_LABEL: Record<string, string> = { individual: 'Individual', team: 'Team' };

function StatusBadge({ status }: { status: string }) {
  const s = COMPETITION_STATUS[status] ?? { label: status, color: 'gray' as const };
  return <Badge color={s.color}>{s.label}</Badge>;
}

function dateRange(from: string, to: string) {
  return from === to ? formatDate(from) : `${formatDate(from)} – ${formatDate(to)}`;
}

// --- Create ---

function NewCompetition({ onClose }: { onClose: () => void }) {
  const today = useToday();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const month = thisMonthRange(today);
  const [f, setF] = useState<CompetitionForm>({ name: '', metric: 'calls', kind: 'individual', rules: '', ...month });
  const [touched, setTouched] = useState(false);
  const errors = validateCompetition(f);
  const create = useMutation({
    mutationFn: () =>
      gameApi.createCompetition({
        name: f.name.trim(),
        metric: f.metric,
        kind: f.kind as 'individual' | 'team',
        starts_on: f.starts_on,
        ends_on: f.ends_on,
        rules: f.rules.trim() || undefined,
      }),
    onSuccess: (c) => {
      queryClient.setQueryData(gameKeys.competition(c.id), c);
      void queryClient.invalidateQueries({ queryKey: gameKeys.competitions });
      onClose();
      navigate(`/competitions/${c.id}`);
    },
  });
  const serverField = create.error instanceof ApiError ? create.error.field : undefined;
  const err = (k: keyof CompetitionForm) => (touched ? errors[k] : undefined) ?? (serverField === k ? errorMessage(create.error) : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    create.reset();
    if (Object.keys(errors).length) return;
    create.mutate();
  };
  const preset = (r: { starts_on: string; ends_on: string }) => setF({ ...f, ...r });
  const cycle = thisCycleRange(today);
  const isPreset = (r: { starts_on: string; ends_on: string }) => f.starts_on === r.starts_on && f.ends_on === r.ends_on;
  return (
    <Modal
      title="New competition"
      onClose={onClose}
      size="lg"
      footer={
        <>
          <button type="button" className="btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="competition-form" className="btn-primary" disabled={create.isPending}>
            <Flag aria-hidden className="h-4 w-4" /> {create.isPending ? 'Starting…' : 'Start competition'}
          </button>
        </>
      }
    >
      <form id="competition-form" className="space-y-4" onSubmit={submit} noValidate>
        <Field id="cp-name" label="Name" error={err('name')}>
          <input
            id="cp-name"
            className="input"
            value={f.name}
            maxLength={100}
            placeholder="November call sprint"
            aria-invalid={!!err('name')}
            aria-describedby={err('name') ? 'cp-name-error' : undefined}
            onChange={(e) => setF({ ...f, name: e.target.value })}
            autoFocus
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="cp-metric" label="What counts" error={err('metric')}>
            <select id="cp-metric" className="input" value={f.metric} onChange={(e) => setF({ ...f, metric: e.target.value })}>
              {COMPETITION_METRICS.map((m) => (
                <option key={m} value={m}>
                  {gameMetricLabel(m)}
                </option>
              ))}
            </select>
          </Field>
          <fieldset>
            <legend className="label">Who competes</legend>
            <div className="flex gap-4 pt-2">
              {(['individual', 'team'] as const).map((k) => (
                <label key={k} className="flex items-center gap-1.5 text-sm">
                  <input type="radio" name="cp-kind" value={k} checked={f.kind === k} onChange={() => setF({ ...f, kind: k })} className="h-4 w-4" />
                  {k === 'individual' ? 'Each officer' : 'Teams (summed)'}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
        <fieldset>
          <legend className="label">Dates</legend>
          <div className="mb-2 flex flex-wrap gap-2" role="group" aria-label="Date presets">
            <button type="button" className="btn-secondary px-2 py-1 text-xs" aria-pressed={isPreset(month)} onClick={() => preset(month)}>
              This month
            </button>
            <button type="button" className="btn-secondary px-2 py-1 text-xs" aria-pressed={isPreset(cycle)} onClick={() => preset(cycle)}>
              This 90-day cycle
            </button>
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="cp-start" label="Starts on" error={err('starts_on')}>
              <input
                id="cp-start"
                type="date"
                className="input"
                value={f.starts_on}
                aria-invalid={!!err('starts_on')}
                aria-describedby={err('starts_on') ? 'cp-start-error' : undefined}
                onChange={(e) => setF({ ...f, starts_on: e.target.value })}
              />
            </Field>
            <Field id="cp-end" label="Ends on (inclusive)" error={err('ends_on')} hint="At most 100 days, counted in your time zone.">
              <input
                id="cp-end"
                type="date"
                className="input"
                value={f.ends_on}
                min={f.starts_on || undefined}
                aria-invalid={!!err('ends_on')}
                aria-describedby={err('ends_on') ? 'cp-end-error' : 'cp-end-hint'}
                onChange={(e) => setF({ ...f, ends_on: e.target.value })}
              />
            </Field>
          </div>
        </fieldset>
        <Field id="cp-rules" label="Rules" error={err('rules')} hint="Optional: what counts, prizes, anything to know.">
          <textarea
            id="cp-rules"
            className="input"
            rows={4}
            value={f.rules}
            aria-invalid={!!err('rules')}
            aria-describedby={err('rules') ? 'cp-rules-error' : 'cp-rules-hint'}
            onChange={(e) => setF({ ...f, rules: e.target.value })}
          />
        </Field>
        {create.error && !serverField ? <ErrorBanner error={create.error} /> : null}
      </form>
    </Modal>
  );
}

// --- List ---

function CompetitionCard({ c, today }: { c: CompetitionSummary; today: string }) {
  return (
    <li data-testid="competition" data-status={c.status} data-competition-id={c.id}>
      <Link
        to={`/competitions/${c.id}`}
        className="card flex h-full flex-col gap-2 p-4 transition-shadow hover:shadow-md focus-visible:shadow-md"
      >
        <div className="flex items-start justify-between gap-2">
          <span className="font-semibold">{c.name}</span>
          <StatusBadge status={c.status} />
        </div>
        <span className="flex flex-wrap gap-x-3 gap-y-1 text-sm muted">
          <span className="inline-flex items-center gap-1">
            <Trophy aria-hidden className="h-3.5 w-3.5" /> {gameMetricLabel(c.metric)}
          </span>
          <span className="inline-flex items-center gap-1">
            <Users aria-hidden className="h-3.5 w-3.5" /> {KIND_LABEL[c.kind] ?? c.kind}
          </span>
        </span>
        <span className="flex items-center gap-1 text-sm">
          <CalendarRange aria-hidden className="h-3.5 w-3.5 text-slate-500" /> {dateRange(c.starts_on, c.ends_on)}
        </span>
        <span className={cn('text-xs font-medium', c.status === 'live' ? 'text-green-800 dark:text-green-300' : 'muted')}>
          {competitionTiming(c, today)}
        </span>
      </Link>
    </li>
  );
}

export default function Competitions() {
  useTitle('Competitions');
  const { user } = useAuth();
  const today = useToday();
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: gameKeys.competitions, queryFn: gameApi.competitions });
  const canCreate = user?.role === 'manager' || user?.role === 'admin';
  const items = list.data?.items ?? [];
  const order = { live: 0, upcoming: 1, ended: 2 } as Record<string, number>;
  const sorted = [...items].sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3));
  return (
    <div>
      <PageHeader
        title="Competitions"
        subtitle="Short contests on calls, conversations, applications and more."
        icon={<Trophy aria-hidden className="h-8 w-8 text-amber-500" />}
        actions={
          canCreate && (
            <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
              <Plus aria-hidden className="h-4 w-4" /> New competition
            </button>
          )
        }
      />
      <GameTabs />
      <div className="mx-auto max-w-6xl px-4 py-6 sm:px-8">
        {list.isLoading ? (
          <Spinner label="Loading competitions" />
        ) : list.error ? (
          <ErrorBanner error={list.error} />
        ) : sorted.length === 0 ? (
          <div className="card">
            <EmptyState icon={<Trophy className="h-8 w-8" />} title="No competitions yet">
              {canCreate ? 'Start one: pick what counts and the dates.' : 'Your manager starts them; they will show up here.'}
            </EmptyState>
          </div>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Competitions" data-testid="competition-list">
            {sorted.map((c) => (
              <CompetitionCard key={c.id} c={c} today={today} />
            ))}
          </ul>
        )}
      </div>
      {creating && <NewCompetition onClose={() => setCreating(false)} />}
    </div>
  );
}

// --- Detail ---

const PODIUM = [
  'border-amber-300 bg-amber-50 dark:border-amber-700 dark:bg-amber-950/40',
  'border-slate-300 bg-slate-50 dark:border-slate-600 dark:bg-slate-800/60',
  'border-orange-300 bg-orange-50 dark:border-orange-800 dark:bg-orange-950/30',
];

function Winners({ c }: { c: Competition }) {
  if (c.status !== 'ended') return null;
  return (
    <SectionCard id="winners-title" title="Winners" icon={<Crown aria-hidden className="h-4 w-4 text-amber-500" />} testId="winners">
      {c.winners === null ? (
        <p className="text-sm muted">The results are being recorded.</p>
      ) : c.winners.length === 0 ? (
        <p className="text-sm muted">{c.named ? 'No one scored in this competition.' : 'You were not among the top three this time.'}</p>
      ) : (
        <ol className="grid gap-3 sm:grid-cols-3">
          {c.winners.map((w) => (
            <li key={`${w.rank}-${w.id}`} className={cn('rounded-xl border p-3 text-center', PODIUM[w.rank - 1] ?? PODIUM[2])} data-testid="winner">
              <Medal aria-hidden className={cn('mx-auto h-6 w-6', w.rank === 1 ? 'text-amber-500' : w.rank === 2 ? 'text-slate-400' : 'text-orange-700')} />
              <p className="mt-1 text-xs font-semibold uppercase tracking-wide muted">{ordinal(w.rank)} place</p>
              <p className="font-semibold">{w.name}</p>
              <p className="text-sm tabular-nums">{formatGameAmount(c.metric, w.value)}</p>
            </li>
          ))}
        </ol>
      )}
    </SectionCard>
  );
}

function Standings({ c }: { c: Competition }) {
  const team = c.kind === 'team';
  return (
    <SectionCard
      id="standings-title"
      title={c.status === 'ended' ? 'Final standings' : c.status === 'live' ? 'Live standings' : 'Standings'}
      icon={<Trophy aria-hidden className="h-4 w-4 text-amber-500" />}
      testId="standings"
    >
      {c.you && (
        <p className="mb-3 rounded-lg bg-blue-50 px-3 py-2 text-sm dark:bg-blue-950/40" data-testid="competition-you">
          {team ? 'Your team is' : 'You are'} <span className="font-semibold">{ordinal(c.you.rank)}</span> of {c.you.of} with{' '}
          <span className="font-semibold tabular-nums">{formatGameAmount(c.metric, c.you.value)}</span>.
        </p>
      )}
      {c.named ? (
        c.standings.length === 0 ? (
          <p className="text-sm muted">No {team ? 'teams' : 'officers'} yet.</p>
        ) : (
          <RankTable
            caption={`${c.name} standings`}
            metric={c.metric}
            valueLabel={gameMetricLabel(c.metric)}
            rows={c.standings.map((s) => ({ key: s.id, rank: s.rank, name: s.name, value: s.value, you: s.you }))}
            testId="standings-table"
            youLabel={team ? 'Your team' : 'You'}
          />
        )
      ) : (
        <p className="flex items-start gap-1.5 text-sm muted" data-testid="standings-hidden">
          <EyeOff aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
          <span>
            Names are hidden in your company: each officer sees only their own rank.
            {!c.you && ' Only officers are ranked.'}
          </span>
        </p>
      )}
      {c.status === 'upcoming' && <p className="mt-2 text-xs muted">Counting starts on {formatDate(c.starts_on)}.</p>}
    </SectionCard>
  );
}

export function CompetitionDetail() {
  const { id } = useParams();
  const today = useToday();
  const cid = Number(id);
  const q = useQuery({
    queryKey: gameKeys.competition(cid),
    queryFn: () => gameApi.competition(cid),
    enabled: Number.isInteger(cid) && cid > 0,
    refetchInterval: (query) => (query.state.data?.status === 'live' ? 30_000 : false),
  });
  const c = q.data;
  useTitle(c ? c.name : 'Competition');
  return (
    <div>
      <PageHeader
        title={c?.name ?? 'Competition'}
        subtitle={
          c ? (
            <span className="inline-flex flex-wrap items-center gap-2">
              <StatusBadge status={c.status} /> {competitionTiming(c, today)}
            </span>
          ) : undefined
        }
        icon={<Trophy aria-hidden className="h-8 w-8 text-amber-500" />}
        actions={
          <Link to="/competitions" className="btn-secondary">
            <ArrowLeft aria-hidden className="h-4 w-4" /> All competitions
          </Link>
        }
      />
      <GameTabs />
      <div className="mx-auto max-w-5xl space-y-6 px-4 py-6 sm:px-8" data-testid="competition-detail" data-status={c?.status}>
        {q.isLoading ? (
          <Spinner label="Loading the competition" />
        ) : q.error || !c ? (
          <ErrorBanner error={q.error ?? new Error('No such competition')} />
        ) : (
          <>
            <div className="grid gap-6 md:grid-cols-3">
              <section aria-labelledby="about-title" className="card p-4 md:col-span-1">
                <h2 id="about-title" className="mb-2 text-base font-semibold">
                  About
                </h2>
                <dl className="space-y-2 text-sm">
                  <div>
                    <dt className="text-xs muted">What counts</dt>
                    <dd className="font-medium">{gameMetricLabel(c.metric)}</dd>
                  </div>
                  <div>
                    <dt className="text-xs muted">Who competes</dt>
                    <dd className="font-medium">{c.kind === 'team' ? 'Teams (their officers summed)' : 'Each officer'}</dd>
                  </div>
                  <div>
                    <dt className="text-xs muted">Dates</dt>
                    <dd className="font-medium">{dateRange(c.starts_on, c.ends_on)}</dd>
                    <dd className="text-xs muted">Days in {c.timezone}</dd>
                  </div>
                </dl>
              </section>
              <section aria-labelledby="rules-title" className="card p-4 md:col-span-2">
                <h2 id="rules-title" className="mb-2 flex items-center gap-2 text-base font-semibold">
                  <ScrollText aria-hidden className="h-4 w-4 text-slate-500" /> Rules
                </h2>
                {c.rules ? (
                  <p className="whitespace-pre-line text-sm" data-testid="competition-rules">
                    {c.rules}
                  </p>
                ) : (
                  <p className="text-sm muted">
                    Most {gameMetricLabel(c.metric).toLowerCase()} between {dateRange(c.starts_on, c.ends_on)} wins. The top three are recorded when it
                    ends.
                  </p>
                )}
              </section>
            </div>
            <Winners c={c} />
            <Standings c={c} />
          </>
        )}
      </div>
    </div>
  );
}
