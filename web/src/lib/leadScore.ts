// The lead priority model (GET /api/coach/lead-model, /api/coach/lead-scores,
// /api/contacts/{id}/score) in words: a lead's chance as a percentage and as
// a multiple of the average lead ("2.1× the average lead"), its reasons, the
// features that move a lead most, and how well it ranked leads it never saw.
//
// Numbers are rounded as the pattern evidence is (about two significant
// figures, never a chance rounded to 0% or 100%); missing or non-finite
// values leave their part out rather than print "NaN".
import type { LeadFeature, LeadModelFit, LeadReason } from '../types';
import { formatDateTime, relativeTime } from './format';
import { formatCount, formatRate } from './patternEvidence';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

// A chance 0..1 as a percentage: 0.3412 → "34%", 0.048 → "4.8%"; "—" if unknown.
export function formatChance(p?: number | null): string {
  return formatRate(p);
}

// How many times the average lead's chance this is, to two significant
// figures: "2.1× the average lead", "12× the average lead", "0.45× the
// average lead", "about the average lead" when it rounds to 1. Null without
// a usable chance or base rate.
export function liftLabel(probability?: number | null, baseRate?: number | null): string | null {
  if (!isNum(probability) || !isNum(baseRate) || baseRate <= 0 || probability < 0) return null;
  const lift = Number((probability / baseRate).toPrecision(12));
  const s = lift >= 10 ? lift.toFixed(0) : lift >= 1 ? lift.toFixed(1) : lift >= 0.01 ? String(Number(lift.toPrecision(2))) : '<0.01';
  if (Number(s) === 1) return 'about the average lead';
  return `${s}× the average lead`;
}

// A factor ≥ 1 in words: 4.47 → "4.5", 12.3 → "12".
function factor(x: number): string {
  return x >= 10 ? x.toFixed(0) : x.toFixed(1);
}

// What a reason does, for a screen reader or a tooltip: "Source: Zillow
// raises the chance against the average lead (odds 3.1-fold)".
export function reasonDescription(r: Pick<LeadReason, 'label' | 'effect' | 'direction'>): string {
  const up = r.direction === 'up';
  const odds = isNum(r.effect) && r.effect !== 0 ? ` (odds ${factor(Math.exp(Math.abs(r.effect)))}-fold ${up ? 'higher' : 'lower'})` : '';
  return `${r.label} ${up ? 'raises' : 'lowers'} the chance against the average lead${odds}`;
}

// Effects smaller than this (log-odds) barely move a lead; the server
// leaves them out of a lead's reasons too.
export const NOTICEABLE = 0.05;

// A lead has one source, one calls bin and at most one reached bin; a tag or
// a flag is a group of its own (as the server groups them for the reasons).
function groupOf(key: string): string {
  for (const g of ['source=', 'calls=', 'reached=']) if (key.startsWith(g)) return g;
  return key;
}

// A learned feature with its effect in log-odds against the average lead,
// the same measure as a lead's reasons: its weight less the average weight
// of its group (a source against the average source; a tag or flag against
// its prevalence). A weight alone says little for a source, whose weights
// only mean something against each other.
export interface FeatureEffect extends LeadFeature {
  effect: number;
}

export function featureEffects(features: readonly LeadFeature[] | null | undefined): FeatureEffect[] {
  const list = (features ?? []).filter((f) => isNum(f.weight));
  const average = new Map<string, number>();
  for (const f of list) {
    const g = groupOf(f.key);
    average.set(g, (average.get(g) ?? 0) + (isNum(f.prevalence) ? f.prevalence : 0) * f.weight);
  }
  return list.map((f) => ({ ...f, effect: f.weight - (average.get(groupOf(f.key)) ?? 0) }));
}

// The features that move a lead most against the average lead, largest
// |effect| first (ties by label), at most `n`, leaving out those that barely
// move it.
export function topFeatures(features: readonly LeadFeature[] | null | undefined, n = 8): FeatureEffect[] {
  return featureEffects(features)
    .filter((f) => Math.abs(f.effect) >= NOTICEABLE)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || a.label.localeCompare(b.label))
    .slice(0, Math.max(0, n));
}

