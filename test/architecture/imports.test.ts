/**
 * The layering rules (test/architecture/import-rules.ts) over the whole tree, and over synthetic
 * files that break each rule once — so a rule that stopped matching anything would fail here.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkImportRules, MONGOOSE_EXCEPTIONS, PROCESS_ENV_EXCEPTIONS, sourceFiles, type SourceFile } from './import-rules.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('the layering of the tree', () => {
  const files = sourceFiles(repoRoot);

  it('reads the product folders', () => {
    // A walk that found nothing would pass every rule.
    for (const folder of ['api/', 'cli/', 'config/', 'ocr/', 'robots/', 'runtime/', 'storage/']) {
      expect(files.filter((f) => f.path.startsWith(folder)).length, folder).toBeGreaterThan(3);
    }
  });

  it('has no forbidden import and no process.env outside config/', () => {
    expect(checkImportRules(files)).toEqual([]);
  });

  it('names only exceptions that exist', () => {
    for (const path of [...Object.keys(MONGOOSE_EXCEPTIONS), ...Object.keys(PROCESS_ENV_EXCEPTIONS)]) {
      expect(existsSync(`${repoRoot}/${path}`), path).toBe(true);
    }
  });
});

describe('each rule catches a synthetic offender', () => {
  const file = (path: string, text: string): SourceFile => ({ path, text });

  it('mongoose outside storage/, in every import form; inside storage/ it is fine', () => {
    const found = checkImportRules([
      file('api/bad-static.ts', "import mongoose from 'mongoose';\n"),
      file('queues/bad-dynamic.ts', "export async function f() { return import('mongoose'); }\n"),
      file('robots/bad-reexport.ts', "export { Schema } from 'mongoose';\n"),
      file('ocr/bad-subpath.ts', "import type { X } from 'mongoose/types';\n"),
      file('storage/fine.repo.ts', "import mongoose from 'mongoose';\n"),
      file('api/comment-only.ts', "// import mongoose from 'mongoose';\nconst s = \"import mongoose from 'mongoose'\";\n"),
    ]);
    expect(found).toEqual([
      { rule: 'mongoose-outside-storage', file: 'api/bad-static.ts', what: 'mongoose' },
      { rule: 'mongoose-outside-storage', file: 'queues/bad-dynamic.ts', what: 'mongoose' },
      { rule: 'mongoose-outside-storage', file: 'robots/bad-reexport.ts', what: 'mongoose' },
      { rule: 'mongoose-outside-storage', file: 'ocr/bad-subpath.ts', what: 'mongoose/types' },
    ]);
  });

  it('process.env outside config/ (dot and bracket); config/, listed exceptions and comments are fine', () => {
    const found = checkImportRules([
      file('robots/bad.ts', 'export const port = process.env.PORT;\n'),
      file('api/bad-bracket.ts', "export const env = process['env'];\n"),
      file('config/index.ts', 'export const e = process.env;\n'),
      file('test/some.test.ts', 'const url = process.env.REDIS_URL;\n'),
      file('queues/comment.ts', '/** Reads nothing from process.env. */\nexport const x = 1;\n'),
    ]);
    expect(found).toEqual([
      { rule: 'process-env-outside-config', file: 'robots/bad.ts', what: 'process.env' },
      { rule: 'process-env-outside-config', file: 'api/bad-bracket.ts', what: 'process.env' },
    ]);
  });

  it('cli/ imported from outside cli/ and bin/, by relative path from any depth', () => {
    const found = checkImportRules([
      file('test/scheduler/bad.test.ts', "import { formatOverdue } from '../../cli/cases.ts';\n"),
      file('storage/bad.ts', "const m = await import('../cli/farm.ts');\n"),
      file('cli/main.ts', "import { registerCases } from './cases.ts';\n"),
      file('bin/konveyer.mjs', "await import('../cli/main.ts');\n"),
      file('test/spawns.test.ts', "spawnSync('node', ['--import', 'tsx', 'cli/main.ts']);\n"),
    ]);
    expect(found).toEqual([
      { rule: 'imports-cli', file: 'test/scheduler/bad.test.ts', what: '../../cli/cases.ts' },
      { rule: 'imports-cli', file: 'storage/bad.ts', what: '../cli/farm.ts' },
    ]);
  });

  it('api/ or ocr/ importing robots/; runtime/ is where they meet', () => {
    const found = checkImportRules([
      file('api/ops/bad.ts', "import { CircuitBreaker } from '../../robots/runtime/circuit-breaker.ts';\n"),
      file('ocr/bad.ts', "import type { RobotPool } from '../robots/pool.ts';\n"),
      file('api/ops/fine.ts', "import { CircuitBreaker } from '../../runtime/circuit-breaker.ts';\n"),
      file('cli/robots.ts', "import { startRobotPool } from '../robots/pool.ts';\n"),
    ]);
    expect(found).toEqual([
      { rule: 'api-ocr-import-robots', file: 'api/ops/bad.ts', what: '../../robots/runtime/circuit-breaker.ts' },
      { rule: 'api-ocr-import-robots', file: 'ocr/bad.ts', what: '../robots/pool.ts' },
    ]);
  });
});
