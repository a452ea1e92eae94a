// The `chosen` binary: serve, demo, migrate, user add, token create, import,
// export.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include <malloc.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "api/api.h"
#include "app/demo.h"
#include "auth/crypto.h"
#include "coach/scheduler.h"
#include "http/server.h"
#include "http/static_files.h"
#include "store/db.h"
#include "transfer/transfer.h"

namespace {

using namespace chosen;

struct ServeFlags {
  std::string address = "127.0.0.1";
  int port = 8080;
  int threads = 2;
  int write_threads = 64;
  int coach_interval = 60;  // seconds between sweeps of the coach's time rules
  int max_connections = 16384;  // open connections, event streams included
  int read_memo_mb = 16;        // api::ResponseMemo's bound; 0: none
  std::string web_root;  // the built web app (web/dist); empty: no UI
};

// Raises the open-files limit to its hard maximum and returns how many of
// `wanted` connections fit in it (each is a file descriptor; 64 are kept for
// the database, logs and the listener).
int ConnectionBudget(int wanted) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return wanted;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &lim);
    (void)getrlimit(RLIMIT_NOFILE, &lim);
  }
  if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= static_cast<rlim_t>(wanted) + 64) return wanted;
  int fit = std::max<int>(1, static_cast<int>(lim.rlim_cur) - 64);
  spdlog::warn("--max-connections {} lowered to {}: the open-files limit is {} (raise `ulimit -Hn`)", wanted, fit,
               static_cast<long long>(lim.rlim_cur));
  return fit;
}

