import { BadInputError } from '../core/errors.ts';
import { courtPortalOf } from '../core/identifiers.ts';
import type { RobotJobName } from '../queues/names.ts';
import type { LookupHandler } from '../queues/worker.ts';
import { runSudrfCaseLookup } from './court-sudrf/index.ts';
import { runMsudrfCaseLookup } from './court-msudrf/index.ts';
import { runMirsudCaseLookup } from './court-mirsud-spb/index.ts';
import { runMosSudCaseLookup } from './court-mos-sud/index.ts';
import { runFsspSearchLookup } from './fssp/index.ts';
import { runEpguInbox, runEpguRequest } from './epgu/index.ts';
import { runCourtSearch, type CourtSearchFanOut } from './court-search/index.ts';
import { runPostTrackingLookup } from './post-tracking/index.ts';
import type { RobotServices } from './runtime/robot-services.ts';

export type { RobotServices } from './runtime/robot-services.ts';

/** The handler of every robot job name (not `ocr.document`: `konveyer ocr work`), bound to a robot process's services. */
export function buildHandlers(services: RobotServices, extras: { courtSearchFanOut?: CourtSearchFanOut } = {}): { [N in RobotJobName]: LookupHandler<N> } {
  return {
    'court.case': async (ctx) => {
      const portal = courtPortalOf(String((ctx.input as { court?: unknown }).court ?? ''));
      switch (portal) {
        case 'sudrf':
          return runSudrfCaseLookup(services, ctx);
        case 'msudrf':
          return runMsudrfCaseLookup(services, ctx);
        case 'mirsud-spb':
          return runMirsudCaseLookup(services, ctx);
        case 'mos-sud':
          return runMosSudCaseLookup(services, ctx);
        default:
          throw new BadInputError(`no robot for court host ${String((ctx.input as { court?: unknown }).court)}`);
      }
    },
    'court.search': (ctx) => runCourtSearch(services, extras.courtSearchFanOut, ctx),
    'fssp.search': (ctx) => runFsspSearchLookup(services, ctx),
    'epgu.request': (ctx) => runEpguRequest(services, ctx),
    'epgu.inbox': (ctx) => runEpguInbox(services, ctx),
    'post.tracking': (ctx) => runPostTrackingLookup(services, ctx),
  };
}
