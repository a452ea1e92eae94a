// The four CRM resources and the event-log reader. Each is a Resource with
// its field table and hooks; see resource.h for the shared behaviour.
#pragma once

#include <memory>

#include "crm/resource.h"

namespace chosen::crm {

// Contacts: people and referral partners an officer works with.
std::unique_ptr<Resource> MakeContacts(store::Database& db, const Clock& clock, const EventLog& events);
// Deals: loans moving through the pipeline.
std::unique_ptr<Resource> MakeDeals(store::Database& db, const Clock& clock, const EventLog& events);
// Tasks: an officer's to-dos.
std::unique_ptr<Resource> MakeTasks(store::Database& db, const Clock& clock, const EventLog& events);
// Activities: calls, texts, emails, meetings, posts and notes; append-only.
std::unique_ptr<Resource> MakeActivities(store::Database& db, const Clock& clock, const EventLog& events);

// Lists the event log visible to `actor`, newest first by default. Filters:
// action (comma list), entity_type, entity_id, user_id, since, until.
Result<Page> ListEvents(store::Database& db, const auth::Actor& actor, const QueryParams& params);

// Cross-field rules of the resources' hooks, shared with the importer
// (src/transfer) so a record is valid the same way whichever way it comes in.
// Each returns kInvalidArgument naming the field.
//   - an outcome of answered, no_answer or voicemail applies only to calls;
//   - an activity cannot have occurred more than 5 minutes after `now`;
//   - a task's due_time needs a due_date.
Status CheckActivityOutcome(std::string_view type, std::string_view outcome);
Status CheckOccurredAt(TimestampMs occurred_at, TimestampMs now);
Status CheckDueTime(bool has_due_date, bool has_due_time);

// Contact statuses, deal stages etc., for documentation and the demo.
extern const std::vector<std::string_view> kContactStatuses;
extern const std::vector<std::string_view> kDealStages;
extern const std::vector<std::string_view> kLoanTypes;
extern const std::vector<std::string_view> kActivityTypes;

}  // namespace chosen::crm
