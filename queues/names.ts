/** Job (and queue) names: `<target>.<action>`. One BullMQ queue per job name. */
export const JOB_NAMES = ['court.case', 'court.search', 'fssp.search', 'epgu.request', 'epgu.inbox'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const isJobName = (name: string): name is JobName => (JOB_NAMES as readonly string[]).includes(name);
