// The weekly plan as a vision board: Unscheduled plus Monday..Sunday. Items
// are added, renamed, marked planned/done/skipped, deleted, and moved by
// drag and drop (HTML5) or with the keyboard (the move buttons). A move is
// shown at once and settled by the week PATCH /api/plan/{id} answers.
import { useRef, useState, type DragEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ArrowDown, ArrowLeft, ArrowRight, ArrowUp, Check, Circle, GripVertical, Pencil, Plus, SkipForward, Trash2 } from 'lucide-react';
import { hubApi } from '../lib/api';
import { cn } from '../lib/format';
import { PLAN_DAYS, columns, dayKey, dayLabel, dropPosition, keyboardMove, moveItem, nextStatus, parseDayKey, planCounts, type KeyMove, type PlanDay } from '../lib/plan';
import type { PlanItem, PlanStatus, PlanWeek } from '../types';
import { ErrorBanner } from './ui';

const STATUS_META: Record<PlanStatus, { label: string; icon: typeof Circle; tone: string }> = {
  planned: { label: 'Planned', icon: Circle, tone: 'border-slate-400 text-slate-400 dark:border-slate-500' },
  done: { label: 'Done', icon: Check, tone: 'border-green-600 bg-green-600 text-white' },
  skipped: { label: 'Skipped', icon: SkipForward, tone: 'border-slate-400 bg-slate-200 text-slate-600 dark:bg-slate-700 dark:text-slate-300' },
};

export function planKey(week: string | undefined) {
  return ['plan', week ?? 'current'] as const;
}

interface DropTarget {
  day: PlanDay;
  beforeId: number | null;
}

