// "Create a video about VA loans: 6 of your open leads and prospects share
// it": topics (contact tags, the loan types of their open deals) that many of
// an officer's open leads and prospects share and that none of the
// officer's recent video or social posts covered. A count, not an inference:
// it is claimed only above a minimum, with the counts as its evidence.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json_util.h"

namespace chosen::pattern {

struct ContentOptions {
  int min_contacts = 5;                           // open leads and prospects who share the topic
  TimestampMs recent = 30 * 24 * 3600 * 1000LL;   // a post this recent about the topic covers it
  TimestampMs lookback = 180 * 24 * 3600 * 1000LL; // posts older than this are not looked at
  std::size_t max_findings = 3;                   // the most shared topics first
};

// An open lead or prospect: its status and its topics (tags and the loan
// types of its open deals, as written).
struct OpenContact {
  std::string status;
  std::vector<std::string> topics;
};

// A video or social post: when, and what it was about (its topic and tags
// as text).
struct Post {
  TimestampMs at = 0;
  std::string about;
};

// The words of a topic as the engine compares them: lower case, letters and
// digits, a plural "s" dropped, a trailing "loan" dropped ("VA loans" and
// the loan type "VA" are one topic). Empty for a topic with no words.
std::vector<std::string> TopicWords(std::string_view topic);

// Whether `about` mentions the topic: its words appear together, in order.
bool Mentions(std::string_view about, const std::vector<std::string>& topic_words);

// Topics shared by at least min_contacts of `open` and not mentioned by any
// post since now - recent, most shared first, at most max_findings (JSON:
// type "content_demand", topic (a label: "VA loans" for a loan type, the
// first spelling of a tag otherwise), message, evidence {contacts, leads,
// prospects, open_contacts, share, last_post_at (ISO or null: the latest
// post about it within the lookback), window_days, method}). Pure.
std::vector<json::object> FindContentDemand(const std::vector<OpenContact>& open, const std::vector<Post>& posts,
                                            TimestampMs now, const ContentOptions& options = {});

}  // namespace chosen::pattern
