import type { Connection } from 'mongoose';
import type { Locker } from './key-lock.ts';
import { connectMongo, type MongoOptions } from './connection.ts';
import { MongoCourtCaseStore } from './court-cases.repo.ts';
import { MongoEvidenceStore } from './evidence.store.ts';
import { MongoAuditLog } from './audit-log.repo.ts';
import type { EvidenceBackendOptions } from './evidence/blob-backend.ts';
import { createBlobBackend } from './evidence/backends.ts';
import type { EvidenceKeyring } from './evidence/signing.ts';
import { migrateToClients } from './clients.migration.ts';
import { MongoLookupStore } from './lookups.repo.ts';
import { MongoScheduleStore } from './schedule.repo.ts';
import { MongoEnforcementProceedingStore } from './enforcement-proceedings.repo.ts';
import { MongoCaptchaTaskStore } from './captcha-tasks.repo.ts';
import { MongoApiKeyStore } from './api-keys.repo.ts';
import { MongoReadModelStore } from './read-models.repo.ts';
import { MongoWebhookStore } from './webhooks.repo.ts';
import { MongoEpguRequestStore } from './epgu-requests.repo.ts';
import { MongoEpguSessionStore } from './epgu-sessions.repo.ts';
import { MongoDocumentStore } from './documents.repo.ts';
import { MongoUiSessionStore } from './ui-sessions.repo.ts';
import { MongoPostalItemStore } from './postal-items.repo.ts';
import { recordCommandStats } from './command-stats.ts';

export * from './lookups.types.ts';
export * from './court-cases.types.ts';
export * from './evidence.types.ts';
export * from './clients.types.ts';
export * from './api-keys.types.ts';
export * from './webhooks.types.ts';
export * from './enforcement-proceedings.types.ts';
export * from './captcha-tasks.types.ts';
export * from './schedule.types.ts';
export * from './epgu-requests.types.ts';
export * from './epgu-sessions.types.ts';
export * from './documents.types.ts';
export * from './robots.types.ts';
export * from './postal-items.types.ts';
export { connectMongo, isMongoUnreachable } from './connection.ts';
export type { CommandStatsSnapshot } from './command-stats.ts';
export { watchMongoConnection } from './connection-watch.ts';
export { KeyLock, type Locker } from './key-lock.ts';
export { courtCaseKey, diffCase, MongoCourtCaseStore } from './court-cases.repo.ts';
export { MongoEvidenceStore, sha256Hex, evidenceLinkHash, manifestHashOf } from './evidence.store.ts';
export { MongoAuditLog, type AuditLogEntry, type AuditLogInput } from './audit-log.repo.ts';
export type { BlobBackend, EvidenceBackendOptions } from './evidence/blob-backend.ts';
export type { EvidenceManifest } from './evidence/manifest.model.ts';
export { keyIdOf, keyringFromPems, generateSigningKeyPem, type EvidenceKeyring, type EvidenceSigner } from './evidence/signing.ts';
export { resolveEvidenceKeyring, generatedKeyPath } from './evidence/keys.ts';
export { MongoLookupStore } from './lookups.repo.ts';
export { MongoScheduleStore } from './schedule.repo.ts';
export { MongoApiKeyStore, hashApiToken } from './api-keys.repo.ts';
export { MongoWebhookStore } from './webhooks.repo.ts';
export { MongoReadModelStore, READ_COLLECTIONS, READ_FILTERS, type ReadCollection, type ReadFilter, type ReadPage } from './read-models.repo.ts';
export type { CourtCaseDoc } from './models/court-case.model.ts';
export { MongoEnforcementProceedingStore, diffProceeding, endReason } from './enforcement-proceedings.repo.ts';
export type { EnforcementProceedingDoc, ProceedingHistoryEntry } from './models/enforcement-proceeding.model.ts';
export { MongoCaptchaTaskStore, CaptchaTaskStateError } from './captcha-tasks.repo.ts';
export { MongoEpguRequestStore } from './epgu-requests.repo.ts';
export { MongoEpguSessionStore } from './epgu-sessions.repo.ts';
export { MongoDocumentStore } from './documents.repo.ts';
export { MongoUiSessionStore, type UiSessionStore, type LiveUiSession, type UiRealm, type UiSessionDoc } from './ui-sessions.repo.ts';
export { MongoPostalItemStore, diffPostalItem } from './postal-items.repo.ts';
export type { PostalItemDoc, PostalHistoryEntry } from './models/postal-item.model.ts';

