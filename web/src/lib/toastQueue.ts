// The coach's toast queue as a pure reducer (the seed plan's CoachProvider
// logic, Task 11): insights wait in a queue and show one at a time; an
// insight is toasted at most once per page life, whichever way it arrives
// (initial fetch, the SSE stream, or the answer to a check); insights that are
// resolved or dismissed elsewhere leave the queue (and the screen).
import type { CoachInsight, CoachSettings, InsightPriority } from '../types';

export interface ToastState {
  current: CoachInsight | null;
  queue: CoachInsight[];
  // Ids already queued or shown: never toasted twice.
  known: number[];
}

export type ToastAction =
  | { type: 'enqueue'; insights: CoachInsight[]; level: CoachSettings['coach_level'] }
  | { type: 'advance' } // the current toast is gone (timer, dismiss, action): show the next
  | { type: 'update'; insight: CoachInsight }
  | { type: 'remove'; id: number }
  | { type: 'clear' };

export const initialToastState: ToastState = { current: null, queue: [], known: [] };

const RANK: Record<InsightPriority, number> = { high: 0, medium: 1, low: 2 };

// The plan's levels: 1 minimal = high only, 2 balanced = high and medium, 3 active = all.
export function priorityAllowed(level: number, priority: InsightPriority): boolean {
  if (level >= 3) return true;
  if (level === 2) return priority !== 'low';
  return priority === 'high';
}

// How long a toast stays before it hides itself (the plan's 8/10/15 s by level).
export function autoDismissMs(level: number): number {
  return level === 3 ? 15000 : level === 2 ? 10000 : 8000;
}

function promote(state: ToastState): ToastState {
  if (state.current || state.queue.length === 0) return state;
  const [next, ...rest] = state.queue;
  return { ...state, current: next, queue: rest };
}

export function toastReducer(state: ToastState, action: ToastAction): ToastState {
  switch (action.type) {
    case 'enqueue': {
      const known = new Set(state.known);
      const fresh = action.insights.filter(
        (i) => !i.seen && !i.dismissed && !known.has(i.id) && priorityAllowed(action.level, i.priority),
      );
      if (fresh.length === 0) return state;
      for (const i of fresh) known.add(i.id);
      // Higher priority first among the waiting ones; arrival order otherwise.
      const queue = [...state.queue, ...fresh].sort((a, b) => RANK[a.priority] - RANK[b.priority]);
      return promote({ ...state, queue, known: [...known] });
    }
    case 'advance':
      return promote({ ...state, current: null });
    case 'update': {
      const i = action.insight;
      return {
        ...state,
        current: state.current?.id === i.id ? { ...state.current, ...i } : state.current,
        queue: state.queue.map((q) => (q.id === i.id ? { ...q, ...i } : q)),
      };
    }
    case 'remove': {
      const queue = state.queue.filter((q) => q.id !== action.id);
      if (state.current?.id === action.id) return promote({ ...state, current: null, queue });
      return queue.length === state.queue.length ? state : { ...state, queue };
    }
    case 'clear':
      return { ...state, current: null, queue: [] };
  }
}
