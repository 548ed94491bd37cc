import { AuthRequiredError, NotFoundError } from '../../core/errors.ts';
import { postTrackingItems, type PostTrackingInput } from '../../queues/post-tracking.payload.ts';
import type { HandlerContext, HandlerResult } from '../../queues/worker.ts';
import { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import type { RobotServices } from '../runtime/robot-services.ts';
import { runPostTracking } from './flow.ts';

/** Target slug, used in config, logs and evidence. */
export const TARGET = 'post-tracking';
export const JOB_NAME = 'post.tracking';

/**
 * The `post.tracking` robot (SOAP over plain HTTP): one letter by single access, or a batch —
 * by batch access when it holds more than POST_TRACKING_BATCH_MIN identifiers. Result: the
 * identifiers saved in `postal_items`; `not_found` when the service knows none of them.
 */
export async function runPostTrackingLookup(services: RobotServices, ctx: HandlerContext<'post.tracking'>): Promise<HandlerResult> {
  const pt = services.postTracking;
  if (!pt) throw new AuthRequiredError('this robot process has no post tracking services (postal_items store)', { target: TARGET });
  const letters = postTrackingItems(ctx.input as PostTrackingInput);
  const evidence = new EvidenceRecorder(services.evidence, { jobId: ctx.lookupId, lookupId: ctx.lookupId, robot: services.robotId });
  try {
    const out = await runPostTracking({ lookupId: ctx.lookupId, evidence, log: ctx.log.child({ target: TARGET }), ...pt, items: pt.items }, letters);
    if (out.saved.length === 0) return { status: 'not_found', result: null, evidenceCount: evidence.recorded };
    return { status: 'succeeded', result: { collection: 'postal_items', id: out.saved[0]!, ids: out.saved, count: out.saved.length }, evidenceCount: evidence.recorded };
  } catch (error) {
    if (error instanceof NotFoundError) return { status: 'not_found', result: null, evidenceCount: evidence.recorded };
    throw error;
  } finally {
    // Every attempt ends its evidence chain with a manifest; a failure to seal must not hide the outcome.
    await evidence.seal().catch((err: unknown) => ctx.log.warn({ err }, 'evidence manifest not written'));
  }
}
