import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Check, Circle, Pencil } from 'lucide-react';
import { Link } from 'react-router-dom';
import { api } from '../lib/api';
import { useCoach } from '../contexts/CoachContext';
import { cn, formatDate } from '../lib/format';
import { useToday } from '../lib/hooks';
import type { Task } from '../types';
import { Badge, priorityColor } from './ui';

// Completes (or reopens) a task in one click and tells the coach (Task 15).
export function useCompleteTask() {
  const queryClient = useQueryClient();
  const { checkAction } = useCoach();
  return useMutation({
    mutationFn: (v: { task: Task; done: boolean }) => api.updateTask(v.task.id, { status: v.done ? 'completed' : 'pending' }),
    onMutate: async (v) => {
      // Show it done at once; the list refreshes after the server answers.
      queryClient.setQueriesData<{ pages?: { items: Task[] }[]; items?: Task[] }>({ queryKey: ['tasks'] }, (old) => {
        if (!old) return old;
        const patch = (t: Task) => (t.id === v.task.id ? { ...t, status: v.done ? 'completed' : 'pending' } as Task : t);
        if (old.pages) return { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.map(patch) })) };
        if (old.items) return { ...old, items: old.items.map(patch) };
        return old;
      });
    },
    onSuccess: (task, v) => {
      if (v.done)
        checkAction({ action: 'task_completed', entity_type: 'task', entity_id: task.id, metadata: { priority: task.priority } });
    },
    onSettled: () => {
      queryClient.invalidateQueries({ queryKey: ['tasks'] });
      queryClient.invalidateQueries({ queryKey: ['timeline'] });
      queryClient.invalidateQueries({ queryKey: ['hub'] }); // the day's task tally and must-dos
    },
  });
}

export function TaskRow({
  task,
  highlighted,
  onEdit,
  contactName,
}: {
  task: Task;
  highlighted?: boolean;
  onEdit?: (t: Task) => void;
  contactName?: string;
}) {
  const complete = useCompleteTask();
  const today = useToday();
  const done = task.status === 'completed';
  const overdue = !done && task.due_date && task.due_date < today;
  const dueToday = !done && task.due_date === today;
  return (
    <li
      id={`task-${task.id}`}
      data-testid="task-row"
      data-task-id={task.id}
      className={cn(
        'flex items-start gap-3 px-4 py-3',
        highlighted && 'bg-amber-50 ring-2 ring-inset ring-amber-400 dark:bg-amber-950/40',
      )}
    >
      <button
        type="button"
        onClick={() => complete.mutate({ task, done: !done })}
        disabled={complete.isPending}
        aria-label={done ? `Reopen ${task.title}` : `Complete ${task.title}`}
        aria-pressed={done}
        className={cn(
          'mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full border-2 transition-colors',
          done ? 'border-green-600 bg-green-600 text-white' : 'border-slate-400 text-transparent hover:border-green-600 hover:text-green-600 dark:border-slate-500',
        )}
      >
        {done ? <Check aria-hidden className="h-4 w-4" /> : <Circle aria-hidden className="h-3 w-3" />}
      </button>
      <div className="min-w-0 flex-1">
        <p className={cn('text-sm font-medium', done && 'text-slate-500 line-through dark:text-slate-400')}>{task.title}</p>
        <div className="mt-1 flex flex-wrap items-center gap-2 text-xs muted">
          <Badge color={priorityColor(task.priority)}>{task.priority}</Badge>
          {task.due_date && (
            <span className={cn(overdue && 'font-semibold text-red-700 dark:text-red-300', dueToday && 'font-semibold text-amber-800 dark:text-amber-300')}>
              {overdue ? 'Overdue · ' : dueToday ? 'Today · ' : 'Due '}
              {formatDate(task.due_date)}
              {task.due_time ? ` ${task.due_time}` : ''}
            </span>
          )}
          {task.contact_id && (
            <Link className="underline-offset-2 hover:underline" to={`/contacts/${task.contact_id}`}>
              {contactName ?? 'Contact'}
            </Link>
          )}
          {task.deal_id && (
            <Link className="underline-offset-2 hover:underline" to={`/deals/${task.deal_id}`}>
              Deal
            </Link>
          )}
        </div>
      </div>
      {onEdit && (
        <button type="button" className="btn-ghost p-1.5" onClick={() => onEdit(task)} aria-label={`Edit ${task.title}`}>
          <Pencil aria-hidden className="h-4 w-4" />
        </button>
      )}
    </li>
  );
}
