import { describe, expect, it } from 'vitest';
import {
  badgeFraction,
  competitionTiming,
  defaultFreezeDate,
  feedKey,
  finishIntent,
  formatGameAmount,
  formatGameValue,
  freezeDateProblem,
  freezeWindow,
  idleIntent,
  isoWeekday,
  ledgerReason,
  mergeFeed,
  milestoneNote,
  newRequestId,
  ordinal,
  parseWhole,
  peopleFromFeed,
  pointsTableChanges,
  signedPoints,
  startIntent,
  stockLabel,
  streakHeadline,
  thisCycleRange,
  thisMonthRange,
  validateCompetition,
} from './game';
import type { FeedItem } from '../types';

describe('points', () => {
  it('reads an award reason as labelled parts', () => {
    const r = ledgerReason({ kind: 'award', reason: 'call 1 + conversation 2 + appointment 10 + application 25' });
    expect(r.parts).toEqual([
      { label: 'Call', points: 1 },
      { label: 'Reached someone', points: 2 },
      { label: 'Appointment set', points: 10 },
      { label: 'Application taken', points: 25 },
    ]);
    expect(r.text).toBe('Call, Reached someone, Appointment set, Application taken');
    expect(ledgerReason({ kind: 'award', reason: 'loan_funded 50' }).parts).toEqual([{ label: 'Loan funded', points: 50 }]);
  });

  it('reads redemptions and refunds, and passes unknown reasons through', () => {
    expect(ledgerReason({ kind: 'redeem', reason: 'redeemed Coffee + cake' }).text).toBe('Redeemed: Coffee + cake');
    expect(ledgerReason({ kind: 'refund', reason: 'refunded Coffee' }).text).toBe('Refunded: Coffee');
    expect(ledgerReason({ kind: 'award', reason: 'a bonus' })).toEqual({ text: 'a bonus', parts: [] });
    expect(ledgerReason({ kind: 'redeem', reason: '' }).text).toBe('Redeemed a reward');
  });

  it('signs points', () => {
    expect(signedPoints(38)).toBe('+38');
    expect(signedPoints(-1200)).toBe('−1,200');
    expect(signedPoints(0)).toBe('0');
  });

  it('parses whole numbers in range', () => {
    expect(parseWhole(' 1,000 ', 0, 1000)).toBe(1000);
    expect(parseWhole('0', 0, 1000)).toBe(0);
    expect(parseWhole('1001', 0, 1000)).toBeNull();
    expect(parseWhole('2.5', 0, 1000)).toBeNull();
    expect(parseWhole('-1', 0, 1000)).toBeNull();
    expect(parseWhole('', 0, 1000)).toBeNull();
  });

  it('sends only the changed actions of the points table', () => {
    const actions = [
      { key: 'call', points: 1 },
      { key: 'application', points: 25 },
      { key: 'email', points: 1 },
    ];
    expect(pointsTableChanges(actions, { call: '1', application: '30' })).toEqual({ changes: { application: 30 } });
    expect(pointsTableChanges(actions, {})).toEqual({ changes: {} });
    expect(pointsTableChanges(actions, { email: '2000' })).toEqual({ error: 'Enter a whole number from 0 to 1,000', key: 'email' });
  });
});

