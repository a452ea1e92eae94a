import { describe, expect, it } from 'vitest';
import { actionLabel, insightTarget } from './insightTarget';

describe('view_patterns', () => {
  it('opens the Patterns page at the finding the insight is about', () => {
    expect(insightTarget({ suggested_action: 'view_patterns', action_params: { kind: 'best_days', subject: 'calls' } })).toBe(
      '/patterns?kind=best_days',
    );
    expect(insightTarget({ suggested_action: 'view_patterns', action_params: { kind: 'energy' } })).toBe('/patterns?kind=energy');
  });

  it('opens the page itself without a usable kind', () => {
    expect(insightTarget({ suggested_action: 'view_patterns', action_params: null })).toBe('/patterns');
    expect(insightTarget({ suggested_action: 'view_patterns', action_params: { kind: 'x&y=1' } })).toBe('/patterns');
    expect(insightTarget({ suggested_action: 'view_patterns', action_params: { kind: 3 } })).toBe('/patterns');
  });

  it('is labelled "See patterns"', () => {
    expect(actionLabel('view_patterns')).toBe('See patterns');
    expect(actionLabel('something_new')).toBe('Take Action');
  });
});
