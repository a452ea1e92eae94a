import { describe, expect, it } from 'vitest';
import {
  basisSentence,
  bestDaysSentence,
  callTimeBasisSentence,
  callTimeCallsSentence,
  callTimeMethodSentence,
  callTimeRateSentence,
  callTimeShrunk,
  callTimeYardstickSentence,
  hourSpan,
  bestDaysTestsSentence,
  computedAt,
  contentCountSentence,
  contentPostSentence,
  dayMetric,
  formatMetricValue,
  successDifferenceSentence,
  successEffectSentence,
  successGroupsSentence,
  successMetric,
  successTestSentence,
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
    expect(why.basis).toBe('Based on your calls over the last 180 days.');
    expect(insightEvidence({ type: 'pattern', suggested_action: 'view_patterns', action_params: null })).toEqual({
      kind: null,
      generated_at: undefined,
      sentences: [],
      basis: 'Based on your calls over the last 180 days.',
    });
    expect(insightEvidence({ type: 'action', suggested_action: 'create_task', action_params: { evidence: bestDays } })).toBeNull();
  });

  it('keeps the tests sentence grammatical', () => {
    expect(testsSentence({ tests: 1, fdr: 0.1 }, ['split hour', 'split hours'])).toBe('Tested 1 split hour; false-discovery rate controlled at 10%.');
    expect(testsSentence({ tests: 0 }, ['weekday', 'weekdays'])).toBeNull();
  });
});

// As the server answers them since best days are tested three ways (the
// seeded history of content.e2e.ts: 10% of calls set an appointment, 25% on
// Tuesdays and Thursdays).
const appointmentDays = {
  comparisons: [
    {
      weekday: 'Tuesday',
      rate: 0.25,
      calls: 300,
      appointments: 75,
      rate_other: 0.1375,
      calls_other: 1200,
      difference: 0.1125,
      ci95: [0.0624, 0.1676] as [number, number],
      p_value: 0.000001994382584503287,
      q_value: 0.000014957869383774651,
    },
  ],
  tests: 15,
  fdr: 0.05,
  method:
    "each weekday's share of calls that set an appointment or took an application against all other days: two-proportion z-test; Benjamini-Hochberg across the weekdays and metrics tested; 95% interval of the difference by Newcombe's score method",
};

describe('best days three ways', () => {
  it('says what each metric counts, by metric, subject or the evidence itself', () => {
    expect(dayMetric({ metric: 'appointment_rate' }).verb).toBe('set an appointment');
    expect(dayMetric({ subject: 'applications' }).title).toBe('Your best days to take applications');
    expect(dayMetric({ subject: 'calls' }).title).toBe('Your best days to call');
    // An insight carries the subject; an old one only its evidence.
    expect(dayMetric({ evidence: appointmentDays }).counted).toBe('appointments');
    expect(dayMetric({ evidence: { comparisons: [{ applications: 3 }] } }).metric).toBe('application_rate');
    expect(dayMetric({}).metric).toBe('answer_rate');
    expect(dayMetric({ metric: 'nonsense', evidence: bestDays }).metric).toBe('answer_rate');
  });

  it('words each day found by what the calls achieved', () => {
    expect(evidenceSentences({ kind: 'best_days', subject: 'appointments', evidence: appointmentDays })).toEqual([
      'Tuesday: 25% of 300 calls set an appointment vs 14% of 1,200 on all your other days (+11 points, 95% interval +6.2 to +17).',
      'Tested 15 weekday comparisons (answers, appointments and applications on each weekday); false-discovery rate controlled at 5%.',
    ]);
    expect(bestDaysSentence({ weekday: 'Thursday', rate: 0.43, calls: 212, rate_other: 0.2, calls_other: 900 }, 'application_rate')).toBe(
      'Thursday: 43% of 212 calls took an application vs 20% of 900 on all your other days.',
    );
    // Without a metric, the answer rate as before.
    expect(bestDaysSentence({ weekday: 'Monday', rate: 0.4, calls: 1 })).toBe('Monday: 40% of 1 call answered.');
  });

  it('counts weekday comparisons, not weekdays, when three metrics were tested together', () => {
    expect(bestDaysTestsSentence({ tests: 5, fdr: 0.05, method: "each weekday's answer rate against all other days: …; Benjamini-Hochberg across the weekdays tested" })).toBe(
      'Tested 5 weekdays; false-discovery rate controlled at 5%.',
    );
    expect(bestDaysTestsSentence({ tests: 6, method: 'Benjamini-Hochberg across the weekdays and metrics tested' })).toBe(
      'Tested 6 weekday comparisons (answers, appointments and applications on each weekday).',
    );
    expect(bestDaysTestsSentence({ tests: 21 })).toMatch(/^Tested 21 weekday comparisons /);
    expect(bestDaysTestsSentence({})).toBeNull();
  });

  it('explains an appointments insight from its subject', () => {
    const why = insightEvidence({
      type: 'pattern',
      suggested_action: 'view_patterns',
      action_params: { kind: 'best_days', subject: 'appointments', days: ['Tuesday'], evidence: appointmentDays },
    })!;
    expect(why.kind).toBe('best_days');
    expect(why.sentences[0]).toMatch(/^Tuesday: 25% of 300 calls set an appointment vs /);
  });
});

