// The evidence behind a pattern finding, in plain words: "Tuesday: 43% of 212
// calls answered vs 28% of 1,040 on all your other days (+15 points, 95% interval
// +9.2 to +21)." Used by the Patterns page and by "Why am I seeing this?" on a
// pattern insight, whose action_params carry the same evidence object.
//
// Numbers are rounded honestly: about two significant figures (whole numbers
// from 10 up, one decimal below), never a rate rounded up to 100% or down to
// 0%, signs on differences and their intervals, thousands separators on
// counts. Missing fields leave their part out rather than print "NaN".
import type { BehaviorLinkEvidence, BestDaysEvidence, CoachInsight, EnergyEvidence, EnergySide, PatternComparison } from '../types';
import { formatDateTime, relativeTime } from './format';

// Findings look back this far (docs/coaching-rules.md); the API says so in
// `period.days`, an insight does not.
export const PATTERN_PERIOD_DAYS = 180;

const MINUS = '\u2212';
const counts = new Intl.NumberFormat('en-US');

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function formatCount(n: number): string {
  return counts.format(n);
}

// A magnitude on a 0..100 scale with about two significant figures.
function magnitude(raw: number): string {
  // 0.0595 * 100 is 5.9499…: drop the binary noise before rounding.
  const a = Number(raw.toPrecision(12));
  if (a === 0) return '0';
  if (a >= 10) {
    const s = a.toFixed(0);
    // 99.6 is not 100: keep a decimal rather than round up to "all".
    if (s === '100' && a < 100) return a < 99.95 ? a.toFixed(1) : '>99.9';
    return s;
  }
  if (a >= 0.1) {
    const s = a.toFixed(1);
    return Number(s) >= 10 ? '10' : s;
  }
  const s = a.toFixed(2);
  return Number(s) === 0 ? '<0.01' : s;
}

// A fraction 0..1 as a percentage: 0.43 → "43%", 0.098 → "9.8%".
export function formatRate(rate?: number | null): string {
  if (!isNum(rate)) return '—';
  return (rate < 0 ? MINUS : '') + magnitude(Math.abs(rate) * 100) + '%';
}

// A difference of two fractions in percentage points, always signed:
// 0.15 → "+15", −0.049 → "−4.9", 0 → "0".
export function formatPoints(diff?: number | null): string {
  if (!isNum(diff)) return '—';
  const m = magnitude(Math.abs(diff) * 100);
  if (m === '0') return '0';
  return (diff < 0 ? MINUS : '+') + m;
}

function validInterval(ci: unknown): ci is [number, number] {
  return Array.isArray(ci) && ci.length === 2 && isNum(ci[0]) && isNum(ci[1]);
}

