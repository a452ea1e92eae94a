// bench_gen: writes a deterministic benchmark dataset in the JSON-lines import
// format (docs/import-format.md) for `chosen import FILE --org NAME`.
//
//   bench_gen --size small|large [--seed N] [--end YYYY-MM-DD] [-o FILE]
//   bench_gen --stream-users N [-o FILE]      users only, for the SSE fan-out bench
//
// The same arguments always produce the same bytes: the RNG is our own
// (splitmix64 seeding xoshiro256**), every distribution is computed here
// (no std:: distributions, whose output differs between standard libraries),
// time zones are the US rules implemented below (no tz database), and
// nothing reads the clock. Officers are `officerNN@bench.chosen.test`; the
// stream users are `streamNNNN@stream.bench.chosen.test`. No one has a
// password: the bench logs in with API tokens (`chosen token create`).
//
// What it models: officers in US time zones who work weekdays (Saturdays
// lightly, Sundays rarely), mostly 8:00-18:00 local with a mid-morning and a
// mid-afternoon peak and a lunch dip, each with their own volume and start
// hour; business that grows over the two years with a spring peak and a
// December dip; leads that get touched most soon after they arrive; calls
// with answered / no-answer / voicemail outcomes and durations; appointments
// and applications; deals in every stage (old ones mostly closed); tasks that
// are mostly completed once due, with some left overdue.
#include <algorithm>
#include <array>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ---------------------------------------------------------------- RNG

