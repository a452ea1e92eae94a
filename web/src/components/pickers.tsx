import { useEffect, useId, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { api } from '../lib/api';
import { useDebounced } from '../lib/hooks';
import type { Contact } from '../types';

// A searchable contact chooser (ARIA combobox): type to search by name, email
// or phone; arrows move, Enter picks, Escape closes.
export function ContactPicker({
  value,
  onChange,
  id,
  label = 'Contact',
  placeholder = 'Search contacts…',
}: {
  value: { id: number; name: string } | null;
  onChange: (c: { id: number; name: string } | null) => void;
  id?: string;
  label?: string;
  placeholder?: string;
}) {
  const autoId = useId();
  const inputId = id ?? `contact-${autoId}`;
  const listId = `${inputId}-list`;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const q = useDebounced(text, 200);
  const wrap = useRef<HTMLDivElement>(null);
  const { data } = useQuery({
    queryKey: ['contacts', 'picker', q],
    queryFn: () => api.listContacts({ q: q || undefined, limit: 8, sort: 'name' }),
    enabled: open,
  });
  const items: Contact[] = data?.items ?? [];

  useEffect(() => {
    const onDoc = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    return () => document.removeEventListener('mousedown', onDoc);
  }, []);

  if (value)
    return (
      <div>
        <span className="label" id={`${inputId}-label`}>
          {label}
        </span>
        <div className="flex items-center justify-between rounded-lg border border-slate-300 bg-slate-50 px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-800">
          <span className="truncate" data-testid="picked-contact">
            {value.name}
          </span>
          <button type="button" className="btn-ghost -my-1 p-1" aria-label={`Clear ${label.toLowerCase()} ${value.name}`} onClick={() => onChange(null)}>
            <X aria-hidden className="h-4 w-4" />
          </button>
        </div>
      </div>
    );

  const pick = (c: Contact) => {
    onChange({ id: c.id, name: c.name });
    setText('');
    setOpen(false);
  };

  return (
    <div ref={wrap} className="relative">
      <label htmlFor={inputId} className="label">
        {label}
      </label>
      <input
        id={inputId}
        role="combobox"
        aria-expanded={open && items.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && items[active] ? `${listId}-${items[active].id}` : undefined}
        autoComplete="off"
        className="input"
        placeholder={placeholder}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, Math.max(items.length - 1, 0)));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && open && items[active]) {
            e.preventDefault();
            pick(items[active]);
          } else if (e.key === 'Escape' && open) {
            e.stopPropagation();
            e.preventDefault();
            setOpen(false);
          }
        }}
      />
      {(
        <ul
          id={listId}
          role="listbox"
          hidden={!(open && items.length > 0)}
          aria-label={`${label} suggestions`}
          className="absolute z-20 mt-1 max-h-64 w-full overflow-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-800"
        >
          {items.map((c, i) => (
            <li
              key={c.id}
              id={`${listId}-${c.id}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c);
              }}
              onMouseEnter={() => setActive(i)}
              className={`cursor-pointer px-3 py-1.5 text-sm ${i === active ? 'bg-blue-50 dark:bg-slate-700' : ''}`}
            >
              <span className="font-medium">{c.name}</span>
              {(c.email || c.phone) && <span className="ml-2 text-xs muted">{c.email ?? c.phone}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
