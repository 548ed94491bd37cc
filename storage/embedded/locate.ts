/**
 * Finds the binaries of the embedded services: PATH first, then the places `scripts/setup.sh`
 * and `go install` put them (`~/.cache/konveyer/bin`, `$GOPATH/bin`, `~/go/bin`).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this file). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where `scripts/setup.sh` builds binaries the machine lacks: a per-user cache shared by every
 * clone (KONVEYER_BIN_DIR overrides it, as in setup.sh).
 */
export const runBinDir: string =
  process.env.KONVEYER_BIN_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'konveyer', 'bin');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Candidate directories, in search order, without duplicates. */
export function searchDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [
    runBinDir,
    ...(env.PATH ?? '').split(delimiter).filter(Boolean),
    ...(env.GOPATH ?? '').split(delimiter).filter(Boolean).map((p) => join(p, 'bin')),
    join(homedir(), 'go', 'bin'),
  ];
  return [...new Set(dirs)];
}

/**
 * Every executable called `name` in {@link searchDirs}, in search order.
 * @example locateAll('redis-server') // ['/usr/bin/redis-server']
 */
export function locateAll(name: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return searchDirs(env).map((d) => join(d, name)).filter(isExecutable);
}

/** The first executable called `name`, or `null`. */
export function locateBinary(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  return locateAll(name, env)[0] ?? null;
}

const ferretCache = new Map<string, string | null>();

/**
 * The first `ferretdb` that actually runs (`--version` exits 0), or `null`.
 * A plain `go install …/ferretdb@v1.24.2` yields a binary that panics at start (its generated
 * version.txt is missing), so finding the file is not enough.
 */
export function locateFerretDb(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const path of locateAll('ferretdb', env)) {
    if (!ferretCache.has(path)) {
      let ok = false;
      try {
        execFileSync(path, ['--version'], { stdio: 'ignore', timeout: 10_000 });
        ok = true;
      } catch {
        ok = false;
      }
      ferretCache.set(path, ok ? path : null);
    }
    const hit = ferretCache.get(path);
    if (hit) return hit;
  }
  return null;
}
