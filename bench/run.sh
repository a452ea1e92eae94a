#!/usr/bin/env bash
# The benchmark suite, run by `make bench` (see bench/README.md). Measures; asserts nothing.
#
#   bench/run.sh                 # the large dataset, 10 s per endpoint
#   SIZE=small DURATION=5s bench/run.sh
#
# Environment: SIZE (small|large, default large), DURATION (wrk -d, default 10s),
# CONNS (default 32), SERVER_CPU / CLIENT_CPU (cores for taskset, default 0 / 1),
# SERVER_THREADS (the server's --threads, default 1: the I/O threads serve reads,
# one per core; the benched writes run on SQLite's writer thread, others on the write pool), WARMUP (an
# unmeasured wrk run before each read endpoint, default 3s; 0s for none),
# STREAM_USERS (users for the SSE fan-out, 8 streams each, default 1250 = 10,000
# streams), QUIET_WAIT (seconds to wait for other processes to go idle before each
# measurement, default 900), NOISE_MAX / RETRIES (repeat a wrk run in which other
# processes used more than NOISE_MAX % of the machine, default 5, at most RETRIES
# times, default 3), KEEP_DB=1 (keep the run's SQLite file), PROFILE=1 (also record a perf profile of the server
# during each wrk run; the numbers of a profiled run are not the ones to quote).
#
# Steps: Release build with -DCHOSEN_BENCH=ON; the dataset from bench_gen (cached in
# build/bench-data); `chosen import` into a fresh SQLite file; `chosen serve
# --threads $SERVER_THREADS` pinned to one core and wrk pinned to the other; one wrk run per
# endpoint; a kill -9 of the server to check that acknowledged writes survived;
# restarts to time the coach's sweep (the second also measures the reads again
# with --read-memo-mb 0, their cost when writes commit in between); the SSE fan-out. Everything of one run is
# kept in build/bench-run/<time>/ (summary.md has the tables).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SIZE=${SIZE:-large}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
SERVER_THREADS=${SERVER_THREADS:-1}
WARMUP=${WARMUP:-3s}
STREAM_USERS=${STREAM_USERS:-1250}
QUIET_WAIT=${QUIET_WAIT:-900}
PROFILE=${PROFILE:-0}
NOISE_MAX=${NOISE_MAX:-5}
RETRIES=${RETRIES:-3}
BUILD=${BENCH_BUILD:-build/bench-release}
DATA=build/bench-data
RUN=build/bench-run/$(date -u +%Y%m%dT%H%M%SZ)
ORG="Bench Mortgage"
STREAM_ORG="Bench Streams"
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}
case $SIZE in small | large) ;; *) die "SIZE must be small or large" ;; esac

# ------------------------------------------------------------------ tools and build

