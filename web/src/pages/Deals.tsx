import { useMemo, useState, type DragEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Briefcase, Columns3, List, Plus, GripVertical } from 'lucide-react';
import { api } from '../lib/api';
import { useCoach } from '../contexts/CoachContext';
import { cn, formatDate, formatMoney } from '../lib/format';
import { useTitle } from '../lib/hooks';
import { DealForm } from '../components/forms';
import { ConfirmDialog, EmptyState, ErrorBanner, PageHeader, Spinner } from '../components/ui';
import { DEAL_STAGES, type Deal, type DealStage } from '../types';

const CLOSED: DealStage[] = ['Closed Won', 'Closed Lost'];

const stageAccent: Record<DealStage, string> = {
  Lead: 'border-t-slate-400',
  'Pre-Approval': 'border-t-sky-500',
  Application: 'border-t-blue-500',
  Processing: 'border-t-indigo-500',
  Underwriting: 'border-t-violet-500',
  'Clear to Close': 'border-t-amber-500',
  'Closed Won': 'border-t-green-600',
  'Closed Lost': 'border-t-red-500',
};

type Totals = Record<DealStage, { count: number; value: number }>;

export function stageTotals(deals: Deal[]): Totals {
  const t = Object.fromEntries(DEAL_STAGES.map((s) => [s, { count: 0, value: 0 }])) as Totals;
  for (const d of deals) {
    const s = t[d.stage];
    if (!s) continue;
    s.count += 1;
    s.value += d.value ?? 0;
  }
  return t;
}

function useMoveDeal() {
  const queryClient = useQueryClient();
  const { checkAction } = useCoach();
  return useMutation({
    mutationFn: (v: { deal: Deal; stage: DealStage }) => api.updateDeal(v.deal.id, { stage: v.stage }),
    onMutate: async (v) => {
      await queryClient.cancelQueries({ queryKey: ['deals', 'all'] });
      const prev = queryClient.getQueryData<{ items: Deal[] }>(['deals', 'all']);
      if (prev)
        queryClient.setQueryData(['deals', 'all'], {
          ...prev,
          items: prev.items.map((d) => (d.id === v.deal.id ? { ...d, stage: v.stage } : d)),
        });
      return { prev };
    },
    onError: (_e, _v, ctx) => {
      if (ctx?.prev) queryClient.setQueryData(['deals', 'all'], ctx.prev);
    },
    onSuccess: (deal, v) => {
      // The plan's Task 16: closing a deal asks the coach.
      if (deal.stage === 'Closed Won')
        checkAction({ action: 'deal_closed', entity_type: 'deal', entity_id: deal.id, metadata: { won: true, value: deal.value } });
      else if (deal.stage === 'Closed Lost' && v.deal.stage !== 'Closed Lost')
        checkAction({ action: 'deal_closed', entity_type: 'deal', entity_id: deal.id, metadata: { won: false } });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['deals'] }),
  });
}

function DealCard({
  deal,
  contactName,
  onMove,
  onDragStart,
}: {
  deal: Deal;
  contactName?: string;
  onMove: (d: Deal, s: DealStage) => void;
  onDragStart: (e: DragEvent, d: Deal) => void;
}) {
  return (
    <li
      draggable
      onDragStart={(e) => onDragStart(e, deal)}
      data-testid="deal-card"
      data-deal-id={deal.id}
      className="group cursor-grab rounded-lg border border-slate-200 bg-white p-3 shadow-sm active:cursor-grabbing dark:border-slate-700 dark:bg-slate-800"
    >
      <div className="flex items-start gap-1">
        <GripVertical aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-slate-400" />
        <div className="min-w-0 flex-1">
          <Link to={`/deals/${deal.id}`} className="block truncate text-sm font-medium text-blue-700 hover:underline dark:text-blue-300">
            {deal.title}
          </Link>
          {contactName && <p className="truncate text-xs muted">{contactName}</p>}
          <div className="mt-1 flex items-center justify-between text-xs">
            <span className="font-semibold">{formatMoney(deal.value)}</span>
            {deal.expected_close_date && <span className="muted">Close {formatDate(deal.expected_close_date)}</span>}
          </div>
        </div>
      </div>
      <label className="mt-2 block">
        <span className="sr-only">Move {deal.title} to stage</span>
        <select
          className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-xs dark:border-slate-600 dark:bg-slate-900"
          value={deal.stage}
          onChange={(e) => onMove(deal, e.target.value as DealStage)}
          data-testid="deal-stage-select"
        >
          {DEAL_STAGES.map((s) => (
            <option key={s} value={s}>
              {s === deal.stage ? `Stage: ${s}` : `Move to ${s}`}
            </option>
          ))}
        </select>
      </label>
    </li>
  );
}

