// Coach settings: the plan's defaults and the server's bounds (docs/api.md).
import type { CoachSettings } from '../types';

export const DEFAULT_SETTINGS: CoachSettings = {
  coach_level: 2,
  coach_enabled: true,
  stale_lead_days: 7,
  stuck_deal_days: 14,
};

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
  return out;
}
