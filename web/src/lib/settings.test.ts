import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, normalizeSettings, parseDays, validMorningPushTime, validateSettings } from './settings';

describe('coach settings', () => {
  it('has the plan defaults', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      coach_level: 2,
      coach_enabled: true,
      stale_lead_days: 7,
      stuck_deal_days: 14,
      morning_push_time: '06:00',
      pace_nudges: true,
      daily_summary: true,
    });
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
      morning_push_time: '06:00',
      pace_nudges: true,
      daily_summary: true,
    });
    expect(normalizeSettings({ morning_push_time: '07:30', pace_nudges: false, daily_summary: false })).toMatchObject({
      morning_push_time: '07:30',
      pace_nudges: false,
      daily_summary: false,
    });
    // Out of the 04:00-11:00 window, or not HH:MM: the default.
    expect(normalizeSettings({ morning_push_time: '12:00', pace_nudges: 'yes' })).toMatchObject({ morning_push_time: '06:00', pace_nudges: true });
  });

  it('keeps the morning push between 04:00 and 11:00', () => {
    for (const t of ['04:00', '06:00', '10:59', '11:00']) expect(validMorningPushTime(t)).toBe(true);
    for (const t of ['03:59', '11:01', '6:00', '24:00', '', null, '06:60']) expect(validMorningPushTime(t)).toBe(false);
    expect(validateSettings({ ...DEFAULT_SETTINGS, morning_push_time: '03:00' })).toHaveProperty('morning_push_time');
  });
});
