import { AuthRequiredError, NotFoundError } from '../../core/errors.ts';
import { POST_TRACKING_PARSER } from '../../parsers/post-tracking/index.ts';
import { postTrackingInputSchema, postTrackingItems } from '../../queues/post-tracking.payload.ts';
import { defineRobot } from '../runtime/robot-definition.ts';
import { runPostTracking } from './flow.ts';
import { buildPostTrackingServices } from './post-tracking-services.ts';

/**
 * The `post.tracking` robot (SOAP over plain HTTP): one letter by single access, or a batch —
 * by batch access when it holds more than POST_TRACKING_BATCH_MIN identifiers. Result: the
 * identifiers saved in `postal_items`; `not_found` when the service knows none of them.
 */
export const postTrackingRobot = defineRobot({
  job: 'post.tracking',
  target: 'post-tracking',
  input: postTrackingInputSchema,
  modes: ['http'],
  stores: ['postal_items'],
  parser: POST_TRACKING_PARSER,
  wire: ({ config, stores, redis, router, http, politeness }) => ({
    services: { postTracking: buildPostTrackingServices(config, { postalItems: stores.postalItems, redis, router, http, politeness }) },
  }),
  async run(ctx) {
    const pt = ctx.services.postTracking;
    if (!pt) throw new AuthRequiredError('this robot process has no post tracking services (postal_items store)', { target: 'post-tracking' });
    try {
      const out = await runPostTracking({ lookupId: ctx.lookupId, evidence: ctx.evidence, sourceOf: ctx.sourceOf, log: ctx.log, ...pt }, postTrackingItems(ctx.input));
      if (out.saved.length === 0) return null;
      return { collection: 'postal_items', id: out.saved[0]!, ids: out.saved, count: out.saved.length };
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  },
});
