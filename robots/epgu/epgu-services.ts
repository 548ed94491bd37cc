/**
 * Wires what the EPGU robots need from a robot process's config and stores (robots/pool.ts calls
 * this): accounts, the sealing key, the production calendar, and — when the farm has an
 * `ocr.document` job — an enqueuer that submits one OCR lookup per stored document.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../config/index.ts';
import { loadProductionCalendar } from '../../core/calendar/index.ts';
import { parseEncryptionKey } from '../../core/crypto.ts';
import { JOB_NAMES, type JobName } from '../../queues/names.ts';
import { submitLookups } from '../../queues/submit.ts';
import type { DocumentStore } from '../../storage/documents.types.ts';
import type { EpguRequestStore } from '../../storage/epgu-requests.types.ts';
import type { EpguSessionStore } from '../../storage/epgu-sessions.types.ts';
import type { LookupStore } from '../../storage/lookups.types.ts';
import type { EpguRobotServices } from '../runtime/robot-services.ts';

/**
 * The OCR job (issue 5), served by the OCR role (`konveyer ocr work`), never by robots. The check
 * against JOB_NAMES stays so a farm built without it keeps documents `pending_ocr`.
 */
export const OCR_JOB = 'ocr.document';

export interface EpguStores {
  lookups: LookupStore;
  epguRequests?: EpguRequestStore;
  epguSessions?: EpguSessionStore;
  documents?: DocumentStore;
}

/** EPGU services, or null when the stores were not given; `close` releases the OCR queue. */
export function buildEpguServices(config: Config, stores: EpguStores, connection: Redis): { epgu: EpguRobotServices | null; close: () => Promise<void> } {
  if (!stores.epguRequests || !stores.epguSessions || !stores.documents) return { epgu: null, close: async () => undefined };
  let queue: Queue | null = null;
  const hasOcr = (JOB_NAMES as readonly string[]).includes(OCR_JOB);
  const enqueueOcr = hasOcr
    ? async (documentId: string) => {
        const queueFor = (name: JobName) => (queue ??= new Queue(name, { connection, prefix: config.queue.prefix }));
        await submitLookups({ lookups: stores.lookups, queueFor, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } }, [
          { type: OCR_JOB, input: { documentId }, clientKey: `ocr:${documentId}` },
        ]);
      }
    : null;
  return {
    epgu: {
      requests: stores.epguRequests,
      sessions: stores.epguSessions,
      documents: stores.documents,
      accounts: config.epgu.accounts,
      encryptionKey: config.epgu.encryptionKey ? parseEncryptionKey(config.epgu.encryptionKey) : null,
      answerWorkingDays: config.epgu.answerWorkingDays,
      calendar: loadProductionCalendar({ overridePath: config.calendar.overridePath }),
      feedRetryMs: config.epgu.feedRetryMs,
      feedTries: config.epgu.feedTries,
      operatorWaitMs: config.captcha.operator.waitMs,
      taskTtlMs: config.captcha.operator.taskTtlMs,
      enqueueOcr,
    },
    close: async () => {
      await queue?.close();
    },
  };
}
