// "Why am I seeing this?" on a pattern insight: a disclosure button that
// reveals the finding's evidence in plain words, what it is based on (the
// period of calls; a content topic's open contacts and posts; a best time to
// call, the contact's own calls) and when it was computed. The bare
// disclosure serves other explanations too.
import { useId, useState, type ReactNode } from 'react';
import { ChevronDown } from 'lucide-react';
import { useAuth } from '../contexts/AuthContext';
import { cn } from '../lib/format';
import { computedAt, insightEvidence } from '../lib/patternEvidence';
import type { CoachInsight } from '../types';

// The disclosure itself: a "Why am I seeing this?" button that shows or
// hides `children`. Also used where the explanation is not an insight's (the
// lead ranking's model, when it was trained, what its chance means).
export function Disclosure({
  label = 'Why am I seeing this?',
  onToggle,
  className,
  children,
}: {
  label?: string;
  onToggle?: (open: boolean) => void;
  className?: string;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
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
        {label}
        <ChevronDown aria-hidden className={cn('h-3.5 w-3.5 transition-transform', open && 'rotate-180')} />
      </button>
      <div id={panelId} hidden={!open} data-testid="why-panel" className="mt-2 space-y-1.5 text-xs leading-relaxed text-slate-700 dark:text-slate-300">
        {children}
      </div>
    </div>
  );
}

export function WhyDisclosure({
  insight,
  onToggle,
  className,
}: {
  insight: Pick<CoachInsight, 'type' | 'suggested_action' | 'action_params'>;
  onToggle?: (open: boolean) => void;
  className?: string;
}) {
  const { user } = useAuth();
  const why = insightEvidence(insight, { tz: user?.timezone });
  if (!why) return null;
  const when = computedAt(why.generated_at, user?.timezone);

  return (
    <Disclosure onToggle={onToggle} className={className}>
      {why.sentences.length > 0 ? (
        why.sentences.map((s, i) => <p key={i}>{s}</p>)
      ) : (
        <p>The numbers behind this tip are not available; the Patterns page shows the current findings.</p>
      )}
      <p className="text-slate-600 dark:text-slate-400">
        {why.basis}
        {when ? ` ${when}.` : ''}
      </p>
    </Disclosure>
  );
}
