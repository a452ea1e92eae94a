import { useEffect, useMemo, useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { Query } from './api';
import type { Page } from '../types';
import { useAuth } from '../contexts/AuthContext';
import { localDate } from './format';

// A cursor-paged list (50 a page) as one growing array, for a "Load more" footer.
export function usePagedList<T>(key: string, query: Query, fetchPage: (q: Query) => Promise<Page<T>>) {
  const list = useInfiniteQuery({
    queryKey: [key, 'list', query],
    queryFn: ({ pageParam }) => fetchPage({ ...query, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  return { list, items };
}

export function useDebounced<T>(value: T, ms = 250): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function useTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · ChosenCRM`;
  }, [title]);
}

// Today's date (YYYY-MM-DD) in the officer's own time zone.
export function useToday(): string {
  const { user } = useAuth();
  return localDate(user?.timezone);
}