/** Everything a process role needs from MongoDB, opened together and closed together. */
export interface Storage {
  conn: Connection;
  lookups: MongoLookupStore;
  courtCases: MongoCourtCaseStore;
  evidence: MongoEvidenceStore;
  /** `audit_log`: who viewed or exported which evidence. */
  auditLog: MongoAuditLog;
  /** `api_keys`, `webhooks` + `webhook_deliveries`, and paged reads for the HTTP API. */
  apiKeys: MongoApiKeyStore;
  webhooks: MongoWebhookStore;
  readModels: MongoReadModelStore;
  /** `enforcement_proceedings` (fssp.search) and `captcha_tasks` (operator hand-off). */
  enforcementProceedings: MongoEnforcementProceedingStore;
  captchaTasks: MongoCaptchaTaskStore;
  /** The re-check schedule kept on `court_cases` (scheduler/, `konveyer cases`). */
  schedules: MongoScheduleStore;
  /** `epgu_requests`, `epgu_sessions` (sealed cookies, feed cursor) and `documents` (answers, OCR). */
  epguRequests: MongoEpguRequestStore;
  epguSessions: MongoEpguSessionStore;
  documents: MongoDocumentStore;
  /** `ui_sessions`: server-side logins of the ops dashboard and the auditor UI (hashed ids, expiring). */
  uiSessions: MongoUiSessionStore;
  /** `postal_items` (post.tracking): letters, operations, terms from delivery. */
  postalItems: MongoPostalItemStore;
  close(): Promise<void>;
}

/** Connects, creates the indexes every repository relies on (idempotent), returns the stores. */
export async function openStorage(
  options: MongoOptions & {
    evidence?: EvidenceBackendOptions;
    lock?: Locker;
    evidenceKeyring?: EvidenceKeyring;
    /** Count this process's MongoDB commands and written bytes into this JSON file (storage/command-stats.ts); default off. */
    commandStatsFile?: string;
  },
): Promise<Storage> {
  const conn = await connectMongo({ ...options, monitorCommands: options.monitorCommands ?? Boolean(options.commandStatsFile) });
  const commandStats = options.commandStatsFile ? recordCommandStats(conn, options.commandStatsFile) : null;
  const lookups = new MongoLookupStore(conn);
  // Per-key serialization of saves; a Redis lock (queues/redis-lock.ts) saves two MongoDB round trips.
  const lock = options.lock;
  const courtCases = new MongoCourtCaseStore(conn, lock);
  const evidence = new MongoEvidenceStore(conn, createBlobBackend(conn, options.evidence), { keyring: options.evidenceKeyring });
  const auditLog = new MongoAuditLog(conn);
  const apiKeys = new MongoApiKeyStore(conn);
  const webhooks = new MongoWebhookStore(conn);
  const enforcementProceedings = new MongoEnforcementProceedingStore(conn, lock);
  const captchaTasks = new MongoCaptchaTaskStore(conn, lock);
  const epguRequests = new MongoEpguRequestStore(conn);
  const epguSessions = new MongoEpguSessionStore(conn);
  const documents = new MongoDocumentStore(conn);
  const uiSessions = new MongoUiSessionStore(conn);
  const postalItems = new MongoPostalItemStore(conn, lock);
  for (const model of [lookups.model, courtCases.model, evidence.items, evidence.blobs, evidence.manifests, evidence.sealRecords, evidence.processHeads, auditLog.model, apiKeys.model, webhooks.model, webhooks.deliveries, enforcementProceedings.model, captchaTasks.model, epguRequests.model, epguSessions.model, documents.model, postalItems.model]) {
    await model.createCollection().catch(() => undefined);
    await model.createIndexes();
  }
  await uiSessions.model.createCollection().catch(() => undefined);
  await uiSessions.model.createIndexes();
  // Keys, webhooks and lookups from before clients existed move to the default client (idempotent).
  await migrateToClients(conn);
  return { conn, lookups, courtCases, evidence, auditLog, apiKeys, webhooks, readModels: new MongoReadModelStore(conn), enforcementProceedings, captchaTasks, schedules: new MongoScheduleStore(conn), epguRequests, epguSessions, documents, uiSessions, postalItems, close: async () => {
    try {
      // Seal records still queued (storage/evidence/seal-log.ts) are written before the connection goes.
      await evidence.sealLog.close();
    } finally {
      await conn.close();
      commandStats?.stop();
    }
  } };
}
