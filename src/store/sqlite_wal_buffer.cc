#include "store/sqlite_wal_buffer.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <sqlite3.h>

namespace chosen::store {
namespace {

// The most one write passes to the default VFS: its unixWrite cannot write
// 128 KiB or more in one call (it masks the length to 17 bits). A batch of
// commits writes 0.1-1 MB of frames, so a few writes.
constexpr int kCapacity = 124 << 10;

std::atomic<std::int64_t> asked{0}, written{0};

sqlite3_vfs* root = nullptr;  // the default VFS, set once by WalBufferVfs

// A log file: the buffer, then (at kRealOffset) the default VFS's file.
struct WalFile {
  sqlite3_file base;
  char* data;                // kCapacity bytes
  sqlite3_int64 start, len;  // data[0, len) belongs at file offset start
};
constexpr std::size_t kRealOffset = (sizeof(WalFile) + 15) & ~std::size_t{15};

sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kRealOffset); }
WalFile* Wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }

// Writes to the default VFS's file in pieces it can take.
int WriteThrough(sqlite3_file* f, const char* in, sqlite3_int64 amt, sqlite3_int64 off) {
  sqlite3_file* r = Real(f);
  for (sqlite3_int64 done = 0; done < amt;) {
    const int n = static_cast<int>(std::min<sqlite3_int64>(amt - done, kCapacity));
    ++written;
    if (int rc = r->pMethods->xWrite(r, in + done, n, off + done); rc != SQLITE_OK) return rc;
    done += n;
  }
  return SQLITE_OK;
}

int Flush(sqlite3_file* f) {
  WalFile* w = Wal(f);
  if (w->len == 0) return SQLITE_OK;
  int rc = WriteThrough(f, w->data, w->len, w->start);
  w->len = 0;  // written or failed: SQLite learns of a failure from this call
  return rc;
}

int Close(sqlite3_file* f) {
  int rc = Flush(f);
  std::free(Wal(f)->data);
  sqlite3_file* r = Real(f);
  int closed = r->pMethods->xClose(r);
  return rc != SQLITE_OK ? rc : closed;
}

int Read(sqlite3_file* f, void* out, int amt, sqlite3_int64 off) {
  WalFile* w = Wal(f);
  if (w->len > 0 && off < w->start + w->len && off + amt > w->start)
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  sqlite3_file* r = Real(f);
  return r->pMethods->xRead(r, out, amt, off);
}

int Write(sqlite3_file* f, const void* in, int amt, sqlite3_int64 off) {
  ++asked;
  WalFile* w = Wal(f);
  if (w->len > 0 && off == w->start + w->len && w->len + amt <= kCapacity) {  // appends
    std::memcpy(w->data + w->len, in, amt);
    w->len += amt;
    return SQLITE_OK;
  }
  if (w->len > 0 && off >= w->start && off + amt <= w->start + w->len) {  // rewrites a buffered frame
    std::memcpy(w->data + (off - w->start), in, amt);
    return SQLITE_OK;
  }
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  if (amt <= kCapacity) {
    std::memcpy(w->data, in, amt);
    w->start = off;
    w->len = amt;
    return SQLITE_OK;
  }
  return WriteThrough(f, static_cast<const char*>(in), amt, off);
}

// Everything else writes out the buffer first (so the file is whole), then
// passes through.
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int Sync(sqlite3_file* f, int flags) {
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xSync(Real(f), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) { return Real(f)->pMethods->xCheckReservedLock(Real(f), out); }
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) { return Real(f)->pMethods->xDeviceCharacteristics(Real(f)); }
// A log file has no shared memory and is never memory-mapped; these only
// keep the method table whole.
int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), page, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int remove) { return Real(f)->pMethods->xShmUnmap(Real(f), remove); }
int Fetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** out) {
  if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xFetch(Real(f), off, amt, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return Real(f)->pMethods->xUnfetch(Real(f), off, p); }

const sqlite3_io_methods kWalMethods = {
    3,     Close,  Read,    Write,      Truncate, Sync,  FileSize, Lock,  Unlock, CheckReservedLock, FileControl,
    SectorSize, DeviceCharacteristics, ShmMap, ShmLock, ShmBarrier, ShmUnmap, Fetch, Unfetch};

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  // Other files: the default VFS's file fills the start of ours.
  if (!(flags & SQLITE_OPEN_WAL)) return root->xOpen(root, name, f, flags, out_flags);
  f->pMethods = nullptr;
  WalFile* w = Wal(f);
  w->data = static_cast<char*>(std::malloc(kCapacity));
  if (!w->data) return SQLITE_NOMEM;
  w->start = w->len = 0;
  sqlite3_file* r = Real(f);
  int rc = root->xOpen(root, name, r, flags, out_flags);
  if (rc != SQLITE_OK) {
    std::free(w->data);
    if (r->pMethods) r->pMethods->xClose(r);
    return rc;
  }
  if (r->pMethods->iVersion < 3) {  // the table above forwards version-3 methods
    std::free(w->data);
    r->pMethods->xClose(r);
    return SQLITE_CANTOPEN;
  }
  f->pMethods = &kWalMethods;
  return SQLITE_OK;
}

}  // namespace

const char* WalBufferVfs() {
  static sqlite3_vfs vfs;
  static std::once_flag once;
  std::call_once(once, [] {
    root = sqlite3_vfs_find(nullptr);
    // Every other entry (and pAppData) stays the default VFS's.
    vfs = *root;
    vfs.zName = "chosen-wal-buffer";
    vfs.szOsFile = static_cast<int>(kRealOffset) + root->szOsFile;
    vfs.pNext = nullptr;
    vfs.xOpen = Open;
    sqlite3_vfs_register(&vfs, 0);
  });
  return vfs.zName;
}

WalBufferCounts WalBufferCountsNow() { return {asked.load(), written.load()}; }

}  // namespace chosen::store
