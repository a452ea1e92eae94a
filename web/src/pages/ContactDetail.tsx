import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  Clock,
  ArrowLeft,
  Briefcase,
  CalendarClock,
  History,
  ListOrdered,
  Mail,
  MessageSquare,
  Pencil,
  Phone,
  Plus,
  StickyNote,
  Trash2,
  Users,
  Video,
  Share2,
  Activity as ActivityIcon,
} from 'lucide-react';
import { ApiError, api } from '../lib/api';
import { useAuth } from '../contexts/AuthContext';
import { activityLabel, formatDateTime, formatMoney, relativeTime, titleCase } from '../lib/format';
import { useTitle } from '../lib/hooks';
import { ContactForm, DealForm, TaskForm } from '../components/forms';
import { LogActivity } from '../components/LogActivity';
import { TaskRow } from '../components/TaskRow';
import { Badge, ConfirmDialog, EmptyState, ErrorBanner, Spinner, statusColor } from '../components/ui';
import { ReasonChips } from '../components/LeadPriority';
import type { Activity, BestTime, ContactLeadScore, CrmEvent } from '../types';
import { windowEvidence, windowLabel } from '../lib/bestTime';
import { formatChance, liftLabel } from '../lib/leadScore';

const ACTIVITY_ICONS: Record<string, typeof Phone> = {
  call: Phone,
  text: MessageSquare,
  email: Mail,
  meeting: Users,
  video_post: Video,
  social_post: Share2,
  note: StickyNote,
};

type TimelineItem = { key: string; at: string; kind: 'activity'; a: Activity } | { key: string; at: string; kind: 'event'; e: CrmEvent };

function describeEvent(e: CrmEvent): string {
  const m = e.metadata ?? {};
  switch (e.action) {
    case 'contact_created':
      return `Contact created${m.source ? ` (source: ${m.source})` : ''}`;
    case 'contact_status_changed':
      return `Status changed from ${titleCase(String(m.old_status ?? '?'))} to ${titleCase(String(m.new_status ?? '?'))}`;
    case 'contact_updated':
      return `Details updated${Array.isArray(m.fields) ? `: ${(m.fields as string[]).join(', ')}` : ''}`;
    case 'contact_assigned':
      return 'Assigned to a new loan officer';
    default:
      return titleCase(e.action.replace(/^contact_/, ''));
  }
}

function outcomeLabel(o?: string | null) {
  return o ? titleCase(o) : '';
}

