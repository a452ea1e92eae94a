// A lead's reasons as chips (the Call first page and the contact page): one
// per feature that moves its chance most against the average lead. Raising
// and lowering chips differ by arrow, border and colour, and say which they
// are to a screen reader.
import { ArrowDown, ArrowUp } from 'lucide-react';
import { cn } from '../lib/format';
import { reasonDescription } from '../lib/leadScore';
import type { LeadReason } from '../types';

export function ReasonChips({ reasons, label, className }: { reasons: LeadReason[]; label: string; className?: string }) {
  if (reasons.length === 0) return null;
  return (
    <ul aria-label={label} className={cn('flex flex-wrap gap-1.5', className)} data-testid="lead-reasons">
      {reasons.map((r) => {
        const up = r.direction === 'up';
        const Icon = up ? ArrowUp : ArrowDown;
        return (
          <li
            key={r.feature}
            data-direction={r.direction}
            title={reasonDescription(r)}
            className={cn(
              'inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium',
              up
                ? 'border-green-300 bg-green-50 text-green-900 dark:border-green-800 dark:bg-green-950/60 dark:text-green-100'
                : 'border-dashed border-slate-400 bg-white text-slate-700 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-300',
            )}
          >
            <Icon aria-hidden className="h-3 w-3 shrink-0" />
            <span className="sr-only">{up ? 'Raises the chance: ' : 'Lowers the chance: '}</span>
            {r.label}
          </li>
        );
      })}
    </ul>
  );
}
