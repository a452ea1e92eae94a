import { describe, expect, it } from 'vitest';
import {
  aucSentence,
  featureEffects,
  featureSentence,
  formatChance,
  horizonSentence,
  learnedFromSentence,
  liftLabel,
  moreLeads,
  reasonDescription,
  retrainedSentence,
  topFeatures,
  trainedAt,
} from './leadScore';
import type { LeadFeature } from '../types';

// As GET /api/coach/lead-model answers them (a history where Zillow leads convert).
const features: LeadFeature[] = [
  { key: 'calls=1', label: '1 call so far', weight: 0.0312, prevalence: 0.4412 },
  { key: 'calls=2', label: '2 calls so far', weight: -0.2104, prevalence: 0.3301 },
  { key: 'reached=0', label: 'Not reached on a call yet', weight: -0.6931, prevalence: 0.2 },
  { key: 'source=facebook', label: 'Source: Facebook', weight: -0.9, prevalence: 0.3 },
  { key: 'source=zillow', label: 'Source: Zillow', weight: 1.4978, prevalence: 0.4088 },
  { key: 'texted', label: 'Texted', weight: 0.9, prevalence: 0.12 },
  { key: 'emailed', label: 'Emailed', weight: 0.04, prevalence: 0.5 },
];

describe('a lead\'s chance', () => {
  it('is a percentage rounded honestly', () => {
    expect(formatChance(0.3412)).toBe('34%');
    expect(formatChance(0.048)).toBe('4.8%');
    expect(formatChance(0.9996)).toBe('>99.9%');
    expect(formatChance(null)).toBe('—');
    expect(formatChance(undefined)).toBe('—');
  });

  it('is a multiple of the average lead, to two figures', () => {
    expect(liftLabel(0.3412, 0.1625)).toBe('2.1× the average lead');
    expect(liftLabel(0.62, 0.05)).toBe('12× the average lead');
    expect(liftLabel(0.073, 0.1625)).toBe('0.45× the average lead');
    expect(liftLabel(0.1625, 0.1625)).toBe('about the average lead');
    expect(liftLabel(0.1599, 0.16)).toBe('about the average lead');
    expect(liftLabel(0.00001, 0.5)).toBe('<0.01× the average lead');
  });

  it('has no multiple without a chance or a base rate', () => {
    expect(liftLabel(0.3, undefined)).toBeNull();
    expect(liftLabel(0.3, 0)).toBeNull();
    expect(liftLabel(null, 0.2)).toBeNull();
    expect(liftLabel(Number.NaN, 0.2)).toBeNull();
  });

  it('says what each reason does, in words', () => {
    expect(reasonDescription({ label: 'Source: Zillow', effect: 1.1314, direction: 'up' })).toBe(
      'Source: Zillow raises the chance against the average lead (odds 3.1-fold higher)',
    );
    expect(reasonDescription({ label: 'No calls yet', effect: -0.5, direction: 'down' })).toBe(
      'No calls yet lowers the chance against the average lead (odds 1.6-fold lower)',
    );
    expect(reasonDescription({ label: 'Texted', effect: Number.NaN, direction: 'up' })).toBe('Texted raises the chance against the average lead');
  });
});

