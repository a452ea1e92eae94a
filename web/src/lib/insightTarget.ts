// Where "Take Action" on a coach insight goes: the specific record or a list
// filtered to exactly the records the insight is about.
import type { CoachInsight } from '../types';

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function insightTarget(insight: Pick<CoachInsight, 'suggested_action' | 'action_params' | 'entity_type' | 'entity_id'>): string | null {
  const p = insight.action_params ?? {};
  switch (insight.suggested_action) {
    case 'view_task': {
      const id = num(p.task_id);
      return id ? `/tasks?task=${id}` : '/tasks';
    }
    case 'view_deal': {
      const id = num(p.deal_id) ?? (insight.entity_type === 'deal' ? num(insight.entity_id) : undefined);
      return id ? `/deals/${id}` : '/deals';
    }
    case 'view_stale_leads': {
      const params = new URLSearchParams({ stale: String(num(p.stale_lead_days) ?? 7) });
      return `/contacts?${params}`;
    }
    case 'view_overdue_tasks':
      return '/tasks?filter=overdue';
    case 'call_contact': {
      const id = num(p.contact_id) ?? (insight.entity_type === 'contact' ? num(insight.entity_id) : undefined);
      return id ? `/contacts/${id}?log=call` : '/contacts';
    }
    case 'create_task': {
      const params = new URLSearchParams({ new: '1' });
      if (typeof p.title === 'string') params.set('title', p.title);
      if (typeof p.priority === 'string') params.set('priority', p.priority);
      const deal = num(p.deal_id);
      const contact = num(p.contact_id);
      if (deal) params.set('deal_id', String(deal));
      if (contact) params.set('contact_id', String(contact));
      return `/tasks?${params}`;
    }
    case 'view_patterns': {
      // The Patterns page, with the finding the insight is about highlighted
      // (one kind can have several: best days for calls, appointments, applications).
      const kind = typeof p.kind === 'string' && /^[a-z_]{1,40}$/.test(p.kind) ? p.kind : undefined;
      if (!kind) return '/patterns';
      const subject = typeof p.subject === 'string' && /^[a-z_]{1,40}$/.test(p.subject) ? p.subject : undefined;
      return subject ? `/patterns?kind=${kind}&subject=${subject}` : `/patterns?kind=${kind}`;
    }
    default:
      if (insight.entity_type === 'deal' && num(insight.entity_id)) return `/deals/${insight.entity_id}`;
      if (insight.entity_type === 'contact' && num(insight.entity_id)) return `/contacts/${insight.entity_id}`;
      if (insight.entity_type === 'task' && num(insight.entity_id)) return `/tasks?task=${insight.entity_id}`;
      return null;
  }
}

// The task the coach suggests for a content topic (its content_demand
// insight's create_task), and where the create-task flow opens with it.
export function contentTaskTitle(topic: string): string {
  return `Record a video about ${topic}`;
}

export function contentTaskTarget(topic: string): string {
  return insightTarget({ suggested_action: 'create_task', action_params: { title: contentTaskTitle(topic), priority: 'medium' } }) ?? '/tasks?new=1';
}

export function actionLabel(action?: string | null): string {
  switch (action) {
    case 'view_task':
      return 'View task';
    case 'view_deal':
      return 'Open deal';
    case 'view_stale_leads':
      return 'See leads';
    case 'view_overdue_tasks':
      return 'See overdue tasks';
    case 'call_contact':
      return 'Log a call';
    case 'create_task':
      return 'Create task';
    case 'view_patterns':
      return 'See patterns';
    default:
      return 'Take Action';
  }
}
