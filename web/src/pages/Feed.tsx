// The org's feed: kudos between colleagues and, where the org shows names,
// badge unlocks; and a form to give kudos. Colleagues come from GET
// /api/users; on a server without it, from the people in the feed or an id.
import { useMemo, useState, type FormEvent } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Heart, Medal, Megaphone, Send } from 'lucide-react';
import { ApiError, gameApi } from '../lib/api';
import { cn, formatDateTime, relativeTime } from '../lib/format';
import { KUDOS_MAX, feedKey, gameKeys, mergeFeed, parseWhole, peopleFromFeed } from '../lib/game';
import { useTitle } from '../lib/hooks';
import { useAuth } from '../contexts/AuthContext';
import { GameTabs } from '../components/game';
import { ErrorBanner, PageHeader, Spinner, errorMessage } from '../components/ui';
import type { FeedItem, OrgUser, Person } from '../types';

const PAGE = 20;

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
}

function Avatar({ name, tone = 'blue' }: { name: string; tone?: 'blue' | 'violet' }) {
  return (
    <span
      aria-hidden
      className={cn(
        'flex h-9 w-9 shrink-0 items-center justify-center rounded-full text-xs font-bold',
        tone === 'blue' ? 'bg-blue-100 text-blue-800 dark:bg-blue-950 dark:text-blue-200' : 'bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-200',
      )}
    >
      {initials(name)}
    </span>
  );
}

function FeedEntry({ item, tz }: { item: FeedItem; tz?: string }) {
  const when = (
    <time dateTime={item.created_at} title={formatDateTime(item.created_at, tz)} className="text-xs muted">
      {relativeTime(item.created_at)}
    </time>
  );
  if (item.kind === 'kudos')
    return (
      <li className="flex gap-3 px-4 py-3" data-testid="feed-item" data-kind="kudos">
        <Avatar name={item.from.name} />
        <div className="min-w-0 flex-1">
          <p className="text-sm">
            <span className="font-semibold">{item.from.name}</span>
            <span className="muted"> gave kudos to </span>
            <span className="font-semibold">{item.to.name}</span>
            <Heart aria-hidden className="ml-1 inline h-3.5 w-3.5 text-pink-600 dark:text-pink-400" />
          </p>
          <p className="mt-0.5 whitespace-pre-line break-words text-sm text-slate-800 dark:text-slate-200">{item.message}</p>
          {when}
        </div>
      </li>
    );
  return (
    <li className="flex gap-3 px-4 py-3" data-testid="feed-item" data-kind="badge">
      <Avatar name={item.user.name} tone="violet" />
      <div className="min-w-0 flex-1">
        <p className="text-sm">
          <span className="font-semibold">{item.user.name}</span> unlocked{' '}
          <span className="inline-flex items-center gap-1 font-semibold text-violet-800 dark:text-violet-200">
            <Medal aria-hidden className="h-3.5 w-3.5" />
            {item.badge_name}
          </span>
        </p>
        {when}
      </div>
    </li>
  );
}

