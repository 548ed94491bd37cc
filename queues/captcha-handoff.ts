/**
 * The operator's side of a parked captcha or second-factor task: the list (`konveyer captcha list`)
 * and the answer, shared by `konveyer captcha answer` and the ops dashboard. Records the answer and puts the parked lookup back on its queue,
 * where the robot restores the site session and sends the code.
 */
import type { Queue } from 'bullmq';
import { lookupJobOptions, type JobOptionsConfig } from './job-options.ts';
import { isJobName, type JobName } from './names.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { CaptchaTaskDoc, CaptchaTaskStatus, CaptchaTaskStore } from '../storage/captcha-tasks.types.ts';
import type { LookupStore } from '../storage/lookups.types.ts';

/** What the operator functions need: the tasks, the lookups, and the queues to resume into. */
export interface CaptchaOperatorDeps {
  captchaTasks: CaptchaTaskStore;
  lookups: LookupStore;
  queueFor: (name: JobName) => Queue;
  jobOptions: JobOptionsConfig;
}

/** What answering did: `resumed` = the parked lookup was put back on its queue to resume in its session. */
export interface CaptchaAnswerResult {
  task: CaptchaTaskDoc;
  resumed: boolean;
  /** Why the lookup was not re-queued (a robot waiting in-process took the answer, no lookup…). */
  note: string | null;
}

/**
 * Records the operator's answer and resumes the parked lookup: its BullMQ job (id = lookup id,
 * kept failed after the park) is retried, or re-added if it is gone; the robot then finds the
 * answered task, restores the site session it holds and sends the code there. A robot still waiting
 * in-process (CAPTCHA_OPERATOR_WAIT_SECS) takes the answer itself and nothing is re-queued.
 */
export async function answerCaptchaTask(
  deps: CaptchaOperatorDeps,
  taskId: string,
  answer: string,
  options: { by?: string; settleMs?: number } = {},
): Promise<CaptchaAnswerResult> {
  const text = answer.trim();
  if (!text) throw new Error('the answer must not be empty');
  const task = await deps.captchaTasks.answer(taskId, text, options.by ?? userInfo().username);
  if (!task.lookupId || !task.jobName || !task.session) return { task, resumed: false, note: 'no parked lookup to resume (a robot waiting in-process takes the answer)' };
  if (!isJobName(task.jobName)) return { task, resumed: false, note: `unknown job name ${task.jobName}` };
  // The robot may be between "no answer in time" and "parked": give it a moment to park.
  const deadline = Date.now() + (options.settleMs ?? 15_000);
  for (;;) {
    const lookup = await deps.lookups.get(task.lookupId);
    if (!lookup) return { task, resumed: false, note: `lookup ${task.lookupId} is gone` };
    if (lookup.status === 'needs_human') break;
    const fresh = await deps.captchaTasks.get(task._id);
    if (fresh?.consumedAt) return { task: fresh, resumed: false, note: 'a robot waiting in-process used the answer' };
    if (Date.now() > deadline) return { task, resumed: false, note: `lookup ${task.lookupId} is ${lookup.status}, not parked; it will find the answer when it asks again` };
    await new Promise((r) => setTimeout(r, 200));
  }
  const lookup = (await deps.lookups.get(task.lookupId))!;
  const queue = deps.queueFor(task.jobName);
  const job = await queue.getJob(task.lookupId);
  await deps.lookups.markRetrying(task.lookupId, lookup.error ?? { code: 'needs_human', kind: 'needs_human', message: 'captcha answered by an operator' });
  if (job && (await job.getState()) === 'failed') {
    await job.retry('failed', { resetAttemptsMade: true });
  } else if (!job) {
    await queue.add(task.jobName, { lookupId: lookup._id, input: lookup.input } as never, lookupJobOptions(lookup._id, deps.jobOptions));
  }
  return { task, resumed: true, note: null };
}

/** One row of `konveyer captcha list`. */
export interface CaptchaTaskRow {
  id: string;
  status: CaptchaTaskStatus;
  kind: string;
  target: string | null;
  lookupId: string | null;
  createdAt: string;
  expiresAt: string;
  /** Where the image was written, when an image folder was given. */
  image: string | null;
}

/** Lists tasks (open ones by default), writing each image to `imageDir` for the operator to look at. */
export async function listCaptchaTasks(tasks: CaptchaTaskStore, options: { status?: CaptchaTaskStatus; imageDir?: string; limit?: number } = {}): Promise<CaptchaTaskRow[]> {
  const docs = await tasks.list({ status: options.status ?? 'open' }, options.limit ?? 100);
  if (options.imageDir) mkdirSync(options.imageDir, { recursive: true });
  return docs.map((d) => {
    let image: string | null = null;
    if (options.imageDir) {
      image = join(options.imageDir, `${d._id}.${d.contentType === 'image/png' ? 'png' : d.contentType === 'image/gif' ? 'gif' : 'jpg'}`);
      writeFileSync(image, Buffer.from(d.imageBase64, 'base64'));
    }
    return { id: d._id, status: d.status, kind: d.kind, target: d.target, lookupId: d.lookupId, createdAt: d.createdAt.toISOString(), expiresAt: d.expiresAt.toISOString(), image };
  });
}
