// A SQLite VFS that buffers what a connection appends to its write-ahead log
// and writes it with one system call when the log is synced. SQLite writes
// each frame as two writes (a 24-byte header, then the page), so a commit of
// a hundred pages cost two hundred pwrite calls, each walking the kernel's
// page cache; buffered, it costs one.
//
// Only for a connection with PRAGMA synchronous=FULL in WAL mode: such a
// connection syncs the log before it publishes a commit in the WAL index,
// so other connections never read frames still in the buffer. (With NORMAL
// it publishes without a sync, and they would.) The connection itself reads
// its log through the buffer (it flushes first). Every other file passes
// straight through to the default VFS.
#pragma once

#include <cstdint>

namespace chosen::store {

// Registers the VFS (once; thread-safe) and returns its name, for
// sqlite3_open_v2.
const char* WalBufferVfs();

// Counts across all connections, for tests: writes SQLite asked for on log
// files, and writes that reached the default VFS for them.
struct WalBufferCounts {
  std::int64_t asked = 0;
  std::int64_t written = 0;
};
WalBufferCounts WalBufferCountsNow();

}  // namespace chosen::store
