export { JOB_NAMES, isJobName, type JobName } from './names.ts';
export { INPUT_SCHEMAS, describeIssues, type JobData, type JobInput } from './payloads.ts';
export { courtCaseInputSchema, type CourtCaseInput } from './court-case.payload.ts';
export { lookupJobOptions } from './job-options.ts';
export { decideOutcome, type QueueOutcome } from './outcome.ts';
export { createRedis } from './redis.ts';
export { submitLookups, SubmitRejectedError, type SubmitRequest, type SubmitResult, type SubmitDeps } from './submit.ts';
export { startLookupWorker, type HandlerContext, type HandlerResult, type LookupHandler, type LookupWorkerOptions } from './worker.ts';
