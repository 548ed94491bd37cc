/**
 * The layering rules of the house (STYLE.md §Layout, README §Layout), checked over source text with
 * the TypeScript parser — comments and strings are never mistaken for imports:
 * - only `storage/` imports mongoose;
 * - only `config/` reads `process.env`;
 * - nothing outside `cli/` (and `bin/`, which starts it) imports `cli/`;
 * - `api/` and `ocr/` never import `robots/` (what they share with the robots lives in `runtime/`).
 * Each exception is listed below by path, with the reason it is one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';

/** One source file: its path from the repository root (forward slashes) and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** Files that import mongoose outside storage/, and why they must. */
export const MONGOOSE_EXCEPTIONS: Record<string, string> = {
  'scripts/mongo-compat.ts': 'reports which MongoDB features the server offers to mongoose itself, before any store exists',
  'test/setup/services.test.ts': 'checks the embedded MongoDB-wire server answers a plain driver, without the storage layer',
  'test/setup/mongo-wire-server.test.ts': 'drives a MongoDB-wire server of its own with more client connections than its SQLite pool, without the storage layer',
  'test/evidence/evidence-store.test.ts': 'proves the evidence bodies are standard GridFS by reading them with a plain GridFSBucket',
};

/** Folders (prefix) and files that read `process.env` outside config/, and why they must. */
export const PROCESS_ENV_EXCEPTIONS: Record<string, string> = {
  'test/': 'tests start the CLI and the farm as child processes and hand them an environment (REDIS_URL, MONGODB_URI, …)',
  'bench/': 'benchmarks start the farm as child processes with an environment, and read their own knobs (BENCH_*)',
  'soak/': 'soak runs start and kill the farm as child processes with an environment',
  'scripts/': 'development scripts run outside the farm, before any config',
  'storage/embedded/locate.ts': 'finds the Redis/FerretDB binaries on PATH, XDG_CACHE_HOME and KONVEYER_BIN_DIR before any config is parsed (test setup, `konveyer services`)',
  'storage/embedded/mongo.ts': 'hands the environment (PATH) to the MongoDB-wire server it starts; reads MONGODB_URI before any config (test setup)',
  'storage/embedded/services.ts': 'hands the environment to the services it starts as child processes',
};

/** Folders whose files may import cli/. */
const CLI_IMPORTERS = ['cli/', 'bin/'];

/** What every rule is called in a violation line. */
export type RuleName = 'mongoose-outside-storage' | 'process-env-outside-config' | 'imports-cli' | 'api-ocr-import-robots';

export interface Violation {
  rule: RuleName;
  file: string;
  /** The import specifier, or `process.env`. */
  what: string;
}

const SOURCE_EXTENSIONS = /\.(ts|mts|cts|mjs|js)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', '.run', 'dist', 'coverage']);

/** Every source file under `root`, paths relative to it, generated and third-party folders skipped. */
export function sourceFiles(root: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name));
      } else if (SOURCE_EXTENSIONS.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const path = join(dir, entry.name);
        out.push({ path: relative(root, path).split('\\').join('/'), text: readFileSync(path, 'utf8') });
      }
    }
  };
  walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Module specifiers a file names: static imports and re-exports, `import()`, `require()`, `import x = require()`. */
export function importsOf(file: SourceFile): { specifiers: string[]; readsProcessEnv: boolean } {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, file.path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const specifiers: string[] = [];
  let readsProcessEnv = false;
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      specifiers.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const arg = node.arguments[0];
      if ((isImport || isRequire) && arg && ts.isStringLiteralLike(arg)) specifiers.push(arg.text);
    } else if (ts.isPropertyAccessExpression(node) && node.name.text === 'env' && ts.isIdentifier(node.expression) && node.expression.text === 'process') {
      readsProcessEnv = true;
    } else if (ts.isElementAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process'
      && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === 'env') {
      readsProcessEnv = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { specifiers, readsProcessEnv };
}

/** The repository path a relative specifier points at, or null for a package. */
function targetOf(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return posix.normalize(posix.join(posix.dirname(from), specifier));
}

const under = (path: string, folder: string) => path === folder.replace(/\/$/, '') || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
const excepted = (path: string, exceptions: Record<string, string>) => Object.keys(exceptions).some((k) => (k.endsWith('/') ? path.startsWith(k) : path === k));

/** Every breach of the rules in `files`, in file order. */
export function checkImportRules(files: SourceFile[]): Violation[] {
  const out: Violation[] = [];
  for (const file of files) {
    const { specifiers, readsProcessEnv } = importsOf(file);
    if (readsProcessEnv && !under(file.path, 'config/') && !excepted(file.path, PROCESS_ENV_EXCEPTIONS)) {
      out.push({ rule: 'process-env-outside-config', file: file.path, what: 'process.env' });
    }
    for (const spec of specifiers) {
      if ((spec === 'mongoose' || spec.startsWith('mongoose/')) && !under(file.path, 'storage/') && !excepted(file.path, MONGOOSE_EXCEPTIONS)) {
        out.push({ rule: 'mongoose-outside-storage', file: file.path, what: spec });
      }
      const target = targetOf(file.path, spec);
      if (!target) continue;
      if (under(target, 'cli/') && !CLI_IMPORTERS.some((f) => under(file.path, f))) {
        out.push({ rule: 'imports-cli', file: file.path, what: spec });
      }
      if ((under(file.path, 'api/') || under(file.path, 'ocr/')) && under(target, 'robots/')) {
        out.push({ rule: 'api-ocr-import-robots', file: file.path, what: spec });
      }
    }
  }
  return out;
}
