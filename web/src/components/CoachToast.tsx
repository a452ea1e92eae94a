// The seed plan's CoachToast (Task 12): one insight at a time, a coloured
// edge by priority, an icon by type, Take Action and Dismiss.
import { ChevronRight, Lightbulb, AlertTriangle, TrendingUp, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCoach } from '../contexts/CoachContext';
import { actionLabel, insightTarget } from '../lib/insightTarget';
import { cn } from '../lib/format';
import { WhyDisclosure } from './WhyDisclosure';

const typeIcons = {
  action: Lightbulb,
  time: AlertTriangle,
  pattern: TrendingUp,
};

const priorityColors = {
  high: 'border-l-red-500',
  medium: 'border-l-blue-500',
  low: 'border-l-gray-400',
};

const priorityLabel = { high: 'High priority', medium: 'Medium priority', low: 'Low priority' };

export function CoachToast() {
  const { currentToast, dismissCurrentToast, dismissInsight, closeCurrentToast, setToastPaused } = useCoach();
  const navigate = useNavigate();
  // The toast stays while pointed at, focused, or showing its evidence.
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const [reading, setReading] = useState(false);
  const id = currentToast?.id;
  useEffect(() => setReading(false), [id]);
  useEffect(() => setToastPaused(hovered || focused || reading), [hovered, focused, reading, setToastPaused]);

  if (!currentToast) return <div aria-live="polite" className="sr-only" />;

  const Icon = typeIcons[currentToast.type] ?? Lightbulb;
  const target = insightTarget(currentToast);

  const handleAction = () => {
    if (target) navigate(target);
    // The plan dismisses after acting; a follow-up task (create_task) is
    // created on the page it opens, which resolves the insight anyway.
    if (currentToast.suggested_action === 'create_task') closeCurrentToast();
    else dismissCurrentToast();
  };

  return (
    <div
      className="fixed bottom-4 right-4 z-50 w-96 max-w-[calc(100vw-2rem)] animate-slide-in sm:bottom-6 sm:right-6"
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
    >
      <div
        role="status"
        aria-live="polite"
        aria-label="Coach"
        data-testid="coach-toast"
        data-priority={currentToast.priority}
        data-insight-id={currentToast.id}
        className={cn(
          'max-h-[calc(100vh-2rem)] overflow-y-auto rounded-xl border border-l-4 border-gray-200 bg-white shadow-2xl dark:border-slate-700 dark:bg-slate-800',
          priorityColors[currentToast.priority],
        )}
      >
        <div className="flex items-center justify-between border-b border-gray-100 px-4 py-3 dark:border-slate-700">
          <div className="flex items-center gap-2">
            <div
              className={cn(
                'rounded-lg p-1.5',
                currentToast.priority === 'high'
                  ? 'bg-red-50 text-red-700 dark:bg-red-900/30 dark:text-red-300'
                  : currentToast.priority === 'medium'
                    ? 'bg-blue-50 text-blue-700 dark:bg-blue-900/30 dark:text-blue-300'
                    : 'bg-gray-50 text-gray-700 dark:bg-gray-700 dark:text-gray-300',
              )}
            >
              <Icon aria-hidden className="h-4 w-4" />
            </div>
            <span className="text-sm font-semibold text-gray-900 dark:text-white">Coach</span>
            <span className="sr-only">{priorityLabel[currentToast.priority]}</span>
          </div>
          <button
            type="button"
            onClick={() => dismissInsight(currentToast.id)}
            aria-label="Dismiss coach tip"
            className="rounded-lg p-1 text-gray-500 transition-colors hover:bg-gray-100 hover:text-gray-700 dark:text-gray-400 dark:hover:bg-slate-700 dark:hover:text-gray-200"
          >
            <X aria-hidden className="h-4 w-4" />
          </button>
        </div>

        <div className="px-4 py-3">
          <p className="text-sm leading-relaxed text-gray-700 dark:text-slate-200" data-testid="coach-toast-message">
            {currentToast.message}
          </p>
          <WhyDisclosure key={currentToast.id} insight={currentToast} onToggle={setReading} className="mt-2" />
        </div>

        {currentToast.suggested_action && (
          <div className="flex items-center gap-2 border-t border-gray-100 px-4 py-3 dark:border-slate-700">
            {target && (
              <button
                type="button"
                onClick={handleAction}
                aria-label={`Take Action: ${actionLabel(currentToast.suggested_action)}`}
                className="flex items-center gap-1.5 rounded-lg bg-blue-600 px-3 py-1.5 text-sm font-medium text-white transition-colors hover:bg-blue-700"
              >
                Take Action
                <ChevronRight aria-hidden className="h-4 w-4" />
              </button>
            )}
            <button
              type="button"
              onClick={dismissCurrentToast}
              className="rounded-lg px-3 py-1.5 text-sm font-medium text-gray-700 transition-colors hover:bg-gray-100 dark:text-slate-300 dark:hover:bg-slate-700"
            >
              Dismiss
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