need=()
for p in wrk jq sqlite3 curl; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ "$PROFILE" = 1 ]; then dpkg -s linux-perf >/dev/null 2>&1 || need+=(linux-perf); fi
if ((${#need[@]})); then
  log "installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# -Werror off: a benchmark build measures, it does not lint (`make test` does), so a
# new compiler's new warning must not stop it.
log "building Release into $BUILD"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCHOSEN_BENCH=ON -DCHOSEN_WERROR=OFF >/dev/null
cmake --build "$BUILD" --target chosen bench_gen sse_fanout
CHOSEN=$ROOT/$BUILD/src/chosen
GEN=$ROOT/$BUILD/bench/bench_gen
FANOUT=$ROOT/$BUILD/bench/sse_fanout
"$CHOSEN" import --help >/dev/null 2>&1 || die "this build of chosen has no 'import' command yet"

mkdir -p "$DATA" "$RUN"
RUN=$ROOT/$RUN
ulimit -n "$(ulimit -Hn)"

# ------------------------------------------------------------------ helpers

# Percent of both cores busy over one second (with nothing of ours running, that is
# everyone else: compilers, tests).
busy_pct() {
  local a b
  read -r -a a < /proc/stat
  sleep 1
  read -r -a b < /proc/stat
  local idle=$((b[4] + b[5] - a[4] - a[5])) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo $((total > 0 ? 100 * (total - idle) / total : 0))
}

# Waits until others leave the machine quiet (< 10% busy), at most QUIET_WAIT s.
# Records what it saw in $RUN/noise.tsv, next to the 1-minute load average.
wait_quiet() {
  local what=$1 waited=0 b
  while :; do
    b=$(busy_pct)
    if ((b < 10)) || ((waited >= QUIET_WAIT)); then break; fi
    ((waited == 0)) && log "machine busy (${b}% of 2 cores used by others); waiting up to ${QUIET_WAIT}s before: $what"
    sleep 4
    waited=$((waited + 5))
  done
  printf '%s\t%s\t%s\t%s\n' "$what" "$b" "$(cut -d' ' -f1 /proc/loadavg)" "$waited" >> "$RUN/noise.tsv"
}

now_us() { echo "${EPOCHREALTIME/./}"; }
ms_since() { # microsecond timestamp -> "123.4" ms
  local d=$(($(now_us) - $1))
  printf '%d.%d' $((d / 1000)) $((d / 100 % 10))
}

DB=$RUN/bench.db
DBURL=sqlite:$DB
# Reads the database beside the running server (WAL: readers do not block it).
sql() { sqlite3 -cmd '.timeout 10000' "$DB" "$1"; }
count() { sql "SELECT count(*) FROM $1"; }
max_id() { sql "SELECT coalesce(max(id), 0) FROM $1"; }

SPID=
PORT=
URL=
SWEEP=

# Total CPU time (ns) of all threads of $SPID.
proc_cpu_ns() {
  local s=0 a f
  for f in /proc/"$SPID"/task/*/schedstat; do read -r a _ < "$f" && s=$((s + a)); done
  echo $s
}

# Starts the server, then times the coach sweep its scheduler runs at startup:
# the scheduler is the newest thread; the sweep ends when that thread has used
# no CPU for 1.5 s. Wall time runs from the thread's start (kernel start time,
# 10 ms ticks) to its last CPU use; CPU time is the thread's own. Sets SPID,
# PORT, URL and SWEEP ("wall_ms cpu_ms").
start_server() {
  local name=$1 logf=$RUN/$1.log
  # shellcheck disable=SC2086  # SERVE_ARGS: extra flags, word-split on purpose
  taskset -c "$SERVER_CPU" "$CHOSEN" serve --db "$DBURL" --port 0 --threads "$SERVER_THREADS" --coach-interval 3600 \
    ${SERVE_ARGS:-} > "$logf" 2>&1 &
  SPID=$!
  until grep -q 'listening on' "$logf" 2>/dev/null; do
    kill -0 "$SPID" 2>/dev/null || die "server exited: $(cat "$logf")"
    read -r -t 0.002 <> <(:) || true
  done
  PORT=$(grep -o 'localhost:[0-9]*' "$logf" | head -1 | cut -d: -f2)
  URL=http://127.0.0.1:$PORT
  local tid run last last_t now first_look stat start_ticks uptime_s start_us
  read -r -t 0.05 <> <(:) || true  # the scheduler thread starts right after the listening line
  tid=$(ls /proc/"$SPID"/task | sort -n | tail -1)
  # The thread's start in epoch microseconds: now - (uptime - starttime).
  stat=$(< /proc/"$SPID"/task/"$tid"/stat)
  read -r -a f <<< "${stat##*) }"  # fields after "(comm)": f[0] is field 3, f[19] field 22 (starttime)
  start_ticks=${f[19]}
  read -r uptime_s _ < /proc/uptime
  start_us=$(($(now_us) - ${uptime_s/./}0000 + start_ticks * 10000))
  read -r last _ < /proc/"$SPID"/task/"$tid"/schedstat
  first_look=$(now_us)
  last_t=$start_us
  while :; do
    read -r run _ < /proc/"$SPID"/task/"$tid"/schedstat
    now=$(now_us)
    ((run != last)) && { last=$run; last_t=$now; }
    ((now - (last_t > first_look ? last_t : first_look) > 1500000)) && break
    read -r -t 0.005 <> <(:) || true
  done
  if ((last_t == start_us)); then  # already asleep at the first look
    SWEEP="<$(((first_look - start_us) / 1000)) $((last / 1000000))"
  else
    SWEEP="$(((last_t - start_us) / 1000)) $((last / 1000000))"
  fi
  log "$name: pid $SPID on $URL; startup coach sweep ${SWEEP% *} ms wall (±10), ${SWEEP#* } ms CPU"
}

stop_server() {
  kill -TERM "$SPID"
  wait "$SPID" || true
}

peak_rss_kb() { awk '/VmHWM/ {print $2}' /proc/"$SPID"/status; }

# Jiffies (1/100 s) both cores spent busy, from /proc/stat.
busy_jiffies() {
  local a i b=0
  read -r -a a < /proc/stat
  for i in 1 2 3 6 7 8; do b=$((b + a[i])); done
  echo $b
}
# CPU time (ms) this shell's waited-for children used so far (bash `times`).
# `times` must run in this shell, not a $(...) subshell, hence the file; call as
# `children_ms VAR` (sets VAR).
children_ms() {
  times > "$RUN/.times"  # second line: children's "XmY.YYYs XmY.YYYs", user and system
  printf -v "$1" '%s' "$(awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, p, /m|s/); s += p[1] * 60000 + p[2] * 1000 } printf "%d", s }' "$RUN/.times")"
}

# One wrk run: name, Lua script, path[, table]. wrk's done() writes the result
# line (see wrk/common.lua); this measures where the CPU went during the run: the
# server's share of its core, wrk's of its core, and everyone else's share of both
# cores (compilers, tests: noise). A run with others above NOISE_MAX % is done
# again (after waiting for quiet), up to RETRIES times; the last attempt is kept
# either way. With a table, FROM_ID[name] is its largest id just before the kept
# attempt (to count that attempt's writes).
declare -A FROM_ID
run_wrk() {
  local name=$1 script=$2 path=$3 table=${4:-} perf_pid= t0 j0 s0 c0 c1 wall attempt others
  if [ -z "$table" ] && [ "$WARMUP" != 0s ]; then
    # Reads are measured warm: each officer's first read of a memoised answer
    # (lead scores, must-dos: ~25 ms cold on the large set) happens here.
    BENCH_NAME=warmup BENCH_OUT=/dev/null BENCH_LOAD=$RUN/load.txt BENCH_WRK_DIR=$ROOT/bench/wrk \
      taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d"$WARMUP" -s "$ROOT/bench/wrk/$script" "$URL$path" > /dev/null
  fi
  for ((attempt = 1; ; attempt++)); do
    wait_quiet "$name"
    [ -n "$table" ] && FROM_ID[$name]=$(max_id "$table")
    log "wrk $name: $CONNS connections, $DURATION, $path (attempt $attempt)"
    if [ "$PROFILE" = 1 ]; then
      taskset -c "$CLIENT_CPU" perf record -F 499 -g -o "$RUN/perf-$name.data" -p "$SPID" > /dev/null 2>&1 &
      perf_pid=$!
    fi
    rm -f "$RUN/result-$name.tsv"
    t0=$(now_us) j0=$(busy_jiffies) s0=$(proc_cpu_ns)
    children_ms c0
    BENCH_NAME=$name BENCH_OUT=$RUN/result-$name.tsv BENCH_LOAD=$RUN/load.txt BENCH_WRK_DIR=$ROOT/bench/wrk \
      taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d"$DURATION" --latency -s "$ROOT/bench/wrk/$script" "$URL$path" \
      > "$RUN/wrk-$name.txt"
    wall=$(($(now_us) - t0))
    children_ms c1
    local server_ms=$((($(proc_cpu_ns) - s0) / 1000000)) wrk_ms=$((c1 - c0))
    local busy_ms=$((($(busy_jiffies) - j0) * 10))
    if [ -n "$perf_pid" ]; then
      kill -INT "$perf_pid"
      wait "$perf_pid" || true
      perf report -i "$RUN/perf-$name.data" --no-children --percent-limit 1.5 --stdio -g none 2>/dev/null \
        | grep -v '^#' | grep -v '^$' > "$RUN/perf-$name.txt" || true
    fi
    local line
    line=$(awk -v n="$name" -v w="$wall" -v s="$server_ms" -v c="$wrk_ms" -v b="$busy_ms" -v a="$attempt" 'BEGIN {
      w /= 1000; o = b - s - c; if (o < 0) o = 0
      printf "%s\t%.0f\t%.0f\t%.0f\t%d\n", n, 100 * s / w, 100 * c / w, 100 * o / (2 * w), a }')
    others=$(echo "$line" | cut -f4)
    if ((others <= NOISE_MAX)) || ((attempt > RETRIES)); then break; fi
    log "others used ${others}% of the machine during $name; again"
  done
  echo "$line" >> "$RUN/cpu.tsv"
  cat "$RUN/result-$name.tsv" >> "$RUN/results.tsv"
}

# ------------------------------------------------------------------ dataset and import

key=$(sha256sum bench/gen_dataset.cc | cut -c1-12)
FILE=$DATA/$SIZE-$key.jsonl
STREAM_FILE=$DATA/stream-users-$STREAM_USERS-$key.jsonl
if [ ! -s "$FILE" ]; then
  log "generating the $SIZE dataset into $FILE"
  "$GEN" --size "$SIZE" -o "$FILE.tmp" && mv "$FILE.tmp" "$FILE"
fi
[ -s "$STREAM_FILE" ] || { "$GEN" --stream-users "$STREAM_USERS" -o "$STREAM_FILE.tmp" && mv "$STREAM_FILE.tmp" "$STREAM_FILE"; }
records=$(grep -c . "$FILE")
activities_in_file=$(grep -c '"type":"activity"' "$FILE")
log "dataset: $records records, $activities_in_file activities"

"$CHOSEN" migrate --db "$DBURL" > /dev/null
wait_quiet import
log "chosen import $FILE --org '$ORG'"
t0=$(now_us)
taskset -c "$SERVER_CPU" "$CHOSEN" import "$FILE" --org "$ORG" --db "$DBURL" > "$RUN/import.log" 2>&1 \
  || die "import failed: $(tail -5 "$RUN/import.log")"
import_ms=$(ms_since "$t0")
activities_loaded=$(count activities)
log "imported in $import_ms ms; $activities_loaded activities in the database"

# API tokens (tokens need no password) for every officer of the dataset.
grep -o '"email":"officer[0-9]*@bench.chosen.test"' "$FILE" | cut -d'"' -f4 > "$RUN/officers.txt"
while read -r email; do
  "$CHOSEN" token create --db "$DBURL" --email "$email" --name bench | tail -1
done < "$RUN/officers.txt" > "$RUN/tokens.txt"

# ------------------------------------------------------------------ HTTP load

start_server serve-1
sweep_first=$SWEEP
# The pattern engine's refresh of every officer (part of that first sweep).
pattern_refresh=$(grep -o 'patterns refreshed for [0-9]* users in [0-9]* ms' "$RUN/serve-1.log" | head -1 || true)
# And the lead priority model's training (the org's calls, sampled to 60,000).
lead_training=$(grep -o 'lead models trained for [0-9]* orgs in [0-9]* ms' "$RUN/serve-1.log" | head -1 || true)
success_patterns=$(grep -o 'success patterns computed for [0-9]* orgs in [0-9]* ms' "$RUN/serve-1.log" | head -1 || true)
# Each load user: their token and the ids of their first 100 contacts.
while read -r token; do
  ids=$(curl -fsS -H "Authorization: Bearer $token" "$URL/api/contacts?limit=100" | jq -r '[.items[].id] | join(" ")')
  echo "$token $ids"
done < "$RUN/tokens.txt" > "$RUN/load.txt"

run_wrk healthz get.lua /healthz
run_wrk get_tasks get.lua /api/tasks
run_wrk get_insights get.lua /api/coach/insights
run_wrk get_today get.lua /api/hub/today
# Writes are told apart by id: run_wrk notes each table's largest id before the
# attempt it keeps.
CHECK_ACTIONS="'rate_quote_sent','preapproval_letter_sent','document_requested','loan_estimate_sent'"
run_wrk post_coach_check coach_check.lua /api/coach/check events
run_wrk post_tasks post_tasks.lua /api/tasks tasks
run_wrk post_activities post_activities.lua /api/activities activities
rss_http=$(peak_rss_kb)

# Durability: kill -9 right after the last write, then count on disk what each
# write bench added. (synchronous=NORMAL in WAL mode survives a process crash by
# construction; a power cut is another matter, see the README.)
kill -KILL "$SPID"
wait "$SPID" 2>/dev/null || true
kept_checks=$(count "events WHERE id > ${FROM_ID[post_coach_check]} AND action IN ($CHECK_ACTIONS)")
kept_tasks=$(count "tasks WHERE id > ${FROM_ID[post_tasks]}")
kept_activities=$(count "activities WHERE id > ${FROM_ID[post_activities]}")

# The steady-state sweep: a restart re-evaluates every rule over the same data.
# This server runs without the read memo: each read renders its answer, as
# every read does when writes commit between them (docs/architecture.md).
SERVE_ARGS="--read-memo-mb 0" start_server serve-2
sweep_steady=$SWEEP
run_wrk get_tasks_no_memo get.lua /api/tasks
run_wrk get_insights_no_memo get.lua /api/coach/insights
run_wrk get_today_no_memo get.lua /api/hub/today
stop_server

# ------------------------------------------------------------------ SSE fan-out

log "importing $STREAM_USERS stream users into '$STREAM_ORG'"
"$CHOSEN" import "$STREAM_FILE" --org "$STREAM_ORG" --db "$DBURL" > "$RUN/import-streams.log" 2>&1 \
  || die "stream users import failed: $(tail -5 "$RUN/import-streams.log")"
grep -o '"email":"[^"]*"' "$STREAM_FILE" | cut -d'"' -f4 | while read -r email; do
  "$CHOSEN" token create --db "$DBURL" --email "$email" --name bench | tail -1
done > "$RUN/stream-tokens.txt"
# A manager of the stream org posts the announcement (one broadcast).
"$CHOSEN" user add --db "$DBURL" --email announcer@stream.bench.chosen.test --name "Stream Announcer" \
  --password bench-announcer --role manager --org "$STREAM_ORG" > /dev/null
ANNOUNCER=$("$CHOSEN" token create --db "$DBURL" --email announcer@stream.bench.chosen.test --name bench | tail -1)

start_server serve-3
sweep_with_streams=$SWEEP
stop_server

# One fan-out run on a fresh server (so each peak RSS is its own): name, output
# file, then the fan-out tool's arguments; sets SSE_RSS to the server's peak RSS.
sse_run() {
  local name=$1 out=$2
  shift 2
  start_server "serve-$name"
  wait_quiet "$name"
  log "SSE fan-out: $name"
  taskset -c "$CLIENT_CPU" "$FANOUT" --port "$PORT" --per-user 8 --timeout 120 "$@" > "$RUN/$out" || true
  SSE_RSS=$(peak_rss_kb)
  stop_server
}
# 120 users x 8 = 960 streams, one insight per user; 10,000 streams receiving one
# announcement (a true broadcast); 10,000 streams, one insight per user (1,250 requests).
sse_run sse_fanout_960 sse-960.txt --tokens <(tail -n 120 "$RUN/stream-tokens.txt")
rss_sse_960=$SSE_RSS
sse_run sse_broadcast sse-broadcast.txt --tokens "$RUN/stream-tokens.txt" --announce "$ANNOUNCER"
rss_broadcast=$SSE_RSS
sse_run sse_fanout sse-full.txt --tokens "$RUN/stream-tokens.txt"
rss_sse=$SSE_RSS

# ------------------------------------------------------------------ summary

sse() { grep "^$2=" "$RUN/$1" | cut -d= -f2; }
healthz_rps=$(awk -F'\t' '$1 == "healthz" {print $4}' "$RUN/results.tsv")
{
  echo "# Benchmark run $(basename "$RUN")"
  echo
  echo "Dataset \`$SIZE\` ($records records, $activities_in_file activities); $CONNS connections, $DURATION per endpoint;"
  echo "server \`--threads $SERVER_THREADS\` on CPU $SERVER_CPU, wrk -t1 on CPU $CLIENT_CPU; $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);"
  echo "kernel $(uname -r); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')."
  echo
  echo "| endpoint | req/s | × /healthz | p50 ms | p99 ms | max ms | non-2xx | socket errors | server CPU | wrk CPU | others |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' -v h="$healthz_rps" 'NR == FNR { cpu[$1] = sprintf("%d%% | %d%% | %d%% (%d)", $2, $3, $4, $5); next }
    {printf "| %s | %d | %.2f | %.2f | %.2f | %.1f | %d | %d | %s |\n", $1, $4, $4 / h, $5, $6, $7, $8, $9 + $10 + $11 + $12, cpu[$1]}' \
    "$RUN/cpu.tsv" "$RUN/results.tsv"
  echo
  echo "(server CPU: of its core; wrk CPU: of its core; others: everyone else's share of both cores during the run,"
  echo "with the attempt kept in parentheses: a run is repeated while others exceed $NOISE_MAX%, at most $RETRIES times.)"
  echo
  ack() { awk -F'\t' -v n="$1" '$1 == n {print $2 - $8}' "$RUN/results.tsv"; }
  echo "| write bench | acknowledged (2xx) | rows added, counted after kill -9 |"
  echo "|---|---:|---:|"
  echo "| post_coach_check (events) | $(ack post_coach_check) | $kept_checks |"
  echo "| post_tasks (tasks) | $(ack post_tasks) | $kept_tasks |"
  echo "| post_activities (activities) | $(ack post_activities) | $kept_activities |"
  echo
  echo "Import: $records records in $import_ms ms = $(awk -v n="$records" -v t="$import_ms" 'BEGIN {printf "%.0f", n / t * 1000}') records/s,"
  echo "$(awk -v n="$activities_in_file" -v t="$import_ms" 'BEGIN {printf "%.0f", n / t * 1000}') activities/s (whole file's time; $activities_loaded activities loaded)."
  echo
  echo "Coach sweep at startup (wall ms / scheduler-thread CPU ms): first after import ${sweep_first% *} / ${sweep_first#* };"
  echo "steady state (restart) ${sweep_steady% *} / ${sweep_steady#* }; with the $STREAM_USERS stream users added ${sweep_with_streams% *} / ${sweep_with_streams#* }."
  echo "Pattern refresh in that first sweep: ${pattern_refresh:-none logged}."
  echo "Success patterns in that first sweep: ${success_patterns:-none logged}."
  echo "Lead model training in that first sweep: ${lead_training:-none logged}."
  echo
  echo "Peak RSS (VmHWM): $((rss_http / 1024)) MiB after the HTTP runs; $((rss_sse_960 / 1024)) MiB after 960 streams; $((rss_broadcast / 1024)) MiB after the 10,000-stream broadcast; $((rss_sse / 1024)) MiB after the 10,000-stream per-user run."
  echo
  for f in sse-960.txt sse-broadcast.txt sse-full.txt; do
    echo "SSE ($f): attempted $(sse $f streams_attempted), ready $(sse $f streams_ready), refused 503 $(sse $f streams_refused_503),"
    echo "failed $(sse $f streams_failed); opened in $(sse $f open_ms) ms; $(sse $f users_triggered) users triggered"
    echo "($(sse $f trigger_2xx) 2xx); $(sse $f streams_with_insight) streams got their insight, all within $(sse $f fanout_all_ms) ms of the"
    echo "first trigger; per stream p50 $(sse $f stream_latency_p50_ms) ms, p99 $(sse $f stream_latency_p99_ms) ms, max $(sse $f stream_latency_max_ms) ms."
    echo
  done
  echo "Noise (what, % of both cores busy with others just before, load average, s waited):"
  echo
  echo '```'
  cat "$RUN/noise.tsv"
  echo '```'
} > "$RUN/summary.md"
cat "$RUN/summary.md"
# The database is ~600 MB for the large set; KEEP_DB=1 keeps it for inspection.
[ "${KEEP_DB:-0}" = 1 ] || rm -f "$DB" "$DB-wal" "$DB-shm"
rm -f "$RUN/.times"
log "all output in $RUN"