// One learned feature in words: "Source: Zillow raises the odds of a loan
// 3.2-fold against the average lead (in 41% of the calls learned from)."
export function featureSentence(f: FeatureEffect): string {
  const up = f.effect > 0;
  let s = `${f.label} ${up ? 'raises' : 'lowers'} the odds of a loan ${factor(Math.exp(Math.abs(f.effect)))}-fold against the average lead`;
  if (isNum(f.prevalence) && f.prevalence > 0) s += ` (in ${formatRate(f.prevalence)} of the calls learned from)`;
  return s + '.';
}

// "Learned from 1,012 calls to leads, 301 of them followed by a loan within 30 days."
export function learnedFromSentence(m: Pick<LeadModelFit, 'examples' | 'converted'>, horizonDays: number): string {
  const calls = m.examples === 1 ? 'call' : 'calls';
  return `Learned from ${formatCount(m.examples)} ${calls} to leads in your org's history, ${formatCount(m.converted)} of them followed by a loan within ${formatCount(horizonDays)} ${horizonDays === 1 ? 'day' : 'days'}.`;
}

// "Tested on 250 calls to leads it never saw (76 followed by a loan): AUC
// 0.78, 95% interval 0.72 to 0.84. 0.5 is a coin toss; 1 ranks every lead
// that converted above every one that did not."
export function aucSentence(m: Pick<LeadModelFit, 'holdout' | 'holdout_converted' | 'auc' | 'auc_interval'>): string {
  const ci = Array.isArray(m.auc_interval) && m.auc_interval.length === 2 && isNum(m.auc_interval[0]) && isNum(m.auc_interval[1]);
  return (
    `Tested on ${formatCount(m.holdout)} ${m.holdout === 1 ? 'call' : 'calls'} to leads it never saw (${formatCount(m.holdout_converted)} followed by a loan): ` +
    `AUC ${isNum(m.auc) ? m.auc.toFixed(2) : '—'}${ci ? `, 95% interval ${m.auc_interval[0].toFixed(2)} to ${m.auc_interval[1].toFixed(2)}` : ''}. ` +
    '0.5 is a coin toss; 1 would rank every lead that converted above every one that did not.'
  );
}

// "The chance that a loan is opened within 30 days after your next call,
// estimated from your org's own history."
export function horizonSentence(days?: number | null): string {
  const d = isNum(days) && days > 0 ? days : 30;
  return `The chance is that a loan is opened within ${formatCount(d)} ${d === 1 ? 'day' : 'days'} after your next call, estimated from your org's own history.`;
}

// "Trained Nov 21, 4:10 PM (5 min ago)", or null without a valid instant.
// "Checked …" where no model came of it.
export function trainedAt(iso?: string | null, tz?: string, now: Date = new Date(), verb: 'Trained' | 'Checked' = 'Trained'): string | null {
  if (!iso || Number.isNaN(new Date(iso).getTime())) return null;
  return `${verb} ${formatDateTime(iso, tz)} (${relativeTime(iso, now)})`;
}

// "3 more open leads" when the list shows fewer than there are, else null.
export function moreLeads(openLeads?: number | null, shown = 0): string | null {
  if (!isNum(openLeads) || openLeads <= shown) return null;
  const n = openLeads - shown;
  return `${formatCount(n)} more open ${n === 1 ? 'lead' : 'leads'}`;
}

// What a retrain found, for the page's status line.
export function retrainedSentence(status?: string | null): string {
  switch (status) {
    case 'ready':
      return 'Retrained: the ranking is ready.';
    case 'not_predictive':
      return 'Retrained: it ranked leads no better than chance, so there is no ranking.';
    case 'insufficient_data':
      return 'Retrained: not enough history to rank leads yet.';
    default:
      return 'Retrained.';
  }
}