std::uint64_t SplitMix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& w : s_) w = SplitMix64(seed);
  }
  std::uint64_t Next() {  // xoshiro256**
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n), n > 0 (rejection, so exactly uniform).
  std::uint64_t Below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x;
    do x = Next();
    while (x >= limit);
    return x % n;
  }
  std::int64_t Range(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool Chance(double p) { return Unit() < p; }
  // Index into `weights` with probability proportional to its weight.
  template <typename W>
  std::size_t Weighted(const W& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double r = Unit() * total;
    std::size_t i = 0;
    for (double w : weights) {
      if (r < w) return i;
      r -= w;
      ++i;
    }
    return i - 1;
  }
  template <typename T, std::size_t N>
  const T& Pick(const std::array<T, N>& a) {
    return a[Below(N)];
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// ---------------------------------------------------------------- calendar

// Days since 1970-01-01 for a civil date, and back (Howard Hinnant's algorithms).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t y;
  unsigned m, d;
};

Civil CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

// ISO weekday, Monday = 1 .. Sunday = 7.
int Weekday(std::int64_t days) {
  std::int64_t w = (days + 3) % 7;  // 1970-01-01 was a Thursday
  if (w < 0) w += 7;
  return static_cast<int>(w) + 1;
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// ---------------------------------------------------------------- time zones

struct Zone {
  const char* name;
  int std_offset_h;  // hours east of UTC in standard time
  bool dst;          // observes US daylight saving time
  std::array<const char*, 3> area_codes;
};

constexpr std::array<Zone, 6> kZones = {{
    {"America/New_York", -5, true, {"212", "404", "617"}},
    {"America/Chicago", -6, true, {"312", "214", "612"}},
    {"America/Denver", -7, true, {"303", "801", "505"}},
    {"America/Phoenix", -7, false, {"602", "480", "520"}},
    {"America/Los_Angeles", -8, true, {"213", "415", "206"}},
    {"Pacific/Honolulu", -10, false, {"808", "808", "808"}},
}};
constexpr std::array<double, 6> kZoneWeights = {0.34, 0.28, 0.10, 0.06, 0.20, 0.02};

// US rules since 2007: DST from the second Sunday of March to the first Sunday
// of November. Decided on the local date, which is exact for every hour we
// generate (the switch happens at 2:00, before anyone's working day).
bool InDst(std::int64_t local_day) {
  const Civil c = CivilFromDays(local_day);
  if (c.m < 3 || c.m > 11) return false;
  if (c.m > 3 && c.m < 11) return true;
  const std::int64_t first = DaysFromCivil(c.y, c.m, 1);
  const int wd = Weekday(first);
  const std::int64_t first_sunday = first + (7 - wd) % 7;
  if (c.m == 3) return local_day >= first_sunday + 7;
  return local_day < first_sunday;
}

int OffsetSeconds(const Zone& z, std::int64_t local_day) {
  return (z.std_offset_h + (z.dst && InDst(local_day) ? 1 : 0)) * 3600;
}

// UTC seconds for a local date and second-of-day in `z`.
std::int64_t LocalToUtc(const Zone& z, std::int64_t local_day, std::int64_t second_of_day) {
  return local_day * 86400 + second_of_day - OffsetSeconds(z, local_day);
}

// The local date of a UTC instant in `z`.
std::int64_t LocalDay(const Zone& z, std::int64_t utc) {
  std::int64_t day = FloorDiv(utc + z.std_offset_h * 3600, 86400);  // standard time first
  return FloorDiv(utc + OffsetSeconds(z, day), 86400);
}

// ---------------------------------------------------------------- formatting

std::string Instant(std::int64_t t) {
  const std::int64_t day = FloorDiv(t, 86400);
  const std::int64_t sod = t - day * 86400;
  const Civil c = CivilFromDays(day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04" PRId64 "-%02u-%02uT%02d:%02d:%02dZ", c.y, c.m, c.d, static_cast<int>(sod / 3600),
                static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
  return buf;
}

std::string Date(std::int64_t day) {
  const Civil c = CivilFromDays(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04" PRId64 "-%02u-%02u", c.y, c.m, c.d);
  return buf;
}

// One JSON object, fields appended in order.
class Obj {
 public:
  explicit Obj(std::string& out) : out_(out) { out_ += '{'; }
  Obj& Str(std::string_view k, std::string_view v) {
    Key(k);
    Quote(v);
    return *this;
  }
  Obj& Int(std::string_view k, std::int64_t v) {
    Key(k);
    out_ += std::to_string(v);
    return *this;
  }
  Obj& Time(std::string_view k, std::int64_t t) { return Str(k, Instant(t)); }
  Obj& Strs(std::string_view k, const std::vector<std::string_view>& v) {
    Key(k);
    out_ += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out_ += ',';
      Quote(v[i]);
    }
    out_ += ']';
    return *this;
  }
  void End() { out_ += "}\n"; }

 private:
  void Key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    Quote(k);
    out_ += ':';
  }
  void Quote(std::string_view s) {
    out_ += '"';
    for (char ch : s) {
      switch (ch) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (static_cast<unsigned char>(ch) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", ch);
            out_ += buf;
          } else {
            out_ += ch;
          }
      }
    }
    out_ += '"';
  }
  std::string& out_;
  bool first_ = true;
};

// ---------------------------------------------------------------- vocabulary

constexpr std::array<const char*, 64> kFirst = {
    "James",  "Mary",    "Robert", "Patricia", "John",    "Jennifer", "Michael", "Linda",   "David",   "Elizabeth",
    "William", "Barbara", "Richard", "Susan",   "Joseph",  "Jessica",  "Thomas",  "Sarah",   "Carlos",  "Karen",
    "Daniel", "Lisa",    "Matthew", "Nancy",    "Anthony", "Betty",    "Mark",    "Sandra",  "Luis",    "Ashley",
    "Steven", "Kimberly", "Andrew", "Emily",    "Joshua",  "Donna",    "Kenneth", "Michelle", "Kevin",   "Carol",
    "Brian",  "Amanda",  "Wei",    "Melissa",  "Jose",    "Deborah",  "Ryan",    "Stephanie", "Jacob",  "Rebecca",
    "Gary",   "Sharon",  "Nicholas", "Laura",   "Eric",    "Cynthia",  "Priya",   "Amy",     "Jonathan", "Angela",
    "Hiro",   "Fatima",  "Omar",   "Grace"};
constexpr std::array<const char*, 64> kLast = {
    "Smith",   "Johnson",  "Williams", "Brown",   "Jones",    "Garcia",  "Miller",   "Davis",   "Rodriguez", "Martinez",
    "Hernandez", "Lopez",  "Gonzalez", "Wilson",  "Anderson", "Thomas",  "Taylor",   "Moore",   "Jackson",   "Martin",
    "Lee",     "Perez",    "Thompson", "White",   "Harris",   "Sanchez", "Clark",    "Ramirez", "Lewis",     "Robinson",
    "Walker",  "Young",    "Allen",    "King",    "Wright",   "Scott",   "Torres",   "Nguyen",  "Hill",      "Flores",
    "Green",   "Adams",    "Nelson",   "Baker",   "Hall",     "Rivera",  "Campbell", "Mitchell", "Carter",   "Roberts",
    "Kim",     "Patel",    "Chen",     "Park",    "Shah",     "Cohen",   "O'Brien",  "Murphy",  "Ortiz",     "Reyes",
    "Tanaka",  "Ali",      "Novak",    "Silva"};
constexpr std::array<const char*, 5> kTeams = {"North", "South", "East", "West", "Central"};
constexpr std::array<const char*, 8> kSources = {"Zillow", "referral",  "website",      "open house",
                                                 "past client", "social", "Realtor.com", "LendingTree"};
constexpr std::array<double, 8> kSourceWeights = {0.20, 0.22, 0.15, 0.08, 0.10, 0.10, 0.08, 0.07};
constexpr std::array<const char*, 10> kTags = {"VA loan",   "FHA",        "first-time buyer", "refinance", "jumbo",
                                               "USDA",      "investor",   "self-employed",    "relocation", "downsizing"};
constexpr std::array<const char*, 6> kBrokerages = {"Keller Williams", "RE/MAX", "Coldwell Banker", "Compass",
                                                    "eXp Realty", "Century 21"};

enum Status { kLead, kProspect, kApplicant, kClient, kPastClient, kPartner };
constexpr std::array<const char*, 6> kStatusNames = {"LEAD",   "PROSPECT",    "APPLICANT",
                                                     "CLIENT", "PAST_CLIENT", "REFERRAL_PARTNER"};

constexpr std::array<const char*, 6> kLoanTypes = {"Conventional", "FHA", "VA", "USDA", "Jumbo", "Refinance"};
constexpr std::array<double, 6> kLoanTypeWeights = {0.45, 0.18, 0.12, 0.04, 0.06, 0.15};
constexpr std::array<std::array<int, 2>, 6> kLoanRangeK = {{{150, 650}, {120, 420}, {150, 650}, {90, 320}, {766, 2500},
                                                            {100, 600}}};
constexpr std::array<const char*, 8> kStages = {"Lead",         "Pre-Approval",   "Application", "Processing",
                                                "Underwriting", "Clear to Close", "Closed Won",  "Closed Lost"};

constexpr std::array<const char*, 4> kPriorities = {"low", "medium", "high", "urgent"};
constexpr std::array<double, 4> kPriorityWeights = {0.20, 0.45, 0.25, 0.10};

constexpr std::array<const char*, 7> kActivityTypes = {"call", "text", "email", "meeting", "video_post", "social_post",
                                                       "note"};
constexpr std::array<double, 7> kActivityWeights = {0.42, 0.18, 0.22, 0.05, 0.02, 0.04, 0.07};
constexpr std::array<const char*, 10> kTopics = {"VA loans",        "First-time buyer tips", "Rate update",
                                                 "FHA vs conventional", "Down payment assistance", "Refinance math",
                                                 "Credit score myths", "Jumbo loans",          "Closing costs explained",
                                                 "Market update"};

// Local hour weights 7:00-20:00 on a weekday, and on a Saturday.
constexpr std::array<double, 14> kWeekdayHours = {0.30, 0.85, 1.20, 1.40, 1.30, 0.70, 1.00,
                                                  1.30, 1.30, 1.10, 0.75, 0.45, 0.25, 0.12};
constexpr std::array<double, 14> kSaturdayHours = {0.05, 0.30, 0.90, 1.10, 1.00, 0.70, 0.50,
                                                   0.35, 0.20, 0.10, 0.05, 0.03, 0.02, 0.01};
// ISO weekday weights, Monday first.
constexpr std::array<double, 7> kWeekdayWeights = {1.00, 1.10, 1.05, 1.00, 0.80, 0.22, 0.06};

// ---------------------------------------------------------------- model

struct Size {
  int officers, contacts, deals, tasks;
  std::int64_t activities;
};
constexpr Size kSmall = {5, 1000, 500, 2000, 20000};
constexpr Size kLarge = {50, 50000, 20000, 100000, 1000000};

struct Officer {
  std::string email, name;
  const Zone* zone;
  int team;
  double volume;    // relative activity
  int hour_shift;   // -1 early bird, 0, +1 late
  std::int64_t created_at;
  std::vector<int> contacts;  // indexes, sorted by created_at
  std::vector<int> partners;  // REFERRAL_PARTNER contacts, sorted by created_at
};

struct Contact {
  int owner;
  std::string first, last, company;
  const Zone* zone;
  Status status;
  int source;
  std::uint16_t tags = 0;  // bit set over kTags
  int referred_by = -1;
  std::int64_t created_at;
  std::int64_t last_contacted_at = 0;
  std::int64_t updated_at;
  int note = -1;
  std::vector<int> deals;
  std::string phone, email;
};

struct Deal {
  int owner, contact;
  int loan_type, purpose, stage;
  std::int64_t value;
  std::int64_t created_at, stage_changed_at, closed_at = 0;
  std::int64_t expected_close_day;
};

struct Task {
  int owner, contact = -1, deal = -1, title, priority, status;
  std::int64_t created_at, completed_at = 0, updated_at;
  std::int64_t due_day = -1;
  int due_minute = -1;
};

struct Activity {
  std::int64_t occurred_at;
  int owner, contact = -1, deal = -1;
  std::uint8_t type;
  std::int8_t outcome = -1;  // index into kOutcomes
  std::int8_t topic = -1;
  std::int8_t note = -1;
  std::int32_t duration = -1;
};
constexpr std::array<const char*, 5> kOutcomes = {"answered", "no_answer", "voicemail", "appointment_set",
                                                  "application_taken"};

constexpr std::array<const char*, 6> kContactNotes = {
    "Prefers texts after 5pm.",
    "Relocating for work; needs to close before the school year.",
    "Self-employed: ask for two years of tax returns.",
    "Spouse is a veteran: check VA eligibility.\nWants to keep the payment under $2,400.",
    "Met at the Saturday open house on Maple St.",
    "Rate shopping with two other lenders; send a Loan Estimate quickly.",
};
constexpr std::array<const char*, 6> kActivityNotes = {
    "Discussed rate lock options.",
    "Sent the document checklist.",
    "Left details about the appraisal timeline.",
    "Walked through closing costs line by line.",
    "Asked about down payment gift letters.",
    "Reviewed credit report; two late payments to explain.",
};

class Generator {
 public:
  Generator(const Size& size, std::uint64_t seed, std::int64_t end_day)
      : size_(size), rng_(seed), end_day_(end_day), start_day_(end_day - 730) {}

  void Run(std::FILE* out) {
    MakeOfficers();
    MakeContacts();
    MakeDeals();
    MakeTasks();
    MakeActivities();
    Write(out);
  }

 private:
  // A day in [from, to) weighted by weekday, season and growth; then a
  // working-hours time in `o`'s zone. Returns UTC seconds.
  std::int64_t WorkTime(const Officer& o, std::int64_t from, std::int64_t to) {
    if (to <= from) to = from + 1;
    std::int64_t day;
    int wd;
    for (;;) {
      day = rng_.Range(from, to - 1);
      wd = Weekday(day);
      const Civil c = CivilFromDays(day);
      double w = kWeekdayWeights[static_cast<std::size_t>(wd - 1)];
      if (c.m >= 3 && c.m <= 6) w *= 1.20;  // spring buying season
      if (c.m == 12) w *= 0.70;
      if (c.m == 12 && c.d >= 24 && c.d <= 26) w *= 0.1;
      w *= 0.75 + 0.5 * static_cast<double>(day - start_day_) / 730.0;  // growth
      if (rng_.Unit() * 1.65 < w) break;
    }
    const auto& hours = wd == 6 ? kSaturdayHours : kWeekdayHours;
    int hour = 7 + static_cast<int>(rng_.Weighted(hours)) + (wd == 6 ? 0 : o.hour_shift);
    std::int64_t sod = hour * 3600 + rng_.Range(0, 3599);
    return LocalToUtc(*o.zone, day, sod);
  }

  // The last instant of the data: the end of the last local working day
  // anywhere in the US (Honolulu's 21:00 is 07:00 UTC the next day).
  std::int64_t EndUtc() const { return end_day_ * 86400 + 8 * 3600; }

  void MakeOfficers() {
    std::vector<double> zw(kZoneWeights.begin(), kZoneWeights.end());
    for (int i = 0; i < size_.officers; ++i) {
      Officer o;
      char email[64];
      std::snprintf(email, sizeof email, "officer%02d@bench.chosen.test", i + 1);
      o.email = email;
      o.name = std::string(kFirst[rng_.Below(kFirst.size())]) + " " + kLast[rng_.Below(kLast.size())];
      o.zone = &kZones[rng_.Weighted(zw)];
      o.team = i % static_cast<int>(size_.officers >= 10 ? kTeams.size() : 2);
      o.volume = 0.5 + rng_.Unit();
      o.hour_shift = static_cast<int>(rng_.Range(-1, 1));
      o.created_at = LocalToUtc(*o.zone, start_day_ - rng_.Range(10, 400), 9 * 3600 + rng_.Range(0, 7200));
      officers_.push_back(std::move(o));
    }
    for (const auto& o : officers_) officer_weights_.push_back(o.volume);
  }

  int PickOfficer() { return static_cast<int>(rng_.Weighted(officer_weights_)); }

  std::string Phone(const Zone& z) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "(%s) 555-%04d", z.area_codes[rng_.Below(3)], static_cast<int>(rng_.Below(10000)));
    return buf;
  }

  void MakeContacts() {
    std::vector<double> sw(kSourceWeights.begin(), kSourceWeights.end());
    std::vector<double> zw(kZoneWeights.begin(), kZoneWeights.end());
    contacts_.reserve(static_cast<std::size_t>(size_.contacts));
    for (int i = 0; i < size_.contacts; ++i) {
      Contact c;
      c.owner = PickOfficer();
      const Officer& o = officers_[static_cast<std::size_t>(c.owner)];
      c.first = kFirst[rng_.Below(kFirst.size())];
      c.last = kLast[rng_.Below(kLast.size())];
      c.zone = rng_.Chance(0.85) ? o.zone : &kZones[rng_.Weighted(zw)];
      // Partners (realtors, builders) come early; the book of leads grows over time.
      bool partner = rng_.Chance(0.06);
      c.created_at = partner ? WorkTime(o, start_day_ - 365, start_day_ + 365) : WorkTime(o, start_day_, end_day_);
      const double age_days = static_cast<double>(EndUtc() - c.created_at) / 86400.0;
      if (partner) {
        c.status = kPartner;
        c.company = kBrokerages[rng_.Below(kBrokerages.size())];
        c.source = rng_.Chance(0.5) ? 3 : 1;  // open house / referral
      } else {
        static constexpr std::array<double, 5> young = {0.55, 0.28, 0.10, 0.05, 0.02};
        static constexpr std::array<double, 5> old = {0.20, 0.16, 0.04, 0.14, 0.46};
        c.status = static_cast<Status>(rng_.Weighted(age_days < 60 ? young : old));
        c.source = static_cast<int>(rng_.Weighted(sw));
      }
      const int ntags = partner ? 0 : static_cast<int>(rng_.Weighted(std::array<double, 4>{0.35, 0.40, 0.18, 0.07}));
      for (int t = 0; t < ntags; ++t) c.tags |= static_cast<std::uint16_t>(1u << rng_.Below(kTags.size()));
      if (rng_.Chance(0.25)) c.note = static_cast<int>(rng_.Below(kContactNotes.size()));
      c.phone = rng_.Chance(0.9) ? Phone(*c.zone) : "";
      if (rng_.Chance(0.85)) {
        std::string e = c.first + "." + c.last + std::to_string(i + 1) + "@example.com";
        std::string lower;
        for (char ch : e)
          if (ch != '\'') lower += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        c.email = lower;
      }
      c.updated_at = c.created_at;
      contacts_.push_back(std::move(c));
    }
    // Per-officer lists sorted by creation time, then referrals to partners
    // created earlier.
    std::vector<int> order(contacts_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      const auto& x = contacts_[static_cast<std::size_t>(a)];
      const auto& y = contacts_[static_cast<std::size_t>(b)];
      return x.created_at != y.created_at ? x.created_at < y.created_at : a < b;
    });
    for (int i : order) {
      auto& c = contacts_[static_cast<std::size_t>(i)];
      auto& o = officers_[static_cast<std::size_t>(c.owner)];
      if (c.status == kPartner) {
        o.partners.push_back(i);
      } else {
        o.contacts.push_back(i);
        if (c.source == 1 && !o.partners.empty() && rng_.Chance(0.7))
          c.referred_by = o.partners[rng_.Below(o.partners.size())];
      }
    }
  }

  // A contact of `owner` created before `t`, favouring recent ones (leads are
  // worked hardest when new); -1 if none.
  int RecentContact(int owner, std::int64_t t) {
    const auto& list = officers_[static_cast<std::size_t>(owner)].contacts;
    auto it = std::upper_bound(list.begin(), list.end(), t, [&](std::int64_t v, int idx) {
      return v < contacts_[static_cast<std::size_t>(idx)].created_at;
    });
    const auto k = static_cast<std::size_t>(it - list.begin());
    if (k == 0) return -1;
    const double u = rng_.Unit();
    const auto back = static_cast<std::size_t>(static_cast<double>(k) * u * u * u);
    return list[k - 1 - std::min(back, k - 1)];
  }

  // A referral partner of `owner` created before `t`; -1 if none.
  int Partner(int owner, std::int64_t t) {
    const auto& list = officers_[static_cast<std::size_t>(owner)].partners;
    std::size_t k = 0;
    while (k < list.size() && contacts_[static_cast<std::size_t>(list[k])].created_at <= t) ++k;
    return k == 0 ? -1 : list[rng_.Below(k)];
  }

  void MakeDeals() {
    std::vector<double> lw(kLoanTypeWeights.begin(), kLoanTypeWeights.end());
    deals_.reserve(static_cast<std::size_t>(size_.deals));
    for (int i = 0; i < size_.deals; ++i) {
      Deal d;
      // A contact further along the funnel is likelier to have a deal.
      int ci;
      for (;;) {
        ci = static_cast<int>(rng_.Below(contacts_.size()));
        static constexpr std::array<double, 6> p = {0.25, 0.55, 0.95, 0.95, 0.90, 0.0};
        if (rng_.Chance(p[static_cast<std::size_t>(contacts_[static_cast<std::size_t>(ci)].status)])) break;
      }
      auto& c = contacts_[static_cast<std::size_t>(ci)];
      d.owner = c.owner;
      d.contact = ci;
      const Officer& o = officers_[static_cast<std::size_t>(d.owner)];
      const std::int64_t cday = FloorDiv(c.created_at, 86400);
      d.created_at = WorkTime(o, std::min(cday + rng_.Range(0, 45), end_day_ - 1), std::min(cday + 60, end_day_));
      if (d.created_at < c.created_at) d.created_at = c.created_at + rng_.Range(600, 3600);
      d.loan_type = static_cast<int>(rng_.Weighted(lw));
      if (d.loan_type == 5) {
        d.purpose = rng_.Chance(0.65) ? 1 : 2;  // Rate/Term or Cash-Out
      } else {
        d.purpose = static_cast<int>(rng_.Weighted(std::array<double, 5>{0.90, 0, 0, 0.05, 0.05}));
      }
      const auto& r = kLoanRangeK[static_cast<std::size_t>(d.loan_type)];
      const double u = rng_.Unit();
      d.value = static_cast<std::int64_t>(r[0] + (r[1] - r[0]) * u * u) * 1000 + rng_.Range(0, 9) * 100;
      d.expected_close_day = FloorDiv(d.created_at, 86400) + rng_.Range(25, 60);
      const double age = static_cast<double>(EndUtc() - d.created_at) / 86400.0;
      if (age > 90) {
        d.stage = static_cast<int>(rng_.Weighted(std::array<double, 8>{0.03, 0.03, 0.02, 0.02, 0.02, 0.01, 0.58, 0.29}));
      } else if (age > 30) {
        d.stage = static_cast<int>(rng_.Weighted(std::array<double, 8>{0.06, 0.10, 0.12, 0.14, 0.12, 0.08, 0.26, 0.12}));
      } else {
        d.stage = static_cast<int>(rng_.Weighted(std::array<double, 8>{0.30, 0.28, 0.18, 0.10, 0.06, 0.02, 0.03, 0.03}));
      }
      // Each stage past Lead took some days; moves happen in working hours.
      const std::int64_t move_day = FloorDiv(d.created_at, 86400) + d.stage * rng_.Range(3, 9);
      std::int64_t t = move_day < end_day_ ? WorkTime(o, move_day, move_day + 1) : EndUtc() - rng_.Range(600, 5 * 86400);
      if (t > EndUtc() - 600) t = EndUtc() - rng_.Range(600, 86400);
      if (t < d.created_at) t = d.created_at + rng_.Range(600, 4 * 3600);
      d.stage_changed_at = d.stage == 0 ? d.created_at : t;
      if (d.stage >= 6) {
        d.closed_at = d.stage_changed_at;
        if (d.stage == 6) {  // a won loan makes a client
          c.status = EndUtc() - d.closed_at < 120LL * 86400 ? kClient : kPastClient;
        }
      } else if (c.status == kLead && d.stage >= 2) {
        c.status = kApplicant;
      }
      c.updated_at = std::max(c.updated_at, d.stage_changed_at);
      c.deals.push_back(i);
      deals_.push_back(d);
    }
  }

  void MakeTasks() {
    std::vector<double> pw(kPriorityWeights.begin(), kPriorityWeights.end());
    tasks_.reserve(static_cast<std::size_t>(size_.tasks));
    for (int i = 0; i < size_.tasks; ++i) {
      Task k;
      k.owner = PickOfficer();
      const Officer& o = officers_[static_cast<std::size_t>(k.owner)];
      k.created_at = WorkTime(o, start_day_, end_day_);
      const double r = rng_.Unit();
      if (r < 0.70) {
        k.contact = RecentContact(k.owner, k.created_at);
        if (k.contact >= 0 && rng_.Chance(0.5)) {
          const auto& ds = contacts_[static_cast<std::size_t>(k.contact)].deals;
          for (int di : ds)
            if (deals_[static_cast<std::size_t>(di)].created_at <= k.created_at) k.deal = di;
        }
      }
      k.title = static_cast<int>(rng_.Below(k.deal >= 0 ? 12 : (k.contact >= 0 ? 8 : 4)));
      k.priority = static_cast<int>(rng_.Weighted(pw));
      const std::int64_t local_created = LocalDay(*o.zone, k.created_at);
      if (rng_.Chance(0.9)) {
        k.due_day = local_created + rng_.Range(0, 14);
        if (rng_.Chance(0.3)) k.due_minute = static_cast<int>(rng_.Range(18, 35)) * 30;  // 09:00-17:30
      }
      const std::int64_t ref = k.due_day >= 0 ? k.due_day : local_created + 7;
      const bool past = ref < end_day_ - 3;
      k.status = static_cast<int>(past ? rng_.Weighted(std::array<double, 3>{0.08, 0.04, 0.88})
                                       : rng_.Weighted(std::array<double, 3>{0.60, 0.20, 0.20}));
      k.updated_at = k.created_at;
      if (k.status == 2) {  // done in working hours, by the due date or a little after
        const std::int64_t last = std::min(ref + (rng_.Chance(0.8) ? 1 : 5), end_day_);
        k.completed_at = WorkTime(o, std::min(local_created, last - 1), last);
        if (k.completed_at <= k.created_at) k.completed_at = k.created_at + rng_.Range(600, 3 * 3600);
        if (k.completed_at > EndUtc() - 60) k.completed_at = std::max(k.created_at + 60, EndUtc() - rng_.Range(60, 3600));
        k.updated_at = k.completed_at;
      } else if (k.status == 1) {
        k.updated_at = std::max(k.created_at, std::min(EndUtc() - 60, k.created_at + rng_.Range(600, 3 * 86400)));
      }
      tasks_.push_back(k);
    }
  }

  void MakeActivities() {
    activities_.reserve(static_cast<std::size_t>(size_.activities));
    std::vector<double> tw(kActivityWeights.begin(), kActivityWeights.end());
    for (std::int64_t i = 0; i < size_.activities; ++i) {
      Activity a;
      a.owner = PickOfficer();
      const Officer& o = officers_[static_cast<std::size_t>(a.owner)];
      a.occurred_at = WorkTime(o, start_day_, end_day_);
      a.type = static_cast<std::uint8_t>(rng_.Weighted(tw));
      const std::string_view type = kActivityTypes[a.type];
      if (type == "video_post" || type == "social_post") {
        a.topic = static_cast<std::int8_t>(rng_.Below(kTopics.size()));
        if (type == "video_post") a.duration = static_cast<std::int32_t>(rng_.Range(45, 600));
      } else {
        if (rng_.Chance(0.04)) a.contact = Partner(a.owner, a.occurred_at);  // a realtor partner
        else if (rng_.Chance(0.93)) a.contact = RecentContact(a.owner, a.occurred_at);
        if (a.contact >= 0 && rng_.Chance(0.35)) {
          for (int di : contacts_[static_cast<std::size_t>(a.contact)].deals)
            if (deals_[static_cast<std::size_t>(di)].created_at <= a.occurred_at) a.deal = di;
        }
      }
      if (type == "call") {
        a.outcome = static_cast<std::int8_t>(rng_.Weighted(std::array<double, 3>{0.38, 0.34, 0.28}));
        if (a.outcome == 0) {
          const double u = rng_.Unit();
          a.duration = static_cast<std::int32_t>(60 + 1740 * u * u);
          if (rng_.Chance(0.07)) a.outcome = 3;
          else if (rng_.Chance(0.025)) a.outcome = 4;
        } else {
          a.duration = static_cast<std::int32_t>(a.outcome == 1 ? rng_.Range(0, 30) : rng_.Range(20, 75));
        }
      } else if (type == "meeting") {
        a.duration = static_cast<std::int32_t>(rng_.Range(15, 90) * 60);
        const double u = rng_.Unit();
        if (u < 0.12) a.outcome = 3;
        else if (u < 0.30) a.outcome = 4;
      } else if (type == "text" || type == "email") {
        if (rng_.Chance(0.02)) a.outcome = 3;
      }
      if ((type == "note" || (type == "meeting" && rng_.Chance(0.5)) || rng_.Chance(0.05)))
        a.note = static_cast<std::int8_t>(rng_.Below(kActivityNotes.size()));
      if (a.contact >= 0 && (type == "call" || type == "text" || type == "email" || type == "meeting")) {
        auto& c = contacts_[static_cast<std::size_t>(a.contact)];
        c.last_contacted_at = std::max(c.last_contacted_at, a.occurred_at);
        c.updated_at = std::max(c.updated_at, a.occurred_at);
      }
      activities_.push_back(a);
    }
    std::stable_sort(activities_.begin(), activities_.end(),
                     [](const Activity& x, const Activity& y) { return x.occurred_at < y.occurred_at; });
  }

  std::string TaskTitle(const Task& k) {
    static constexpr std::array<const char*, 12> kTitles = {
        "Post weekly market update video", "Prepare rate sheet for realtor partners", "Review pipeline report",
        "Update CRM notes from open house",  // no contact
        "Call {first} back about rates", "Send pre-approval letter to {name}", "Follow up with {first} after showing",
        "Ask {first} for a referral",  // contact
        "Collect pay stubs from {first}", "Order appraisal for {last} file", "Lock rate for {name}",
        "Schedule closing with title company for {last}"};  // deal
    std::string t = kTitles[static_cast<std::size_t>(k.title)];
    if (k.contact < 0) return t;
    const Contact& c = contacts_[static_cast<std::size_t>(k.contact)];
    auto sub = [&](std::string_view key, const std::string& v) {
      if (auto p = t.find(key); p != std::string::npos) t.replace(p, key.size(), v);
    };
    sub("{first}", c.first);
    sub("{last}", c.last);
    sub("{name}", c.first + " " + c.last);
    return t;
  }

  void Write(std::FILE* out) {
    std::string buf;
    buf.reserve(1 << 20);
    auto flush = [&](bool force) {
      if (force || buf.size() > (1 << 20) - 4096) {
        std::fwrite(buf.data(), 1, buf.size(), out);
        buf.clear();
      }
    };
    auto uid = [](int i) { return "u" + std::to_string(i + 1); };
    auto cid = [](int i) { return "c" + std::to_string(i + 1); };
    auto did = [](int i) { return "d" + std::to_string(i + 1); };
    for (std::size_t i = 0; i < officers_.size(); ++i) {
      const Officer& o = officers_[i];
      Obj(buf)
          .Str("type", "user")
          .Str("external_id", uid(static_cast<int>(i)))
          .Str("email", o.email)
          .Str("name", o.name)
          .Str("role", "officer")
          .Str("team", kTeams[static_cast<std::size_t>(o.team)])
          .Str("timezone", o.zone->name)
          .Time("created_at", o.created_at)
          .End();
    }
    // Partners first: other contacts refer to them.
    for (int pass = 0; pass < 2; ++pass) {
      for (std::size_t i = 0; i < contacts_.size(); ++i) {
        const Contact& c = contacts_[i];
        if ((c.status == kPartner) != (pass == 0)) continue;
        std::string name = c.first + " " + c.last;
        if (!c.company.empty()) name += " (" + c.company + ")";
        Obj j(buf);
        j.Str("type", "contact").Str("external_id", cid(static_cast<int>(i))).Str("owner", uid(c.owner)).Str("name", name);
        if (!c.email.empty()) j.Str("email", c.email);
        if (!c.phone.empty()) j.Str("phone", c.phone);
        j.Str("timezone", c.zone->name).Str("status", kStatusNames[c.status]).Str("source", kSources[static_cast<std::size_t>(c.source)]);
        if (c.tags) {
          std::vector<std::string_view> tags;
          for (std::size_t t = 0; t < kTags.size(); ++t)
            if (c.tags & (1u << t)) tags.push_back(kTags[t]);
          j.Strs("tags", tags);
        }
        if (c.referred_by >= 0) j.Str("referred_by", cid(c.referred_by));
        if (c.note >= 0) j.Str("notes", kContactNotes[static_cast<std::size_t>(c.note)]);
        j.Time("created_at", c.created_at).Time("updated_at", c.updated_at);
        if (c.last_contacted_at) j.Time("last_contacted_at", c.last_contacted_at);
        j.End();
        flush(false);
      }
    }
    for (std::size_t i = 0; i < deals_.size(); ++i) {
      const Deal& d = deals_[i];
      const Contact& c = contacts_[static_cast<std::size_t>(d.contact)];
      static constexpr std::array<const char*, 5> kPurposes = {"Purchase", "Rate/Term Refinance", "Cash-Out Refinance",
                                                                "Construction", "Home Equity"};
      static constexpr std::array<const char*, 5> kShort = {"purchase", "rate/term refi", "cash-out refi",
                                                             "construction loan", "HELOC"};
      std::string title = c.last + " " + kLoanTypes[static_cast<std::size_t>(d.loan_type)] + " " +
                          kShort[static_cast<std::size_t>(d.purpose)];
      if (d.loan_type == 5) title = c.last + " " + kShort[static_cast<std::size_t>(d.purpose)];
      Obj j(buf);
      j.Str("type", "deal")
          .Str("external_id", did(static_cast<int>(i)))
          .Str("owner", uid(d.owner))
          .Str("contact", cid(d.contact))
          .Str("title", title)
          .Int("value", d.value)
          .Str("loan_type", kLoanTypes[static_cast<std::size_t>(d.loan_type)])
          .Str("purpose", kPurposes[static_cast<std::size_t>(d.purpose)])
          .Str("stage", kStages[static_cast<std::size_t>(d.stage)])
          .Time("stage_changed_at", d.stage_changed_at)
          .Str("expected_close_date", Date(d.expected_close_day));
      if (d.closed_at) j.Time("closed_at", d.closed_at);
      j.Time("created_at", d.created_at).Time("updated_at", d.stage_changed_at).End();
      flush(false);
    }
    static constexpr std::array<const char*, 3> kTaskStatus = {"pending", "in_progress", "completed"};
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
      const Task& k = tasks_[i];
      Obj j(buf);
      j.Str("type", "task")
          .Str("external_id", "t" + std::to_string(i + 1))
          .Str("owner", uid(k.owner))
          .Str("title", TaskTitle(k))
          .Str("priority", kPriorities[static_cast<std::size_t>(k.priority)])
          .Str("status", kTaskStatus[static_cast<std::size_t>(k.status)]);
      if (k.due_day >= 0) j.Str("due_date", Date(k.due_day));
      if (k.due_minute >= 0) {
        char hm[16];
        std::snprintf(hm, sizeof hm, "%02d:%02d", k.due_minute / 60, k.due_minute % 60);
        j.Str("due_time", hm);
      }
      if (k.contact >= 0) j.Str("contact", cid(k.contact));
      if (k.deal >= 0) j.Str("deal", did(k.deal));
      if (k.completed_at) j.Time("completed_at", k.completed_at);
      j.Time("created_at", k.created_at).Time("updated_at", k.updated_at).End();
      flush(false);
    }
    for (std::size_t i = 0; i < activities_.size(); ++i) {
      const Activity& a = activities_[i];
      Obj j(buf);
      j.Str("type", "activity")
          .Str("external_id", "a" + std::to_string(i + 1))
          .Str("owner", uid(a.owner))
          .Str("activity_type", kActivityTypes[a.type])
          .Time("occurred_at", a.occurred_at);
      if (a.outcome >= 0) j.Str("outcome", kOutcomes[static_cast<std::size_t>(a.outcome)]);
      if (a.duration >= 0) j.Int("duration_seconds", a.duration);
      if (a.contact >= 0) j.Str("contact", cid(a.contact));
      if (a.deal >= 0) j.Str("deal", did(a.deal));
      if (a.topic >= 0) j.Str("topic", kTopics[static_cast<std::size_t>(a.topic)]);
      if (a.note >= 0) j.Str("notes", kActivityNotes[static_cast<std::size_t>(a.note)]);
      j.End();
      flush(false);
    }
    flush(true);
  }

  Size size_;
  Rng rng_;
  std::int64_t end_day_, start_day_;
  std::vector<Officer> officers_;
  std::vector<double> officer_weights_;
  std::vector<Contact> contacts_;
  std::vector<Deal> deals_;
  std::vector<Task> tasks_;
  std::vector<Activity> activities_;
};

