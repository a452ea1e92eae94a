// Display logic for the accountability hub: metric names and values,
// percentages, the pace line, trends and peer bands.
import type { Pace, PeerBand, ProgressMetric, TrendMetric } from '../types';
import { formatMoney } from './format';

export const METRIC_LABELS: Record<string, string> = {
  calls: 'Calls',
  conversations: 'Conversations',
  appointments: 'Appointments',
  applications: 'Applications',
  closings: 'Closings',
  posts: 'Posts',
  partner_meetings: 'Partner meetings',
  funded_volume: 'Funded volume',
};

export const PERIOD_LABELS: Record<string, string> = { day: 'Daily', week: 'Weekly', month: 'Monthly', cycle: '90-day cycle' };
export const PERIOD_NOUNS: Record<string, string> = { day: 'day', week: 'week', month: 'month', cycle: 'cycle' };

export function metricLabel(metric: string): string {
  return METRIC_LABELS[metric] ?? metric.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

// A metric's value: dollars for funded volume, a count otherwise.
export function formatMetricValue(metric: string, v: number | null | undefined, compact = false): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (metric === 'funded_volume') return formatMoney(v, compact);
  return count.format(v);
}

// A fraction (1 = 100%) as a whole percent: 0.256 → "26%".
export function formatFraction(f: number | null | undefined): string {
  if (f === null || f === undefined || Number.isNaN(f)) return '—';
  return `${Math.round(f * 100)}%`;
}

// A bar's width in percent (0..100) from a fraction; more than done is full.
export function barWidth(f: number | null | undefined): number {
  if (f === null || f === undefined || Number.isNaN(f) || f <= 0) return 0;
  return Math.min(100, Math.round(f * 1000) / 10);
}

// A percent figure (0..100 scale) held to the bar's range.
export function clampPercent(p: number | null | undefined): number {
  if (p === null || p === undefined || Number.isNaN(p) || p <= 0) return 0;
  return Math.min(100, Math.round(p * 10) / 10);
}

// The metrics with a goal first (in the server's order), then the rest.
export function withGoalsFirst(metrics: ProgressMetric[]): ProgressMetric[] {
  return [...metrics.filter((m) => m.target !== null), ...metrics.filter((m) => m.target === null)];
}

export function goalMet(m: ProgressMetric): boolean {
  return m.target !== null && m.target > 0 && m.actual >= m.target;
}

// "11 AM", "3 PM", "12 PM".
export function hourLabel(h: number): string {
  const hh = ((h % 24) + 24) % 24;
  const suffix = hh < 12 ? 'AM' : 'PM';
  const twelve = hh % 12 === 0 ? 12 : hh % 12;
  return `${twelve} ${suffix}`;
}

// The pace card's line: "You usually make 5 calls by 11 AM — 3 so far today".
export function paceHeadline(p: Pace): string {
  const usual = count.format(p.usual);
  return `You usually make ${usual} call${p.usual === 1 ? '' : 's'} by ${hourLabel(p.hour)} — ${count.format(p.actual)} so far today`;
}

export const DIRECTION_LABEL: Record<TrendMetric['direction'], string> = { up: 'Up', down: 'Down', steady: 'Steady' };

// "+3 (+25%)", "−2 (−10%)", "no change". percent_change is a fraction.
export function formatChange(t: Pick<TrendMetric, 'metric' | 'change' | 'percent_change'>): string {
  if (!t.change) return 'no change';
  const sign = t.change > 0 ? '+' : '−';
  const abs = formatMetricValue(t.metric, Math.abs(t.change), true);
  const pct = t.percent_change === null || t.percent_change === undefined ? '' : ` (${sign}${Math.round(Math.abs(t.percent_change) * 100)}%)`;
  return `${sign}${abs}${pct}`;
}

export const BAND_LABELS: Record<PeerBand, string> = {
  top_10: 'Top 10%',
  top_25: 'Top 25%',
  upper_half: 'Upper half',
  lower_half: 'Lower half',
  bottom_25: 'Lower quarter',
  level: 'Level with everyone',
};

// How full a band's marker sits on its scale (never a rank, never a name).
export const BAND_LEVEL: Record<PeerBand, number> = { top_10: 5, top_25: 4, upper_half: 3, lower_half: 2, bottom_25: 1, level: 3 };

// Encouraging words per band: the lower bands point at room to grow, never
// at falling short.
export function bandNote(band: string): string {
  switch (band) {
    case 'top_10':
      return 'Leading the group';
    case 'top_25':
      return 'Among the strongest';
    case 'upper_half':
      return 'Ahead of the middle';
    case 'lower_half':
      return 'Room to climb';
    case 'bottom_25':
      return 'Plenty of upside here';
    case 'level':
      return 'Everyone is even: a chance to pull ahead';
    default:
      return '';
  }
}

// Progress toward a set of goals: each goal's attainment capped at 100%,
// averaged (null without goals), as the thermometer and summary count it.
export function goalsAttainment(metrics: ProgressMetric[]): number | null {
  const withGoal = metrics.filter((m) => m.target !== null && m.target > 0);
  if (withGoal.length === 0) return null;
  const sum = withGoal.reduce((a, m) => a + Math.min(1, Math.max(0, m.actual / (m.target as number))), 0);
  return sum / withGoal.length;
}

// YYYY-MM of a YYYY-MM-DD date, and the month `n` months away.
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  return t.toISOString().slice(0, 7);
}

export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

// Confetti pieces for a burst, from a seeded generator so a test can pin them.
export interface ConfettiPiece {
  x: number; // start, as a fraction of the width
  y: number;
  vx: number; // per second, as a fraction of the width
  vy: number;
  size: number; // px
  rotation: number;
  spin: number;
  color: string;
}

const CONFETTI_COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#db2777', '#7c3aed', '#0891b2'];

export function confettiPieces(n: number, seed = 1): ConfettiPiece[] {
  let s = seed >>> 0 || 1;
  const rand = () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
  return Array.from({ length: n }, () => {
    const angle = -Math.PI / 2 + (rand() - 0.5) * Math.PI * 0.9;
    const speed = 0.6 + rand() * 0.7;
    return {
      x: 0.5 + (rand() - 0.5) * 0.2,
      y: 0.45,
      vx: Math.cos(angle) * speed * 0.6,
      vy: Math.sin(angle) * speed,
      size: 6 + rand() * 6,
      rotation: rand() * Math.PI * 2,
      spin: (rand() - 0.5) * 12,
      color: CONFETTI_COLORS[Math.floor(rand() * CONFETTI_COLORS.length)],
    };
  });
}