// As the server answers a topic (content.e2e.ts plants six "VA loan" prospects).
const content = {
  contacts: 6,
  leads: 1,
  prospects: 5,
  open_contacts: 40,
  share: 0.15,
  last_post_at: null,
  window_days: 30,
  method:
    'open leads and prospects tagged with the topic or with an open loan of that type, counted once each; claimed from 5 when no video or social post in the last 30 days mentions it',
};

describe('content demand', () => {
  const now = new Date('2026-11-21T16:00:00Z');

  it('counts who shares the topic and says it has not been posted about', () => {
    expect(evidenceSentences({ kind: 'content_demand', evidence: content, now })).toEqual([
      '6 of your 40 open leads and prospects (15%) share it: 1 lead and 5 prospects.',
      'You have not made a video or social post about it in the last 180 days.',
      'A count of your own open leads, prospects and posts, not a statistical inference.',
    ]);
  });

  it('says when the last post about it was, in the officer’s calendar', () => {
    expect(contentPostSentence({ ...content, last_post_at: '2026-09-22T16:31:35.306Z' }, 'America/Chicago', now)).toBe(
      'Your last video or social post about it was 59 days ago (Sep 22, 2026); none in the last 30 days.',
    );
    expect(contentPostSentence({ last_post_at: '2026-11-20T10:00:00Z' }, 'UTC', now)).toBe('Your last video or social post about it was 1 day ago (Nov 20, 2026).');
    expect(contentPostSentence({ last_post_at: 'garbage' }, 'UTC', now)).toBeNull();
    expect(contentPostSentence({}, 'UTC', now)).toBeNull();
  });

  it('copes with every count, all, one kind, and partial evidence', () => {
    expect(contentCountSentence({ contacts: 6, leads: 0, prospects: 6, open_contacts: 6, share: 1 })).toBe(
      'All 6 of your open leads and prospects share it: 6 prospects.',
    );
    expect(contentCountSentence({ contacts: 1200, leads: 1, prospects: 1199, open_contacts: 4000 })).toBe(
      '1,200 of your 4,000 open leads and prospects (30%) share it: 1 lead and 1,199 prospects.',
    );
    expect(contentCountSentence({ contacts: 5 })).toBe('5 of your open leads and prospects share it.');
    expect(contentCountSentence({ contacts: 5, open_contacts: 3 })).toBe('5 of your open leads and prospects share it.');
    expect(contentCountSentence({ contacts: 0, open_contacts: 3 })).toBeNull();
    expect(contentCountSentence({})).toBeNull();
    expect(evidenceSentences({ kind: 'content_demand', evidence: { method: 'x' } })).toEqual([]);
    expect(patternKind({ evidence: content })).toBe('content_demand');
  });

  it("explains the coach's create-task tip without claiming a period of calls", () => {
    const why = insightEvidence(
      {
        type: 'pattern',
        suggested_action: 'create_task',
        action_params: {
          kind: 'content_demand',
          subject: 'VA loans',
          topic: 'VA loans',
          title: 'Record a video about VA loans',
          priority: 'medium',
          generated_at: '2026-11-21T16:31:35.781Z',
          evidence: content,
        },
      },
      { tz: 'America/Chicago', now },
    )!;
    expect(why.kind).toBe('content_demand');
    expect(why.sentences).toEqual(evidenceSentences({ kind: 'content_demand', evidence: content, now }));
    expect(why.basis).toBe('Based on your open leads and prospects now and your video and social posts of the last 180 days.');
    expect(why.generated_at).toBe('2026-11-21T16:31:35.781Z');
    // A create_task tip that is not a pattern's has nothing to explain.
    expect(insightEvidence({ type: 'action', suggested_action: 'create_task', action_params: { title: 'Ask for a referral' } })).toBeNull();
  });
});