export default function Deals() {
  useTitle('Deals');
  const { id: idParam } = useParams();
  const openId = Number(idParam) || undefined;
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'list' ? 'list' : 'board';
  const [creating, setCreating] = useState<DealStage | null>(null);
  const [pending, setPending] = useState<{ deal: Deal; stage: DealStage } | null>(null);
  const [dragOver, setDragOver] = useState<DealStage | null>(null);
  const move = useMoveDeal();

  const deals = useQuery({ queryKey: ['deals', 'all'], queryFn: () => api.listAll<Deal>('/api/deals', { sort: '-updated_at' }) });
  const contacts = useQuery({
    queryKey: ['contacts', 'all-names'],
    queryFn: () => api.listAll<{ id: number; name: string }>('/api/contacts', { sort: 'name' }),
    staleTime: 60_000,
  });
  const names = useMemo(() => new Map((contacts.data?.items ?? []).map((c) => [c.id, c.name])), [contacts.data]);
  const items = deals.data?.items ?? [];
  const totals = useMemo(() => stageTotals(items), [items]);
  const openDeal = openId ? items.find((d) => d.id === openId) : undefined;
  const single = useQuery({ queryKey: ['deal', openId], queryFn: () => api.getDeal(openId!), enabled: !!openId && deals.isSuccess && !openDeal });

  const requestMove = (deal: Deal, stage: DealStage) => {
    if (deal.stage === stage) return;
    if (CLOSED.includes(stage)) setPending({ deal, stage });
    else move.mutate({ deal, stage });
  };
  const onDragStart = (e: DragEvent, d: Deal) => {
    e.dataTransfer.setData('text/plain', String(d.id));
    e.dataTransfer.effectAllowed = 'move';
  };
  const onDrop = (e: DragEvent, stage: DealStage) => {
    e.preventDefault();
    setDragOver(null);
    const id = Number(e.dataTransfer.getData('text/plain'));
    const deal = items.find((d) => d.id === id);
    if (deal) requestMove(deal, stage);
  };
  const openTotal = DEAL_STAGES.filter((s) => !CLOSED.includes(s)).reduce((sum, s) => sum + totals[s].value, 0);
  const setView = (v: 'board' | 'list') => {
    const next = new URLSearchParams(params);
    next.set('view', v);
    setParams(next, { replace: true });
  };

  return (
    <div className="flex min-h-full flex-col">
      <PageHeader
        title="Deals"
        subtitle={`${items.filter((d) => !CLOSED.includes(d.stage)).length} open · ${formatMoney(openTotal)} in the pipeline`}
        icon={<Briefcase aria-hidden className="h-7 w-7 text-slate-400" />}
        actions={
          <>
            <div role="group" aria-label="View" className="flex rounded-lg bg-slate-100 p-0.5 dark:bg-slate-800">
              <button
                type="button"
                aria-pressed={view === 'board'}
                onClick={() => setView('board')}
                className={cn('flex items-center gap-1 rounded-md px-2.5 py-1.5 text-sm', view === 'board' && 'bg-white shadow-sm dark:bg-slate-600')}
              >
                <Columns3 aria-hidden className="h-4 w-4" /> Board
              </button>
              <button
                type="button"
                aria-pressed={view === 'list'}
                onClick={() => setView('list')}
                className={cn('flex items-center gap-1 rounded-md px-2.5 py-1.5 text-sm', view === 'list' && 'bg-white shadow-sm dark:bg-slate-600')}
              >
                <List aria-hidden className="h-4 w-4" /> List
              </button>
            </div>
            <button type="button" className="btn-primary" onClick={() => setCreating('Lead')}>
              <Plus aria-hidden className="h-4 w-4" /> New deal
            </button>
          </>
        }
      />
      <div className="px-4 pt-3 sm:px-8">
        <ErrorBanner error={deals.error ?? move.error} />
        <p className="sr-only" role="status">
          {move.isPending ? 'Moving deal…' : ''}
        </p>
      </div>
      {deals.isLoading ? (
        <Spinner className="p-8" label="Loading deals" />
      ) : view === 'board' ? (
        <div className="flex-1 overflow-x-auto px-4 py-4 sm:px-8" data-testid="deal-board">
          <p className="mb-3 text-xs muted">Drag a card to another stage, or use its stage menu.</p>
          <div className="flex min-w-max gap-3">
            {DEAL_STAGES.map((stage) => {
              const inStage = items.filter((d) => d.stage === stage);
              return (
                <section
                  key={stage}
                  aria-label={`${stage}: ${totals[stage].count} deals, ${formatMoney(totals[stage].value)}`}
                  data-stage={stage}
                  data-testid="deal-column"
                  onDragOver={(e) => {
                    e.preventDefault();
                    e.dataTransfer.dropEffect = 'move';
                    if (dragOver !== stage) setDragOver(stage);
                  }}
                  onDragLeave={() => setDragOver((s) => (s === stage ? null : s))}
                  onDrop={(e) => onDrop(e, stage)}
                  className={cn(
                    'flex w-64 shrink-0 flex-col rounded-xl border-t-4 bg-slate-100 dark:bg-slate-900',
                    stageAccent[stage],
                    dragOver === stage && 'ring-2 ring-blue-500',
                  )}
                >
                  <div className="flex items-center justify-between px-3 py-2">
                    <h2 className="text-sm font-semibold">{stage}</h2>
                    <span className="text-xs muted">
                      {totals[stage].count} · {formatMoney(totals[stage].value, true)}
                    </span>
                  </div>
                  <ul className="flex min-h-[6rem] flex-1 flex-col gap-2 px-2 pb-2">
                    {inStage.map((d) => (
                      <DealCard key={d.id} deal={d} contactName={d.contact_id ? names.get(d.contact_id) : undefined} onMove={requestMove} onDragStart={onDragStart} />
                    ))}
                  </ul>
                  {!CLOSED.includes(stage) && (
                    <button type="button" className="btn-ghost m-2 mt-0 justify-start text-xs" onClick={() => setCreating(stage)}>
                      <Plus aria-hidden className="h-3.5 w-3.5" /> Add to {stage}
                    </button>
                  )}
                </section>
              );
            })}
          </div>
        </div>
      ) : (
        <div className="space-y-4 px-4 py-4 sm:px-8">
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-4 xl:grid-cols-8">
            {DEAL_STAGES.map((s) => (
              <div key={s} className="card px-3 py-2">
                <p className="truncate text-xs muted">{s}</p>
                <p className="text-sm font-semibold">{formatMoney(totals[s].value, true)}</p>
                <p className="text-xs muted">
                  {totals[s].count} deal{totals[s].count === 1 ? '' : 's'}
                </p>
              </div>
            ))}
          </div>
          <section aria-label="Deal list" className="card overflow-x-auto">
            {items.length === 0 ? (
              <EmptyState icon={<Briefcase className="h-8 w-8" />} title="No deals yet" />
            ) : (
              <table className="w-full text-left text-sm" data-testid="deal-table">
                <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
                  <tr>
                    <th scope="col" className="px-4 py-2">Title</th>
                    <th scope="col" className="hidden px-4 py-2 md:table-cell">Borrower</th>
                    <th scope="col" className="px-4 py-2">Stage</th>
                    <th scope="col" className="hidden px-4 py-2 sm:table-cell">Loan type</th>
                    <th scope="col" className="hidden px-4 py-2 md:table-cell">Expected close</th>
                    <th scope="col" className="px-4 py-2 text-right">Amount</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-200 dark:divide-slate-700">
                  {items.map((d) => (
                    <tr key={d.id}>
                      <td className="px-4 py-2">
                        <Link to={`/deals/${d.id}?view=list`} className="font-medium text-blue-700 hover:underline dark:text-blue-300">
                          {d.title}
                        </Link>
                      </td>
                      <td className="hidden px-4 py-2 md:table-cell">{d.contact_id ? names.get(d.contact_id) ?? '—' : '—'}</td>
                      <td className="px-4 py-2">{d.stage}</td>
                      <td className="hidden px-4 py-2 sm:table-cell">{d.loan_type ?? '—'}</td>
                      <td className="hidden px-4 py-2 md:table-cell">{formatDate(d.expected_close_date)}</td>
                      <td className="px-4 py-2 text-right tabular-nums">{formatMoney(d.value)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot className="border-t-2 border-slate-300 font-semibold dark:border-slate-600">
                  <tr>
                    <th scope="row" className="px-4 py-2" colSpan={2}>
                      Total ({items.length} deals)
                    </th>
                    <td className="hidden sm:table-cell" />
                    <td className="hidden md:table-cell" colSpan={2} />
                    <td className="px-4 py-2 text-right tabular-nums" data-testid="deal-total">
                      {formatMoney(items.reduce((s, d) => s + (d.value ?? 0), 0))}
                    </td>
                  </tr>
                </tfoot>
              </table>
            )}
            {deals.data?.truncated && <p className="px-4 py-2 text-xs muted">Showing the 1,000 most recently updated deals.</p>}
          </section>
        </div>
      )}

      {creating && <DealForm defaults={{ stage: creating }} onClose={() => setCreating(null)} />}
      {openId && (openDeal || single.data) && (
        <DealForm deal={openDeal ?? single.data} onClose={() => navigate({ pathname: '/deals', search: params.toString() })} />
      )}
      {openId && single.isError && (
        <ConfirmDialog
          title="Deal not found"
          message="It may have been deleted, or it belongs to someone else."
          confirmLabel="Back to deals"
          onConfirm={() => navigate('/deals')}
          onCancel={() => navigate('/deals')}
        />
      )}
      {pending && (
        <ConfirmDialog
          title={pending.stage === 'Closed Won' ? 'Mark this deal won?' : 'Mark this deal lost?'}
          message={
            <p>
              Move <strong>{pending.deal.title}</strong> ({formatMoney(pending.deal.value)}) from {pending.deal.stage} to{' '}
              <strong>{pending.stage}</strong>?
            </p>
          }
          confirmLabel={pending.stage === 'Closed Won' ? 'Yes, closed won' : 'Yes, closed lost'}
          danger={pending.stage === 'Closed Lost'}
          onConfirm={() => {
            move.mutate(pending);
            setPending(null);
          }}
          onCancel={() => setPending(null)}
        />
      )}
    </div>
  );
}
