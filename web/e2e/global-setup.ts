// Starts the real C++ server for the end-to-end tests: a fresh SQLite
// database in a temporary folder, the users of users.ts, port 0, the built
// web app. The server is always stopped at the end (also on failure or
// interruption).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { USERS } from './users';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = path.resolve(webDir, '..');

let server: ChildProcess | null = null;
let tmp = '';
let logPath = '';

function stop() {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGKILL');
  }
  server = null;
}

export default async function setup(project: TestProject) {
  const bin = path.resolve(repoDir, process.env.CHOSEN_BIN ?? 'build/asan/src/chosen');
  const webRoot = path.resolve(webDir, process.env.CHOSEN_WEB_ROOT ?? 'dist');
  if (!existsSync(bin)) throw new Error(`no server binary at ${bin} (build it, or set CHOSEN_BIN)`);
  if (!existsSync(path.join(webRoot, 'index.html'))) throw new Error(`no built app in ${webRoot}: run npm run build first`);

  tmp = mkdtempSync(path.join(tmpdir(), 'chosen-e2e-'));
  const db = `sqlite:${path.join(tmp, 'e2e.db')}`;
  for (const [key, u] of Object.entries(USERS)) {
    if ('joinedDaysAgo' in u) {
      // A user who joined in the past: imported with that created_at, then given a password.
      const file = path.join(tmp, `${key}.jsonl`);
      const created = new Date(Date.now() - u.joinedDaysAgo * 86_400_000).toISOString();
      writeFileSync(file, JSON.stringify({ type: 'user', external_id: `e2e-${key}`, email: u.email, name: u.name, role: u.role,
        team: u.team, timezone: 'America/Chicago', created_at: created }) + '\n');
      execFileSync(bin, ['import', '--db', db, '--org', u.org, file], { stdio: 'pipe' });
      execFileSync(bin, ['user', 'set-password', '--db', db, '--email', u.email, '--password', u.password], { stdio: 'pipe' });
      continue;
    }
    execFileSync(bin, ['user', 'add', '--db', db, '--email', u.email, '--name', u.name, '--password', u.password,
      '--role', u.role, '--org', u.org, '--team', u.team, '--timezone', 'America/Chicago'], { stdio: 'pipe' });
  }
  logPath = path.join(tmp, 'server.log');
  const log = openSync(logPath, 'a');
  server = spawn(bin, ['serve', '--db', db, '--port', '0', '--web-root', webRoot, '--coach-interval', '3600'], {
    stdio: ['ignore', 'pipe', log],
    env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=0' },
  });
  process.once('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => (stop(), process.exit(130)));

  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${out}`)), 60_000);
    server!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/listening on (http:\/\/localhost:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server!.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${out}`));
    });
  });
  project.provide('baseURL', url);
  const shots = path.resolve(repoDir, process.env.E2E_SCREENSHOTS ?? 'build/e2e-screenshots');
  mkdirSync(shots, { recursive: true });
  // No stale pictures from an earlier run.
  for (const f of readdirSync(shots)) if (f.endsWith('.png')) rmSync(path.join(shots, f));
  project.provide('screenshotDir', shots);

  return async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    stop();
    // Keep the server's log beside the screenshots for a failed run.
    let sanitizerReport = '';
    try {
      const dest = path.resolve(repoDir, 'build', 'e2e-server.log');
      copyFileSync(logPath, dest);
      const text = await readFile(dest, 'utf8');
      if (/ERROR: AddressSanitizer|runtime error:/.test(text)) sanitizerReport = dest;
    } catch {
      /* no log */
    }
    rmSync(tmp, { recursive: true, force: true });
    if (sanitizerReport) throw new Error(`the server reported a sanitizer error; see ${sanitizerReport}`);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    screenshotDir: string;
  }
}
