import type { z } from 'zod';
import { JOBS, type JobName } from './names.ts';

/** The input schema of every job name (queues/names.ts JOBS); submit validates against it before anything is stored. */
export const INPUT_SCHEMAS = JOBS satisfies Record<JobName, z.ZodType>;

export type JobInput<N extends JobName> = z.output<(typeof INPUT_SCHEMAS)[N]>;

/** Data stored in a BullMQ job: the lookup id and the validated input, never secrets. */
export interface JobData<N extends JobName = JobName> {
  lookupId: string;
  input: JobInput<N>;
}

/** One zod issue as a sentence that names the field: `number: malformed case number: expected …`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.length ? i.path.join('.') : 'input';
    if (i.code === 'unrecognized_keys') return `${path}: unknown field(s) ${i.keys.join(', ')}`;
    if (i.code === 'invalid_type') return `${path}: ${i.message}`;
    return `${path}: ${i.message}`;
  });
}
