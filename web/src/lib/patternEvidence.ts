// The evidence behind a pattern finding, in plain words: "Tuesday: 43% of 212
// calls answered vs 28% of 1,040 on all your other days (+15 points, 95% interval
// +9.2 to +21)." Used by the Patterns page and by "Why am I seeing this?" on a
// pattern insight, whose action_params carry the same evidence object.
//
// The same goes for the findings that are not tests of the officer's own
// calls: a topic many open leads share (content_demand: a count) and what the
// org's top performers do differently (success_pattern: group medians, a rank
// test, worded as an association); and the hour an open lead or prospect
// answers (best_call_time: their own calls, shrunk toward the officer's and
// the org's answer rates by hour).
//
// Numbers are rounded honestly: about two significant figures (whole numbers
// from 10 up, one decimal below), never a rate rounded up to 100% or down to
// 0%, signs on differences and their intervals, thousands separators on
// counts. Missing fields leave their part out rather than print "NaN".
import type {
  BehaviorLinkEvidence,
  BestCallTimeEvidence,
  BestDaysEvidence,
  BestDaysMetric,
  CoachInsight,
  ContentDemandEvidence,
  EnergyEvidence,
  EnergySide,
  PatternComparison,
  SuccessEvidence,
} from '../types';
import { formatDateTime, relativeTime } from './format';

// Findings look back this far (docs/coaching-rules.md); the API says so in
// `period.days`, an insight does not.
export const PATTERN_PERIOD_DAYS = 180;
// Success patterns (the org's officers) look back this far.
export const SUCCESS_PERIOD_DAYS = 90;

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

// What a best day is best at, in words: the card's heading, the table's
// columns and what counts as a success. `counted` names the successes in the
// comparisons and by_weekday rows (docs/api.md).
export interface DayMetricWords {
  metric: BestDaysMetric;
  subject: 'calls' | 'appointments' | 'applications';
  counted: 'answered' | 'appointments' | 'applications';
  verb: string; // "43% of 212 calls <verb>"
  title: string;
  rate: string;
  column: string;
  definition: string;
}

export const DAY_METRICS: Record<BestDaysMetric, DayMetricWords> = {
  answer_rate: {
    metric: 'answer_rate',
    subject: 'calls',
    counted: 'answered',
    verb: 'answered',
    title: 'Your best days to call',
    rate: 'Answer rate',
    column: 'Answered',
    definition: 'Answered: the call reached someone.',
  },
  appointment_rate: {
    metric: 'appointment_rate',
    subject: 'appointments',
    counted: 'appointments',
    verb: 'set an appointment',
    title: 'Your best days to set appointments',
    rate: 'Appointment rate',
    column: 'Appointments',
    definition: 'Appointments: the call set an appointment or took an application.',
  },
  application_rate: {
    metric: 'application_rate',
    subject: 'applications',
    counted: 'applications',
    verb: 'took an application',
    title: 'Your best days to take applications',
    rate: 'Application rate',
    column: 'Applications',
    definition: 'Applications: the call took an application.',
  },
};

// The metric of a best-days finding: as named, else by its subject (an
// insight carries the subject, not the metric), else by what its
// comparisons count; reaching people when nothing says otherwise.
export function dayMetric(input: { metric?: unknown; subject?: unknown; evidence?: unknown }): DayMetricWords {
  const all = Object.values(DAY_METRICS);
  const named = all.find((m) => m.metric === input.metric) ?? all.find((m) => m.subject === input.subject);
  if (named) return named;
  const e = asObject(input.evidence);
  const first = e && Array.isArray(e.comparisons) ? asObject(e.comparisons[0]) : null;
  if (first) {
    const counted = all.find((m) => isNum(first[m.counted]));
    if (counted) return counted;
  }
  return DAY_METRICS.answer_rate;
}

