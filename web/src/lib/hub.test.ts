import { describe, expect, it } from 'vitest';
import {
  addMonths,
  barWidth,
  bandNote,
  clampPercent,
  confettiPieces,
  formatChange,
  formatFraction,
  formatMetricValue,
  goalsAttainment,
  hourLabel,
  metricLabel,
  monthLabel,
  paceHeadline,
  withGoalsFirst,
} from './hub';

describe('hub display', () => {
  it('names and formats metrics', () => {
    expect(metricLabel('partner_meetings')).toBe('Partner meetings');
    expect(metricLabel('brand_new_metric')).toBe('Brand new metric');
    expect(formatMetricValue('calls', 12)).toBe('12');
    expect(formatMetricValue('funded_volume', 450000)).toBe('$450,000');
    expect(formatMetricValue('funded_volume', 450000, true)).toMatch(/^\$450(\.0)?K$/);
    expect(formatMetricValue('calls', null)).toBe('—');
  });

  it('turns fractions into percents and bar widths', () => {
    expect(formatFraction(0.256)).toBe('26%');
    expect(formatFraction(1.5)).toBe('150%');
    expect(formatFraction(null)).toBe('—');
    expect(barWidth(0.25)).toBe(25);
    expect(barWidth(1.7)).toBe(100);
    expect(barWidth(-1)).toBe(0);
    expect(barWidth(null)).toBe(0);
    expect(clampPercent(63.25)).toBe(63.3);
    expect(clampPercent(140)).toBe(100);
    expect(clampPercent(undefined)).toBe(0);
  });

  it('puts metrics with a goal first', () => {
    const m = withGoalsFirst([
      { metric: 'calls', actual: 1, target: null, percent: null },
      { metric: 'posts', actual: 1, target: 2, percent: 0.5 },
    ]);
    expect(m.map((x) => x.metric)).toEqual(['posts', 'calls']);
  });

  it('writes the pace line', () => {
    expect(hourLabel(11)).toBe('11 AM');
    expect(hourLabel(15)).toBe('3 PM');
    expect(hourLabel(0)).toBe('12 AM');
    expect(hourLabel(12)).toBe('12 PM');
    expect(paceHeadline({ hour: 11, usual: 5, p25: 3, actual: 2, behind: true, message: '' })).toBe(
      "You usually make 5 calls by 11 AM — 2 so far today",
    );
    expect(paceHeadline({ hour: 9, usual: 1, p25: 0, actual: 1, behind: false, message: '' })).toBe(
      "You usually make 1 call by 9 AM — 1 so far today",
    );
  });

  it('writes trend changes with a sign and size', () => {
    expect(formatChange({ metric: 'calls', change: 3, percent_change: 0.25 })).toBe('+3 (+25%)');
    expect(formatChange({ metric: 'calls', change: -2, percent_change: -0.1 })).toBe('−2 (−10%)');
    expect(formatChange({ metric: 'calls', change: 4, percent_change: null })).toBe('+4');
    expect(formatChange({ metric: 'calls', change: 0, percent_change: 0 })).toBe('no change');
  });

  it('never words a band as a failure', () => {
    for (const b of ['top_10', 'top_25', 'upper_half', 'lower_half', 'bottom_25', 'level']) {
      expect(bandNote(b)).not.toMatch(/worst|last|behind|bottom|fail|poor|low/i);
    }
  });

  it('averages capped goal attainment', () => {
    expect(goalsAttainment([{ metric: 'calls', actual: 5, target: null, percent: null }])).toBeNull();
    expect(
      goalsAttainment([
        { metric: 'calls', actual: 50, target: 25, percent: 2 },
        { metric: 'posts', actual: 0, target: 4, percent: 0 },
      ]),
    ).toBe(0.5);
  });

  it('steps months', () => {
    expect(addMonths('2026-11', 1)).toBe('2026-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(monthLabel('2026-11')).toBe('November 2026');
  });

  it('makes the same confetti for the same seed', () => {
    const a = confettiPieces(30, 7);
    expect(a).toHaveLength(30);
    expect(confettiPieces(30, 7)).toEqual(a);
    expect(confettiPieces(30, 8)).not.toEqual(a);
    for (const p of a) {
      expect(p.vy).toBeLessThan(0); // upward burst
      expect(p.x).toBeGreaterThan(0.3);
      expect(p.x).toBeLessThan(0.7);
    }
  });
});
