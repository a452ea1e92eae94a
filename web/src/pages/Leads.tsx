// Call first: the officer's open leads and prospects ranked by their chance
// of a loan within 30 days after the next call (GET /api/coach/lead-scores),
// each with the reasons behind it, and what the org's model learned (GET
// /api/coach/lead-model). Numbers appear only when the model ranked leads it
// never saw better than chance; otherwise the server's sentence says why
// there is no ranking. Managers and admins can retrain it now.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { ArrowDown, ArrowUp, ListOrdered, RefreshCw, Sparkles } from 'lucide-react';
import { coachApi } from '../lib/api';
import { useAuth } from '../contexts/AuthContext';
import { cn, titleCase } from '../lib/format';
import { useTitle } from '../lib/hooks';
import {
  aucSentence,
  featureSentence,
  formatChance,
  horizonSentence,
  learnedFromSentence,
  liftLabel,
  moreLeads,
  retrainedSentence,
  topFeatures,
  trainedAt,
} from '../lib/leadScore';
import { Badge, EmptyState, ErrorBanner, PageHeader, Spinner, statusColor } from '../components/ui';
import { Disclosure } from '../components/WhyDisclosure';
import { ReasonChips } from '../components/LeadPriority';
import type { LeadModel, LeadScoreItem, LeadScores } from '../types';

// Leads listed at once; the rest are counted below the list.
const LIMIT = 20;

function LeadRow({ item, rank, baseRate }: { item: LeadScoreItem; rank: number; baseRate?: number }) {
  const lift = liftLabel(item.probability, baseRate);
  return (
    <li className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-start sm:justify-between sm:gap-4" data-testid="lead-row" data-contact-id={item.contact_id}>
      <div className="flex min-w-0 flex-1 gap-3">
        <span className="w-6 shrink-0 pt-0.5 text-right text-sm tabular-nums muted">{rank}.</span>
        <div className="min-w-0 flex-1 space-y-1.5">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <Link to={`/contacts/${item.contact_id}`} className="min-w-0 break-words font-medium text-blue-700 hover:underline dark:text-blue-300">
              {item.name}
            </Link>
            <Badge color={statusColor(item.status)}>{titleCase(item.status)}</Badge>
            <span className="text-xs muted" data-testid="lead-source">
              {item.source ? `Source: ${item.source}` : 'No source'}
            </span>
          </div>
          <ReasonChips reasons={item.reasons} label={`Why ${item.name} ranks here`} />
        </div>
      </div>
      <p className="shrink-0 pl-9 sm:pl-0 sm:text-right" data-testid="lead-chance">
        <span className="text-lg font-semibold tabular-nums">{formatChance(item.probability)}</span>
        <span className="text-sm muted"> chance</span>
        {lift && <span className="block text-xs muted">{lift}</span>}
      </p>
    </li>
  );
}

// "Why am I seeing this?" over a ranking: the model's own sentence, what the
// chance means and when it was trained.
function WhyRanked({ data, tz }: { data: LeadScores; tz?: string }) {
  const when = trainedAt(data.trained_at, tz);
  return (
    <Disclosure>
      <p data-testid="leads-model-message">{data.message}</p>
      <p>{horizonSentence(data.horizon_days)}</p>
      <p>Each chip compares the lead with the average lead: an up arrow raises its chance, a down arrow lowers it.</p>
      {when && <p className="text-slate-600 dark:text-slate-400">{when}.</p>}
    </Disclosure>
  );
}

// The features that move a lead most, in words, and how well the model
// ranked the leads it was tested on. Only for a model that is used.
function ModelLearned({ m }: { m: LeadModel }) {
  if (m.status !== 'ready' || !m.model) return null;
  const fit = m.model;
  const top = topFeatures(fit.features, 8);
  return (
    <section aria-labelledby="lead-model-title" className="card space-y-3 p-4 sm:p-5" data-testid="lead-model">
      <h2 id="lead-model-title" className="flex items-center gap-2 text-base font-semibold">
        <Sparkles aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />
        What the model learned
      </h2>
      {top.length > 0 && (
        <ul className="space-y-1.5 text-sm leading-relaxed" data-testid="lead-model-features">
          {top.map((f) => {
            const up = f.effect > 0;
            const Icon = up ? ArrowUp : ArrowDown;
            return (
              <li key={f.key} className="flex items-start gap-2" data-direction={up ? 'up' : 'down'}>
                <Icon aria-hidden className={cn('mt-0.5 h-4 w-4 shrink-0', up ? 'text-green-700 dark:text-green-400' : 'text-slate-500 dark:text-slate-400')} />
                <span>{featureSentence(f)}</span>
              </li>
            );
          })}
        </ul>
      )}
      <div className="space-y-1 text-sm leading-relaxed" data-testid="lead-model-evidence">
        <p>{learnedFromSentence(fit, m.horizon_days)}</p>
        <p>{aucSentence(fit)}</p>
      </div>
      <p className="text-xs muted">
        Each is measured as the chips are: a source against the average source, a number of calls against the average number. The features
        are weighed together, so each is its pull with the others held equal: an association in your org's history, not proof that one causes
        the other.
      </p>
    </section>
  );
}

