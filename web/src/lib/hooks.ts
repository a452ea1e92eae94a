import { useEffect, useState } from 'react';
import { useAuth } from '../contexts/AuthContext';
import { localDate } from './format';

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
