import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Plus, Search, Users, X } from 'lucide-react';
import { api, type Query } from '../lib/api';
import { relativeTime, titleCase } from '../lib/format';
import { useDebounced, usePagedList, useTitle } from '../lib/hooks';
import { ContactForm } from '../components/forms';
import { Badge, EmptyState, ErrorBanner, LoadMore, PageHeader, Spinner, statusColor } from '../components/ui';
import { CONTACT_STATUSES } from '../types';

const SORTS = [
  { value: 'name', label: 'Name' },
  { value: '-last_contacted_at', label: 'Recently contacted' },
  { value: 'last_contacted_at', label: 'Longest since contact' },
  { value: '-created_at', label: 'Newest' },
];

export default function Contacts() {
  useTitle('Contacts');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text, 250);
  const status = params.get('status') ?? '';
  const tag = params.get('tag') ?? '';
  const source = params.get('source') ?? '';
  const sort = params.get('sort') ?? 'name';
  const staleDays = Number(params.get('stale')) || 0;
  const [creating, setCreating] = useState(false);

  // "Going cold": the coach's stale-lead rule, as a filter.
  const staleSince = useMemo(
    () => (staleDays ? new Date(Date.now() - staleDays * 86400_000).toISOString() : undefined),
    [staleDays],
  );
  const query: Query = {
    q: q || undefined,
    status: staleDays ? status || 'LEAD,PROSPECT' : status || undefined,
    tag: tag || undefined,
    source: source || undefined,
    not_contacted_since: staleSince,
    sort,
  };
  const { list, items } = usePagedList('contacts', query, (q) => api.listContacts(q));

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <div>
      <PageHeader
        title="Contacts"
        subtitle="Leads, borrowers, clients and referral partners"
        icon={<Users aria-hidden className="h-7 w-7 text-slate-400" />}
        actions={
          <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
            <Plus aria-hidden className="h-4 w-4" /> New contact
          </button>
        }
      />
      <div className="space-y-4 px-4 py-4 sm:px-8">
        <div className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter contacts">
          <div className="relative min-w-[12rem] flex-1">
            <Search aria-hidden className="pointer-events-none absolute left-3 top-2.5 h-4 w-4 text-slate-500" />
            <label htmlFor="contact-search" className="sr-only">
              Search by name, email or phone
            </label>
            <input
              id="contact-search"
              type="search"
              className="input pl-9"
              placeholder="Search name, email or phone"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
              }}
            />
          </div>
          <div>
            <label htmlFor="contact-status" className="sr-only">
              Status
            </label>
            <select id="contact-status" className="input" value={status} onChange={(e) => set('status', e.target.value)}>
              <option value="">All statuses</option>
              {CONTACT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {titleCase(s)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="contact-tag" className="sr-only">
              Tag
            </label>
            <input id="contact-tag" className="input w-36" placeholder="Tag" value={tag} onChange={(e) => set('tag', e.target.value)} />
          </div>
          <div>
            <label htmlFor="contact-source" className="sr-only">
              Source
            </label>
            <input id="contact-source" className="input w-36" placeholder="Source" value={source} onChange={(e) => set('source', e.target.value)} />
          </div>
          <div>
            <label htmlFor="contact-sort" className="sr-only">
              Sort
            </label>
            <select id="contact-sort" className="input" value={sort} onChange={(e) => set('sort', e.target.value)}>
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  Sort: {s.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        {staleDays > 0 && (
          <div className="flex items-center justify-between gap-2 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100" data-testid="stale-filter">
            <span>
              Leads and prospects not contacted in {staleDays}+ days. Reach out before they go cold.
            </span>
            <button type="button" className="btn-ghost p-1" onClick={() => set('stale', '')} aria-label="Clear the going-cold filter">
              <X aria-hidden className="h-4 w-4" />
            </button>
          </div>
        )}
        <ErrorBanner error={list.error} />
        <section aria-label="Contact list" className="card overflow-hidden">
          {list.isLoading ? (
            <Spinner className="p-4" label="Loading contacts" />
          ) : items.length === 0 ? (
            <EmptyState icon={<Users className="h-8 w-8" />} title="No contacts match">
              {q || status || tag || source || staleDays ? 'Try a different search or filter.' : 'Add your first lead with "New contact".'}
            </EmptyState>
          ) : (
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
                <tr>
                  <th scope="col" className="px-4 py-2 font-semibold">
                    Name
                  </th>
                  <th scope="col" className="px-4 py-2 font-semibold">
                    Status
                  </th>
                  <th scope="col" className="hidden px-4 py-2 font-semibold md:table-cell">
                    Source
                  </th>
                  <th scope="col" className="hidden px-4 py-2 font-semibold lg:table-cell">
                    Tags
                  </th>
                  <th scope="col" className="hidden px-4 py-2 font-semibold sm:table-cell">
                    Last contact
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200 dark:divide-slate-700">
                {items.map((c) => (
                  <tr
                    key={c.id}
                    className="cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-800/60"
                    onClick={(e) => {
                      if ((e.target as HTMLElement).closest('a')) return;
                      navigate(`/contacts/${c.id}`);
                    }}
                  >
                    <td className="px-4 py-3">
                      <Link to={`/contacts/${c.id}`} className="font-medium text-blue-700 hover:underline dark:text-blue-300">
                        {c.name}
                      </Link>
                      <div className="text-xs muted">{c.email ?? c.phone ?? ''}</div>
                    </td>
                    <td className="px-4 py-3">
                      <Badge color={statusColor(c.status)}>{titleCase(c.status)}</Badge>
                    </td>
                    <td className="hidden px-4 py-3 md:table-cell">{c.source ?? '—'}</td>
                    <td className="hidden px-4 py-3 lg:table-cell">
                      <div className="flex flex-wrap gap-1">
                        {(c.tags ?? []).slice(0, 3).map((t) => (
                          <Badge key={t}>{t}</Badge>
                        ))}
                      </div>
                    </td>
                    <td className="hidden px-4 py-3 sm:table-cell">{relativeTime(c.last_contacted_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <LoadMore list={list} />
        </section>
      </div>
      {creating && <ContactForm onClose={() => setCreating(false)} onSaved={(c) => navigate(`/contacts/${c.id}`)} />}
    </div>
  );
}
