import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { loadConfigOrExit } from './config-file.ts';

const cliActor = () => `cli:${(() => { try { return userInfo().username; } catch { return 'unknown'; } })()}`;

/**
 * `konveyer evidence verify|export|retention`: re-hash the chains, write an evidence bundle for a
 * job, a court case or a debtor, and delete bodies past the retention period. Exports are
 * audit-sensitive (they hold personal data) and are written to `audit_log`.
 */
export function registerEvidence(program: Command): void {
  const evidence = program.command('evidence').description('verify, export and expire the hash-chained evidence');

  evidence
    .command('verify')
    .description('re-read and re-hash evidence: report changed, missing, re-ordered items, manifest mismatches, bad or missing signatures (unsigned, key_unknown, signature_invalid), deleted manifests and broken seal logs of robot processes (exit 1 on findings)')
    .option('--job <id...>', 'only these jobs (lookup ids)')
    .option('--since <date>', 'every job with evidence since this date (YYYY-MM-DD or ISO time)')
    .option('--json', 'print the report as JSON (without --job: only the jobs with findings)')
    .option('--progress-every <items>', 'print progress to stderr every this many items', '10000')
    .action(async (opts: { job?: string[]; since?: string; json?: boolean; progressEvery: string }) => {
      const since = opts.since ? new Date(opts.since) : undefined;
      if (since && Number.isNaN(since.getTime())) {
        process.stderr.write(`--since: "${opts.since}" is not a date (YYYY-MM-DD)\n`);
        process.exitCode = 2;
        return;
      }
      await withEvidence(async ({ store, storage }) => {
        const { verifyEvidence, formatVerifyTable } = await import('../storage/evidence/verify.ts');
        const every = Number(opts.progressEvery);
        const report = await verifyEvidence(store, { jobIds: opts.job, since }, {
          progressEvery: Number.isInteger(every) && every > 0 ? every : 10_000,
          onProgress: (p) => process.stderr.write(`verify: ${p.jobs} jobs, ${p.items} items, ${p.bytes} bytes, ${p.findings} findings, ${(p.ms / 1000).toFixed(1)} s\n`),
        });
        await storage.auditLog.record({ actor: cliActor(), action: 'verify', target: opts.job?.join(',') ?? (since ? `since:${since.toISOString()}` : 'all'), details: { ok: report.ok, items: report.items, findings: report.findings.length } });
        process.stdout.write(opts.json ? `${JSON.stringify({ ...report, jobs: report.jobs.map(({ flagged: _f, ...j }) => j) }, null, 2)}\n` : formatVerifyTable(report));
        process.exitCode = report.ok ? 0 : 1;
      });
    });

  evidence
    .command('export')
    .description('write a zip with the files, manifest.json, SHA256SUMS, the signed manifests with the public keys, and VERIFY.txt (job = lookup id, case = court_cases id, debtor = party name)')
    .argument('<scope>', 'job | case | debtor')
    .argument('<id>', 'lookup id, court case id, or the debtor\'s name')
    .option('--out <file>', 'zip file to write', '')
    .action(async (scope: string, id: string, opts: { out: string }) => {
      if (scope !== 'job' && scope !== 'case' && scope !== 'debtor') {
        process.stderr.write(`scope must be job, case or debtor (got "${scope}")\n`);
        process.exitCode = 2;
        return;
      }
      const out = opts.out || `evidence-${scope}-${id.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 60)}.zip`;
      await withEvidence(async ({ store, storage }) => {
        const { exportEvidenceBundle } = await import('../storage/evidence/export.ts');
        const summary = await exportEvidenceBundle({ ...storage, evidence: store }, { kind: scope, id }, out);
        // Who exported which person's or case's evidence is itself evidence (DESIGN.md §Evidence).
        await storage.auditLog.record({ actor: cliActor(), action: `export.${scope}`, target: id, details: { out, ...summary } });
        process.stdout.write(`${JSON.stringify({ out, ...summary })}\n`);
        if (summary.jobs === 0) process.exitCode = 1;
      });
    });

  evidence
    .command('retention')
    .description('delete bodies older than EVIDENCE_RETENTION_DAYS that no newer item references (items and manifests stay)')
    .option('--days <n>', 'override EVIDENCE_RETENTION_DAYS')
    .action(async (opts: { days?: string }) => {
      await withEvidence(async ({ store, days }) => {
        const n = opts.days === undefined ? days : Number(opts.days);
        if (!Number.isInteger(n) || n <= 0) {
          process.stderr.write('retention is off: set EVIDENCE_RETENTION_DAYS or --days to a positive number of days\n');
          process.exitCode = 2;
          return;
        }
        const { applyRetention } = await import('../storage/evidence/retention.ts');
        process.stdout.write(`${JSON.stringify(await applyRetention(store, n))}\n`);
      });
    });
}

type EvidenceCtx = {
  store: import('../storage/evidence.store.ts').MongoEvidenceStore;
  storage: import('../storage/index.ts').Storage;
  days: number;
};

/** Opens the farm's storage with the configured blob backend, runs `fn`, closes. */
async function withEvidence(fn: (ctx: EvidenceCtx) => Promise<void>): Promise<void> {
  const config = loadConfigOrExit();
  const { openFarm } = await import('../runtime/farm.ts');
  const { MongoEvidenceStore } = await import('../storage/index.ts');
  const { createBlobBackend, backendOptionsFromConfig } = await import('../storage/evidence/backends.ts');
  const farm = await openFarm(config);
  try {
    const store = new MongoEvidenceStore(farm.storage.conn, createBlobBackend(farm.storage.conn, backendOptionsFromConfig(config.evidence)), { keyring: farm.storage.evidence.keyring });
    await fn({ store, storage: farm.storage, days: config.evidence.retentionDays });
  } finally {
    await farm.close();
  }
}
