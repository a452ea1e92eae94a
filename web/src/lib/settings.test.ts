import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, normalizeSettings, parseDays, validateSettings } from './settings';

describe('coach settings', () => {
  it('has the plan defaults', () => {
    expect(DEFAULT_SETTINGS).toEqual({ coach_level: 2, coach_enabled: true, stale_lead_days: 7, stuck_deal_days: 14 });
    expect(validateSettings(DEFAULT_SETTINGS)).toEqual({});
  });

  it('checks the server bounds', () => {
    expect(validateSettings({ ...DEFAULT_SETTINGS, stale_lead_days: 0 })).toHaveProperty('stale_lead_days');
    expect(validateSettings({ ...DEFAULT_SETTINGS, stale_lead_days: 31 })).toHaveProperty('stale_lead_days');
    expect(validateSettings({ ...DEFAULT_SETTINGS, stale_lead_days: 30 })).toEqual({});
    expect(validateSettings({ ...DEFAULT_SETTINGS, stuck_deal_days: 61 })).toHaveProperty('stuck_deal_days');
    expect(validateSettings({ ...DEFAULT_SETTINGS, stuck_deal_days: 60 })).toEqual({});
    expect(validateSettings({ ...DEFAULT_SETTINGS, stuck_deal_days: 2.5 })).toHaveProperty('stuck_deal_days');
    expect(validateSettings({ ...DEFAULT_SETTINGS, coach_level: 4 as never })).toHaveProperty('coach_level');
  });

  it('parses day fields strictly', () => {
    expect(parseDays('12')).toBe(12);
    expect(parseDays(' 3 ')).toBe(3);
    expect(parseDays('')).toBeNaN();
    expect(parseDays('1e2')).toBeNaN();
    expect(parseDays('-4')).toBeNaN();
  });

  it('normalizes stored settings leniently', () => {
    expect(normalizeSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings({ coach_level: 3, coach_enabled: false, stale_lead_days: 99, stuck_deal_days: 20 })).toEqual({
      coach_level: 3,
      coach_enabled: false,
      stale_lead_days: 7,
      stuck_deal_days: 20,
    });
  });
});