describe('badges and streaks', () => {
  it('turns badge progress into a fraction', () => {
    expect(badgeFraction({ value: 3, threshold: 10 })).toBe(0.3);
    expect(badgeFraction({ value: 12, threshold: 10 })).toBe(1);
    expect(badgeFraction({ value: 1, threshold: 0 })).toBe(0);
  });

  it('knows weekdays and the freeze window', () => {
    expect(isoWeekday('2026-11-21')).toBe(6); // a Saturday
    expect(isoWeekday('2026-11-22')).toBe(7);
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(freezeWindow('2026-11-21')).toEqual({ min: '2026-11-14', max: '2026-11-20' });
  });

  it('offers the latest working day not frozen yet', () => {
    // Monday the 23rd: Sunday and Saturday are days off, Friday the 20th is next.
    expect(defaultFreezeDate('2026-11-23', [1, 2, 3, 4, 5], [])).toBe('2026-11-20');
    expect(defaultFreezeDate('2026-11-23', [1, 2, 3, 4, 5], ['2026-11-20'])).toBe('2026-11-19');
    expect(defaultFreezeDate('2026-11-23', undefined, [])).toBe('2026-11-20');
    expect(defaultFreezeDate('2026-11-23', [7], [])).toBe('2026-11-22');
  });

  it('checks a freeze date before asking the server', () => {
    const today = '2026-11-23';
    expect(freezeDateProblem('2026-11-20', today, [1, 2, 3, 4, 5])).toBeNull();
    expect(freezeDateProblem('2026-11-23', today, [1, 2, 3, 4, 5])).toMatch(/last 7 days, before today/);
    expect(freezeDateProblem('2026-11-15', today, [1, 2, 3, 4, 5])).toMatch(/last 7 days/);
    expect(freezeDateProblem('2026-11-16', today, [1, 2, 3, 4, 5])).toBeNull();
    expect(freezeDateProblem('2026-11-22', today, [1, 2, 3, 4, 5])).toMatch(/not one of your working days/);
    expect(freezeDateProblem('', today, [1, 2, 3, 4, 5])).toBe('Choose a date');
  });

  it('words the streak', () => {
    expect(streakHeadline({ current: 0 })).toBe('No streak yet');
    expect(streakHeadline({ current: 1 })).toBe('1 working day in a row');
    expect(streakHeadline({ current: 7 })).toBe('7 working days in a row');
    expect(milestoneNote({ current: 4, next_milestone: 5 })).toBe('1 more day to the 5-day milestone');
    expect(milestoneNote({ current: 0, next_milestone: 5 })).toBe('5 more days to the 5-day milestone');
    expect(milestoneNote({ current: 250, next_milestone: null })).toBeNull();
  });
});

describe('the redeem intent', () => {
  it('makes one request id per click intent and ignores clicks in flight', () => {
    let n = 0;
    const make = () => `id-${++n}`;
    const first = startIntent(idleIntent, make)!;
    expect(first.requestId).toBe('id-1');
    expect(first.state.inFlight).toBe(true);
    // The second click of a double click: ignored.
    expect(startIntent(first.state, make)).toBeNull();
    // Answered (201, or a 409): the next click is a new intent.
    const done = finishIntent(first.state, 201);
    expect(done).toEqual(idleIntent);
    expect(startIntent(done, make)!.requestId).toBe('id-2');
    expect(finishIntent(first.state, 409)).toEqual(idleIntent);
  });

  it('keeps the id after a failure the server may not have seen, so a retry is answered once', () => {
    let n = 0;
    const make = () => `id-${++n}`;
    const first = startIntent(idleIntent, make)!;
    for (const status of [0, 503]) {
      const after = finishIntent(first.state, status);
      expect(after).toEqual({ requestId: 'id-1', inFlight: false });
      expect(startIntent(after, make)!.requestId).toBe('id-1');
    }
  });

  it('makes distinct ids', () => {
    const a = newRequestId();
    const b = newRequestId();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThan(8);
    expect(a.length).toBeLessThanOrEqual(100);
  });

  it('labels stock', () => {
    expect(stockLabel(0)).toBe('Out of stock');
    expect(stockLabel(1)).toBe('Last one');
    expect(stockLabel(1200)).toBe('1,200 left');
  });
});

describe('leaderboards', () => {
  it('formats rates as percents and counts as numbers', () => {
    expect(formatGameValue('conversion_rate', 0.333)).toBe('33.3%');
    expect(formatGameValue('application_rate', 1)).toBe('100%');
    expect(formatGameValue('points', 1234)).toBe('1,234');
    expect(formatGameValue('calls', null)).toBe('—');
  });

  it('writes amounts with their unit', () => {
    expect(formatGameAmount('calls', 1)).toBe('1 call');
    expect(formatGameAmount('calls', 4)).toBe('4 calls');
    expect(formatGameAmount('points', 1200)).toBe('1,200 points');
    expect(formatGameAmount('applications', 1)).toBe('1 application');
    expect(formatGameAmount('conversion_rate', 0.5)).toBe('50% conversion rate');
    expect(formatGameAmount('calls', null)).toBe('—');
  });

  it('writes ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
  });
});

