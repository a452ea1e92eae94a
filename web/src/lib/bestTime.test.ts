import { describe, expect, it } from 'vitest';
import { nextStartLabel, windowEvidence, windowLabel } from './bestTime';

const w = {
  contact_hour: 14,
  contact_local: '14:00',
  officer_hour: 13,
  officer_local: '13:00',
  next_start: '2026-11-23T19:00:00.000Z',
  answer_rate: 0.5478,
  ci95: [0.2937, 0.7804] as [number, number],
  contact_calls: 7,
  contact_reached: 6,
  officer_calls: 120,
  officer_rate: 0.35,
};

describe('best time windows', () => {
  it('names the hour on both clocks when the zones differ', () => {
    expect(windowLabel(w, false)).toBe('2 PM their time (1 PM yours)');
    expect(windowLabel(w, true)).toBe('2 PM');
    expect(windowLabel({ contact_hour: 12, officer_hour: 12 }, false)).toBe('noon');
  });

  it('gives the estimate, its interval and the calls behind it', () => {
    expect(windowEvidence(w)).toBe('about 55% answered (95% interval 29% to 78%); 6 of 7 calls then');
    expect(windowEvidence({ ...w, contact_calls: 0, contact_reached: 0 })).toMatch(/no calls then yet$/);
    expect(windowEvidence({ ...w, answer_rate: null, ci95: null, contact_calls: 0, contact_reached: 0 })).toBe('no calls to go on yet');
  });

  it('says when a window next opens on the officer\'s clock', () => {
    expect(nextStartLabel(w.next_start, 'America/Chicago')).toBe('Mon, Nov 23, 1:00 PM');
    expect(nextStartLabel(w.next_start, 'America/New_York')).toBe('Mon, Nov 23, 2:00 PM');
    expect(nextStartLabel('not a date', 'UTC')).toBeNull();
    expect(nextStartLabel(undefined)).toBeNull();
  });
});
