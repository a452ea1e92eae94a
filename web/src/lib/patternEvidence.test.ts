import { describe, expect, it } from 'vitest';
import {
  bestDaysSentence,
  computedAt,
  energySentence,
  evidenceSentences,
  formatP,
  pClause,
  formatPoints,
  formatRate,
  hourLabel,
  insightEvidence,
  patternKind,
  periodDescription,
  testsSentence,
} from './patternEvidence';

// As GET /api/coach/patterns answers them (the demo's Jordan Kim and Tyrone Brooks).
const bestDays = {
  comparisons: [
    {
      weekday: 'Thursday',
      rate: 0.4306,
      calls: 144,
      answered: 62,
      rate_other: 0.2845,
      calls_other: 601,
      difference: 0.146,
      ci95: [0.0595, 0.2347] as [number, number],
      p_value: 0.0006865743869505059,
      q_value: 0.00343287193475253,
    },
  ],
  tests: 5,
  fdr: 0.05,
  method: "each weekday's answer rate against all other days: two-proportion z-test",
};

const energy = {
  before: { calls: 391, converted: 31, rate: 0.0793 },
  after: { calls: 241, converted: 6, rate: 0.0249 },
  difference: 0.0544,
  ci95: [0.018, 0.0882] as [number, number],
  p_value: 0.004672866838459361,
  q_value: 0.02803720103075617,
  tests: 6,
  fdr: 0.05,
};

