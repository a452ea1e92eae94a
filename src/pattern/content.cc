#include "pattern/content.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "common/time_util.h"
#include "pattern/stats.h"

namespace chosen::pattern {
namespace {

// Lower-case words of letters and digits, a plural "s" dropped ("buyers"
// and "buyer" are one word; "business" keeps its "ss").
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (word.size() > 3 && word.back() == 's' && word[word.size() - 2] != 's') word.pop_back();
    if (!word.empty()) out.push_back(std::move(word));
    word.clear();
  };
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u)) word += static_cast<char>(std::tolower(u));
    else flush();
  }
  flush();
  return out;
}

// "VA loans" for the loan types (the deal's loan_type values), else the
// topic as first written.
std::string Label(const std::vector<std::string>& words, const std::string& first_spelling) {
  static const std::map<std::string, std::string> kLoanTypes{
      {"conventional", "Conventional"}, {"fha", "FHA"}, {"va", "VA"}, {"usda", "USDA"}, {"jumbo", "Jumbo"}};
  if (words.size() == 1)
    if (auto it = kLoanTypes.find(words[0]); it != kLoanTypes.end()) return it->second + " loans";
  return first_spelling;
}

}  // namespace

std::vector<std::string> TopicWords(std::string_view topic) {
  auto words = Words(topic);
  if (words.size() > 1 && words.back() == "loan") words.pop_back();
  return words;
}

bool Mentions(std::string_view about, const std::vector<std::string>& topic_words) {
  if (topic_words.empty()) return false;
  const auto words = Words(about);
  return std::search(words.begin(), words.end(), topic_words.begin(), topic_words.end()) != words.end();
}

std::vector<json::object> FindContentDemand(const std::vector<OpenContact>& open, const std::vector<Post>& posts,
                                            TimestampMs now, const ContentOptions& options) {
  struct Demand {
    std::string first_spelling;
    std::int64_t leads = 0, prospects = 0;
  };
  std::map<std::vector<std::string>, Demand> demand;
  for (const auto& c : open) {
    std::set<std::vector<std::string>> seen;  // a contact counts once per topic
    for (const auto& t : c.topics) {
      auto words = TopicWords(t);
      if (words.empty() || !seen.insert(words).second) continue;
      Demand& d = demand.try_emplace(words, Demand{t}).first->second;
      (c.status == "PROSPECT" ? d.prospects : d.leads) += 1;
    }
  }
  struct Found {
    std::vector<std::string> words;
    Demand demand;
    std::optional<TimestampMs> last_post;
  };
  std::vector<Found> found;
  for (const auto& [words, d] : demand) {
    if (d.leads + d.prospects < options.min_contacts) continue;
    std::optional<TimestampMs> last;
    for (const auto& p : posts)
      if (p.at >= now - options.lookback && Mentions(p.about, words) && (!last || p.at > *last)) last = p.at;
    if (last && *last >= now - options.recent) continue;  // covered lately
    found.push_back({words, d, last});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    const auto na = a.demand.leads + a.demand.prospects, nb = b.demand.leads + b.demand.prospects;
    return na != nb ? na > nb : a.words < b.words;
  });
  if (found.size() > options.max_findings) found.resize(options.max_findings);
  constexpr TimestampMs kDay = 24 * 3600 * 1000LL;
  const auto days = options.recent / kDay;
  std::vector<json::object> out;
  for (const auto& f : found) {
    const std::string label = Label(f.words, f.demand.first_spelling);
    const std::int64_t n = f.demand.leads + f.demand.prospects;
    std::string message = fmt::format(
        "Create a video about {}: {} of your open leads and prospects share it, and {}.", label, n,
        f.last_post ? fmt::format("your last post about it was {} days ago", (now - *f.last_post) / kDay)
                    : fmt::format("you have not posted about it in {} days", options.lookback / kDay));
    out.push_back(json::object{
        {"type", "content_demand"},
        {"topic", label},
        {"message", std::move(message)},
        {"evidence",
         json::object{{"contacts", n},
                      {"leads", f.demand.leads},
                      {"prospects", f.demand.prospects},
                      {"open_contacts", static_cast<std::int64_t>(open.size())},
                      {"share", Round(static_cast<double>(n) / static_cast<double>(open.size()))},
                      {"last_post_at", f.last_post ? json::value(FormatIso(*f.last_post)) : json::value(nullptr)},
                      {"window_days", days},
                      {"lookback_days", options.lookback / kDay},
                      {"method", fmt::format("open leads and prospects tagged with the topic or with an open loan of "
                                             "that type, counted once each; claimed from {} when no video or social "
                                             "post in the last {} days mentions it",
                                             options.min_contacts, days)}}}});
  }
  return out;
}

}  // namespace chosen::pattern
