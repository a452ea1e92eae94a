// Shapes of the server's JSON (docs/api.md). Instants are RFC 3339 strings in
// UTC, dates YYYY-MM-DD, ids positive integers.

export type Role = 'officer' | 'manager' | 'admin';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  org: { id: number; name: string };
  team: { id: number; name: string } | null;
  timezone: string;
  working_hours?: { start: string; end: string; days: number[] };
  created_at: string;
  csrf_token?: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export const CONTACT_STATUSES = ['LEAD', 'PROSPECT', 'APPLICANT', 'CLIENT', 'PAST_CLIENT', 'REFERRAL_PARTNER'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export interface Contact {
  id: number;
  owner_id: number;
  name: string;
  email?: string | null;
  phone?: string | null;
  timezone?: string | null;
  status: ContactStatus;
  source?: string | null;
  tags?: string[];
  referred_by?: number | null;
  notes?: string | null;
  last_contacted_at?: string | null;
  created_at: string;
  updated_at: string;
}

export const DEAL_STAGES = [
  'Lead',
  'Pre-Approval',
  'Application',
  'Processing',
  'Underwriting',
  'Clear to Close',
  'Closed Won',
  'Closed Lost',
] as const;
export type DealStage = (typeof DEAL_STAGES)[number];
export const LOAN_TYPES = ['Conventional', 'FHA', 'VA', 'USDA', 'Jumbo', 'Refinance'] as const;
export const PURPOSES = ['Purchase', 'Rate/Term Refinance', 'Cash-Out Refinance', 'Construction', 'Home Equity'] as const;

export interface Deal {
  id: number;
  owner_id: number;
  title: string;
  contact_id?: number | null;
  value?: number | null;
  loan_type?: string | null;
  purpose?: string | null;
  stage: DealStage;
  stage_changed_at?: string | null;
  expected_close_date?: string | null;
  closed_at?: string | null;
  created_at: string;
  updated_at: string;
}

export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export type TaskStatus = 'pending' | 'in_progress' | 'completed';

export interface Task {
  id: number;
  owner_id: number;
  title: string;
  notes?: string | null;
  priority: TaskPriority;
  status: TaskStatus;
  due_date?: string | null;
  due_time?: string | null;
  contact_id?: number | null;
  deal_id?: number | null;
  completed_at?: string | null;
  created_at: string;
  updated_at: string;
}

export const ACTIVITY_TYPES = ['call', 'text', 'email', 'meeting', 'video_post', 'social_post', 'note'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const CALL_OUTCOMES = ['answered', 'no_answer', 'voicemail'] as const;
export const ANY_OUTCOMES = ['appointment_set', 'application_taken'] as const;

export interface Activity {
  id: number;
  owner_id: number;
  type: ActivityType;
  outcome?: string | null;
  occurred_at: string;
  duration_seconds?: number | null;
  contact_id?: number | null;
  deal_id?: number | null;
  topic?: string | null;
  tags?: string[];
  notes?: string | null;
  created_at: string;
}

export interface CrmEvent {
  id: number;
  user_id: number;
  action: string;
  entity_type: string;
  entity_id: number | null;
  metadata: Record<string, unknown>;
  created_at: string;
}

// Coach types (the seed plan's Task 9).
export type InsightType = 'action' | 'time' | 'pattern';
export type InsightPriority = 'low' | 'medium' | 'high';

export interface CoachInsight {
  id: number;
  type: InsightType;
  priority: InsightPriority;
  rule?: string;
  message: string;
  suggested_action?: string | null;
  action_params?: Record<string, any> | null;
  entity_type?: string | null;
  entity_id?: number | null;
  seen: boolean;
  dismissed: boolean;
  created_at: string;
  expires_at?: string | null;
}

export interface CoachSettings {
  coach_level: 1 | 2 | 3;
  coach_enabled: boolean;
  stale_lead_days: number;
  stuck_deal_days: number;
}

export interface CheckInsightRequest {
  action: string;
  entity_type: string;
  entity_id?: number;
  metadata?: Record<string, any>;
}

export interface DemoInfo {
  demo: boolean;
  password: string;
  logins: { email: string; name: string; role: Role; team: string }[];
}

// Pattern findings (GET /api/coach/patterns; docs/coaching-rules.md "Patterns").
// Rates are fractions 0..1; differences and intervals are fractions too.
// Every field is optional here on purpose: the same evidence also travels in
// an insight's action_params, and the UI must cope with a partial object.
// A best-days comparison names its successes after its metric: `answered`
// (answer_rate), `appointments` (appointment_rate) or `applications`
// (application_rate).
export interface PatternComparison {
  weekday?: string;
  rate?: number;
  calls?: number;
  answered?: number;
  appointments?: number;
  applications?: number;
  rate_other?: number;
  calls_other?: number;
  difference?: number;
  ci95?: [number, number];
  p_value?: number;
  q_value?: number;
}

export interface BestDaysEvidence {
  comparisons?: PatternComparison[];
  tests?: number;
  fdr?: number;
  method?: string;
}

export interface EnergySide {
  calls?: number;
  converted?: number;
  rate?: number;
}

export interface EnergyEvidence {
  before?: EnergySide;
  after?: EnergySide;
  // before − after, with its 95% interval.
  difference?: number;
  ci95?: [number, number];
  p_value?: number;
  q_value?: number;
  tests?: number;
  fdr?: number;
  method?: string;
}

// What a best day is best at: reaching people (subject "calls"), setting
// appointments ("appointments") or taking applications ("applications").
export type BestDaysMetric = 'answer_rate' | 'appointment_rate' | 'application_rate';

export interface BestDaysWeekday {
  weekday: string;
  calls: number;
  answered?: number;
  appointments?: number;
  applications?: number;
  rate: number;
  shrunk_rate?: number;
}

export interface BestDaysPattern {
  kind: 'best_days';
  subject: string;
  generated_at?: string;
  type: 'best_days';
  metric?: BestDaysMetric | string;
  days?: string[];
  message: string;
  evidence?: BestDaysEvidence;
  by_weekday?: BestDaysWeekday[];
}

export interface EnergyPattern {
  kind: 'energy';
  subject: string;
  generated_at?: string;
  type: 'energy_drop';
  metric?: string;
  split_hour?: number;
  message: string;
  evidence?: EnergyEvidence;
  by_hour?: { hour: number; calls: number; converted: number; rate: number }[];
}

export interface BehaviorLinkEvidence {
  after?: EnergySide;
  otherwise?: EnergySide;
  // after − otherwise, with its 95% interval.
  difference?: number;
  relative_lift?: number;
  ci95?: [number, number];
  p_value?: number;
  q_value?: number;
  posts?: number;
  window_hours?: number;
  tests?: number;
  fdr?: number;
  method?: string;
}

export interface BehaviorLinkPattern {
  kind: 'behavior_link';
  subject: string;
  generated_at?: string;
  type: 'behavior_link';
  metric?: string;
  activity?: string;
  message: string;
  evidence?: BehaviorLinkEvidence;
}

// A description of the officer's habit (no claim): calls made by each hour.
export interface PacePattern {
  kind: 'pace';
  subject: string;
  generated_at?: string;
  type: 'pace';
  metric?: string;
  days?: number;
  message: string;
  evidence?: { days?: number; method?: string };
  by_hour?: { hour: number; median: number; p25: number; p75: number }[];
}

// A topic many of the officer's open leads and prospects share that no recent
// post covered: a count, not an inference.
export interface ContentDemandEvidence {
  contacts?: number; // open leads and prospects who share the topic
  leads?: number;
  prospects?: number;
  open_contacts?: number; // all the officer's open leads and prospects
  share?: number; // contacts / open_contacts, 0..1
  last_post_at?: string | null; // the latest video or social post about it in 180 days; null: none
  window_days?: number; // a post this recent would have covered it
  method?: string;
}

export interface ContentDemandPattern {
  kind: 'content_demand';
  subject: string;
  generated_at?: string;
  type: 'content_demand';
  topic?: string;
  message: string;
  evidence?: ContentDemandEvidence;
}

// What top performers do differently (the org's officers over 90 days): only
// the two groups' sizes and medians, and the reader's own value (`you`).
export type SuccessMetric =
  | 'calls_per_day'
  | 'conversations_per_day'
  | 'text_share'
  | 'email_share'
  | 'meetings_per_week'
  | 'posts_per_week'
  | 'morning_calls'
  | 'speed_to_lead_hours';

export interface SuccessGroup {
  officers?: number;
  median?: number;
}

export interface SuccessEvidence {
  top?: SuccessGroup;
  rest?: SuccessGroup;
  // top − rest of the medians, with a 95% bootstrap interval (newer servers).
  difference?: number;
  ci95?: [number, number];
  effect?: number; // rank-biserial correlation of top over rest, −1..1
  p_value?: number;
  q_value?: number;
  tests?: number;
  fdr?: number;
  method?: string;
}

export interface SuccessPattern {
  kind: 'success_pattern';
  subject: string;
  generated_at?: string;
  type: 'success_pattern';
  metric?: SuccessMetric | string;
  noun?: string;
  message: string;
  evidence?: SuccessEvidence;
  you?: number | null;
  period?: { from?: string; to?: string; days?: number };
}

// How sure a best time to call a contact is (the same object as the
// `evidence` of GET /api/contacts/{id}/best-time): all of the contact's calls,
// the officer's and the org's answer rates by hour that each hour's estimate
// is pulled toward, and how hard (pseudo-calls). Below 20 calls in the org
// there is nothing to pull toward and the rates are the contact's own.
export interface BestCallTimeEvidence {
  contact_calls?: number; // every call logged with the contact
  contact_reached?: number;
  officer_calls?: number; // the officer's calls over the last 180 days, the contact's own left out
  officer_rate?: number;
  org_calls?: number; // the org's officers' (the officer's included), the contact's own left out
  org_rate?: number;
  average_rate?: number | null; // the contact's average over the hours offered (the best one included)
  shrunk?: boolean; // false: too few other calls in the org, the rates are the contact's own
  prior_strength?: { contact?: number; officer?: number; org?: number };
  method?: string;
}

// An open lead or prospect whose own answers single out an hour to call them
// (up to three, best estimated rate first). `window` is the best window of
// GET /api/contacts/{id}/best-time, without its HH:MM labels.
export interface BestCallTimePattern {
  kind: 'best_call_time';
  subject: string; // "contact:42"
  generated_at?: string;
  type: 'best_call_time';
  contact_id: number;
  name: string;
  contact_hour: number;
  officer_hour: number;
  contact_timezone: string;
  message: string;
  window?: Omit<BestTimeWindow, 'contact_local' | 'officer_local'> & Partial<Pick<BestTimeWindow, 'contact_local' | 'officer_local'>>;
  evidence?: BestCallTimeEvidence;
}

export type Pattern =
  | BestDaysPattern
  | EnergyPattern
  | BehaviorLinkPattern
  | PacePattern
  | ContentDemandPattern
  | BestCallTimePattern
  | SuccessPattern;

// GET /api/contacts/{id}/best-time (docs/api.md, Contacts).
export interface BestTimeWindow {
  contact_hour: number;
  contact_local: string;
  officer_hour: number;
  officer_local: string;
  next_start: string;
  answer_rate: number | null;  // null: no call to go on yet
  ci95: [number, number] | null;
  contact_calls: number;
  contact_reached: number;
  officer_calls: number;
  officer_rate: number;
}

export interface BestTime {
  contact_id: number;
  name: string;
  contact_timezone: string;
  officer_timezone: string;
  basis: 'contact' | 'officer' | 'none';
  claim: boolean;
  message: string;
  windows: BestTimeWindow[];
  evidence: { contact_calls: number; contact_reached: number; officer_calls: number; method?: string };
}

export interface PatternsResponse {
  user_id: number;
  generated_at: string;
  period: { from: string; to: string; days: number };
  patterns: Pattern[];
}

// The lead priority model (GET /api/coach/lead-model, POST .../refresh): one
// per org, learned from its own history. Numbers mean something only when
// status is 'ready'; otherwise `message` says why there is no ranking.
export type LeadModelStatus = 'ready' | 'not_predictive' | 'insufficient_data';

export interface LeadFeature {
  key: string;
  label: string;  // "Source: Zillow", "No calls yet"
  weight: number;  // log-odds
  prevalence: number;  // share of the calls learned from that had it, 0..1
}

export interface LeadModelFit {
  examples: number;
  converted: number;
  holdout: number;
  holdout_converted: number;
  holdout_contacts?: number;
  auc: number;
  auc_interval: [number, number];
  predictive: boolean;
  intercept: number;
  features: LeadFeature[];
}

interface LeadModelHeader {
  org_id: number;
  trained_at: string;
  horizon_days: number;
  status: LeadModelStatus;
  message: string;
}

export interface LeadModel extends LeadModelHeader {
  model: LeadModelFit | null;
}

// A feature that moves one lead's chance against the average lead.
export interface LeadReason {
  feature: string;
  label: string;
  effect: number;  // log-odds against the average lead
  direction: 'up' | 'down';
}

export interface LeadScoreItem {
  contact_id: number;
  name: string;
  status: 'LEAD' | 'PROSPECT';
  source: string | null;
  probability: number;
  reasons: LeadReason[];
}

// GET /api/coach/lead-scores: an officer's open leads, most likely first.
export interface LeadScores extends LeadModelHeader {
  user_id: number;
  open_leads: number;
  base_rate?: number;  // only when ready
  items: LeadScoreItem[];
}

// GET /api/contacts/{id}/score.
export interface ContactLeadScore extends LeadModelHeader {
  contact_id: number;
  name: string;
  scored: boolean;
  probability: number | null;
  reasons: LeadReason[];
  base_rate?: number;
}
