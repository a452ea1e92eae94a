import { describe, expect, it } from 'vitest';
import { columnItems, columns, dropPosition, keyboardMove, mondayOf, moveItem, nextStatus, parseDayKey, dayKey } from './plan';
import type { PlanItem } from '../types';

const item = (id: number, day: number | null, position: number): PlanItem => ({
  id,
  user_id: 1,
  week: '2026-11-16',
  day,
  position,
  title: `Item ${id}`,
  status: 'planned',
  created_at: '',
  updated_at: '',
});

// Unscheduled: 1; Monday: 2, 3, 4; Tuesday: 5.
const board = () => [item(1, null, 0), item(2, 1, 0), item(3, 1, 1), item(4, 1, 2), item(5, 2, 0)];
const ids = (items: PlanItem[], day: number | null) => columnItems(items, day).map((i) => i.id);
const positions = (items: PlanItem[], day: number | null) => columnItems(items, day).map((i) => i.position);

describe('plan moves', () => {
  it('groups into Unscheduled and Monday..Sunday', () => {
    const cols = columns(board());
    expect(cols).toHaveLength(8);
    expect(cols[0].day).toBeNull();
    expect(cols[1].items.map((i) => i.id)).toEqual([2, 3, 4]);
  });

  it('moves within a day and renumbers', () => {
    const b = moveItem(board(), 4, 1, 0);
    expect(ids(b, 1)).toEqual([4, 2, 3]);
    expect(positions(b, 1)).toEqual([0, 1, 2]);
    const c = moveItem(board(), 2, 1, 2);
    expect(ids(c, 1)).toEqual([3, 4, 2]);
  });

  it('moves between days, renumbering both, and clamps to the end', () => {
    const b = moveItem(board(), 3, 2, 0);
    expect(ids(b, 1)).toEqual([2, 4]);
    expect(positions(b, 1)).toEqual([0, 1]);
    expect(ids(b, 2)).toEqual([3, 5]);
    expect(positions(b, 2)).toEqual([0, 1]);
    const c = moveItem(board(), 1, 7, 99);
    expect(ids(c, null)).toEqual([]);
    expect(columnItems(c, 7)).toMatchObject([{ id: 1, day: 7, position: 0 }]);
  });

  it('unschedules an item', () => {
    const b = moveItem(board(), 5, null, 0);
    expect(ids(b, null)).toEqual([5, 1]);
    expect(ids(b, 2)).toEqual([]);
  });

  it('computes the drop position without the dragged item', () => {
    // Dragging 2 (Monday, first) to before 4: 4 is second once 2 is out.
    expect(dropPosition(board(), 2, 1, 4)).toBe(1);
    expect(dropPosition(board(), 2, 1, null)).toBe(2);
    expect(dropPosition(board(), 5, 1, 3)).toBe(1);
    expect(dropPosition(board(), 5, 1, null)).toBe(3);
  });

  it('moves with the keyboard', () => {
    expect(keyboardMove(board(), 2, 'up')).toBeNull();
    expect(keyboardMove(board(), 3, 'up')).toEqual({ day: 1, position: 0 });
    expect(keyboardMove(board(), 3, 'down')).toEqual({ day: 1, position: 2 });
    expect(keyboardMove(board(), 4, 'down')).toBeNull();
    expect(keyboardMove(board(), 3, 'next-day')).toEqual({ day: 2, position: 1 });
    expect(keyboardMove(board(), 2, 'prev-day')).toEqual({ day: null, position: 1 });
    expect(keyboardMove(board(), 1, 'prev-day')).toBeNull();
    expect(keyboardMove([item(9, 7, 0)], 9, 'next-day')).toBeNull();
  });

  it('finds the week and cycles the status', () => {
    expect(mondayOf('2026-11-21')).toBe('2026-11-16'); // a Saturday
    expect(mondayOf('2026-11-16')).toBe('2026-11-16');
    expect(mondayOf('2026-11-22')).toBe('2026-11-16'); // Sunday ends the week
    expect(nextStatus('planned')).toBe('done');
    expect(nextStatus('done')).toBe('skipped');
    expect(nextStatus('skipped')).toBe('planned');
    expect(parseDayKey(dayKey(null))).toBeNull();
    expect(parseDayKey(dayKey(3))).toBe(3);
  });
});
