import { courtCaseInputSchema } from './court-case.payload.ts';
import { courtSearchInputSchema } from './court-search.payload.ts';
import { fsspSearchInputSchema } from './fssp-search.payload.ts';
import { epguRequestInputSchema } from './epgu-request.payload.ts';
import { epguInboxInputSchema } from './epgu-inbox.payload.ts';
import { ocrDocumentInputSchema } from './ocr-document.payload.ts';
import { postTrackingInputSchema } from './post-tracking.payload.ts';

/**
 * Every job of the farm, ONE line each: its name (`<target>.<action>`, also its BullMQ queue) and
 * its input schema (submit validates against it before anything is stored). JOB_NAMES and
 * INPUT_SCHEMAS derive from it; the robots serving each job are listed in robots/index.ts, which
 * fails to compile when a robot job has none. (Kept here, not derived from the robot list: the
 * API and submit read job names and schemas without loading the robots and their browser.)
 */
export const JOBS = {
  'court.case': courtCaseInputSchema,
  'court.search': courtSearchInputSchema,
  'fssp.search': fsspSearchInputSchema,
  'epgu.request': epguRequestInputSchema,
  'epgu.inbox': epguInboxInputSchema,
  'ocr.document': ocrDocumentInputSchema,
  'post.tracking': postTrackingInputSchema,
} as const;

export type JobName = keyof typeof JOBS;
/** Job (and queue) names: `<target>.<action>`. One BullMQ queue per job name. */
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/**
 * Jobs with a process role of their own, never served by the robot pool: `ocr.document` is
 * CPU-heavy and scales apart from the robots (`konveyer ocr work`, issue 5).
 */
export const OWN_ROLE_JOB_NAMES = ['ocr.document'] as const satisfies readonly JobName[];
/** Jobs a robot pool (`konveyer robots`) serves: every job name but the own-role ones. */
export type RobotJobName = Exclude<JobName, (typeof OWN_ROLE_JOB_NAMES)[number]>;
export const ROBOT_JOB_NAMES = JOB_NAMES.filter((n): n is RobotJobName => !(OWN_ROLE_JOB_NAMES as readonly string[]).includes(n));

export const isJobName = (name: string): name is JobName => (JOB_NAMES as readonly string[]).includes(name);
