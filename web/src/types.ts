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
  // The accountability hub's pushes (docs/api.md, coach settings). The PUT
  // resets an absent field to its default, so the whole object is always sent.
  morning_push_time: string; // "HH:MM", 04:00-11:00 local
  pace_nudges: boolean;
  daily_summary: boolean;
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

// --- The accountability hub (docs/api.md: goals, the daily, weekly and
// monthly views, the plan, peer bands, reports, notifications). ---

export const GOAL_METRICS = [
  'calls',
  'conversations',
  'appointments',
  'applications',
  'closings',
  'posts',
  'partner_meetings',
  'funded_volume',
] as const;
export type GoalMetric = (typeof GOAL_METRICS)[number];
export const GOAL_PERIODS = ['day', 'week', 'month', 'cycle'] as const;
export type GoalPeriod = (typeof GOAL_PERIODS)[number];

export interface Goal {
  id: number;
  user_id: number;
  metric: GoalMetric;
  period: GoalPeriod;
  target: number;
  set_by: number;
  created_at: string;
  updated_at: string;
}

export interface ProgressMetric {
  metric: GoalMetric | string;
  actual: number;
  target: number | null;
  percent: number | null; // actual / target, a fraction (1 = met); null without a goal
}

// GET /api/goals/progress (and the scoreboard of the daily view).
export interface Progress {
  user_id: number;
  period: GoalPeriod;
  from: string;
  to: string; // exclusive
  timezone: string;
  metrics: ProgressMetric[];
}

export type MustDoKind =
  | 'overdue_task'
  | 'new_lead'
  | 'task_due_today'
  | 'deal_closing'
  | 'hot_lead'
  | 'deal_stuck'
  | 'partner_check_in';

export interface MustDoItem {
  kind: MustDoKind | string;
  score: number;
  title: string;
  reason: string;
  entity_type: 'task' | 'contact' | 'deal' | string;
  entity_id: number;
}

export interface Pace {
  hour: number; // the local hour "by" which
  usual: number; // median calls by then
  p25: number;
  actual: number;
  behind: boolean; // actual below p25
  message: string;
}

// GET /api/hub/today.
export interface HubToday {
  user_id: number;
  date: string;
  timezone: string;
  scoreboard: Progress;
  pace: Pace | null;
  must_do: MustDoItem[];
  tasks: { due_today: number; done_today: number; overdue: number };
}

// SSE `celebration`: the hub's (task, goal, personal best) and
// gamification's (a badge unlocked, a streak milestone, a competition won).
export interface Celebration {
  kind: 'task' | 'goal' | 'personal_best' | 'badge' | 'streak' | 'competition' | string;
  title: string;
  body: string;
  metric?: string;
  period?: string;
  value?: number;
  target?: number;
  badge?: string; // kind badge: its key
  competition_id?: number; // kind competition
}

export type NotificationKind =
  | 'morning_push'
  | 'pace_nudge'
  | 'celebration'
  | 'daily_summary'
  | 'weekly_plan'
  | 'cycle_review'
  | 'monthly_report'
  | 'reward'
  | 'kudos';

