import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertSha256, type BlobBackend, type BlobInfo } from './blob-backend.ts';

/**
 * Bodies as files under `dir/ab/cd/<sha256>` (two fan-out levels keep folders small). Written to a
 * temporary name and renamed, so a reader never sees half a body.
 */
export class FsBlobBackend implements BlobBackend {
  readonly kind = 'fs';
  constructor(private readonly dir: string) {}

  /** The file of a body (exported for tests that tamper with it on purpose). */
  pathOf(sha256: string): string {
    assertSha256(sha256);
    return join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, body: Buffer): Promise<void> {
    const file = this.pathOf(sha256);
    if (await stat(file).then(() => true, () => false)) return;
    await mkdir(join(file, '..'), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, file);
  }

  async get(sha256: string): Promise<Buffer | null> {
    return readFile(this.pathOf(sha256)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<BlobInfo> {
    const level = async (d: string) => readdir(d).catch(() => [] as string[]);
    for (const a of await level(this.dir)) {
      for (const b of await level(join(this.dir, a))) {
        for (const name of await level(join(this.dir, a, b))) {
          if (!/^[0-9a-f]{64}$/.test(name)) continue;
          const st = await stat(join(this.dir, a, b, name));
          yield { sha256: name, size: st.size, createdAt: st.mtime };
        }
      }
    }
  }
}