void WriteStreamUsers(int n, std::FILE* out) {
  std::string buf;
  for (int i = 0; i < n; ++i) {
    char email[64], name[32];
    std::snprintf(email, sizeof email, "stream%04d@stream.bench.chosen.test", i + 1);
    std::snprintf(name, sizeof name, "Stream User %04d", i + 1);
    Obj(buf)
        .Str("type", "user")
        .Str("external_id", "s" + std::to_string(i + 1))
        .Str("email", email)
        .Str("name", name)
        .Str("role", "officer")
        .Str("timezone", "America/Chicago")
        .End();
  }
  std::fwrite(buf.data(), 1, buf.size(), out);
}

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "error: %s\nusage: bench_gen --size small|large [--seed N] [--end YYYY-MM-DD] [-o FILE]\n"
               "       bench_gen --stream-users N [-o FILE]\n",
               why);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string size_name, out_path, end = "2026-11-20";
  std::uint64_t seed = 20261121;
  int stream_users = -1;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage("missing value");
      return argv[++i];
    };
    if (a == "--size") size_name = value();
    else if (a == "--seed") seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--end") end = value();
    else if (a == "-o" || a == "--out") out_path = value();
    else if (a == "--stream-users") stream_users = std::atoi(value().c_str());
    else Usage("unknown argument");
  }
  std::FILE* out = stdout;
  if (!out_path.empty() && !(out = std::fopen(out_path.c_str(), "wb"))) Usage("cannot open the output file");
  if (stream_users >= 0) {
    WriteStreamUsers(stream_users, out);
  } else {
    Size size;
    if (size_name == "small") size = kSmall;
    else if (size_name == "large") size = kLarge;
    else Usage("--size must be small or large");
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(end.c_str(), "%d-%u-%u", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
      Usage("--end must be YYYY-MM-DD");
    // The data ends the day before --end (so nothing lies in its future).
    Generator(size, seed, DaysFromCivil(y, m, d)).Run(out);
  }
  if (std::fclose(out) != 0) {
    std::perror("write");
    return 1;
  }
  return 0;
}
