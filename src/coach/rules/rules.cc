#include "coach/rule.h"

namespace chosen::coach {

std::unique_ptr<Rule> MakeNewLeadSpeed();
std::unique_ptr<Rule> MakeDealWonReferral();
std::unique_ptr<Rule> MakeTaskCompletedNext();
std::unique_ptr<Rule> MakeDealCreatedFollowup();
std::unique_ptr<Rule> MakeStaleLeads();
std::unique_ptr<Rule> MakeStuckDeals();
std::unique_ptr<Rule> MakeOverdueTasks();
std::unique_ptr<Rule> MakePatternInsights();

std::vector<std::unique_ptr<Rule>> BuiltinRules() {
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(MakeNewLeadSpeed());
  rules.push_back(MakeDealWonReferral());
  rules.push_back(MakeTaskCompletedNext());
  rules.push_back(MakeDealCreatedFollowup());
  rules.push_back(MakeStaleLeads());
  rules.push_back(MakeStuckDeals());
  rules.push_back(MakeOverdueTasks());
  rules.push_back(MakePatternInsights());
  return rules;
}

}  // namespace chosen::coach