describe('competitions', () => {
  it('presets this month', () => {
    expect(thisMonthRange('2026-11-21')).toEqual({ starts_on: '2026-11-01', ends_on: '2026-11-30' });
    expect(thisMonthRange('2028-02-10')).toEqual({ starts_on: '2028-02-01', ends_on: '2028-02-29' });
    expect(thisMonthRange('2026-12-31')).toEqual({ starts_on: '2026-12-01', ends_on: '2026-12-31' });
  });

  it('presets the 90-day cycle: 13 weeks from a Monday, back to back from 2024-01-01', () => {
    expect(thisCycleRange('2024-01-01')).toEqual({ starts_on: '2024-01-01', ends_on: '2024-03-31' });
    expect(thisCycleRange('2024-03-31')).toEqual({ starts_on: '2024-01-01', ends_on: '2024-03-31' });
    expect(thisCycleRange('2024-04-01')).toEqual({ starts_on: '2024-04-01', ends_on: '2024-06-30' });
    const c = thisCycleRange('2026-11-21');
    expect(isoWeekday(c.starts_on)).toBe(1);
    expect(c.starts_on <= '2026-11-21' && '2026-11-21' <= c.ends_on).toBe(true);
    // Within the server's 100-day limit.
    expect(validateCompetition({ name: 'Cycle', metric: 'calls', kind: 'team', rules: '', ...c })).toEqual({});
  });

  it('validates the form as the server does', () => {
    const ok = { name: 'November calls', metric: 'calls', kind: 'individual', starts_on: '2026-11-01', ends_on: '2026-11-30', rules: '' };
    expect(validateCompetition(ok)).toEqual({});
    expect(validateCompetition({ ...ok, name: '  ' }).name).toBeTruthy();
    expect(validateCompetition({ ...ok, name: 'x'.repeat(101) }).name).toBe('At most 100 characters');
    expect(validateCompetition({ ...ok, ends_on: '2026-10-31' }).ends_on).toBe('End on or after the start');
    expect(validateCompetition({ ...ok, ends_on: '2027-02-09' }).ends_on).toBe('At most 100 days long'); // 100 days after
    expect(validateCompetition({ ...ok, ends_on: '2027-02-08' })).toEqual({}); // 99 days after: 100 days inclusive
    expect(validateCompetition({ ...ok, kind: 'x' }).kind).toBeTruthy();
    expect(validateCompetition({ ...ok, starts_on: '' }).starts_on).toBe('Choose a start date');
    expect(validateCompetition({ ...ok, rules: 'r'.repeat(2001) }).rules).toBeTruthy();
  });

  it('words the timing', () => {
    const c = { starts_on: '2026-11-01', ends_on: '2026-11-30' };
    expect(competitionTiming({ ...c, status: 'live' }, '2026-11-21')).toBe('Ends in 9 days');
    expect(competitionTiming({ ...c, status: 'live' }, '2026-11-29')).toBe('Ends tomorrow');
    expect(competitionTiming({ ...c, status: 'live' }, '2026-11-30')).toBe('Ends today');
    expect(competitionTiming({ ...c, status: 'upcoming' }, '2026-10-31')).toBe('Starts tomorrow');
    expect(competitionTiming({ ...c, status: 'upcoming' }, '2026-10-20')).toBe('Starts in 12 days');
    expect(competitionTiming({ ...c, status: 'ended' }, '2026-12-02')).toBe('Results are in');
  });
});

describe('the feed', () => {
  const kudos = (id: number, from: [number, string], to: [number, string]): FeedItem => ({
    id,
    kind: 'kudos',
    from: { id: from[0], name: from[1] },
    to: { id: to[0], name: to[1] },
    message: 'Nice',
    created_at: '2026-11-21T10:00:00.000Z',
  });
  const badge: FeedItem = {
    kind: 'badge',
    user: { id: 7, name: 'Bea' },
    badge: 'first_application',
    badge_name: 'First application',
    created_at: '2026-11-21T09:00:00.000Z',
  };

  it('keys items (badge unlocks have no id)', () => {
    expect(feedKey(kudos(3, [1, 'A'], [2, 'B']))).toBe('kudos-3');
    expect(feedKey(badge)).toBe('badge-7-first_application');
  });

  it('finds the people in the feed, without me, by name', () => {
    const items = [kudos(3, [1, 'Zed'], [2, 'Amy']), kudos(2, [2, 'Amy'], [5, 'Me']), badge];
    expect(peopleFromFeed(items, 5)).toEqual([
      { id: 2, name: 'Amy' },
      { id: 7, name: 'Bea' },
      { id: 1, name: 'Zed' },
    ]);
  });

  it('joins pages once each', () => {
    const a = kudos(3, [1, 'A'], [2, 'B']);
    const b = kudos(2, [1, 'A'], [2, 'B']);
    expect(mergeFeed([[a, badge], [badge, b]]).map(feedKey)).toEqual(['kudos-3', 'badge-7-first_application', 'kudos-2']);
  });
});
