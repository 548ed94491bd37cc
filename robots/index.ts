import { BadInputError } from '../core/errors.ts';
import { courtPortalOf } from '../core/identifiers.ts';
import type { JobName } from '../queues/names.ts';
import type { LookupHandler } from '../queues/worker.ts';
import { runSudrfCaseLookup } from './court-sudrf/index.ts';
import type { RobotServices } from './runtime/robot-services.ts';

export type { RobotServices } from './runtime/robot-services.ts';

/** The handler of every job name, bound to a robot process's services. */
export function buildHandlers(services: RobotServices): { [N in JobName]: LookupHandler<N> } {
  return {
    'court.case': async (ctx) => {
      const portal = courtPortalOf(String((ctx.input as { court?: unknown }).court ?? ''));
      switch (portal) {
        case 'sudrf':
          return runSudrfCaseLookup(services, ctx);
        default:
          throw new BadInputError(`no robot for court host ${String((ctx.input as { court?: unknown }).court)}`);
      }
    },
  };
}
