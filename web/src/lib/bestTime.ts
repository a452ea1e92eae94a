// A contact's best-time windows (GET /api/contacts/{id}/best-time) in words.
import type { BestTimeWindow } from '../types';
import { hourLabel, formatRate, formatCount } from './patternEvidence';

// "2 PM their time (1 PM yours)", or "2 PM" when both clocks agree.
export function windowLabel(w: Pick<BestTimeWindow, 'contact_hour' | 'officer_hour'>, sameZone: boolean): string {
  const theirs = hourLabel(w.contact_hour);
  if (sameZone || w.contact_hour === w.officer_hour) return theirs;
  return `${theirs} their time (${hourLabel(w.officer_hour)} yours)`;
}

// "about 55% answered (95% interval 30% to 78%); 6 of 7 calls then", or
// "no calls to go on yet" without an estimate.
export function windowEvidence(w: BestTimeWindow): string {
  if (w.answer_rate === null || w.answer_rate === undefined) return 'no calls to go on yet';
  let s = `about ${formatRate(w.answer_rate)} answered`;
  if (Array.isArray(w.ci95) && w.ci95.length === 2) s += ` (95% interval ${formatRate(w.ci95[0])} to ${formatRate(w.ci95[1])})`;
  s += w.contact_calls > 0 ? `; ${formatCount(w.contact_reached)} of ${formatCount(w.contact_calls)} calls then` : '; no calls then yet';
  return s;
}

// When a window next opens, on the officer's clock: "Mon, Nov 23, 1:00 PM",
// or null without a valid instant.
export function nextStartLabel(iso?: string | null, tz?: string): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const opts: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
  try {
    return d.toLocaleString('en-US', { ...opts, timeZone: tz });
  } catch {
    return d.toLocaleString('en-US', opts);
  }
}