export default function Leads() {
  useTitle('Call first');
  const { user } = useAuth();
  const tz = user?.timezone;
  const canRetrain = user?.role === 'manager' || user?.role === 'admin';
  const queryClient = useQueryClient();
  const scores = useQuery({ queryKey: ['leadScores'], queryFn: () => coachApi.getLeadScores({ limit: LIMIT }) });
  const model = useQuery({ queryKey: ['leadModel'], queryFn: coachApi.getLeadModel });
  const retrain = useMutation({
    mutationFn: coachApi.refreshLeadModel,
    // Settles once both lists show the new model (and contact pages will).
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['leadModel'] }),
        queryClient.invalidateQueries({ queryKey: ['leadScores'] }),
        queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'timeline' && q.queryKey[2] === 'lead-score' }),
      ]),
  });

  const data = scores.data;
  const items = data?.status === 'ready' ? data.items : [];
  const more = data?.status === 'ready' ? moreLeads(data.open_leads, items.length) : null;
  const checked = data ? trainedAt(data.trained_at, tz, undefined, data.status === 'insufficient_data' ? 'Checked' : 'Trained') : null;

  return (
    <div>
      <PageHeader
        title="Call first"
        subtitle="Your open leads, the likeliest to become a loan first"
        icon={<ListOrdered aria-hidden className="h-7 w-7 text-blue-600 dark:text-blue-400" />}
        actions={
          canRetrain && (
            <button type="button" className="btn-secondary" onClick={() => retrain.mutate()} disabled={retrain.isPending || scores.isLoading}>
              <RefreshCw aria-hidden className={cn('h-4 w-4', retrain.isPending && 'animate-spin')} />
              {retrain.isPending ? 'Retraining…' : 'Retrain now'}
            </button>
          )
        }
      />
      <div className="mx-auto max-w-4xl space-y-4 px-4 py-6 sm:px-8">
        {data?.status === 'ready' && <WhyRanked data={data} tz={tz} />}
        <p role="status" className="text-sm text-green-700 empty:hidden dark:text-green-400" data-testid="leads-status">
          {retrain.isSuccess && !retrain.isPending ? retrainedSentence(retrain.data.status) : ''}
        </p>
        <ErrorBanner error={retrain.error} />
        {scores.isLoading ? (
          <Spinner label="Ranking your leads" />
        ) : scores.error ? (
          <ErrorBanner error={scores.error} />
        ) : !data ? null : data.status !== 'ready' ? (
          <div className="card" data-testid="leads-not-ready">
            <EmptyState icon={<ListOrdered aria-hidden className="h-8 w-8" />} title={data.status === 'not_predictive' ? 'No ranking: not better than chance' : 'No ranking yet'}>
              <p data-testid="leads-message">{data.message}</p>
              <p className="mt-2">We'd rather show no order than a wrong one. The ranking appears once your org's history can back it.</p>
              {checked && <p className="mt-2 text-xs">{checked}.</p>}
            </EmptyState>
          </div>
        ) : items.length === 0 ? (
          <div className="card" data-testid="leads-empty">
            <EmptyState icon={<ListOrdered aria-hidden className="h-8 w-8" />} title="No open leads">
              <p>Your leads and prospects without a loan show up here, the likeliest to become a loan first.</p>
            </EmptyState>
          </div>
        ) : (
          <section aria-label="Open leads, most likely first" className="card">
            <ol className="divide-y divide-slate-200 dark:divide-slate-700" data-testid="lead-list">
              {items.map((item, i) => (
                <LeadRow key={item.contact_id} item={item} rank={i + 1} baseRate={data.base_rate} />
              ))}
            </ol>
            {more && (
              <p className="border-t border-slate-200 px-4 py-2 text-xs muted dark:border-slate-700" data-testid="leads-more">
                {more} rank below these.
              </p>
            )}
          </section>
        )}
        {model.error ? <ErrorBanner error={model.error} /> : model.data ? <ModelLearned m={model.data} /> : null}
      </div>
    </div>
  );
}