// "(+15 points, 95% interval +9.2 to +21)", or less when fields are missing.
function differenceClause(diff: number | undefined, ci: [number, number] | undefined): string {
  const parts: string[] = [];
  if (isNum(diff)) parts.push(`${formatPoints(diff)} points`);
  if (validInterval(ci)) parts.push(`95% interval ${formatPoints(ci[0])} to ${formatPoints(ci[1])}${isNum(diff) ? '' : ' points'}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

// "43% of 212 calls answered", "no calls", "212 calls", or null if nothing is known.
function share(rate: number | undefined, calls: number | undefined, verb: string, noun = true): string | null {
  if (isNum(calls) && calls <= 0) return 'no calls';
  const count = isNum(calls) ? formatCount(calls) : null;
  const calls_ = calls === 1 ? 'call' : 'calls';
  const v = verb ? ` ${verb}` : '';
  if (!isNum(rate)) return count ? `${count} ${calls_}` : null;
  if (!count) return `${formatRate(rate)} of calls${v}`;
  return `${formatRate(rate)} of ${count}${noun ? ' ' + calls_ : ''}${v}`;
}

export function bestDaysSentence(c: PatternComparison): string | null {
  const mine = share(c.rate, c.calls, 'answered');
  const other = share(c.rate_other, c.calls_other, '', false);
  if (!mine && !other) return null;
  const day = c.weekday || 'This day';
  let s = `${day}: ${mine ?? 'your calls'}`;
  if (other) s += ` vs ${other} on all your other days`;
  return s + differenceClause(c.difference, c.ci95) + '.';
}

// 0..23 → "9 AM", "noon", "3 PM", "midnight".
export function hourLabel(h: number): string {
  if (h === 0 || h === 24) return 'midnight';
  if (h === 12) return 'noon';
  return h < 12 ? `${h} AM` : `${h - 12} PM`;
}

// "In the 2 days after video posts: 7.1% of 1,800 calls converted vs 4.0% of 2,100 otherwise (+3.1 points, ...)."
export function behaviorSentence(e: BehaviorLinkEvidence, activity?: string): string | null {
  const after = e.after ? share(e.after.rate, e.after.calls, 'converted') : null;
  const otherwise = e.otherwise ? share(e.otherwise.rate, e.otherwise.calls, '', false) : null;
  if (!after && !otherwise) return null;
  const what = activity ? `${activity.replace(/_/g, ' ')}s` : 'a post';
  const days = isNum(e.window_hours) && e.window_hours > 0 ? formatCount(e.window_hours / 24) : null;
  let s = `${days ? `In the ${days} ${e.window_hours === 24 ? 'day' : 'days'}` : 'Soon'} after ${what}: ${after ?? 'your calls'}`;
  if (otherwise) s += ` vs ${otherwise} otherwise`;
  return s + differenceClause(e.difference, e.ci95) + '.';
}

export function energySentence(e: EnergyEvidence, splitHour?: number): string | null {
  const side = (s?: EnergySide, noun = true) => (s ? share(s.rate, s.calls, noun ? 'converted' : '', noun) : null);
  const before = side(e.before);
  const after = side(e.after, false);
  if (!before && !after) return null;
  const known = isNum(splitHour) && splitHour >= 0 && splitHour <= 24;
  const [b, a] = known ? [`Before ${hourLabel(splitHour)}`, `from ${hourLabel(splitHour)}`] : ['Earlier in the day', 'later'];
  const parts: string[] = [];
  if (before) parts.push(`${b}: ${before}`);
  if (after) parts.push(`${parts.length ? a : a.charAt(0).toUpperCase() + a.slice(1)}: ${after}`);
  // The server reports before − after; the sentence speaks of the later calls.
  const diff = isNum(e.difference) ? -e.difference : undefined;
  const ci: [number, number] | undefined = validInterval(e.ci95) ? [-e.ci95[1], -e.ci95[0]] : undefined;
  return parts.join('; ') + differenceClause(diff, ci) + '.';
}

// "Tested 5 weekdays; false-discovery rate controlled at 5%."
export function testsSentence(e: { tests?: number; fdr?: number }, unit: [string, string]): string | null {
  const parts: string[] = [];
  if (isNum(e.tests) && e.tests > 0) parts.push(`Tested ${formatCount(e.tests)} ${e.tests === 1 ? unit[0] : unit[1]}`);
  // A setting, not a measurement: its exact value ("5%", not "5.0%").
  if (isNum(e.fdr) && e.fdr > 0 && e.fdr < 1)
    parts.push(`${parts.length ? 'f' : 'F'}alse-discovery rate controlled at ${Number((e.fdr * 100).toPrecision(6))}%`);
  return parts.length ? parts.join('; ') + '.' : null;
}

export type PatternKind = 'best_days' | 'energy' | 'behavior_link';

export interface EvidenceInput {
  kind?: string;
  evidence?: unknown;
  split_hour?: number;
  activity?: string;
}

function asObject(v: unknown): Record<string, any> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : null;
}

// The kind of a finding: as named, or as its evidence looks.
export function patternKind(input: EvidenceInput): PatternKind | null {
  if (input.kind === 'best_days' || input.kind === 'energy' || input.kind === 'behavior_link') return input.kind;
  if (input.kind === 'energy_drop') return 'energy';
  const e = asObject(input.evidence);
  if (!e) return null;
  if (Array.isArray(e.comparisons)) return 'best_days';
  if (asObject(e.otherwise)) return 'behavior_link';
  if (asObject(e.before) || asObject(e.after)) return 'energy';
  return null;
}

// The evidence as sentences: one per weekday found (or one before/after
// comparison), then what was tested. Empty when there is nothing to say.
export function evidenceSentences(input: EvidenceInput): string[] {
  const e = asObject(input.evidence);
  if (!e) return [];
  const out: string[] = [];
  switch (patternKind(input)) {
    case 'best_days': {
      const ev = e as BestDaysEvidence;
      for (const c of Array.isArray(ev.comparisons) ? ev.comparisons : []) {
        const s = asObject(c) && bestDaysSentence(c);
        if (s) out.push(s);
      }
      const t = testsSentence(ev, ['weekday', 'weekdays']);
      if (t) out.push(t);
      break;
    }
    case 'behavior_link': {
      const ev = e as BehaviorLinkEvidence;
      const s = behaviorSentence(ev, typeof input.activity === 'string' ? input.activity : undefined);
      if (s) out.push(s);
      const t = testsSentence(ev, ['kind of post', 'kinds of post']);
      if (t) out.push(t);
      out.push('An association in your own history, not proof that one causes the other.');
      break;
    }
    case 'energy': {
      const s = energySentence(e as EnergyEvidence, isNum(input.split_hour) ? input.split_hour : isNum(e.split_hour) ? e.split_hour : undefined);
      if (s) out.push(s);
      const t = testsSentence(e as EnergyEvidence, ['split hour', 'split hours']);
      if (t) out.push(t);
      break;
    }
    default:
      break;
  }
  return out;
}

// "Based on your calls over the last 180 days."
export function periodSentence(days: number = PATTERN_PERIOD_DAYS): string {
  return `Based on your calls over the last ${formatCount(days)} ${days === 1 ? 'day' : 'days'}.`;
}

// "Computed Jul 4, 3:02 PM (5 min ago)", or null without a valid instant.
export function computedAt(iso?: string | null, tz?: string, now: Date = new Date()): string | null {
  if (!iso || Number.isNaN(new Date(iso).getTime())) return null;
  return `Computed ${formatDateTime(iso, tz)} (${relativeTime(iso, now)})`;
}

// A pattern insight's evidence (action_params: kind, subject, generated_at,
// evidence), or null for any other insight.
export function insightEvidence(
  insight: Pick<CoachInsight, 'type' | 'suggested_action' | 'action_params'>,
): { kind: PatternKind | null; generated_at?: string; sentences: string[] } | null {
  if (insight.type !== 'pattern' && insight.suggested_action !== 'view_patterns') return null;
  const p = asObject(insight.action_params) ?? {};
  const input: EvidenceInput = {
    kind: typeof p.kind === 'string' ? p.kind : undefined,
    evidence: p.evidence,
    split_hour: isNum(p.split_hour) ? p.split_hour : undefined,
    activity: typeof p.activity === 'string' ? p.activity : undefined,
  };
  return {
    kind: patternKind(input),
    generated_at: typeof p.generated_at === 'string' && p.generated_at ? p.generated_at : undefined,
    sentences: evidenceSentences(input),
  };
}

// A p or q value: "< 0.001", "0.012", "0.31".
export function formatP(p?: number | null): string {
  if (!isNum(p)) return '—';
  if (p < 0.001) return '< 0.001';
  return String(Number(p.toPrecision(2)));
}

// "p < 0.001", "q = 0.028", "q unknown".
export function pClause(name: string, p?: number | null): string {
  if (!isNum(p)) return `${name} unknown`;
  const v = formatP(p);
  return v.startsWith('<') ? `${name} ${v}` : `${name} = ${v}`;
}

// An instant as a calendar day in the officer's time zone: "Jan 5, 2026".
export function formatDay(iso?: string | null, tz?: string): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const opts: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', year: 'numeric' };
  try {
    return d.toLocaleDateString('en-US', { ...opts, timeZone: tz });
  } catch {
    return d.toLocaleDateString('en-US', opts);
  }
}

// "Based on your calls over the last 180 days (Jan 5, 2026 to Jul 4, 2026)."
export function periodDescription(period?: { from?: string; to?: string; days?: number } | null, tz?: string): string {
  const days = isNum(period?.days) && period!.days! > 0 ? period!.days! : PATTERN_PERIOD_DAYS;
  const from = formatDay(period?.from, tz);
  const to = formatDay(period?.to, tz);
  const base = periodSentence(days);
  return from && to ? `${base.slice(0, -1)} (${from} to ${to}).` : base;
}
