// "Why am I seeing this?" on a pattern insight: a disclosure button that
// reveals the finding's evidence in plain words, the period it covers and
// when it was computed.
import { useId, useState } from 'react';
import { ChevronDown } from 'lucide-react';
import { useAuth } from '../contexts/AuthContext';
import { cn } from '../lib/format';
import { computedAt, insightEvidence, periodSentence } from '../lib/patternEvidence';
import type { CoachInsight } from '../types';

export function WhyDisclosure({
  insight,
  onToggle,
  className,
}: {
  insight: Pick<CoachInsight, 'type' | 'suggested_action' | 'action_params'>;
  onToggle?: (open: boolean) => void;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const { user } = useAuth();
  const why = insightEvidence(insight);
  if (!why) return null;
  const when = computedAt(why.generated_at, user?.timezone);

  return (
    <div className={className}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          setOpen(!open);
          onToggle?.(!open);
        }}
        className="inline-flex items-center gap-1 rounded text-xs font-medium text-blue-700 hover:underline dark:text-blue-300"
      >
        Why am I seeing this?
        <ChevronDown aria-hidden className={cn('h-3.5 w-3.5 transition-transform', open && 'rotate-180')} />
      </button>
      <div id={panelId} hidden={!open} data-testid="why-panel" className="mt-2 space-y-1.5 text-xs leading-relaxed text-slate-700 dark:text-slate-300">
        {why.sentences.length > 0 ? (
          why.sentences.map((s, i) => <p key={i}>{s}</p>)
        ) : (
          <p>The numbers behind this tip are not available; the Patterns page shows the current findings.</p>
        )}
        <p className="text-slate-600 dark:text-slate-400">
          {periodSentence()}
          {when ? ` ${when}.` : ''}
        </p>
      </div>
    </div>
  );
}
