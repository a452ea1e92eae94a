import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { CheckSquare, Plus, Search } from 'lucide-react';
import { api, type Query } from '../lib/api';
import { addDays } from '../lib/format';
import { useDebounced, usePagedList, useTitle, useToday } from '../lib/hooks';
import { TaskForm } from '../components/forms';
import { TaskRow } from '../components/TaskRow';
import { EmptyState, ErrorBanner, LoadMore, PageHeader, Spinner } from '../components/ui';
import { TASK_PRIORITIES, type Task } from '../types';

const FILTERS = [
  { key: 'open', label: 'Open' },
  { key: 'overdue', label: 'Overdue' },
  { key: 'today', label: 'Today' },
  { key: 'upcoming', label: 'Upcoming' },
  { key: 'completed', label: 'Completed' },
] as const;
type FilterKey = (typeof FILTERS)[number]['key'];

export function taskQuery(filter: FilterKey, today: string): Query {
  const open = { status: 'pending,in_progress' };
  switch (filter) {
    case 'overdue':
      return { overdue: true, sort: 'due_date' };
    case 'today':
      return { ...open, due_from: today, due_to: today, sort: 'priority' };
    case 'upcoming':
      return { ...open, due_from: addDays(today, 1), sort: 'due_date' };
    case 'completed':
      return { status: 'completed', sort: '-updated_at' };
    default:
      return { ...open, sort: 'due_date' };
  }
}

export default function Tasks() {
  useTitle('Tasks');
  const [params, setParams] = useSearchParams();
  const today = useToday();
  const filter = (FILTERS.some((f) => f.key === params.get('filter')) ? params.get('filter') : 'open') as FilterKey;
  const highlight = Number(params.get('task')) || undefined;
  const [text, setText] = useState('');
  const q = useDebounced(text, 250);
  const [priority, setPriority] = useState('');
  const [editing, setEditing] = useState<Task | null>(null);
  const creating = params.get('new') === '1';

  const query = { ...taskQuery(filter, today), q: q || undefined, priority: priority || undefined };
  const { list, items } = usePagedList('tasks', query, (q) => api.listTasks(q));

  // The task a coach tip points at, shown first even when another filter hides it.
  const target = useQuery({ queryKey: ['tasks', 'one', highlight], queryFn: () => api.getTask(highlight!), enabled: !!highlight });
  const pinned = target.data && !items.some((t) => t.id === target.data!.id) ? target.data : null;

  useEffect(() => {
    if (!highlight || !(target.data || items.some((t) => t.id === highlight))) return;
    const el = document.getElementById(`task-${highlight}`);
    el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    el?.querySelector('button')?.focus({ preventScroll: true });
  }, [highlight, target.data, items]);

  const contactIds = [...new Set(items.map((t) => t.contact_id).filter((x): x is number => !!x))];
  const names = useQuery({
    queryKey: ['contacts', 'names', contactIds],
    queryFn: async () => {
      const map: Record<number, string> = {};
      await Promise.all(contactIds.slice(0, 50).map((id) => api.getContact(id).then((c) => (map[id] = c.name)).catch(() => undefined)));
      return map;
    },
    enabled: contactIds.length > 0,
    staleTime: 60_000,
  });

  const setFilter = (f: FilterKey) => {
    const next = new URLSearchParams(params);
    next.set('filter', f);
    next.delete('task');
    setParams(next);
  };
  const closeNew = () => {
    const next = new URLSearchParams(params);
    for (const k of ['new', 'title', 'priority', 'deal_id', 'contact_id']) next.delete(k);
    setParams(next, { replace: true });
  };
  const newDefaults = creating
    ? {
        title: params.get('title') ?? undefined,
        priority: params.get('priority') ?? undefined,
        deal_id: Number(params.get('deal_id')) || undefined,
        contact: params.get('contact_id') ? { id: Number(params.get('contact_id')), name: '' } : null,
      }
    : undefined;
  if (newDefaults?.contact && !newDefaults.contact.name) newDefaults.contact = { id: newDefaults.contact.id, name: '' };

  return (
    <div>
      <PageHeader
        title="Tasks"
        subtitle="What needs doing, in order"
        icon={<CheckSquare aria-hidden className="h-7 w-7 text-slate-400" />}
        actions={
          <button
            type="button"
            className="btn-primary"
            onClick={() => {
              const next = new URLSearchParams(params);
              next.set('new', '1');
              setParams(next);
            }}
          >
            <Plus aria-hidden className="h-4 w-4" /> New task
          </button>
        }
      />
      <div className="space-y-4 px-4 py-4 sm:px-8">
        <div className="flex flex-wrap items-center gap-3">
          <nav aria-label="Task filters" className="flex flex-wrap gap-1 rounded-xl bg-slate-100 p-1 dark:bg-slate-800">
            {FILTERS.map((f) => (
              <button
                key={f.key}
                type="button"
                aria-current={filter === f.key ? 'page' : undefined}
                onClick={() => setFilter(f.key)}
                className={
                  filter === f.key
                    ? 'rounded-lg bg-white px-3 py-1.5 text-sm font-medium shadow-sm dark:bg-slate-600'
                    : 'rounded-lg px-3 py-1.5 text-sm font-medium text-slate-700 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
                }
              >
                {f.label}
              </button>
            ))}
          </nav>
          <div className="relative min-w-[12rem] flex-1 sm:max-w-xs">
            <Search aria-hidden className="pointer-events-none absolute left-3 top-2.5 h-4 w-4 text-slate-500" />
            <label htmlFor="task-search" className="sr-only">
              Search tasks
            </label>
            <input id="task-search" type="search" className="input pl-9" placeholder="Search tasks" value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <div>
            <label htmlFor="task-priority" className="sr-only">
              Priority
            </label>
            <select id="task-priority" className="input" value={priority} onChange={(e) => setPriority(e.target.value)}>
              <option value="">Any priority</option>
              {TASK_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {p[0].toUpperCase() + p.slice(1)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ErrorBanner error={list.error} />
        <section aria-label="Task list" className="card overflow-hidden">
          {pinned && (
            <ul aria-label="Suggested task" className="border-b border-slate-200 dark:border-slate-700">
              <TaskRow task={pinned} highlighted onEdit={setEditing} contactName={pinned.contact_id ? names.data?.[pinned.contact_id] : undefined} />
            </ul>
          )}
          {list.isLoading ? (
            <Spinner className="p-4" label="Loading tasks" />
          ) : items.length === 0 && !pinned ? (
            <EmptyState icon={<CheckSquare className="h-8 w-8" />} title={filter === 'completed' ? 'Nothing completed yet' : 'All clear'}>
              {filter === 'overdue' ? 'No overdue tasks. Nice work.' : 'No tasks here.'}
            </EmptyState>
          ) : (
            <ul className="divide-y divide-slate-200 dark:divide-slate-700">
              {items.map((t) => (
                <TaskRow
                  key={t.id}
                  task={t}
                  highlighted={t.id === highlight}
                  onEdit={setEditing}
                  contactName={t.contact_id ? names.data?.[t.contact_id] : undefined}
                />
              ))}
            </ul>
          )}
          <LoadMore list={list} />
        </section>
      </div>
      {creating && <TaskForm defaults={newDefaults} onClose={closeNew} />}
      {editing && <TaskForm task={editing} onClose={() => setEditing(null)} />}
    </div>
  );
}