// As the server answers the org of content.e2e.ts (officer i: 2 + i calls a day, i loans).
const success = {
  top: { officers: 5, median: 8.3077 },
  rest: { officers: 5, median: 3.6923 },
  effect: 1,
  p_value: 0.007937,
  q_value: 0.027778,
  tests: 7,
  fdr: 0.05,
  method: 'Mann-Whitney U (exact up to 60 officers) of the top group against the rest; Benjamini-Hochberg across the metrics tested; effect: rank-biserial correlation',
};

describe('success patterns', () => {
  it('gives group medians and the reader’s own value, and says it is an association', () => {
    expect(evidenceSentences({ kind: 'success_pattern', subject: 'calls_per_day', metric: 'calls_per_day', evidence: success, you: 4.6154, period_days: 90 })).toEqual([
      'Median calls per working day: 8.3 among the 5 top performers, 3.7 among the other 5 officers; yours: 4.6.',
      "Effect size (rank-biserial correlation): +1.00: pairing each top performer with each of the others, the top performer's number was the higher in every pair.",
      'Mann-Whitney U test: p = 0.0079, q = 0.028.',
      'Tested 7 measures; false-discovery rate controlled at 5%.',
      "An association among your org's officers over the last 90 days, not proof that doing the same would open more loans.",
    ]);
  });

  it('shows shares as percentages and hours with a decimal; fewer hours is faster', () => {
    expect(formatMetricValue('text_share', 0.38)).toBe('38%');
    expect(formatMetricValue('morning_calls', 0.098)).toBe('9.8%');
    expect(formatMetricValue('calls_per_day', 9.05)).toBe('9.1');
    expect(formatMetricValue('speed_to_lead_hours', 1234.56)).toBe('1,234.6');
    expect(formatMetricValue('calls_per_day', null)).toBe('—');
    expect(successMetric('speed_to_lead_hours').fewer).toBe(true);
    expect(successMetric('email_share').share).toBe(true);
    expect(successMetric('new_metric', 'hugs per week').label).toBe('Hugs per week');
    expect(successGroupsSentence('email_share', undefined, { top: { officers: 6, median: 0.3 }, rest: { officers: 12, median: 0.1 } }, null)).toBe(
      'Median emails, as a share of calls, texts and emails: 30% among the 6 top performers, 10% among the other 12 officers; yours could not be measured.',
    );
  });

  it('words a negative effect, the difference of medians with its interval, and missing fields', () => {
    expect(successEffectSentence({ effect: -0.62 })).toBe(
      "Effect size (rank-biserial correlation): \u22120.62: pairing each top performer with each of the others, the top performer's number was the lower in 81% of the pairs (ties count half).",
    );
    expect(successEffectSentence({ effect: 0 })).toMatch(/: 0\.00: the top performers' numbers were neither higher nor lower/);
    expect(successEffectSentence({ effect: 3 })).toBeNull();
    expect(successDifferenceSentence('calls_per_day', { difference: 4.6154, ci95: [2.03, 6.1] })).toBe(
      'Difference of the medians (top performers minus the others): +4.6 calls a day (95% interval +2.0 to +6.1).',
    );
    expect(successDifferenceSentence('speed_to_lead_hours', { difference: -3.5, ci95: [-6, -0.04] })).toBe(
      'Difference of the medians (top performers minus the others): \u22123.5 hours (95% interval \u22126.0 to 0).',
    );
    expect(successDifferenceSentence('text_share', { difference: 0.12 })).toBe('Difference of the medians (top performers minus the others): +12 points.');
    expect(successDifferenceSentence('calls_per_day', { ci95: [1, 2] })).toBe(
      'Difference of the medians (top performers minus the others): 95% interval +1.0 to +2.0 calls a day.',
    );
    expect(successDifferenceSentence('calls_per_day', {})).toBeNull();
    expect(successTestSentence({ q_value: 0.01 })).toBe('Mann-Whitney U test: p unknown, q = 0.01.');
    expect(successTestSentence({})).toBeNull();
    expect(evidenceSentences({ kind: 'success_pattern', evidence: { top: {}, rest: {} } })).toEqual([]);
    expect(patternKind({ evidence: success })).toBe('success_pattern');
  });

  it('is based on the org’s officers over its own period', () => {
    expect(basisSentence('success_pattern', 90)).toBe("Based on your org's officers over the last 90 days.");
    expect(basisSentence('success_pattern')).toBe("Based on your org's officers over the last 90 days.");
    expect(basisSentence('energy')).toBe('Based on your calls over the last 180 days.');
    expect(basisSentence(null)).toBe('Based on your calls over the last 180 days.');
  });
});

// As GET /api/coach/patterns answers them for the server's Jen Early (coach_test.cc
// ABestTimeToCallComesFromTheContactsOwnHistoryInTheirTimeZone): 8 weeks of a
// call at 2:05 PM New York time (7 answered) and one at 10 AM (none), from an
// officer in Chicago, once with 400 more of the officer's calls in the org
// and once with nothing else (16 calls: too few to pull toward).
const jenWindow = {
  contact_hour: 14,
  officer_hour: 13,
  next_start: '2026-11-23T19:00:00.000Z',
  answer_rate: 0.7632,
  ci95: [0.4974, 0.9182] as [number, number],
  contact_calls: 8,
  contact_reached: 7,
  officer_calls: 8,
  officer_rate: 0.5843,
};
const METHOD =
  "answer rate by hour: the contact's calls shrunk toward the officer's hour-of-day rate (beta-binomial), the officer's toward the org's; 95% Wilson interval on the shrunk counts; a best time is claimed only when its interval lies above the contact's average over the offered hours (or, with fewer than 5 calls to the contact, the officer's best hour above their overall rate on at least 40 calls)";
const jenEvidence = {
  contact_calls: 16,
  contact_reached: 7,
  officer_calls: 416,
  officer_rate: 0.3053,
  org_calls: 416,
  org_rate: 0.3053,
  average_rate: 0.3521,
  prior_strength: { contact: 5, officer: 20, org: 20 },
  method: METHOD,
};
const aloneWindow = { ...jenWindow, answer_rate: 0.875, ci95: [0.5291, 0.9776] as [number, number], officer_rate: 0.6518 };
const aloneEvidence = { ...jenEvidence, officer_calls: 16, officer_rate: 0.4375, org_calls: 16, org_rate: 0.4375, average_rate: 0.4375 };

const SHRUNK =
  'Estimated: at each hour, their calls are counted together with 5 calls at your own answer rate then, your rate with 20 calls at ' +
  "your org's, and the org's with 20 calls at its overall rate, so a few calls cannot make an hour look extreme.";
const OWN = "Their own answer rate at each hour, not pulled toward yours or your org's: your org has logged only 16 calls besides theirs in the last 180 days, too few to go on (20 are needed).";

describe('best time to call a contact', () => {
  it('says the calls at that hour of their day and in all, the estimate against their average, and how it was estimated', () => {
    expect(evidenceSentences({ kind: 'best_call_time', contact_hour: 14, window: jenWindow, evidence: jenEvidence })).toEqual([
      'They answered 7 of 8 calls made between 2 PM and 3 PM their time; 7 of 16 calls to them in all.',
      'Estimated answer rate then: about 76% (95% interval 50% to 92%), against their average of 35% over all the hours you can call them (this one included).',
      SHRUNK,
      "Your own calls over the last 180 days: 31% of 416 answered; your org's, yours included: 31% of 416.",
    ]);
  });

  it('takes the server\'s word on whether the rates were shrunk', () => {
    expect(callTimeShrunk({ org_calls: 5, shrunk: true })).toBe(true);
    expect(callTimeShrunk({ org_calls: 500, shrunk: false })).toBe(false);
    expect(callTimeShrunk({ org_calls: 500 })).toBe(true);
  });

  it('does not claim shrinkage when the org has too few calls to pull toward', () => {
    expect(callTimeShrunk(aloneEvidence)).toBe(false);
    expect(callTimeShrunk(jenEvidence)).toBe(true);
    // Nothing says otherwise: as the method says.
    expect(callTimeShrunk({})).toBe(true);
    expect(evidenceSentences({ kind: 'best_call_time', contact_hour: 14, window: aloneWindow, evidence: aloneEvidence })).toEqual([
      'They answered 7 of 8 calls made between 2 PM and 3 PM their time; 7 of 16 calls to them in all.',
      'Answer rate then: 88% (95% interval 53% to 98%), against their average of 44% over the hours you can call them that have calls to go on (this one included).',
      OWN,
    ]);
    expect(callTimeMethodSentence({ org_calls: 1 })).toMatch(/your org has logged only 1 call besides theirs in the last 180 days/);
    expect(callTimeYardstickSentence(aloneEvidence)).toBeNull();
    expect(callTimeBasisSentence(aloneEvidence)).toBe('Based on every call logged with this contact, by the hour of their day.');
  });

  it('explains the coach\'s call tip from the hour and evidence an insight carries', () => {
    const insight = {
      type: 'pattern' as const,
      suggested_action: 'call_contact',
      action_params: {
        kind: 'best_call_time',
        subject: 'contact:1',
        generated_at: '2026-11-21T16:46:26.525Z',
        contact_id: 1,
        contact_hour: 14,
        evidence: jenEvidence,
      },
    };
    const why = insightEvidence(insight)!;
    expect(why.kind).toBe('best_call_time');
    expect(why.generated_at).toBe('2026-11-21T16:46:26.525Z');
    expect(why.sentences).toEqual([
      'Of the 16 calls logged with them, 7 were answered; the coach singles out the hour between 2 PM and 3 PM their time.',
      'The coach names this hour because the 95% interval of its estimated answer rate lies above their average of 35% over all the hours you can call them (this one included).',
      SHRUNK,
      "Your own calls over the last 180 days: 31% of 416 answered; your org's, yours included: 31% of 416.",
    ]);
    // About this contact's calls, not "your calls over the last 180 days".
    expect(why.basis).toBe(
      "Based on every call logged with this contact, by the hour of their day, and on your own and your org's calls by hour over the last 180 days.",
    );
    const alone = insightEvidence({ ...insight, action_params: { ...insight.action_params, evidence: aloneEvidence } })!;
    expect(alone.sentences).toEqual([
      'Of the 16 calls logged with them, 7 were answered; the coach singles out the hour between 2 PM and 3 PM their time.',
      'The coach names this hour because the 95% interval of its answer rate lies above their average of 44% over the hours you can call them that have calls to go on (this one included).',
      OWN,
    ]);
    expect(alone.basis).toBe('Based on every call logged with this contact, by the hour of their day.');
    // Recognised by its evidence too; a call tip that is not a pattern's has nothing to explain.
    expect(patternKind({ evidence: jenEvidence })).toBe('best_call_time');
    expect(insightEvidence({ type: 'action', suggested_action: 'call_contact', action_params: { contact_id: 1 } })).toBeNull();
  });

  it('names the hour from noon to midnight, and copes with one call and missing fields', () => {
    expect([11, 12, 23].map(hourSpan)).toEqual(['between 11 AM and noon', 'between noon and 1 PM', 'between 11 PM and midnight']);
    expect(callTimeCallsSentence(9, { contact_calls: 1, contact_reached: 1 }, { contact_calls: 1, contact_reached: 1 })).toBe(
      'They answered 1 of 1 call made between 9 AM and 10 AM their time; 1 of 1 call to them in all.',
    );
    expect(callTimeCallsSentence(9, jenWindow, {})).toBe('They answered 7 of 8 calls made between 9 AM and 10 AM their time.');
    expect(callTimeCallsSentence(undefined, null, { contact_calls: 5, contact_reached: 1 })).toBe('Of the 5 calls logged with them, 1 was answered.');
    expect(callTimeCallsSentence(14, null, {})).toBe('The coach singles out the hour between 2 PM and 3 PM their time.');
    expect(callTimeCallsSentence(undefined, null, {})).toBeNull();
    expect(callTimeRateSentence({ answer_rate: 0.7632, ci95: null }, {})).toBe('Estimated answer rate then: about 76%.');
    expect(callTimeRateSentence(null, { average_rate: null })).toBeNull();
    expect(callTimeMethodSentence({})).toMatch(/^Estimated: at each hour, their calls are counted together with calls at your own answer rate then/);
    expect(evidenceSentences({ kind: 'best_call_time', evidence: { method: METHOD } })).toEqual([callTimeMethodSentence({})]);
    expect(evidenceSentences({ kind: 'best_call_time' })).toEqual([]);
  });
});
