import { describe, expect, it } from 'vitest';
import { autoDismissMs, initialToastState, priorityAllowed, toastReducer, type ToastState } from './toastQueue';
import type { CoachInsight } from '../types';

function insight(id: number, priority: CoachInsight['priority'] = 'medium', extra: Partial<CoachInsight> = {}): CoachInsight {
  return {
    id,
    type: 'action',
    priority,
    message: `insight ${id}`,
    seen: false,
    dismissed: false,
    created_at: '2026-11-21T08:00:00.000Z',
    ...extra,
  };
}

function enqueue(state: ToastState, insights: CoachInsight[], level: 1 | 2 | 3 = 3) {
  return toastReducer(state, { type: 'enqueue', insights, level });
}

describe('toast queue', () => {
  it('shows one toast at a time and the rest in order', () => {
    let s = enqueue(initialToastState, [insight(1), insight(2), insight(3)]);
    expect(s.current?.id).toBe(1);
    expect(s.queue.map((i) => i.id)).toEqual([2, 3]);
    s = toastReducer(s, { type: 'advance' });
    expect(s.current?.id).toBe(2);
    s = toastReducer(s, { type: 'advance' });
    s = toastReducer(s, { type: 'advance' });
    expect(s.current).toBeNull();
    expect(s.queue).toEqual([]);
  });

  it('never toasts the same insight twice, however it arrives', () => {
    let s = enqueue(initialToastState, [insight(1)]);
    s = enqueue(s, [insight(1), insight(2)]); // SSE and the check answer both deliver 1
    expect(s.queue.map((i) => i.id)).toEqual([2]);
    s = toastReducer(s, { type: 'advance' });
    s = toastReducer(s, { type: 'advance' });
    s = enqueue(s, [insight(1), insight(2)]); // a later poll returns them again
    expect(s.current).toBeNull();
  });

  it('skips seen and dismissed insights', () => {
    const s = enqueue(initialToastState, [insight(1, 'high', { seen: true }), insight(2, 'high', { dismissed: true })]);
    expect(s.current).toBeNull();
    expect(s.known).toEqual([]);
  });

  it('puts higher priorities first among those waiting', () => {
    let s = enqueue(initialToastState, [insight(1, 'low')]);
    s = enqueue(s, [insight(2, 'low'), insight(3, 'medium'), insight(4, 'high')]);
    expect(s.current?.id).toBe(1); // already on screen: not interrupted
    expect(s.queue.map((i) => i.id)).toEqual([4, 3, 2]);
  });

  it('filters by coach level as the plan does', () => {
    const all = [insight(1, 'high'), insight(2, 'medium'), insight(3, 'low')];
    const ids = (level: 1 | 2 | 3) => {
      const s = enqueue(initialToastState, all, level);
      return [s.current!, ...s.queue].map((i) => i.id);
    };
    expect(ids(1)).toEqual([1]);
    expect(ids(2)).toEqual([1, 2]);
    expect(ids(3)).toEqual([1, 2, 3]);
    expect(priorityAllowed(1, 'medium')).toBe(false);
  });

  it('removes resolved insights from the screen and the queue', () => {
    let s = enqueue(initialToastState, [insight(1), insight(2), insight(3)]);
    s = toastReducer(s, { type: 'remove', id: 2 });
    expect(s.queue.map((i) => i.id)).toEqual([3]);
    s = toastReducer(s, { type: 'remove', id: 1 });
    expect(s.current?.id).toBe(3);
    expect(toastReducer(s, { type: 'remove', id: 99 })).toBe(s);
  });

  it('updates an insight in place without a new toast', () => {
    let s = enqueue(initialToastState, [insight(1), insight(2)]);
    s = toastReducer(s, { type: 'update', insight: insight(1, 'medium', { message: 'now 3 stale leads' }) });
    s = toastReducer(s, { type: 'update', insight: insight(2, 'medium', { message: 'changed' }) });
    expect(s.current?.message).toBe('now 3 stale leads');
    expect(s.queue[0].message).toBe('changed');
    expect(s.queue).toHaveLength(1);
  });

  it('auto-dismisses after 8, 10 or 15 seconds by level', () => {
    expect(autoDismissMs(1)).toBe(8000);
    expect(autoDismissMs(2)).toBe(10000);
    expect(autoDismissMs(3)).toBe(15000);
  });
});