// Opens the database named by `url`, creating the folder of a SQLite file,
// and applies migrations. Exits with a message on failure.
std::unique_ptr<store::Database> OpenOrDie(const std::string& url, int pool) {
  if (url.starts_with("sqlite:")) {
    std::filesystem::path p(url.substr(7));
    if (p != ":memory:" && p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  }
  auto db = store::OpenDatabase(url, pool);
  if (!db) {
    std::cerr << "error: " << db.error().message << "\n";
    std::exit(2);
  }
  auto v = store::Migrate(**db);
  if (!v) {
    std::cerr << "error: " << v.error().message << "\n";
    std::exit(2);
  }
  return std::move(*db);
}

// Serves the API (and the web app when f.web_root is set) until SIGINT or
// SIGTERM. `demo_logins`, when given, are published at GET /api/demo for the
// login page; a normal server has no such route (404).
int Serve(store::Database& db, const Clock& clock, const ServeFlags& f,
          const std::vector<app::DemoLogin>* demo_logins = nullptr) {
  api::Api api(db, clock, static_cast<std::size_t>(f.read_memo_mb) << 20);
  http::Router router;
  std::unique_ptr<http::StaticFiles> web;
  if (!f.web_root.empty()) {
    auto loaded = http::StaticFiles::Load(f.web_root);
    if (!loaded) {
      std::cerr << "error: " << loaded.error().message << "\n";
      return 2;
    }
    web = std::move(*loaded);
    // Registered before the API, so the app (not the API's JSON index) gets
    // "/": among identical patterns the first added wins.
    router.Add("GET", "/", web->AsHandler());
    router.SetFallback(web->AsHandler());
    spdlog::info("serving the web app from {} ({} files, {} KiB)", f.web_root, web->file_count(),
                 web->total_bytes() / 1024);
  }
  if (demo_logins) {
    router.Add("GET", "/api/demo",
               [info = app::DemoInfoJson(*demo_logins)](const http::Request&, const http::PathParams&) {
                 return http::JsonResponse(200, info);
               });
  }
  api.Register(router);
  http::ServerOptions opt;
  opt.address = f.address;
  opt.port = static_cast<std::uint16_t>(f.port);
  opt.threads = f.threads;
  opt.write_threads = f.write_threads;
  opt.max_connections = ConnectionBudget(f.max_connections);
  opt.shared_commit = api.SharedCommit();
  http::Server server(opt, router);
  // Before each sweep: what the pattern engine learns, where it is due
  // (bench/run.sh quotes these log lines).
  coach::Scheduler scheduler(db, clock, api.coach(), std::chrono::seconds(f.coach_interval), [&api]() -> Status {
    auto timed = [](std::string_view done, std::string_view unit, const std::function<Result<int>()>& refresh) -> Status {
      auto started = std::chrono::steady_clock::now();
      auto n = refresh();
      if (!n) return n.error();
      if (*n > 0)
        spdlog::info("{} for {} {} in {} ms", done, *n, unit,
                     std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                         .count());
      return {};
    };
    if (auto st = timed("patterns refreshed", "users", [&] { return api.patterns().RefreshStale(); }); !st) return st;
    if (auto st = timed("success patterns computed", "orgs", [&] { return api.patterns().RefreshSuccessStale(); }); !st)
      return st;
    if (auto st = timed("lead models trained", "orgs", [&] { return api.leads().RefreshStale(); }); !st) return st;
    if (auto st = timed("hub notifications sent", "slots", [&] { return api.jobs().Run(); }); !st) return st;
    if (auto st = timed("game counters pruned", "rows", [&] { return api.game().Prune(); }); !st) return st;
    return timed("competitions finalized", "competitions", [&] { return api.social().FinalizeEnded(); });
  });
  std::uint16_t port = 0;
  try {
    port = server.Start();
  } catch (const std::exception& e) {
    std::cerr << "error: cannot listen on " << f.address << ":" << f.port << ": " << e.what() << "\n";
    return 2;
  }
  bool local = f.address == "0.0.0.0" || f.address == "127.0.0.1";
  std::cout << "ChosenCRM listening on http://" << (local ? "localhost" : f.address) << ":" << port << std::endl;
  scheduler.Start();
  server.WaitForSignal();
  scheduler.Stop();
  std::cout << "ChosenCRM stopped" << std::endl;
  return 0;
}

struct ImportFlags {
  std::string file;
  std::string org;
  bool partial = false;
  bool json = false;
};

int Import(store::Database& db, const Clock& clock, const ImportFlags& f) {
  std::string from_stdin;
  std::optional<transfer::MappedFile> mapped;
  std::string_view text;
  if (f.file == "-") {
    from_stdin.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    text = from_stdin;
  } else {
    auto m = transfer::MappedFile::Open(f.file);
    if (!m) {
      std::cerr << "error: " << m.error().message << "\n";
      return 1;
    }
    mapped.emplace(std::move(*m));
    text = mapped->text();
  }
  auto report = transfer::Import(db, clock, text, {.org = f.org, .partial = f.partial});
  if (!report) {
    std::cerr << "error: " << report.error().message << "\n";
    return 1;
  }
  if (f.json) std::cout << ToJson(report->ToJson()) << std::endl;
  else std::cout << report->Summary() << std::flush;
  return report->committed ? 0 : 1;
}

int Export(store::Database& db, const std::string& org, const std::string& out_path) {
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (out_path != "-") {
    file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "error: cannot write " << out_path << "\n";
      return 1;
    }
    out = &file;
  }
  auto stats = transfer::Export(db, org, *out);
  if (!stats) {
    std::cerr << "error: " << stats.error().message << "\n";
    return 1;
  }
  if (out_path != "-") {
    std::cout << "exported " << stats->lines << " records of '" << org << "' to " << out_path << " (";
    for (transfer::Kind k : transfer::kAllKinds) {
      std::int64_t n = stats->counts[static_cast<std::size_t>(k)];
      std::string name(transfer::KindName(k));
      if (n != 1) name = k == transfer::Kind::kActivity ? "activities" : name + "s";
      std::cout << (k == transfer::Kind::kUser ? "" : ", ") << n << " " << name;
    }
    std::cout << ")" << std::endl;
  }
  if (stats->dropped_references > 0)
    std::cerr << "warning: " << stats->dropped_references
              << " contacts' referred_by left out: their referrers refer to each other in a cycle\n";
  return 0;
}

