/** Job (and queue) names: `<target>.<action>`. One BullMQ queue per job name. */
export const JOB_NAMES = ['court.case', 'court.search', 'fssp.search', 'epgu.request', 'epgu.inbox', 'ocr.document', 'post.tracking'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/**
 * Jobs with a process role of their own, never served by the robot pool: `ocr.document` is
 * CPU-heavy and scales apart from the robots (`konveyer ocr work`, issue 5).
 */
export const OWN_ROLE_JOB_NAMES = ['ocr.document'] as const satisfies readonly JobName[];
/** Jobs a robot pool (`konveyer robots`) serves: every job name but the own-role ones. */
export type RobotJobName = Exclude<JobName, (typeof OWN_ROLE_JOB_NAMES)[number]>;
export const ROBOT_JOB_NAMES = JOB_NAMES.filter((n): n is RobotJobName => !(OWN_ROLE_JOB_NAMES as readonly string[]).includes(n));

export const isJobName = (name: string): name is JobName => (JOB_NAMES as readonly string[]).includes(name);