export function VisionBoard({ plan, weekParam }: { plan: PlanWeek; weekParam?: string }) {
  const queryClient = useQueryClient();
  const key = planKey(weekParam);
  const [error, setError] = useState<unknown>(null);
  const [dragging, setDragging] = useState<number | null>(null);
  const [target, setTarget] = useState<DropTarget | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [announce, setAnnounce] = useState('');
  const [title, setTitle] = useState('');
  const [newDay, setNewDay] = useState('none');
  const titleRef = useRef<HTMLInputElement>(null);

  const settle = (week: PlanWeek) => {
    queryClient.setQueryData(key, week);
    queryClient.invalidateQueries({ queryKey: ['hub', 'week'] });
  };

  const patch = useMutation({
    mutationFn: (v: { id: number; body: Parameters<typeof hubApi.updatePlanItem>[1]; optimistic?: PlanItem[] }) => hubApi.updatePlanItem(v.id, v.body),
    onMutate: (v) => {
      const prev = queryClient.getQueryData<PlanWeek>(key);
      if (v.optimistic && prev) queryClient.setQueryData(key, { ...prev, items: v.optimistic });
      return { prev };
    },
    onSuccess: (week) => {
      setError(null);
      settle(week);
    },
    onError: (e, _v, ctx) => {
      setError(e);
      if (ctx?.prev) queryClient.setQueryData(key, ctx.prev);
    },
  });

  const add = useMutation({
    mutationFn: (v: { title: string; day: PlanDay }) => hubApi.addPlanItem({ title: v.title, week: plan.week, day: v.day }),
    onSuccess: (item) => {
      setError(null);
      setTitle('');
      const prev = queryClient.getQueryData<PlanWeek>(key);
      if (prev) queryClient.setQueryData(key, { ...prev, items: [...prev.items.filter((i) => i.id !== item.id), item] });
      queryClient.invalidateQueries({ queryKey: key });
      queryClient.invalidateQueries({ queryKey: ['hub', 'week'] });
      setAnnounce(`Added ${item.title} to ${dayLabel(item.day ?? null)}`);
      titleRef.current?.focus();
    },
    onError: setError,
  });

  const remove = useMutation({
    mutationFn: (item: PlanItem) => hubApi.deletePlanItem(item.id),
    onSuccess: (_r, item) => {
      setError(null);
      const prev = queryClient.getQueryData<PlanWeek>(key);
      if (prev) queryClient.setQueryData(key, { ...prev, items: prev.items.filter((i) => i.id !== item.id) });
      queryClient.invalidateQueries({ queryKey: key });
      queryClient.invalidateQueries({ queryKey: ['hub', 'week'] });
      setAnnounce(`Deleted ${item.title}`);
    },
    onError: setError,
  });

  const move = (item: PlanItem, day: PlanDay, position: number) => {
    const optimistic = moveItem(plan.items, item.id, day, position);
    const before = plan.items.find((i) => i.id === item.id);
    const after = optimistic.find((i) => i.id === item.id);
    if (before && after && (before.day ?? null) === (after.day ?? null) && before.position === after.position) return;
    patch.mutate({ id: item.id, body: { day, position }, optimistic });
    setAnnounce(`Moved ${item.title} to ${dayLabel(day)}, position ${(after?.position ?? position) + 1}`);
  };

  const keyMove = (item: PlanItem, m: KeyMove) => {
    const to = keyboardMove(plan.items, item.id, m);
    if (!to) return;
    move(item, to.day, to.position);
    // Keep focus on the same control of the moved item.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-plan-item="${item.id}"] [data-move="${m}"]`)?.focus());
  };

  // Where in `day`'s list the pointer is: before the first item whose middle is below it.
  const targetFromEvent = (e: DragEvent<HTMLElement>, day: PlanDay): DropTarget => {
    const list = (e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[data-plan-item]');
    for (const el of list) {
      const id = Number(el.dataset.planItem);
      if (id === dragging) continue;
      const r = el.getBoundingClientRect();
      if (e.clientY < r.top + r.height / 2) return { day, beforeId: id };
    }
    return { day, beforeId: null };
  };

  const onDrop = (e: DragEvent<HTMLElement>, day: PlanDay) => {
    e.preventDefault();
    const id = Number(e.dataTransfer.getData('text/plain')) || dragging;
    const t = targetFromEvent(e, day);
    setDragging(null);
    setTarget(null);
    const item = plan.items.find((i) => i.id === id);
    if (!item) return;
    move(item, day, dropPosition(plan.items, item.id, t.day, t.beforeId));
  };

  const counts = planCounts(plan.items);
  const cols = columns(plan.items);

  return (
    <div>
      <form
        className="flex flex-wrap items-end gap-2 border-b border-slate-200 p-4 dark:border-slate-700"
        onSubmit={(e) => {
          e.preventDefault();
          const t = title.trim();
          if (t) add.mutate({ title: t.slice(0, 200), day: parseDayKey(newDay) });
        }}
      >
        <div className="min-w-[12rem] flex-1">
          <label htmlFor="plan-title" className="label">
            New plan item
          </label>
          <input
            id="plan-title"
            ref={titleRef}
            className="input"
            maxLength={200}
            placeholder="e.g. Lunch with a realtor partner"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="plan-day" className="label">
            Day
          </label>
          <select id="plan-day" className="input" value={newDay} onChange={(e) => setNewDay(e.target.value)}>
            {PLAN_DAYS.map((d) => (
              <option key={dayKey(d)} value={dayKey(d)}>
                {dayLabel(d)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-primary" disabled={!title.trim() || add.isPending || plan.items.length >= 100}>
          <Plus aria-hidden className="h-4 w-4" /> Add to plan
        </button>
        <p className="w-full text-xs muted" data-testid="plan-counts">
          {counts.total === 0
            ? 'Plan your week: add what matters, then drag items onto days.'
            : `${counts.done} of ${counts.total} done${counts.skipped ? `, ${counts.skipped} skipped` : ''}. Drag items between days, or use the arrow buttons.`}
        </p>
      </form>
      {error ? <ErrorBanner error={error} className="mx-4 mt-3" /> : null}
      <p className="sr-only" role="status" aria-live="polite">
        {announce}
      </p>
      <div className="overflow-x-auto p-4" tabIndex={0} role="region" aria-label="Plan for the week, by day">
        <div className="grid min-w-[64rem] grid-cols-8 gap-2" data-testid="vision-board">
          {cols.map(({ day, items }) => {
            const k = dayKey(day);
            const isTarget = dragging !== null && target?.day === day;
            return (
              <section
                key={k}
                aria-labelledby={`plan-col-${k}`}
                data-testid={`plan-day-${k}`}
                className={cn(
                  'flex min-h-[10rem] flex-col rounded-lg border bg-slate-50 dark:bg-slate-800/50',
                  isTarget ? 'border-blue-500 ring-2 ring-blue-300 dark:ring-blue-700' : 'border-slate-200 dark:border-slate-700',
                  day === null && 'bg-amber-50/60 dark:bg-amber-950/20',
                )}
                onDragOver={(e) => {
                  if (dragging === null) return;
                  e.preventDefault();
                  e.dataTransfer.dropEffect = 'move';
                  const t = targetFromEvent(e, day);
                  if (t.day !== target?.day || t.beforeId !== target?.beforeId) setTarget(t);
                }}
                onDrop={(e) => onDrop(e, day)}
              >
                <h3 id={`plan-col-${k}`} className="flex items-center justify-between px-2.5 pb-1 pt-2 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300">
                  {dayLabel(day)}
                  <span className="rounded-full bg-slate-200 px-1.5 font-medium normal-case text-slate-700 dark:bg-slate-700 dark:text-slate-200">{items.length}</span>
                </h3>
                <ul className="flex flex-1 flex-col gap-2 p-2" aria-label={`${dayLabel(day)} items`}>
                  {items.map((item) => (
                    <PlanCard
                      key={item.id}
                      item={item}
                      dropBefore={isTarget && target?.beforeId === item.id}
                      dragging={dragging === item.id}
                      editing={editing === item.id}
                      onEdit={(on) => setEditing(on ? item.id : null)}
                      onRename={(t) => {
                        setEditing(null);
                        if (t && t !== item.title) patch.mutate({ id: item.id, body: { title: t } });
                      }}
                      onStatus={() => {
                        const status = nextStatus(item.status);
                        patch.mutate({
                          id: item.id,
                          body: { status },
                          optimistic: plan.items.map((i) => (i.id === item.id ? { ...i, status } : i)),
                        });
                        setAnnounce(`${item.title}: ${STATUS_META[status].label}`);
                      }}
                      onDelete={() => remove.mutate(item)}
                      onKeyMove={(m) => keyMove(item, m)}
                      canMove={(m) => keyboardMove(plan.items, item.id, m) !== null}
                      onDragStart={(e) => {
                        e.dataTransfer.setData('text/plain', String(item.id));
                        e.dataTransfer.effectAllowed = 'move';
                        setDragging(item.id);
                      }}
                      onDragEnd={() => {
                        setDragging(null);
                        setTarget(null);
                      }}
                    />
                  ))}
                  {isTarget && target?.beforeId === null && <li aria-hidden className="h-1 rounded bg-blue-500" />}
                  {items.length === 0 && !isTarget && <li className="px-1 py-3 text-center text-xs muted">{day === null ? 'Ideas waiting for a day' : 'Drop items here'}</li>}
                </ul>
              </section>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function PlanCard({
  item,
  dropBefore,
  dragging,
  editing,
  onEdit,
  onRename,
  onStatus,
  onDelete,
  onKeyMove,
  canMove,
  onDragStart,
  onDragEnd,
}: {
  item: PlanItem;
  dropBefore: boolean;
  dragging: boolean;
  editing: boolean;
  onEdit: (on: boolean) => void;
  onRename: (title: string) => void;
  onStatus: () => void;
  onDelete: () => void;
  onKeyMove: (m: KeyMove) => void;
  canMove: (m: KeyMove) => boolean;
  onDragStart: (e: DragEvent<HTMLElement>) => void;
  onDragEnd: () => void;
}) {
  const [draft, setDraft] = useState(item.title);
  const meta = STATUS_META[item.status] ?? STATUS_META.planned;
  const Icon = meta.icon;
  const day = item.day ?? null;
  const idx = PLAN_DAYS.indexOf(day);
  const prevDay = idx > 0 ? dayLabel(PLAN_DAYS[idx - 1]) : '';
  const nextDay = idx < PLAN_DAYS.length - 1 ? dayLabel(PLAN_DAYS[idx + 1]) : '';
  const moves: { m: KeyMove; icon: typeof ArrowUp; label: string }[] = [
    { m: 'up', icon: ArrowUp, label: `Move ${item.title} up` },
    { m: 'down', icon: ArrowDown, label: `Move ${item.title} down` },
    { m: 'prev-day', icon: ArrowLeft, label: `Move ${item.title} to ${prevDay}` },
    { m: 'next-day', icon: ArrowRight, label: `Move ${item.title} to ${nextDay}` },
  ];
  return (
    <>
      {dropBefore && <li aria-hidden className="h-1 rounded bg-blue-500" />}
      <li
        data-plan-item={item.id}
        data-testid="plan-item"
        data-status={item.status}
        draggable={!editing}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        className={cn(
          'group rounded-lg border bg-white p-2 shadow-sm transition-opacity dark:bg-slate-900',
          item.status === 'done' ? 'border-green-300 dark:border-green-800' : 'border-slate-200 dark:border-slate-700',
          dragging && 'opacity-40',
          !editing && 'cursor-grab active:cursor-grabbing',
        )}
      >
        <div className="flex items-start gap-1.5">
          <GripVertical aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-slate-400" />
          <button
            type="button"
            onClick={onStatus}
            aria-label={`${item.title}: ${meta.label}. Change status`}
            title={`${meta.label} — click to change`}
            className={cn('mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded-full border-2', meta.tone)}
          >
            <Icon aria-hidden className="h-3 w-3" />
          </button>
          {editing ? (
            <form
              className="min-w-0 flex-1"
              onSubmit={(e) => {
                e.preventDefault();
                onRename(draft.trim().slice(0, 200));
              }}
            >
              <label htmlFor={`plan-edit-${item.id}`} className="sr-only">
                New title for {item.title}
              </label>
              <input
                id={`plan-edit-${item.id}`}
                autoFocus
                className="input px-1.5 py-1 text-sm"
                value={draft}
                maxLength={200}
                onChange={(e) => setDraft(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') {
                    setDraft(item.title);
                    onEdit(false);
                  }
                }}
                onBlur={() => onRename(draft.trim().slice(0, 200))}
              />
            </form>
          ) : (
            <p
              className={cn(
                'min-w-0 flex-1 break-words text-sm',
                item.status === 'done' && 'text-slate-500 line-through dark:text-slate-400',
                item.status === 'skipped' && 'italic text-slate-500 dark:text-slate-400',
              )}
              data-testid="plan-item-title"
            >
              {item.title}
              {item.status !== 'planned' && <span className="sr-only"> ({meta.label})</span>}
            </p>
          )}
        </div>
        <div className="mt-1.5 flex flex-wrap items-center justify-end gap-0.5">
          {moves.map(({ m, icon: MIcon, label }) => (
            <button
              key={m}
              type="button"
              data-move={m}
              className="rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900 disabled:opacity-30 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
              onClick={() => onKeyMove(m)}
              disabled={!canMove(m)}
              aria-label={label}
              title={label}
            >
              <MIcon aria-hidden className="h-3.5 w-3.5" />
            </button>
          ))}
          <button
            type="button"
            className="rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
            onClick={() => {
              setDraft(item.title);
              onEdit(true);
            }}
            aria-label={`Rename ${item.title}`}
            title="Rename"
          >
            <Pencil aria-hidden className="h-3.5 w-3.5" />
          </button>
          <button
            type="button"
            className="rounded p-1 text-slate-500 hover:bg-red-50 hover:text-red-700 dark:text-slate-400 dark:hover:bg-red-950 dark:hover:text-red-300"
            onClick={onDelete}
            aria-label={`Delete ${item.title}`}
            title="Delete"
          >
            <Trash2 aria-hidden className="h-3.5 w-3.5" />
          </button>
        </div>
      </li>
    </>
  );
}
