import { describe, expect, it } from 'vitest';
import { actionLabel, contentTaskTarget, contentTaskTitle, insightTarget } from './insightTarget';

describe('view_patterns', () => {
  it('opens the Patterns page at the finding the insight is about', () => {
    expect(insightTarget({ suggested_action: 'view_patterns', action_params: { kind: 'best_days', subject: 'calls' } })).toBe(
      '/patterns?kind=best_days&subject=calls',
    );
    // Best days come three ways: the subject picks the card.
    expect(insightTarget({ suggested_action: 'view_patterns', action_params: { kind: 'best_days', subject: 'appointments' } })).toBe(
      '/patterns?kind=best_days&subject=appointments',
    );
    expect(insightTarget({ suggested_action: 'view_patterns', action_params: { kind: 'energy' } })).toBe('/patterns?kind=energy');
    expect(insightTarget({ suggested_action: 'view_patterns', action_params: { kind: 'behavior_link', subject: 'x&y=1' } })).toBe(
      '/patterns?kind=behavior_link',
    );
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

describe('a content topic', () => {
  it('opens the create-task flow with the task the coach suggests', () => {
    expect(contentTaskTitle('VA loans')).toBe('Record a video about VA loans');
    expect(contentTaskTarget('VA loans')).toBe('/tasks?new=1&title=Record+a+video+about+VA+loans&priority=medium');
    expect(contentTaskTarget('First-time buyers & gifts')).toBe('/tasks?new=1&title=Record+a+video+about+First-time+buyers+%26+gifts&priority=medium');
    // The same URL as its insight's Take Action.
    expect(
      insightTarget({
        suggested_action: 'create_task',
        action_params: { kind: 'content_demand', topic: 'VA loans', title: 'Record a video about VA loans', priority: 'medium', evidence: {} },
      }),
    ).toBe(contentTaskTarget('VA loans'));
  });
});

describe('a best time to call', () => {
  it("opens the contact to log the call (the insight names them only in action_params)", () => {
    expect(
      insightTarget({
        suggested_action: 'call_contact',
        entity_type: null,
        entity_id: null,
        action_params: { kind: 'best_call_time', subject: 'contact:42', contact_id: 42, contact_hour: 14, evidence: {} },
      }),
    ).toBe('/contacts/42?log=call');
    expect(actionLabel('call_contact')).toBe('Log a call');
  });
});
