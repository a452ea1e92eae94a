// The weekly plan (vision board) as pure functions: columns by day, the
// server's move rule (take the item out of its day, insert it at `position`
// of the target day, clamped, renumbering both days) for an optimistic
// board, and the keyboard's moves.
import type { PlanItem } from '../types';

// Column keys: null is "Unscheduled", 1..7 Monday..Sunday.
export type PlanDay = number | null;
export const PLAN_DAYS: PlanDay[] = [null, 1, 2, 3, 4, 5, 6, 7];
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function dayLabel(day: PlanDay): string {
  return day === null ? 'Unscheduled' : (WEEKDAYS[day - 1] ?? `Day ${day}`);
}

// A column's DOM-safe key ("none", "1".."7").
export function dayKey(day: PlanDay): string {
  return day === null ? 'none' : String(day);
}

export function parseDayKey(key: string): PlanDay {
  return key === 'none' || key === '' ? null : Number(key);
}

// One column: its items in order.
export function columnItems(items: PlanItem[], day: PlanDay): PlanItem[] {
  return items.filter((i) => (i.day ?? null) === day).sort((a, b) => a.position - b.position || a.id - b.id);
}

export function columns(items: PlanItem[]): { day: PlanDay; items: PlanItem[] }[] {
  return PLAN_DAYS.map((day) => ({ day, items: columnItems(items, day) }));
}

// The server's answer order: unscheduled first, then by day and position.
export function sortPlan(items: PlanItem[]): PlanItem[] {
  return [...items].sort((a, b) => (a.day ?? 0) - (b.day ?? 0) || a.position - b.position || a.id - b.id);
}

// Moves `id` to `position` (0-based, clamped to the end) of `day`, as
// PATCH /api/plan/{id} does; both days are renumbered 0..n-1.
export function moveItem(items: PlanItem[], id: number, day: PlanDay, position: number): PlanItem[] {
  const moving = items.find((i) => i.id === id);
  if (!moving) return items;
  const from = moving.day ?? null;
  const source = columnItems(items, from).filter((i) => i.id !== id);
  const target = from === day ? source : columnItems(items, day);
  const at = Math.max(0, Math.min(position, target.length));
  const placed = [...target.slice(0, at), { ...moving, day }, ...target.slice(at)];
  const renumbered = new Map<number, PlanItem>();
  placed.forEach((i, p) => renumbered.set(i.id, { ...i, day, position: p }));
  if (from !== day) source.forEach((i, p) => renumbered.set(i.id, { ...i, position: p }));
  return sortPlan(items.map((i) => renumbered.get(i.id) ?? i));
}

// Where a drop lands: the position in `day` just before `beforeId` (or at
// the end when null), counted without the dragged item itself.
export function dropPosition(items: PlanItem[], draggedId: number, day: PlanDay, beforeId: number | null): number {
  const col = columnItems(items, day).filter((i) => i.id !== draggedId);
  if (beforeId === null) return col.length;
  const at = col.findIndex((i) => i.id === beforeId);
  return at < 0 ? col.length : at;
}

export type KeyMove = 'up' | 'down' | 'prev-day' | 'next-day';

// The keyboard alternative to dragging: up/down within the day, or to the
// end of the previous/next column. null when the item cannot go that way.
export function keyboardMove(items: PlanItem[], id: number, move: KeyMove): { day: PlanDay; position: number } | null {
  const item = items.find((i) => i.id === id);
  if (!item) return null;
  const day = item.day ?? null;
  const col = columnItems(items, day);
  const at = col.findIndex((i) => i.id === id);
  if (move === 'up') return at > 0 ? { day, position: at - 1 } : null;
  if (move === 'down') return at < col.length - 1 ? { day, position: at + 1 } : null;
  const idx = PLAN_DAYS.indexOf(day);
  const next = PLAN_DAYS[idx + (move === 'next-day' ? 1 : -1)];
  if (next === undefined) return null;
  return { day: next, position: columnItems(items, next).length };
}

// The Monday (YYYY-MM-DD) of the week holding `date`.
export function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  const dow = (t.getUTCDay() + 6) % 7; // Monday = 0
  t.setUTCDate(t.getUTCDate() - dow);
  return t.toISOString().slice(0, 10);
}

export function planCounts(items: PlanItem[]): { total: number; done: number; skipped: number } {
  return {
    total: items.length,
    done: items.filter((i) => i.status === 'done').length,
    skipped: items.filter((i) => i.status === 'skipped').length,
  };
}

// The status a click moves to: planned → done → skipped → planned.
export function nextStatus(s: PlanItem['status']): PlanItem['status'] {
  return s === 'planned' ? 'done' : s === 'done' ? 'skipped' : 'planned';
}
