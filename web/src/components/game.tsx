// Shared pieces of gamification's pages: the game's section tabs, icons per
// badge and celebration kind, a labelled switch, a ranked table.
import type { ComponentType, ReactNode } from 'react';
import { SectionTabs } from './hub';
import {
  Award,
  ClipboardCheck,
  Flame,
  Gift,
  Handshake,
  Heart,
  House,
  Landmark,
  ListOrdered,
  Medal,
  MessagesSquare,
  PartyPopper,
  Phone,
  Target,
  Trophy,
  UserRound,
  Video,
} from 'lucide-react';
import { cn } from '../lib/format';
import { formatGameValue, ordinal } from '../lib/game';

type Icon = ComponentType<{ className?: string; 'aria-hidden'?: boolean }>;

export const GAME_SECTIONS: { to: string; label: string; icon: Icon }[] = [
  { to: '/profile', label: 'Profile', icon: UserRound },
  { to: '/leaderboard', label: 'Leaderboard', icon: ListOrdered },
  { to: '/competitions', label: 'Competitions', icon: Trophy },
  { to: '/rewards', label: 'Rewards', icon: Gift },
  { to: '/feed', label: 'Feed', icon: Heart },
];

// The game's pages as tabs under the page header (as the hub's Today / Week / Month).
export function GameTabs() {
  return <SectionTabs label="Game sections" tabs={GAME_SECTIONS} />;
}

const BADGE_ICONS: Record<string, Icon> = {
  first_application: ClipboardCheck,
  first_funded_loan: House,
  ten_conversations_day: MessagesSquare,
  hundred_calls_week: Phone,
  four_week_streak: Flame,
  partner_champion: Handshake,
  video_star: Video,
  ten_funded_loans: Landmark,
};

export function badgeIcon(key: string): Icon {
  return BADGE_ICONS[key] ?? Medal;
}

// How a celebration (the overlay, a stored one in the notification center) looks.
export function celebrationLook(kind: string | undefined): { icon: Icon; tone: string; border: string; label: string } {
  switch (kind) {
    case 'badge':
      return {
        icon: Medal,
        label: 'Badge unlocked',
        tone: 'bg-violet-100 text-violet-700 dark:bg-violet-900/50 dark:text-violet-200',
        border: 'border-violet-200 dark:border-violet-800',
      };
    case 'streak':
      return {
        icon: Flame,
        label: 'Streak milestone',
        tone: 'bg-orange-100 text-orange-700 dark:bg-orange-900/50 dark:text-orange-200',
        border: 'border-orange-200 dark:border-orange-800',
      };
    case 'competition':
      return {
        icon: Trophy,
        label: 'Competition won',
        tone: 'bg-amber-100 text-amber-700 dark:bg-amber-900/50 dark:text-amber-200',
        border: 'border-amber-300 dark:border-amber-700',
      };
    case 'goal':
      return {
        icon: Target,
        label: 'Goal reached',
        tone: 'bg-green-100 text-green-700 dark:bg-green-900/50 dark:text-green-200',
        border: 'border-green-200 dark:border-green-800',
      };
    case 'personal_best':
      return {
        icon: Award,
        label: 'Personal best',
        tone: 'bg-sky-100 text-sky-700 dark:bg-sky-900/50 dark:text-sky-200',
        border: 'border-sky-200 dark:border-sky-800',
      };
    default:
      return {
        icon: PartyPopper,
        label: 'Celebration',
        tone: 'bg-amber-100 text-amber-700 dark:bg-amber-900/50 dark:text-amber-300',
        border: 'border-amber-200 dark:border-amber-800',
      };
  }
}

// A labelled on/off switch (role switch; its label and description are tied to it).
export function LabeledSwitch({
  id,
  label,
  desc,
  checked,
  disabled,
  onChange,
}: {
  id: string;
  label: string;
  desc?: ReactNode;
  checked: boolean;
  disabled?: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <div className="flex items-center justify-between gap-4">
      <div>
        <p id={`${id}-label`} className="text-sm font-medium">
          {label}
        </p>
        {desc && (
          <p id={`${id}-desc`} className="text-sm muted">
            {desc}
          </p>
        )}
      </div>
      <button
        type="button"
        role="switch"
        id={id}
        aria-checked={checked}
        aria-labelledby={`${id}-label`}
        aria-describedby={desc ? `${id}-desc` : undefined}
        disabled={disabled}
        onClick={() => onChange(!checked)}
        className={cn(
          'relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors disabled:opacity-60',
          checked ? 'bg-blue-600' : 'bg-gray-400 dark:bg-slate-500',
        )}
      >
        <span aria-hidden className={cn('inline-block h-4 w-4 transform rounded-full bg-white transition-transform', checked ? 'translate-x-6' : 'translate-x-1')} />
      </button>
    </div>
  );
}

// A labelled <select>.
export function SelectField<T extends string>({
  id,
  label,
  value,
  options,
  onChange,
  className,
}: {
  id: string;
  label: string;
  value: T;
  options: readonly (readonly [T, string])[];
  onChange: (v: T) => void;
  className?: string;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

const MEDAL = ['', 'text-amber-500', 'text-slate-400', 'text-orange-700 dark:text-orange-400'];

// A ranked table (a named leaderboard, a competition's standings), the
// caller's row highlighted.
export function RankTable({
  caption,
  metric,
  valueLabel,
  rows,
  testId,
  youLabel = 'You',
}: {
  caption: string;
  metric: string;
  valueLabel: string;
  rows: { key: string | number; rank: number; name: string; value: number; you?: boolean }[];
  testId?: string;
  youLabel?: string;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide muted dark:border-slate-700">
            <th scope="col" className="w-16 px-3 py-2 font-medium">
              Rank
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {valueLabel}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.key}
              data-testid="rank-row"
              data-you={r.you ? 'true' : 'false'}
              aria-current={r.you ? 'true' : undefined}
              className={cn(
                'border-b border-slate-100 last:border-0 dark:border-slate-800',
                r.you && 'bg-blue-50 font-semibold dark:bg-blue-950/50',
              )}
            >
              <td className="px-3 py-2 tabular-nums">
                <span className="inline-flex items-center gap-1">
                  {r.rank <= 3 && r.value > 0 ? <Medal aria-hidden className={cn('h-4 w-4', MEDAL[r.rank])} /> : <span aria-hidden className="w-4" />}
                  <span>{ordinal(r.rank)}</span>
                </span>
              </td>
              <td className="px-3 py-2">
                {r.name}
                {r.you && (
                  <span className="ml-2 rounded-full bg-blue-700 px-2 py-0.5 text-xs font-semibold text-white">{youLabel}</span>
                )}
              </td>
              <td className="px-3 py-2 text-right tabular-nums" data-testid="rank-value">
                {formatGameValue(metric, r.value)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