export function bestDaysSentence(c: PatternComparison, metric: BestDaysMetric = 'answer_rate'): string | null {
  const mine = share(c.rate, c.calls, (DAY_METRICS[metric] ?? DAY_METRICS.answer_rate).verb);
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

// "Tested 5 weekdays; false-discovery rate controlled at 5%." `detail`
// follows the count: " (answers, appointments and applications on each weekday)".
export function testsSentence(e: { tests?: number; fdr?: number }, unit: [string, string], detail = ''): string | null {
  const parts: string[] = [];
  if (isNum(e.tests) && e.tests > 0) parts.push(`Tested ${formatCount(e.tests)} ${e.tests === 1 ? unit[0] : unit[1]}${detail}`);
  // A setting, not a measurement: its exact value ("5%", not "5.0%").
  if (isNum(e.fdr) && e.fdr > 0 && e.fdr < 1)
    parts.push(`${parts.length ? 'f' : 'F'}alse-discovery rate controlled at ${Number((e.fdr * 100).toPrecision(6))}%`);
  return parts.length ? parts.join('; ') + '.' : null;
}

// Best days are tested on every weekday three ways at once (reaching people,
// appointments, applications), with the false-discovery rate controlled
// across all of them: then the count is of comparisons, not of weekdays.
export function bestDaysTestsSentence(e: BestDaysEvidence): string | null {
  const across = (isNum(e.tests) && e.tests > 7) || (typeof e.method === 'string' && /\bmetrics\b/.test(e.method));
  return across
    ? testsSentence(e, ['weekday comparison', 'weekday comparisons'], ' (answers, appointments and applications on each weekday)')
    : testsSentence(e, ['weekday', 'weekdays']);
}

// Whole days from `iso` to `now` ("60 days ago"), or null without a valid instant.
function daysAgo(iso: string, now: Date): string | null {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return null;
  const days = Math.max(0, Math.floor((now.getTime() - t) / 86_400_000));
  return days === 0 ? 'today' : `${formatCount(days)} ${days === 1 ? 'day' : 'days'} ago`;
}

// "6 of your 40 open leads and prospects (15%) share it: 1 lead and 5 prospects."
export function contentCountSentence(e: ContentDemandEvidence): string | null {
  if (!isNum(e.contacts) || e.contacts <= 0) return null;
  const n = e.contacts;
  const open = isNum(e.open_contacts) && e.open_contacts >= n ? e.open_contacts : undefined;
  const kinds: string[] = [];
  if (isNum(e.leads) && e.leads > 0) kinds.push(`${formatCount(e.leads)} ${e.leads === 1 ? 'lead' : 'leads'}`);
  if (isNum(e.prospects) && e.prospects > 0) kinds.push(`${formatCount(e.prospects)} ${e.prospects === 1 ? 'prospect' : 'prospects'}`);
  const breakdown = kinds.length ? `: ${kinds.join(' and ')}` : '';
  const fraction = isNum(e.share) && e.share > 0 && e.share <= 1 ? e.share : open ? n / open : undefined;
  if (open !== undefined && open === n) return `All ${formatCount(n)} of your open leads and prospects share it${breakdown}.`;
  if (open !== undefined)
    return `${formatCount(n)} of your ${formatCount(open)} open leads and prospects${fraction !== undefined ? ` (${formatRate(fraction)})` : ''} share it${breakdown}.`;
  return `${formatCount(n)} of your open leads and prospects share it${breakdown}.`;
}

// "Your last video or social post about it was 60 days ago (Sep 22, 2026);
// none in the last 30 days." or "You have not made a video or social post
// about it in the last 180 days." Null when the evidence does not say.
export function contentPostSentence(e: ContentDemandEvidence, tz?: string, now: Date = new Date()): string | null {
  if (e.last_post_at === null)
    return `You have not made a video or social post about it in the last ${formatCount(PATTERN_PERIOD_DAYS)} days.`;
  if (typeof e.last_post_at !== 'string') return null;
  const ago = daysAgo(e.last_post_at, now);
  if (!ago) return null;
  const day = formatDay(e.last_post_at, tz);
  const recent = isNum(e.window_days) && e.window_days > 0 ? `; none in the last ${formatCount(e.window_days)} ${e.window_days === 1 ? 'day' : 'days'}` : '';
  return `Your last video or social post about it was ${ago}${day ? ` (${day})` : ''}${recent}.`;
}

export const CONTENT_NOTE = 'A count of your own open leads, prospects and posts, not a statistical inference.';

// What top performers do differently: the metric's words. `share`: a
// fraction shown as a percentage; `fewer`: a smaller number is better;
// `unit`: what a difference of medians is counted in.
export interface SuccessMetricWords {
  label: string;
  share?: boolean;
  fewer?: boolean;
  unit: string;
}

export const SUCCESS_METRICS: Record<string, SuccessMetricWords> = {
  calls_per_day: { label: 'Calls per working day', unit: 'calls a day' },
  conversations_per_day: { label: 'Conversations per working day (calls that reached someone)', unit: 'conversations a day' },
  text_share: { label: 'Texts, as a share of calls, texts and emails', share: true, unit: 'points' },
  email_share: { label: 'Emails, as a share of calls, texts and emails', share: true, unit: 'points' },
  meetings_per_week: { label: 'Meetings per week', unit: 'meetings a week' },
  posts_per_week: { label: 'Video and social posts per week', unit: 'posts a week' },
  morning_calls: { label: 'Calls made before noon, as a share of calls', share: true, unit: 'points' },
  speed_to_lead_hours: { label: 'Hours from a new lead to the first touch', fewer: true, unit: 'hours' },
};

// A metric the app does not know yet is named by the server's noun.
export function successMetric(metric?: string, noun?: string): SuccessMetricWords {
  const known = metric ? SUCCESS_METRICS[metric] : undefined;
  if (known) return known;
  const text = noun?.trim() || metric?.replace(/_/g, ' ') || 'This measure';
  return { label: text.charAt(0).toUpperCase() + text.slice(1), unit: '' };
}

const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

// A value as the server's message writes it: "38%" for a share (our own
// rounding), "9.1" otherwise.
export function formatMetricValue(metric: string | undefined, v?: number | null): string {
  if (!isNum(v)) return '—';
  return successMetric(metric).share ? formatRate(v) : oneDecimal.format(v);
}

// "Median calls per working day: 8.3 among the 5 top performers, 3.7 among the other 5 officers; yours: 4.6."
export function successGroupsSentence(metric: string | undefined, noun: string | undefined, e: SuccessEvidence, you?: number | null): string | null {
  const top = asObject(e.top) ?? {};
  const rest = asObject(e.rest) ?? {};
  if (!isNum(top.median) && !isNum(rest.median)) return null;
  const parts: string[] = [];
  if (isNum(top.median))
    parts.push(`${formatMetricValue(metric, top.median)} among the ${isNum(top.officers) ? `${formatCount(top.officers)} ` : ''}top performers`);
  if (isNum(rest.median)) {
    const n = isNum(rest.officers) ? rest.officers : undefined;
    parts.push(`${formatMetricValue(metric, rest.median)} among the other ${n !== undefined ? `${formatCount(n)} ${n === 1 ? 'officer' : 'officers'}` : 'officers'}`);
  }
  const label = successMetric(metric, noun).label;
  let s = `Median ${label.charAt(0).toLowerCase() + label.slice(1)}: ${parts.join(', ')}`;
  if (you === null) s += '; yours could not be measured';
  else if (isNum(you)) s += `; yours: ${formatMetricValue(metric, you)}`;
  return s + '.';
}

// The rank-biserial correlation in words: of every pair of one top performer
// and one other officer, the share in which the top performer's number is
// the higher (ties count half) is (1 + r) / 2.
export function successEffectSentence(e: SuccessEvidence): string | null {
  if (!isNum(e.effect) || e.effect < -1 || e.effect > 1) return null;
  const r = e.effect;
  const shown = (r < 0 ? MINUS : r > 0 ? '+' : '') + Math.abs(r).toFixed(2);
  const head = `Effect size (rank-biserial correlation): ${shown}`;
  if (r === 0) return `${head}: the top performers' numbers were neither higher nor lower than the others' on balance.`;
  const pairs = (1 + Math.abs(r)) / 2;
  const where = pairs >= 1 ? 'in every pair' : `in ${formatRate(pairs)} of the pairs (ties count half)`;
  return `${head}: pairing each top performer with each of the others, the top performer's number was the ${r > 0 ? 'higher' : 'lower'} ${where}.`;
}

// "Difference of the medians: +4.6 calls a day (95% interval +2.0 to +6.1)."
export function successDifferenceSentence(metric: string | undefined, e: SuccessEvidence): string | null {
  const words = successMetric(metric);
  const ci = validInterval(e.ci95) ? e.ci95 : undefined;
  if (!isNum(e.difference) && !ci) return null;
  const signed = (v: number) => {
    if (words.share) return formatPoints(v);
    const m = oneDecimal.format(Math.abs(v));
    return Number(m) === 0 ? '0' : (v < 0 ? MINUS : '+') + m;
  };
  const unit = words.unit ? ` ${words.unit}` : '';
  let s = 'Difference of the medians (top performers minus the others)';
  if (isNum(e.difference)) s += `: ${signed(e.difference)}${unit}`;
  if (ci) s += `${isNum(e.difference) ? ' (' : ': '}95% interval ${signed(ci[0])} to ${signed(ci[1])}${isNum(e.difference) ? ')' : unit}`;
  return s + '.';
}

// "Mann-Whitney U test: p = 0.0079, q = 0.028."
export function successTestSentence(e: SuccessEvidence): string | null {
  if (!isNum(e.p_value) && !isNum(e.q_value)) return null;
  return `Mann-Whitney U test: ${pClause('p', e.p_value)}, ${pClause('q', e.q_value)}.`;
}

// Said of every success pattern: who is compared, when, and that it is no cause.
export function successAssociationSentence(days?: number): string {
  const d = isNum(days) && days > 0 ? days : SUCCESS_PERIOD_DAYS;
  return `An association among your org's officers over the last ${formatCount(d)} ${d === 1 ? 'day' : 'days'}, not proof that doing the same would open more loans.`;
}

// A best time to call a contact (best_call_time). Below MIN_PRIOR_CALLS calls
// in the whole org the server has nothing to pull a contact's hours toward
// (docs/api.md, best-time) and an hour's rate is the contact's own: the
// evidence says so only through org_calls.
export const MIN_PRIOR_CALLS = 20;

export function callTimeShrunk(e: BestCallTimeEvidence): boolean {
  // The server says so; older answers are read from the org's call count.
  if (typeof e.shrunk === 'boolean') return e.shrunk;
  return !(isNum(e.org_calls) && e.org_calls < MIN_PRIOR_CALLS);
}

// 14 → "between 2 PM and 3 PM": the contact's local hour, as the calls are counted.
export function hourSpan(h: number): string {
  return `between ${hourLabel(h)} and ${hourLabel((h + 1) % 24)}`;
}

const callCount = (n: number) => `${formatCount(n)} ${n === 1 ? 'call' : 'calls'}`;

// What the contact's average is taken over: every hour offered (each has an
// estimate once there is something to pull toward), else only those hours
// with calls to them. The best hour is part of it: not "the other hours".
function averageClause(e: BestCallTimeEvidence): string | null {
  if (!isNum(e.average_rate)) return null;
  const over = callTimeShrunk(e) ? 'all the hours you can call them' : 'the hours you can call them that have calls to go on';
  return `their average of ${formatRate(e.average_rate)} over ${over} (this one included)`;
}

interface CallTimeWindowCounts {
  answer_rate?: number | null;
  ci95?: [number, number] | null;
  contact_calls?: number;
  contact_reached?: number;
}

// With the best window (the Patterns page): "They answered 7 of 8 calls made
// between 2 PM and 3 PM their time; 7 of 16 calls to them in all." Without
// it (an insight carries only the hour): "Of the 16 calls logged with them,
// 7 were answered; the coach singles out the hour between 2 PM and 3 PM
// their time."
export function callTimeCallsSentence(hour: number | undefined, w: CallTimeWindowCounts | null | undefined, e: BestCallTimeEvidence): string | null {
  const h = isNum(hour) && hour >= 0 && hour <= 23 ? hour : undefined;
  const total = isNum(e.contact_calls) && e.contact_calls > 0 && isNum(e.contact_reached) ? e.contact_calls : undefined;
  if (w && h !== undefined && isNum(w.contact_calls) && w.contact_calls > 0 && isNum(w.contact_reached)) {
    let s = `They answered ${formatCount(w.contact_reached)} of ${callCount(w.contact_calls)} made ${hourSpan(h)} their time`;
    if (total !== undefined) s += `; ${formatCount(e.contact_reached!)} of ${callCount(total)} to them in all`;
    return s + '.';
  }
  if (total === undefined) return h !== undefined ? `The coach singles out the hour ${hourSpan(h)} their time.` : null;
  const reached = e.contact_reached!;
  let s = `Of the ${callCount(total)} logged with them, ${formatCount(reached)} ${reached === 1 ? 'was' : 'were'} answered`;
  if (h !== undefined) s += `; the coach singles out the hour ${hourSpan(h)} their time`;
  return s + '.';
}

// With the window: "Estimated answer rate then: about 68% (95% interval 45%
// to 85%), against their average of 21% over all the hours you can call them
// (this one included)." Without it, why the hour was named: its interval
// lies above that average (the server's rule for a claim).
export function callTimeRateSentence(w: CallTimeWindowCounts | null | undefined, e: BestCallTimeEvidence): string | null {
  const shrunk = callTimeShrunk(e);
  const average = averageClause(e);
  if (w && isNum(w.answer_rate)) {
    let s = shrunk ? `Estimated answer rate then: about ${formatRate(w.answer_rate)}` : `Answer rate then: ${formatRate(w.answer_rate)}`;
    if (validInterval(w.ci95)) s += ` (95% interval ${formatRate(w.ci95[0])} to ${formatRate(w.ci95[1])})`;
    if (average) s += `, against ${average}`;
    return s + '.';
  }
  if (!average) return null;
  return `The coach names this hour because the 95% interval of its ${shrunk ? 'estimated ' : ''}answer rate lies above ${average}.`;
}

// How each hour was estimated, as the method says: "Estimated: at each hour,
// their calls are counted together with 5 calls at your own answer rate then,
// your rate with 20 at your org's, and the org's with 20 at its overall rate,
// so a few calls cannot make an hour look extreme." Or, with too few calls in
// the org, that the rates are their own.
export function callTimeMethodSentence(e: BestCallTimeEvidence): string {
  if (!callTimeShrunk(e)) {
    const n = e.org_calls!;
    return `Their own answer rate at each hour, not pulled toward yours or your org's: your org has logged only ${callCount(n)} besides theirs in the last ${formatCount(PATTERN_PERIOD_DAYS)} days, too few to go on (${formatCount(MIN_PRIOR_CALLS)} are needed).`;
  }
  const k = asObject(e.prior_strength) ?? {};
  const n = (v: unknown, what: string) => (isNum(v) && v > 0 ? `${formatCount(v)} ${what}` : what);
  return (
    `Estimated: at each hour, their calls are counted together with ${n(k.contact, 'calls')} at your own answer rate then, ` +
    `your rate with ${n(k.officer, 'calls')} at your org's, and the org's with ${n(k.org, 'calls')} at its overall rate, ` +
    'so a few calls cannot make an hour look extreme.'
  );
}

// The rates pulled toward: "Your own calls over the last 180 days: 44% of
// 1,200 answered; your org's, yours included: 31% of 9,800." Null when
// nothing was pulled toward or nothing is known.
export function callTimeYardstickSentence(e: BestCallTimeEvidence): string | null {
  if (!callTimeShrunk(e)) return null;
  const parts: string[] = [];
  if (isNum(e.officer_calls) && e.officer_calls > 0 && isNum(e.officer_rate))
    parts.push(`your own calls over the last ${formatCount(PATTERN_PERIOD_DAYS)} days: ${share(e.officer_rate, e.officer_calls, 'answered', false)}`);
  if (isNum(e.org_calls) && e.org_calls > 0 && isNum(e.org_rate)) parts.push(`your org's, yours included: ${share(e.org_rate, e.org_calls, '', false)}`);
  if (parts.length === 0) return null;
  const s = parts.join('; ');
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

// What a best time to call stands on, said under its evidence.
export function callTimeBasisSentence(e: BestCallTimeEvidence): string {
  return callTimeShrunk(e)
    ? `Based on every call logged with this contact, by the hour of their day, and on your own and your org's calls by hour over the last ${formatCount(PATTERN_PERIOD_DAYS)} days.`
    : 'Based on every call logged with this contact, by the hour of their day.';
}

export type PatternKind = 'best_days' | 'energy' | 'behavior_link' | 'content_demand' | 'best_call_time' | 'success_pattern';

export interface EvidenceInput {
  kind?: string;
  subject?: string;
  metric?: string;
  evidence?: unknown;
  split_hour?: number;
  activity?: string;
  you?: number | null;
  noun?: string;
  period_days?: number;
  // A best time to call: the contact's hour, and the best window when known
  // (the Patterns page; an insight has only the hour).
  contact_hour?: number;
  window?: unknown;
  // For dates in words (a content topic's last post).
  tz?: string;
  now?: Date;
}

function asObject(v: unknown): Record<string, any> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : null;
}

const KINDS: readonly string[] = ['best_days', 'energy', 'behavior_link', 'content_demand', 'best_call_time', 'success_pattern'];

// The kind of a finding: as named, or as its evidence looks.
export function patternKind(input: EvidenceInput): PatternKind | null {
  if (input.kind && KINDS.includes(input.kind)) return input.kind as PatternKind;
  if (input.kind === 'energy_drop') return 'energy';
  const e = asObject(input.evidence);
  if (!e) return null;
  if (Array.isArray(e.comparisons)) return 'best_days';
  if (asObject(e.otherwise)) return 'behavior_link';
  if (asObject(e.before) || asObject(e.after)) return 'energy';
  if (asObject(e.top) && asObject(e.rest)) return 'success_pattern';
  if (asObject(e.prior_strength) || (isNum(e.contact_calls) && 'average_rate' in e)) return 'best_call_time';
  if (isNum(e.contacts) && ('last_post_at' in e || isNum(e.open_contacts))) return 'content_demand';
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
      const metric = dayMetric({ metric: input.metric, subject: input.subject, evidence: ev }).metric;
      for (const c of Array.isArray(ev.comparisons) ? ev.comparisons : []) {
        const s = asObject(c) && bestDaysSentence(c, metric);
        if (s) out.push(s);
      }
      const t = bestDaysTestsSentence(ev);
      if (t) out.push(t);
      break;
    }
    case 'content_demand': {
      const ev = e as ContentDemandEvidence;
      const count = contentCountSentence(ev);
      const post = contentPostSentence(ev, input.tz, input.now);
      if (count) out.push(count);
      if (post) out.push(post);
      if (count || post) out.push(CONTENT_NOTE);
      break;
    }
    case 'success_pattern': {
      const ev = e as SuccessEvidence;
      for (const s of [
        successGroupsSentence(input.metric ?? input.subject, input.noun, ev, input.you),
        successEffectSentence(ev),
        successDifferenceSentence(input.metric ?? input.subject, ev),
        successTestSentence(ev),
        testsSentence(ev, ['measure', 'measures']),
      ])
        if (s) out.push(s);
      if (out.length) out.push(successAssociationSentence(input.period_days));
      break;
    }
    case 'best_call_time': {
      const ev = e as BestCallTimeEvidence;
      const w = asObject(input.window) as CallTimeWindowCounts | null;
      const hour = isNum(input.contact_hour) ? input.contact_hour : undefined;
      for (const s of [callTimeCallsSentence(hour, w, ev), callTimeRateSentence(w, ev), callTimeMethodSentence(ev), callTimeYardstickSentence(ev)])
        if (s) out.push(s);
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

// What a finding is based on, said under its evidence: the officer's calls
// over the period for most; their open contacts and posts for a content
// topic; the org's officers for a success pattern; one contact's calls (and,
// as the evidence says, the officer's and org's) for a best time to call.
export function basisSentence(kind: PatternKind | null, days?: number, evidence?: unknown): string {
  if (kind === 'best_call_time') return callTimeBasisSentence((asObject(evidence) ?? {}) as BestCallTimeEvidence);
  if (kind === 'content_demand')
    return `Based on your open leads and prospects now and your video and social posts of the last ${formatCount(PATTERN_PERIOD_DAYS)} days.`;
  if (kind === 'success_pattern') {
    const d = isNum(days) && days > 0 ? days : SUCCESS_PERIOD_DAYS;
    return `Based on your org's officers over the last ${formatCount(d)} ${d === 1 ? 'day' : 'days'}.`;
  }
  return periodSentence();
}

// A pattern insight's evidence (action_params: kind, subject, generated_at,
// evidence; a content topic's insight suggests create_task, a best time to
// call suggests call_contact and adds contact_id and contact_hour), or null
// for any other insight.
export function insightEvidence(
  insight: Pick<CoachInsight, 'type' | 'suggested_action' | 'action_params'>,
  opts: { tz?: string; now?: Date } = {},
): { kind: PatternKind | null; generated_at?: string; sentences: string[]; basis: string } | null {
  if (insight.type !== 'pattern' && insight.suggested_action !== 'view_patterns') return null;
  const p = asObject(insight.action_params) ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const period = asObject(p.period);
  const input: EvidenceInput = {
    kind: text(p.kind),
    subject: text(p.subject),
    metric: text(p.metric),
    evidence: p.evidence,
    split_hour: isNum(p.split_hour) ? p.split_hour : undefined,
    activity: text(p.activity),
    you: isNum(p.you) || p.you === null ? p.you : undefined,
    noun: text(p.noun),
    period_days: period && isNum(period.days) ? period.days : undefined,
    contact_hour: isNum(p.contact_hour) ? p.contact_hour : undefined,
    tz: opts.tz,
    now: opts.now,
  };
  const kind = patternKind(input);
  return {
    kind,
    generated_at: typeof p.generated_at === 'string' && p.generated_at ? p.generated_at : undefined,
    sentences: evidenceSentences(input),
    basis: basisSentence(kind, input.period_days, p.evidence),
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
