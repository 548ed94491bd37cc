/**
 * The robots of the farm: ONE list. The handler of every job name, the set of job names a robot
 * pool serves and the check that every robot job has a robot derive from it. To add a target:
 * write `robots/<slug>/index.ts` (its definition: robots/runtime/robot-definition.ts) and add it
 * here; robots serving the same job name are tried in list order by their `handles`.
 */
import type { RobotJobName } from '../queues/names.ts';
import type { LookupHandler } from '../queues/worker.ts';
import { sudrfCaseRobot } from './court-sudrf/index.ts';
import { msudrfCaseRobot } from './court-msudrf/index.ts';
import { mirsudCaseRobot } from './court-mirsud-spb/index.ts';
import { mosSudCaseRobot } from './court-mos-sud/index.ts';
import { courtSearchFanInRobot, mirsudSearchRobot, mosSudSearchRobot, msudrfSearchRobot, sudrfSearchRobot } from './court-search/index.ts';
import { fsspSearchRobot } from './fssp/index.ts';
import { epguInboxRobot, epguRequestRobot } from './epgu/index.ts';
import { postTrackingRobot } from './post-tracking/index.ts';
import type { AnyRobotDefinition } from './runtime/robot-definition.ts';
import { handlersFor } from './runtime/robot-runtime.ts';
import type { RobotServices } from './runtime/robot-services.ts';

export type { RobotServices } from './runtime/robot-services.ts';
export type { AnyRobotDefinition, RobotContext, RobotDefinition } from './runtime/robot-definition.ts';

/** Every robot, in the order `handles` is tried for a job name served by several. */
export const ROBOTS = [
  sudrfCaseRobot,
  msudrfCaseRobot,
  mirsudCaseRobot,
  mosSudCaseRobot,
  courtSearchFanInRobot,
  sudrfSearchRobot,
  msudrfSearchRobot,
  mosSudSearchRobot,
  mirsudSearchRobot,
  fsspSearchRobot,
  epguRequestRobot,
  epguInboxRobot,
  postTrackingRobot,
] as const satisfies readonly AnyRobotDefinition[];

/** Fails to compile when a robot job name (queues/names.ts) has no robot in ROBOTS. */
type MissingRobot = Exclude<RobotJobName, (typeof ROBOTS)[number]['job']>;
const everyJobHasARobot: [MissingRobot] extends [never] ? true : MissingRobot = true;
void everyJobHasARobot;

/** The handler of every robot job name (not `ocr.document`: `konveyer ocr work`), bound to a robot process's services. */
export function buildHandlers(services: RobotServices): { [N in RobotJobName]: LookupHandler<N> } {
  return handlersFor(ROBOTS, services) as { [N in RobotJobName]: LookupHandler<N> };
}