describe('what the model learned', () => {
  it('measures each feature against the average lead, as the reasons do', () => {
    const e = Object.fromEntries(featureEffects(features).map((f) => [f.key, f.effect]));
    // A source against the prevalence-weighted average source (0.3423).
    expect(e['source=zillow']).toBeCloseTo(1.1555, 4);
    expect(e['source=facebook']).toBeCloseTo(-1.2423, 4);
    // A calls bin against the average bin; a flag against its prevalence.
    expect(e['calls=2']).toBeCloseTo(-0.1547, 4);
    expect(e['texted']).toBeCloseTo(0.792, 4);
    expect(featureEffects(null)).toEqual([]);
  });

  it('picks the largest effects either way, leaving out those that barely matter', () => {
    expect(topFeatures(features, 3).map((f) => f.key)).toEqual(['source=facebook', 'source=zillow', 'texted']);
    // "Emailed" moves a lead by 0.02 log-odds: left out however many are asked for.
    expect(topFeatures(features).map((f) => f.key)).toEqual(['source=facebook', 'source=zillow', 'texted', 'reached=0', 'calls=2', 'calls=1']);
    expect(topFeatures(features, 0)).toEqual([]);
    // Equal effects: by label.
    const twins: LeadFeature[] = [
      { key: 'tag=b', label: 'Tagged b', weight: 1, prevalence: 0.5 },
      { key: 'tag=a', label: 'Tagged a', weight: -1, prevalence: 0.5 },
    ];
    expect(topFeatures(twins).map((f) => f.key)).toEqual(['tag=a', 'tag=b']);
    // The input is left as it was.
    expect(features[0].key).toBe('calls=1');
  });

  it('puts an effect in words with its direction and how common the feature was', () => {
    const [facebook, zillow, , reached] = topFeatures(features);
    expect(zillow.key).toBe('source=zillow');
    expect(featureSentence(zillow)).toBe('Source: Zillow raises the odds of a loan 3.2-fold against the average lead (in 41% of the calls learned from).');
    expect(featureSentence(facebook)).toBe('Source: Facebook lowers the odds of a loan 3.5-fold against the average lead (in 30% of the calls learned from).');
    expect(featureSentence(reached)).toBe('Not reached on a call yet lowers the odds of a loan 1.7-fold against the average lead (in 20% of the calls learned from).');
    expect(featureSentence({ key: 'met', label: 'Had a meeting', weight: 2.7, prevalence: 0, effect: 2.7 })).toBe(
      'Had a meeting raises the odds of a loan 15-fold against the average lead.',
    );
  });

  it('says what it learned from and how well it ranked leads it never saw', () => {
    expect(learnedFromSentence({ examples: 1012, converted: 301 }, 30)).toBe(
      "Learned from 1,012 calls to leads in your org's history, 301 of them followed by a loan within 30 days.",
    );
    expect(aucSentence({ holdout: 250, holdout_converted: 76, auc: 0.7812, auc_interval: [0.7234, 0.8391] })).toBe(
      'Tested on 250 calls to leads it never saw (76 followed by a loan): AUC 0.78, 95% interval 0.72 to 0.84. ' +
        '0.5 is a coin toss; 1 would rank every lead that converted above every one that did not.',
    );
  });
});

describe('the page around it', () => {
  it('says what the chance means and when the model was trained', () => {
    expect(horizonSentence(30)).toBe("The chance is that a loan is opened within 30 days after your next call, estimated from your org's own history.");
    expect(horizonSentence(undefined)).toMatch(/within 30 days/);
    const now = new Date('2026-11-21T16:15:00Z');
    expect(trainedAt('2026-11-21T16:10:00Z', 'America/Chicago', now)).toBe('Trained Nov 21, 10:10 AM (5 min ago)');
    expect(trainedAt('2026-11-21T16:10:00Z', 'America/Chicago', now, 'Checked')).toBe('Checked Nov 21, 10:10 AM (5 min ago)');
    expect(trainedAt('not a time', 'America/Chicago', now)).toBeNull();
    expect(trainedAt(undefined)).toBeNull();
  });

  it('counts the open leads the list leaves out', () => {
    expect(moreLeads(23, 20)).toBe('3 more open leads');
    expect(moreLeads(21, 20)).toBe('1 more open lead');
    expect(moreLeads(1020, 20)).toBe('1,000 more open leads');
    expect(moreLeads(8, 8)).toBeNull();
    expect(moreLeads(0, 0)).toBeNull();
    expect(moreLeads(undefined, 0)).toBeNull();
  });

  it('says what a retrain found', () => {
    expect(retrainedSentence('ready')).toBe('Retrained: the ranking is ready.');
    expect(retrainedSentence('not_predictive')).toMatch(/no better than chance/);
    expect(retrainedSentence('insufficient_data')).toMatch(/not enough history/);
    expect(retrainedSentence(undefined)).toBe('Retrained.');
  });
});