export interface HubNotification {
  id: number;
  kind: NotificationKind | string;
  title: string;
  body: string;
  data: Record<string, any> | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage {
  items: HubNotification[];
  unread: number;
  next_before: number | null;
}

export type PlanStatus = 'planned' | 'done' | 'skipped';

export interface PlanItem {
  id: number;
  user_id: number;
  week: string; // its Monday
  day: number | null; // 1 = Monday .. 7 = Sunday; null: not yet scheduled
  position: number; // 0-based within the day
  title: string;
  status: PlanStatus;
  created_at: string;
  updated_at: string;
}

export interface PlanWeek {
  user_id: number;
  week: string;
  items: PlanItem[];
}

export interface Thermometer {
  percent: number;
  goals: number;
  goals_met: number;
  plan_items: number;
  plan_done: number;
  plan_credit: boolean; // the plan itself counts as the first 10%
  message: string;
}

// GET /api/hub/week.
export interface HubWeek {
  user_id: number;
  week: { from: string; to: string };
  timezone: string;
  progress: Progress;
  thermometer: Thermometer;
  best_days: { subject: string; days: string[]; message: string }[];
  content_calendar: { date: string; weekday: string; topic: string; open_contacts: number; posted: boolean }[];
}

export type PeerBand = 'top_10' | 'top_25' | 'upper_half' | 'lower_half' | 'bottom_25' | 'level';

// GET /api/hub/peers.
export interface PeerBands {
  scope: 'team' | 'org';
  period: 'week' | 'month';
  from: string;
  to: string;
  group_size: number;
  min_group: number;
  status: 'ok' | 'too_small';
  message: string;
  metrics: { metric: string; you: number; band: PeerBand | string; label: string }[];
}

export interface TrendMetric {
  metric: string;
  current: number;
  previous: number;
  change: number;
  percent_change: number | null;
  direction: 'up' | 'down' | 'steady';
}

export interface Trend {
  current: { from: string; to: string };
  previous: { from: string; to: string };
  metrics: TrendMetric[];
}

export interface Recommendation {
  goal_id: number;
  metric: GoalMetric | string;
  period: GoalPeriod | string;
  target: number;
  action: 'raise' | 'hold' | 'lower';
  suggested_target: number;
  reason: string;
  history: { from: string; actual: number; percent: number | null }[];
}

export interface Achievement {
  title: string;
  body: string;
  created_at: string;
}

export interface CycleReview {
  number: number;
  from: string;
  to: string;
  goals: number;
  goals_met: number;
  metrics: ProgressMetric[];
}

// GET /api/hub/month.
export interface HubMonth {
  user_id: number;
  month: { from: string; to: string };
  timezone: string;
  progress: Progress;
  cycle: {
    number: number;
    from: string;
    to: string;
    day: number;
    days: number;
    elapsed_percent: number; // 0-100
    progress: Progress; // the cycle's, as GET /api/goals/progress?period=cycle
    review: CycleReview | null;
  };
  trends: { week: Trend; month: Trend };
  recommendations: Recommendation[];
  achievements: Achievement[];
}

// GET /api/hub/reports/team.
export interface TeamReport {
  team_id: number;
  team: string;
  month: string;
  members: { user_id: number; name: string; metrics: Record<string, number>; goals: number; goals_met: number }[];
  totals: Record<string, number>;
}

// --- Gamification (docs/api.md: /api/game/..., /api/kudos, /api/feed) ---

// GET /api/game/points-table.
export interface PointsAction {
  key: string;
  label: string;
  points: number;
  default: number;
}
export interface PointsTable {
  actions: PointsAction[];
  updated_at: string | null;
}

export interface GameLevel {
  number: number;
  name: string;
  min_points: number;
  next: null | { number: number; name: string; min_points: number; points_to_go: number; progress: number };
}

export interface GameBadge {
  key: string;
  name: string;
  description: string;
  earned_at: string | null;
  progress: { value: number; threshold: number };
}

export interface GameStreak {
  current: number;
  today_done: boolean;
  since: string | null;
  next_milestone: number | null;
  freezes_left: number;
  recent_freezes: string[];
}

// GET /api/game/profile.
export interface GameProfile {
  user_id: number;
  points: { lifetime: number; balance: number };
  level: GameLevel;
  badges: GameBadge[];
  counters: Record<string, number>;
  streak: GameStreak | null; // only in one's own profile
}

export interface LedgerEntry {
  id: number;
  kind: 'award' | 'redeem' | 'refund';
  points: number;
  reason: string;
  event_id: number | null;
  redemption_id: number | null;
  created_at: string;
}
export interface LedgerPage {
  items: LedgerEntry[];
  next_before: number | null;
}

export interface Reward {
  id: number;
  name: string;
  description: string;
  cost: number;
  stock: number;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export type RedemptionStatus = 'pending' | 'approved' | 'rejected';
export interface Redemption {
  id: number;
  user_id: number;
  user_name: string;
  reward_id: number;
  reward: string;
  cost: number;
  status: RedemptionStatus;
  request_id: string;
  note: string | null;
  created_at: string;
  decided_by: number | null;
  decided_at: string | null;
}

export interface Person {
  id: number;
  name: string;
}

export interface KudosItem {
  id: number;
  kind: 'kudos';
  from: Person;
  to: Person;
  message: string;
  created_at: string;
}
export interface BadgeFeedItem {
  kind: 'badge';
  user: Person;
  badge: string;
  badge_name: string;
  created_at: string;
}
export type FeedItem = KudosItem | BadgeFeedItem;
export interface FeedPage {
  items: FeedItem[];
  next_before: string | null; // a position: pass back as `before`
}

// GET /api/users: the org's people, to pick a colleague.
export interface OrgUser {
  id: number;
  name: string;
  role: Role;
  team: { id: number; name: string } | null;
}

export const LEADERBOARD_METRICS = ['points', 'calls', 'conversations', 'applications', 'conversion_rate', 'application_rate'] as const;
export type LeaderboardMetric = (typeof LEADERBOARD_METRICS)[number];
export type LeaderboardPeriod = 'day' | 'week' | 'month';
export type LeaderboardScope = 'team' | 'org';

// GET /api/game/leaderboard.
export interface Leaderboard {
  metric: LeaderboardMetric | string;
  period: LeaderboardPeriod;
  scope: LeaderboardScope;
  from: string;
  to: string;
  named: boolean;
  group_size: number;
  unranked: number;
  status: 'ok' | 'too_small';
  message: string;
  items: { rank: number; user_id: number; name: string; value: number; you: boolean }[];
  you: { value: number | null; rank?: number; band?: PeerBand | string; label?: string };
}

export const COMPETITION_METRICS = ['points', 'calls', 'conversations', 'appointments', 'applications', 'closings', 'posts'] as const;
export type CompetitionStatus = 'upcoming' | 'live' | 'ended';
export interface CompetitionSummary {
  id: number;
  name: string;
  metric: string;
  kind: 'individual' | 'team';
  starts_on: string;
  ends_on: string;
  status: CompetitionStatus;
}
export interface Standing {
  rank: number;
  id: number;
  name: string;
  value: number;
  you?: boolean;
}
export interface Competition extends CompetitionSummary {
  timezone: string;
  rules: string;
  named: boolean;
  standings: Standing[];
  you: { rank: number; value: number; of: number } | null;
  winners: Standing[] | null;
  finalized_at: string | null;
}
export interface NewCompetition {
  name: string;
  metric: string;
  kind: 'individual' | 'team';
  starts_on: string;
  ends_on: string;
  rules?: string;
}