describe('number formatting', () => {
  it('rounds rates to about two significant figures without claiming all or nothing', () => {
    expect(formatRate(0.43)).toBe('43%');
    expect(formatRate(0.4306)).toBe('43%');
    expect(formatRate(0.098)).toBe('9.8%');
    expect(formatRate(0.0996)).toBe('10%');
    expect(formatRate(0.05)).toBe('5.0%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(0.996)).toBe('99.6%');
    expect(formatRate(0.99996)).toBe('>99.9%');
    expect(formatRate(0.0004)).toBe('0.04%');
    expect(formatRate(0.00001)).toBe('<0.01%');
    expect(formatRate(undefined)).toBe('—');
    expect(formatRate(Number.NaN)).toBe('—');
  });

  it('signs differences in points with a true minus, and never signs zero', () => {
    expect(formatPoints(0.15)).toBe('+15');
    expect(formatPoints(0.0921)).toBe('+9.2');
    expect(formatPoints(-0.049)).toBe('\u22124.9');
    expect(formatPoints(0)).toBe('0');
    expect(formatPoints(-0)).toBe('0');
    expect(formatPoints(null)).toBe('—');
  });

  it('formats hours, p-values, periods and the computed time', () => {
    expect([0, 9, 12, 15, 23].map(hourLabel)).toEqual(['midnight', '9 AM', 'noon', '3 PM', '11 PM']);
    expect(formatP(0.0006)).toBe('< 0.001');
    expect(formatP(0.02803720103075617)).toBe('0.028');
    expect(formatP(undefined)).toBe('—');
    expect(pClause('p', 0.0002)).toBe('p < 0.001');
    expect(pClause('q', 0.02803720103075617)).toBe('q = 0.028');
    expect(pClause('q', undefined)).toBe('q unknown');
    expect(periodDescription({ from: '2026-05-25T13:48:39Z', to: '2026-11-21T13:48:39Z', days: 180 }, 'America/Chicago')).toBe(
      'Based on your calls over the last 180 days (May 25, 2026 to Nov 21, 2026).',
    );
    expect(periodDescription(undefined)).toBe('Based on your calls over the last 180 days.');
    const now = new Date('2026-11-21T14:00:00Z');
    expect(computedAt('2026-11-21T13:50:00Z', 'America/Chicago', now)).toBe('Computed Nov 21, 7:50 AM (10 min ago)');
    expect(computedAt('', 'UTC', now)).toBeNull();
    expect(computedAt('not a date', 'UTC', now)).toBeNull();
  });
});

describe('best days evidence', () => {
  it('says each day found against the other days, with the interval, then what was tested', () => {
    expect(evidenceSentences({ kind: 'best_days', evidence: bestDays })).toEqual([
      'Thursday: 43% of 144 calls answered vs 28% of 601 on all your other days (+15 points, 95% interval +6.0 to +23).',
      'Tested 5 weekdays; false-discovery rate controlled at 5%.',
    ]);
  });

  it('puts thousands separators on counts', () => {
    expect(
      bestDaysSentence({ weekday: 'Tuesday', rate: 0.43, calls: 2120, rate_other: 0.28, calls_other: 10400, difference: 0.15, ci95: [0.09, 0.21] }),
    ).toBe('Tuesday: 43% of 2,120 calls answered vs 28% of 10,400 on all your other days (+15 points, 95% interval +9.0 to +21).');
  });

  it('copes with zero calls and missing fields', () => {
    expect(bestDaysSentence({ weekday: 'Sunday', calls: 0, rate: 0, rate_other: 0.3, calls_other: 500 })).toBe(
      'Sunday: no calls vs 30% of 500 on all your other days.',
    );
    expect(bestDaysSentence({ weekday: 'Monday', rate: 0.4, calls: 1 })).toBe('Monday: 40% of 1 call answered.');
    expect(bestDaysSentence({ weekday: 'Monday', calls: 120, calls_other: 400 })).toBe('Monday: 120 calls vs 400 calls on all your other days.');
    expect(bestDaysSentence({ rate: 0.4, difference: 0.1 })).toBe('This day: 40% of calls answered (+10 points).');
    expect(bestDaysSentence({ weekday: 'Friday', rate: 0.4, calls: 50, ci95: [0.02, 0.2] })).toBe(
      'Friday: 40% of 50 calls answered (95% interval +2.0 to +20 points).',
    );
    expect(bestDaysSentence({ weekday: 'Friday' })).toBeNull();
    expect(bestDaysSentence({ weekday: 'Friday', rate: 0.4, calls: 50, difference: 0.01, ci95: [1, 2, 3] as any })).toBe(
      'Friday: 40% of 50 calls answered (+1.0 points).',
    );
    expect(evidenceSentences({ kind: 'best_days', evidence: { comparisons: [null, 'x', {}] } })).toEqual([]);
    expect(evidenceSentences({ kind: 'best_days', evidence: { tests: 1 } })).toEqual(['Tested 1 weekday.']);
    expect(evidenceSentences({ kind: 'best_days' })).toEqual([]);
    expect(evidenceSentences({ kind: 'best_days', evidence: [] })).toEqual([]);
  });
});

describe('energy evidence', () => {
  it('says before and from the split hour, the change as the later calls see it', () => {
    expect(evidenceSentences({ kind: 'energy', evidence: energy, split_hour: 15 })).toEqual([
      'Before 3 PM: 7.9% of 391 calls converted; from 3 PM: 2.5% of 241 (\u22125.4 points, 95% interval \u22128.8 to \u22121.8).',
      'Tested 6 split hours; false-discovery rate controlled at 5%.',
    ]);
  });

  it('reads the split hour from the evidence, or speaks of earlier and later without one', () => {
    expect(evidenceSentences({ kind: 'energy', evidence: { ...energy, split_hour: 12 } })[0]).toMatch(/^Before noon: .*; from noon: /);
    expect(evidenceSentences({ kind: 'energy', evidence: energy })[0]).toMatch(/^Earlier in the day: 7\.9% of 391 calls converted; later: 2\.5% of 241 /);
  });

  it('copes with zero calls and missing fields', () => {
    expect(energySentence({ before: { calls: 410, rate: 0.098 }, after: { calls: 0, rate: 0 } }, 15)).toBe(
      'Before 3 PM: 9.8% of 410 calls converted; from 3 PM: no calls.',
    );
    expect(energySentence({ after: { calls: 380, rate: 0.049 } }, 15)).toBe('From 3 PM: 4.9% of 380.');
    expect(energySentence({ difference: 0.05 }, 15)).toBeNull();
    expect(evidenceSentences({ kind: 'energy', evidence: { fdr: 0.05 } })).toEqual(['False-discovery rate controlled at 5%.']);
  });
});

describe('behavioural link evidence', () => {
  const link = {
    after: { calls: 1812, converted: 129, rate: 0.0712 },
    otherwise: { calls: 2088, converted: 84, rate: 0.0402 },
    difference: 0.031,
    relative_lift: 0.771,
    ci95: [0.0166, 0.0455] as [number, number],
    p_value: 0.00002,
    q_value: 0.00004,
    posts: 52,
    window_hours: 48,
    tests: 2,
    fdr: 0.05,
  };

  it('says the calls after the posts against the rest, and that it is an association', () => {
    expect(evidenceSentences({ kind: 'behavior_link', evidence: link, activity: 'video_post' })).toEqual([
      'In the 2 days after video posts: 7.1% of 1,812 calls converted vs 4.0% of 2,088 otherwise (+3.1 points, 95% interval +1.7 to +4.5).',
      'Tested 2 kinds of post; false-discovery rate controlled at 5%.',
      'An association in your own history, not proof that one causes the other.',
    ]);
  });

  it('is recognised by its evidence, and reads the activity from an insight', () => {
    expect(patternKind({ evidence: link })).toBe('behavior_link');
    const i = insightEvidence({
      type: 'pattern',
      suggested_action: 'view_patterns',
      action_params: { kind: 'behavior_link', activity: 'social_post', evidence: link },
    });
    expect(i?.kind).toBe('behavior_link');
    expect(i?.sentences[0]).toMatch(/^In the 2 days after social posts: /);
  });
});

describe('which kind, and an insight', () => {
  it('tells the kind by name or by the evidence', () => {
    expect(patternKind({ kind: 'best_days' })).toBe('best_days');
    expect(patternKind({ kind: 'energy_drop' })).toBe('energy');
    expect(patternKind({ evidence: bestDays })).toBe('best_days');
    expect(patternKind({ evidence: energy })).toBe('energy');
    expect(patternKind({ kind: 'pace', evidence: {} })).toBeNull();
    expect(evidenceSentences({ kind: 'pace', evidence: { x: 1 } })).toEqual([]);
  });

  it('reads a pattern insight (and only a pattern insight)', () => {
    const insight = {
      type: 'pattern' as const,
      suggested_action: 'view_patterns',
      action_params: { kind: 'best_days', subject: 'calls', generated_at: '2026-11-21T13:48:39.029Z', evidence: bestDays },
    };
    const why = insightEvidence(insight)!;
    expect(why.kind).toBe('best_days');
    expect(why.generated_at).toBe('2026-11-21T13:48:39.029Z');
    expect(why.sentences[0]).toMatch(/^Thursday: 43% of 144 calls answered/);
    expect(insightEvidence({ type: 'pattern', suggested_action: 'view_patterns', action_params: null })).toEqual({
      kind: null,
      generated_at: undefined,
      sentences: [],
    });
    expect(insightEvidence({ type: 'action', suggested_action: 'create_task', action_params: { evidence: bestDays } })).toBeNull();
  });

  it('keeps the tests sentence grammatical', () => {
    expect(testsSentence({ tests: 1, fdr: 0.1 }, ['split hour', 'split hours'])).toBe('Tested 1 split hour; false-discovery rate controlled at 10%.');
    expect(testsSentence({ tests: 0 }, ['weekday', 'weekdays'])).toBeNull();
  });
});