export default function ContactDetail() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { user } = useAuth();
  const [editing, setEditing] = useState(false);
  const [newDeal, setNewDeal] = useState(false);
  const [newTask, setNewTask] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const logType = params.get('log') === 'call' ? 'call' : undefined;

  const contact = useQuery({ queryKey: ['contact', id], queryFn: () => api.getContact(id), enabled: Number.isInteger(id) && id > 0 });
  useTitle(contact.data?.name ?? 'Contact');
  const enabled = contact.isSuccess;
  const deals = useQuery({ queryKey: ['deals', 'contact', id], queryFn: () => api.listDeals({ contact_id: id, limit: 50 }), enabled });
  const tasks = useQuery({
    queryKey: ['tasks', 'contact', id],
    queryFn: () => api.listTasks({ contact_id: id, status: 'pending,in_progress', limit: 50 }),
    enabled,
  });
  const timeline = useQuery({
    queryKey: ['timeline', id],
    enabled,
    queryFn: async () => {
      const [acts, events] = await Promise.all([
        api.listActivities({ contact_id: id, limit: 50 }),
        api.listEvents({ entity_type: 'contact', entity_id: id, limit: 50 }),
      ]);
      const items: TimelineItem[] = [
        ...acts.items.map((a) => ({ key: `a${a.id}`, at: a.occurred_at, kind: 'activity' as const, a })),
        ...events.items
          // A status change is already its own, clearer entry.
          .filter((e) => !(e.action === 'contact_updated' && Array.isArray(e.metadata?.fields) && (e.metadata.fields as string[]).every((f) => f === 'status')))
          .map((e) => ({ key: `e${e.id}`, at: e.created_at, kind: 'event' as const, e })),
      ];
      return items.sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0));
    },
  });
  // Keyed under the timeline so that logging a call refreshes it too.
  const bestTime = useQuery({ queryKey: ['timeline', id, 'best-time'], queryFn: () => api.getBestTime(id), enabled });
  // Likewise: a logged call changes what the lead priority model sees.
  const leadScore = useQuery({ queryKey: ['timeline', id, 'lead-score'], queryFn: () => api.getContactScore(id), enabled });
  const remove = useMutation({
    mutationFn: () => api.deleteContact(id),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ['contacts'] });
      navigate('/contacts', { replace: true });
    },
  });

  const dealList = deals.data?.items ?? [];
  const openValue = useMemo(
    () => dealList.filter((d) => !d.closed_at).reduce((s, d) => s + (d.value ?? 0), 0),
    [dealList],
  );

  if (!Number.isInteger(id) || id <= 0 || (contact.error instanceof ApiError && contact.error.status === 404))
    return (
      <div className="p-8" data-testid="not-found">
        <EmptyState icon={<Users className="h-8 w-8" />} title="Contact not found">
          <p>It may have been deleted, or it belongs to someone else.</p>
          <p className="mt-2">
            <Link to="/contacts" className="text-blue-700 underline dark:text-blue-300">
              Back to contacts
            </Link>
          </p>
        </EmptyState>
      </div>
    );
  if (contact.isLoading) return <Spinner className="p-8" label="Loading contact" />;
  if (contact.error || !contact.data)
    return (
      <div className="p-8">
        <ErrorBanner error={contact.error} />
      </div>
    );
  const c = contact.data;

  return (
    <div>
      <header className="border-b border-slate-200 bg-white px-4 py-4 dark:border-slate-800 dark:bg-slate-900 sm:px-8 sm:py-5">
        <Link to="/contacts" className="mb-2 inline-flex items-center gap-1 text-sm muted hover:underline">
          <ArrowLeft aria-hidden className="h-4 w-4" /> Contacts
        </Link>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="text-xl font-bold tracking-tight sm:text-2xl">{c.name}</h1>
              <Badge color={statusColor(c.status)}>{titleCase(c.status)}</Badge>
            </div>
            <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm muted">
              {c.phone && (
                <a href={`tel:${c.phone}`} className="inline-flex items-center gap-1 hover:underline">
                  <Phone aria-hidden className="h-3.5 w-3.5" /> {c.phone}
                </a>
              )}
              {c.email && (
                <a href={`mailto:${c.email}`} className="inline-flex items-center gap-1 hover:underline">
                  <Mail aria-hidden className="h-3.5 w-3.5" /> {c.email}
                </a>
              )}
              {c.source && <span>Source: {c.source}</span>}
              <span>Last contact: {relativeTime(c.last_contacted_at)}</span>
            </div>
            {(c.tags ?? []).length > 0 && (
              <div className="mt-2 flex flex-wrap gap-1">
                {c.tags!.map((t) => (
                  <Badge key={t}>{t}</Badge>
                ))}
              </div>
            )}
          </div>
          <div className="flex gap-2">
            <button type="button" className="btn-secondary" onClick={() => setEditing(true)}>
              <Pencil aria-hidden className="h-4 w-4" /> Edit
            </button>
            <button type="button" className="btn-ghost" onClick={() => setConfirmDelete(true)} aria-label={`Delete ${c.name}`}>
              <Trash2 aria-hidden className="h-4 w-4" />
            </button>
          </div>
        </div>
        {c.notes && <p className="mt-3 whitespace-pre-wrap text-sm">{c.notes}</p>}
      </header>

      <div className="grid gap-6 px-4 py-6 sm:px-8 xl:grid-cols-3">
        <div className="space-y-6 xl:col-span-2">
          <section aria-labelledby="log-title" className="card p-4 sm:p-5">
            <h2 id="log-title" className="mb-3 text-base font-semibold">
              Log activity with {c.name}
            </h2>
            <LogActivity
              contact={{ id: c.id, name: c.name }}
              initialType={logType ?? 'call'}
              autoFocus={!!logType}
              onLogged={() => {
                if (logType) {
                  const next = new URLSearchParams(params);
                  next.delete('log');
                  setParams(next, { replace: true });
                }
                queryClient.invalidateQueries({ queryKey: ['contact', id] });
              }}
            />
          </section>

          <section aria-labelledby="timeline-title" className="card">
            <h2 id="timeline-title" className="flex items-center gap-2 border-b border-slate-200 px-4 py-3 text-base font-semibold dark:border-slate-700">
              <History aria-hidden className="h-4 w-4" /> Timeline
            </h2>
            {timeline.isLoading ? (
              <Spinner className="p-4" label="Loading timeline" />
            ) : (timeline.data ?? []).length === 0 ? (
              <EmptyState title="Nothing yet">Log a call, text or email and it shows up here.</EmptyState>
            ) : (
              <ol className="divide-y divide-slate-200 dark:divide-slate-700" data-testid="timeline">
                {timeline.data!.map((item) => {
                  if (item.kind === 'activity') {
                    const a = item.a;
                    const Icon = ACTIVITY_ICONS[a.type] ?? ActivityIcon;
                    return (
                      <li key={item.key} className="flex gap-3 px-4 py-3">
                        <div className="mt-0.5 rounded-full bg-blue-50 p-1.5 text-blue-700 dark:bg-blue-950 dark:text-blue-300">
                          <Icon aria-hidden className="h-4 w-4" />
                        </div>
                        <div className="min-w-0 flex-1 text-sm">
                          <p className="font-medium">
                            {activityLabel(a.type)}
                            {a.outcome ? ` · ${outcomeLabel(a.outcome)}` : ''}
                            {a.topic ? ` · ${a.topic}` : ''}
                          </p>
                          {a.notes && <p className="mt-0.5 whitespace-pre-wrap muted">{a.notes}</p>}
                        </div>
                        <time dateTime={a.occurred_at} className="shrink-0 text-xs muted">
                          {formatDateTime(a.occurred_at, user?.timezone)}
                        </time>
                      </li>
                    );
                  }
                  return (
                    <li key={item.key} className="flex gap-3 px-4 py-3">
                      <div className="mt-0.5 rounded-full bg-slate-100 p-1.5 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                        <CalendarClock aria-hidden className="h-4 w-4" />
                      </div>
                      <p className="min-w-0 flex-1 text-sm muted">{describeEvent(item.e)}</p>
                      <time dateTime={item.at} className="shrink-0 text-xs muted">
                        {formatDateTime(item.at, user?.timezone)}
                      </time>
                    </li>
                  );
                })}
              </ol>
            )}
          </section>
        </div>

        <div className="space-y-6">
          {bestTime.data && <BestTimeCard b={bestTime.data} />}
          {leadScore.data && <LeadPriorityCard s={leadScore.data} />}
          <section aria-labelledby="deals-title" className="card">
            <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3 dark:border-slate-700">
              <h2 id="deals-title" className="flex items-center gap-2 text-base font-semibold">
                <Briefcase aria-hidden className="h-4 w-4" /> Deals
              </h2>
              <button type="button" className="btn-ghost px-2 py-1" onClick={() => setNewDeal(true)}>
                <Plus aria-hidden className="h-4 w-4" /> Deal
              </button>
            </div>
            {dealList.length === 0 ? (
              <p className="px-4 py-3 text-sm muted">No deals yet.</p>
            ) : (
              <ul className="divide-y divide-slate-200 dark:divide-slate-700">
                {dealList.map((d) => (
                  <li key={d.id} className="flex items-center justify-between gap-2 px-4 py-2 text-sm">
                    <Link to={`/deals/${d.id}`} className="min-w-0 truncate font-medium text-blue-700 hover:underline dark:text-blue-300">
                      {d.title}
                    </Link>
                    <span className="shrink-0 text-xs muted">
                      {d.stage} · {formatMoney(d.value, true)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {openValue > 0 && <p className="border-t border-slate-200 px-4 py-2 text-xs muted dark:border-slate-700">Open: {formatMoney(openValue)}</p>}
          </section>

          <section aria-labelledby="tasks-title" className="card">
            <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3 dark:border-slate-700">
              <h2 id="tasks-title" className="text-base font-semibold">
                Open tasks
              </h2>
              <button type="button" className="btn-ghost px-2 py-1" onClick={() => setNewTask(true)}>
                <Plus aria-hidden className="h-4 w-4" /> Task
              </button>
            </div>
            {(tasks.data?.items ?? []).length === 0 ? (
              <p className="px-4 py-3 text-sm muted">Nothing open.</p>
            ) : (
              <ul className="divide-y divide-slate-200 dark:divide-slate-700">
                {tasks.data!.items.map((t) => (
                  <TaskRow key={t.id} task={t} contactName={c.name} />
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>

      {editing && <ContactForm contact={c} onClose={() => setEditing(false)} />}
      {newDeal && <DealForm defaults={{ contact: { id: c.id, name: c.name } }} onClose={() => setNewDeal(false)} />}
      {newTask && <TaskForm defaults={{ contact: { id: c.id, name: c.name } }} onClose={() => setNewTask(false)} />}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${c.name}?`}
          message={
            <>
              <p>This removes the contact. Their activities stay in your history.</p>
              <ErrorBanner className="mt-3" error={remove.error} />
            </>
          }
          confirmLabel="Delete contact"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
          onCancel={() => setConfirmDelete(false)}
        />
      )}
    </div>
  );
}

// When to call: the server's sentence (it names a time only when the
// evidence supports one), then the offered windows, best first.
function BestTimeCard({ b }: { b: BestTime }) {
  const same = b.contact_timezone === b.officer_timezone;
  return (
    <section aria-labelledby="best-time-title" className="card p-4" data-testid="best-time">
      <h2 id="best-time-title" className="mb-2 flex items-center gap-2 text-base font-semibold">
        <Clock aria-hidden className="h-4 w-4" /> Best time to call
      </h2>
      <p className="text-sm leading-relaxed" data-testid="best-time-message">
        {b.message}
      </p>
      {b.windows.length > 0 && (
        <ol className="mt-2 space-y-1 text-sm">
          {b.windows.map((w) => (
            <li key={w.contact_hour}>
              <span className="font-medium">{windowLabel(w, same)}</span>
              <span className="muted"> · {windowEvidence(w)}</span>
            </li>
          ))}
        </ol>
      )}
      <p className="mt-2 text-xs muted">
        Within 8 AM to 9 PM {same ? 'local time' : `in ${b.contact_timezone}`} and your working hours; {b.evidence.contact_calls === 0 ? 'no calls to them yet, so from your own calls' : `from ${b.evidence.contact_reached} answered of ${b.evidence.contact_calls} calls to them, and your own calls`}.
      </p>
    </section>
  );
}

// Whether to call them first: their chance of a loan soon and the reasons,
// from the org's lead priority model; else the server's sentence saying why
// there is no number (not an open lead, or no model good enough to use).
function LeadPriorityCard({ s }: { s: ContactLeadScore }) {
  const scored = s.scored && s.status === 'ready' && typeof s.probability === 'number';
  const lift = scored ? liftLabel(s.probability, s.base_rate) : null;
  return (
    <section aria-labelledby="lead-priority-title" className="card p-4" data-testid="lead-priority">
      <h2 id="lead-priority-title" className="mb-2 flex items-center gap-2 text-base font-semibold">
        <ListOrdered aria-hidden className="h-4 w-4" /> Lead priority
      </h2>
      {scored ? (
        <>
          <p className="text-sm leading-relaxed" data-testid="lead-priority-chance">
            <span className="text-lg font-semibold tabular-nums">{formatChance(s.probability)}</span> chance of a loan within {s.horizon_days} days
            after the next call{lift ? `: ${lift}` : ''}.
          </p>
          <ReasonChips reasons={s.reasons} label={`Why ${s.name} ranks here`} className="mt-2" />
          <p className="mt-2 text-xs muted">
            {s.message}{' '}
            <Link to="/leads" className="text-blue-700 underline dark:text-blue-300">
              See the Call first list
            </Link>
          </p>
        </>
      ) : (
        <p className="text-sm leading-relaxed" data-testid="lead-priority-message">
          {s.message}
        </p>
      )}
    </section>
  );
}