// The colleague to thank: a list from GET /api/users; without that endpoint
// (404), the people seen in the feed or a user id.
function ColleaguePicker({
  value,
  onChange,
  users,
  fallback,
  error,
}: {
  value: string;
  onChange: (v: string) => void;
  users: OrgUser[] | null;
  fallback: Person[];
  error?: string;
}) {
  const describedBy = error ? 'kudos-to-error' : 'kudos-to-hint';
  if (users)
    return (
      <div>
        <label htmlFor="kudos-to" className="label">
          Colleague
        </label>
        <select id="kudos-to" className="input" value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={!!error} aria-describedby={describedBy}>
          <option value="">Choose a colleague…</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
              {u.team ? ` (${u.team.name})` : ''}
            </option>
          ))}
        </select>
        <p id="kudos-to-hint" className="sr-only">
          Everyone in your company
        </p>
        {error && (
          <p id="kudos-to-error" role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
            {error}
          </p>
        )}
      </div>
    );
  return (
    <div>
      <label htmlFor="kudos-to" className="label">
        Colleague (user id)
      </label>
      <input
        id="kudos-to"
        inputMode="numeric"
        className="input"
        list="kudos-people"
        placeholder="Their user id"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!error}
        aria-describedby={describedBy}
      />
      <datalist id="kudos-people">
        {fallback.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </datalist>
      {fallback.length > 0 && (
        <div className="mt-1 flex flex-wrap gap-1" role="group" aria-label="People in the feed">
          {fallback.slice(0, 8).map((p) => (
            <button
              key={p.id}
              type="button"
              aria-pressed={value === String(p.id)}
              className={cn(
                'rounded-full border px-2 py-0.5 text-xs',
                value === String(p.id)
                  ? 'border-blue-600 bg-blue-50 text-blue-800 dark:bg-blue-950 dark:text-blue-200'
                  : 'border-slate-300 dark:border-slate-600',
              )}
              onClick={() => onChange(String(p.id))}
            >
              {p.name}
            </button>
          ))}
        </div>
      )}
      <p id="kudos-to-hint" className="mt-1 text-xs muted">
        Pick someone from the feed, or enter their user id.
      </p>
      {error && (
        <p id="kudos-to-error" role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}

function KudosForm({ feedPeople }: { feedPeople: Person[] }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const users = useQuery({
    queryKey: gameKeys.users,
    queryFn: gameApi.users,
    staleTime: 5 * 60_000,
    // An older server has no directory: fall back quietly.
    retry: false,
  });
  // undefined: loading; null: no directory (an older server, or it failed).
  const directory = users.data ? users.data.items.filter((u) => u.id !== user?.id) : users.isError ? null : undefined;
  const [to, setTo] = useState('');
  const [message, setMessage] = useState('');
  const [touched, setTouched] = useState(false);
  const toId = parseWhole(to, 1, Number.MAX_SAFE_INTEGER);
  const trimmed = message.trim();
  const toError = touched && toId === null ? 'Choose who the kudos are for' : touched && toId === user?.id ? 'Kudos are for someone else' : undefined;
  const msgError = touched && !trimmed ? 'Write a short message' : [...trimmed].length > KUDOS_MAX ? `At most ${KUDOS_MAX} characters` : undefined;
  const send = useMutation({
    mutationFn: () => gameApi.kudos(toId!, trimmed),
    onSuccess: () => {
      setMessage('');
      setTo('');
      setTouched(false);
      void queryClient.invalidateQueries({ queryKey: gameKeys.feed });
    },
  });
  const serverField = send.error instanceof ApiError ? send.error.field : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    send.reset();
    if (toId === null || toId === user?.id || !trimmed || [...trimmed].length > KUDOS_MAX) return;
    send.mutate();
  };
  const left = KUDOS_MAX - [...message].length;
  return (
    <section aria-labelledby="kudos-title" className="card p-4" data-testid="kudos-form">
      <h2 id="kudos-title" className="flex items-center gap-2 text-base font-semibold">
        <Heart aria-hidden className="h-4 w-4 text-pink-600 dark:text-pink-400" /> Give kudos
      </h2>
      <p className="mt-0.5 text-sm muted">Thank a colleague in front of the company. They get a notification.</p>
      <form className="mt-3 space-y-3" onSubmit={submit} noValidate>
        {directory === undefined ? (
          <Spinner label="Loading colleagues" />
        ) : (
          <ColleaguePicker
            value={to}
            onChange={(v) => {
              setTo(v);
              send.reset();
            }}
            users={directory}
            fallback={feedPeople}
            error={toError ?? (serverField === 'to_user_id' ? errorMessage(send.error) : undefined)}
          />
        )}
        <div>
          <label htmlFor="kudos-message" className="label">
            Message
          </label>
          <textarea
            id="kudos-message"
            className="input"
            rows={3}
            maxLength={KUDOS_MAX}
            placeholder="Thanks for covering my calls this morning!"
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            aria-invalid={!!msgError}
            aria-describedby={msgError ? 'kudos-message-error' : 'kudos-message-count'}
          />
          <div className="mt-1 flex justify-between text-xs">
            {msgError ? (
              <p id="kudos-message-error" role="alert" className="text-red-700 dark:text-red-300">
                {msgError}
              </p>
            ) : (
              <span />
            )}
            <span id="kudos-message-count" className="muted tabular-nums">
              {left} characters left
            </span>
          </div>
        </div>
        {send.error && serverField !== 'to_user_id' ? <ErrorBanner error={send.error} /> : null}
        {send.isSuccess && (
          <p role="status" className="text-sm font-medium text-green-800 dark:text-green-300" data-testid="kudos-sent">
            Kudos sent to {send.data.to.name}.
          </p>
        )}
        <div className="flex justify-end">
          <button type="submit" className="btn-primary" disabled={send.isPending}>
            <Send aria-hidden className="h-4 w-4" /> {send.isPending ? 'Sending…' : 'Send kudos'}
          </button>
        </div>
      </form>
    </section>
  );
}

export default function Feed() {
  useTitle('Feed');
  const { user } = useAuth();
  const feed = useInfiniteQuery({
    queryKey: gameKeys.feed,
    queryFn: ({ pageParam }) => gameApi.feed({ limit: PAGE, before: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_before ?? undefined,
    refetchInterval: 60_000,
  });
  const items = useMemo(() => mergeFeed(feed.data?.pages.map((p) => p.items) ?? []), [feed.data]);
  const people = useMemo(() => peopleFromFeed(items, user?.id), [items, user?.id]);
  return (
    <div>
      <PageHeader
        title="Feed"
        subtitle="Kudos and wins from across the company."
        icon={<Megaphone aria-hidden className="h-8 w-8 text-pink-600 dark:text-pink-400" />}
      />
      <GameTabs />
      <div className="mx-auto grid max-w-5xl gap-6 px-4 py-6 sm:px-8 lg:grid-cols-[22rem_1fr]">
        <div>
          <KudosForm feedPeople={people} />
        </div>
        <section aria-labelledby="feed-title" className="card overflow-hidden" data-testid="feed">
          <h2 id="feed-title" className="border-b border-slate-200 px-4 py-3 text-base font-semibold dark:border-slate-700">
            Latest
          </h2>
          {feed.isLoading ? (
            <Spinner className="p-4" label="Loading the feed" />
          ) : feed.error ? (
            <ErrorBanner error={feed.error} className="m-4" />
          ) : items.length === 0 ? (
            <p className="px-4 py-8 text-center text-sm muted">Nothing here yet. Be the first to give kudos.</p>
          ) : (
            <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="feed-list">
              {items.map((i) => (
                <FeedEntry key={feedKey(i)} item={i} tz={user?.timezone} />
              ))}
            </ul>
          )}
          {feed.hasNextPage && (
            <div className="border-t border-slate-200 p-3 text-center dark:border-slate-700">
              <button type="button" className="btn-secondary" onClick={() => feed.fetchNextPage()} disabled={feed.isFetchingNextPage}>
                {feed.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
