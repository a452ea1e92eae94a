// Coach settings: the plan's defaults and the server's bounds (docs/api.md).
import type { CoachSettings } from '../types';

export const DEFAULT_SETTINGS: CoachSettings = {
  coach_level: 2,
  coach_enabled: true,
  stale_lead_days: 7,
  stuck_deal_days: 14,
  morning_push_time: '06:00',
  pace_nudges: true,
  daily_summary: true,
};

// The morning push may be set from 04:00 to 11:00 local time.
export const MORNING_PUSH = { min: '04:00', max: '11:00' } as const;

// True for "HH:MM" (24-hour) between 04:00 and 11:00 inclusive.
export function validMorningPushTime(t: unknown): t is string {
  if (typeof t !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(t)) return false;
  return t >= MORNING_PUSH.min && t <= MORNING_PUSH.max;
}

export const BOUNDS = {
  stale_lead_days: { min: 1, max: 30 },
  stuck_deal_days: { min: 1, max: 60 },
} as const;

export const LEVELS = [
  { level: 1, label: 'Minimal', desc: 'Only critical alerts like deals going cold' },
  { level: 2, label: 'Balanced', desc: 'Helpful nudges at natural moments' },
  { level: 3, label: 'Active', desc: 'Proactive suggestions and pattern insights' },
] as const;

export type SettingsErrors = Partial<Record<keyof CoachSettings, string>>;

// Checks a settings object as the server will; empty when valid.
export function validateSettings(s: CoachSettings): SettingsErrors {
  const errors: SettingsErrors = {};
  if (![1, 2, 3].includes(s.coach_level)) errors.coach_level = 'Choose Minimal, Balanced or Active';
  for (const key of ['stale_lead_days', 'stuck_deal_days'] as const) {
    const v = s[key];
    const { min, max } = BOUNDS[key];
    if (!Number.isInteger(v) || v < min || v > max) errors[key] = `Enter a whole number of days from ${min} to ${max}`;
  }
  if (!validMorningPushTime(s.morning_push_time)) errors.morning_push_time = 'Choose a time from 4:00 AM to 11:00 AM';
  return errors;
}

// Parses a number field's text: an integer, or NaN for anything else.
export function parseDays(text: string): number {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : NaN;
}

// Reads a stored object leniently: unknown or bad fields fall back to defaults.
export function normalizeSettings(raw: unknown): CoachSettings {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: CoachSettings = { ...DEFAULT_SETTINGS };
  if (o.coach_level === 1 || o.coach_level === 2 || o.coach_level === 3) out.coach_level = o.coach_level;
  if (typeof o.coach_enabled === 'boolean') out.coach_enabled = o.coach_enabled;
  for (const key of ['stale_lead_days', 'stuck_deal_days'] as const) {
    const v = o[key];
    const { min, max } = BOUNDS[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) out[key] = v;
  }
  if (validMorningPushTime(o.morning_push_time)) out.morning_push_time = o.morning_push_time;
  if (typeof o.pace_nudges === 'boolean') out.pace_nudges = o.pace_nudges;
  if (typeof o.daily_summary === 'boolean') out.daily_summary = o.daily_summary;
  return out;
}