void AddServeFlags(CLI::App* cmd, ServeFlags& f) {
  cmd->add_option("--port", f.port, "TCP port (0 picks a free one)")->check(CLI::Range(0, 65535));
  cmd->add_option("--address", f.address, "address to bind");
  cmd->add_option("--threads", f.threads, "I/O threads (they also serve reads)")->check(CLI::Range(1, 64));
  cmd->add_option("--write-threads", f.write_threads,
                  "threads for requests that change data (as many as wait for a commit share it)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--max-connections", f.max_connections,
                  "open connections, event streams included; beyond it new ones get 503")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--read-memo-mb", f.read_memo_mb,
                  "MiB of rendered reads (lists, insights, today) reused while nothing commits; 0: none")
      ->check(CLI::Range(0, 4096))
      ->capture_default_str();
  cmd->add_option("--coach-interval", f.coach_interval, "seconds between coach sweeps (stale leads, stuck deals, ...)")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  cmd->add_option("--web-root", f.web_root, "folder of the built web app to serve (web/dist); empty: API only")
      ->check(CLI::ExistingDirectory);
}

}  // namespace

int main(int argc, char** argv) {
  // Two malloc arenas, not glibc's eight per core: with a thread per
  // connection slot, each thread's arena kept its freed blocks and the
  // server's peak RSS grew by ~12 MB under concurrent reads, for no measured
  // throughput gain (bench/README.md).
  mallopt(M_ARENA_MAX, 2);
  CLI::App app{"ChosenCRM: the coaching CRM for mortgage loan officers"};
  app.require_subcommand(1);
  std::string db_url = "sqlite:data/chosen.db";
  auto add_db = [&](CLI::App* cmd) {
    cmd->add_option("--db", db_url, "database URL: sqlite:PATH or postgresql://user@host:port/dbname")
        ->capture_default_str();
  };

  ServeFlags serve_flags;
  auto* serve = app.add_subcommand("serve", "serve the API");
  add_db(serve);
  AddServeFlags(serve, serve_flags);

  ServeFlags demo_flags;
  auto* demo = app.add_subcommand("demo", "seed a demo brokerage if the database is empty, then serve");
  add_db(demo);
  AddServeFlags(demo, demo_flags);

  auto* migrate = app.add_subcommand("migrate", "apply database migrations");
  add_db(migrate);

  auth::NewUser new_user;
  std::string role = "officer";
  auto* user = app.add_subcommand("user", "manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add a user (creating the org and team if missing)");
  add_db(user_add);
  user_add->add_option("--email", new_user.email, "login email")->required();
  user_add->add_option("--name", new_user.name, "display name")->required();
  user_add->add_option("--password", new_user.password, "password (8-256 characters)")->required();
  user_add->add_option("--role", role, "officer, manager or admin")
      ->check(CLI::IsMember({"officer", "manager", "admin"}))
      ->capture_default_str();
  user_add->add_option("--org", new_user.org, "brokerage name")->required();
  user_add->add_option("--team", new_user.team, "team name");
  user_add->add_option("--timezone", new_user.timezone, "IANA time zone")->capture_default_str();

  std::string pw_email, pw_password;
  auto* user_pw = user->add_subcommand(
      "set-password", "set a user's password (e.g. one imported without one) and end their sessions");
  add_db(user_pw);
  user_pw->add_option("--email", pw_email, "login email")->required();
  user_pw->add_option("--password", pw_password,
                      "password (8-256 characters); without it, the first line of standard input");

  std::string token_email, token_name = "cli";
  auto* token = app.add_subcommand("token", "manage API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "create an API token; prints it on the last line");
  add_db(token_create);
  token_create->add_option("--email", token_email, "the user's email")->required();
  token_create->add_option("--name", token_name, "a label for the token")->capture_default_str();

  ImportFlags import_flags;
  auto* import = app.add_subcommand(
      "import", "import users, contacts, deals, tasks and activities with their history (docs/import-format.md)");
  add_db(import);
  import->add_option("FILE", import_flags.file, "JSON-lines file ('-' for standard input)")->required();
  import->add_option("--org", import_flags.org, "the org to import into (created if missing)")->required();
  import->add_flag("--partial", import_flags.partial, "skip invalid lines (reported) and import the rest");
  import->add_flag("--json", import_flags.json, "print the report as JSON");

  std::string export_org, export_out = "-";
  auto* export_cmd = app.add_subcommand("export", "write an org's records in the import format");
  add_db(export_cmd);
  export_cmd->add_option("--org", export_org, "the org to export")->required();
  export_cmd->add_option("--out", export_out, "output file ('-' for standard output)")->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::info);
  auth::InitCrypto();
  // Before any thread starts (the database's own threads included), so that
  // SIGINT/SIGTERM reach only the server's sigwait.
  if (*serve || *demo) http::Server::BlockSignals();
  SystemClock clock;

  if (*migrate) {
    auto db = OpenOrDie(db_url, 1);
    std::cout << "schema version " << store::LatestSchemaVersion() << std::endl;
    return 0;
  }
  if (*user_add) {
    auth::ParseRole(role, &new_user.role);
    auto db = OpenOrDie(db_url, 1);
    auth::Accounts accounts(*db, clock);
    auto u = accounts.AddUser(new_user);
    if (!u) {
      std::cerr << "error: " << u.error().message << "\n";
      return 1;
    }
    std::cout << "created " << auth::RoleName(u->role) << " " << u->email << " (id " << u->id << ") in " << u->org_name
              << (u->team_name.empty() ? "" : " / " + u->team_name) << std::endl;
    return 0;
  }
  if (*user_pw) {
    if (pw_password.empty() && !std::getline(std::cin, pw_password)) {
      std::cerr << "error: no password given (--password, or a line on standard input)\n";
      return 1;
    }
    if (!pw_password.empty() && pw_password.back() == '\r') pw_password.pop_back();
    auto db = OpenOrDie(db_url, 1);
    auth::Accounts accounts(*db, clock);
    if (auto st = accounts.SetPassword(pw_email, pw_password); !st) {
      std::cerr << "error: " << st.error().message << "\n";
      return 1;
    }
    std::cout << "password set for " << pw_email << "; their sessions were ended" << std::endl;
    return 0;
  }
  if (*token_create) {
    auto db = OpenOrDie(db_url, 1);
    auth::Accounts accounts(*db, clock);
    auto t = accounts.CreateApiToken(token_email, token_name);
    if (!t) {
      std::cerr << "error: " << t.error().message << "\n";
      return 1;
    }
    std::cout << "API token for " << token_email << " (use as 'Authorization: Bearer <token>'):\n" << *t << std::endl;
    return 0;
  }
  if (*import) {
    auto db = OpenOrDie(db_url, 1);
    return Import(*db, clock, import_flags);
  }
  if (*export_cmd) {
    std::ios::sync_with_stdio(false);
    auto db = OpenOrDie(db_url, 1);
    return Export(*db, export_org, export_out);
  }
  if (*serve) {
    auto db = OpenOrDie(db_url, serve_flags.threads + 2);
    return Serve(*db, clock, serve_flags);
  }
  if (*demo) {
    auto db = OpenOrDie(db_url, demo_flags.threads + 2);
    auto seeded = app::SeedDemoIfEmpty(*db, clock, std::cout);
    if (!seeded) {
      std::cerr << "error: " << seeded.error().message << "\n";
      return 1;
    }
    auto logins = app::ExistingDemoLogins(*db);
    if (!logins) {
      std::cerr << "error: " << logins.error().message << "\n";
      return 1;
    }
    return Serve(*db, clock, demo_flags, &*logins);
  }
  return 0;
}
