import { courtPortalOf } from '../../core/identifiers.ts';
import { SUDRF_PARSER } from '../../parsers/sudrf/index.ts';
import { courtCaseInputSchema } from '../../queues/court-case.payload.ts';
import { defineRobot } from '../runtime/robot-definition.ts';
import { lookupSudrfCase } from './flow.ts';

/** Target slug, used in config, logs and evidence. */
export const TARGET = 'court-sudrf';

/**
 * The `court.case` robot for federal courts on sudrf.ru. HTTP mode by default; browser mode by
 * config (`COURT_SUDRF_MODE=browser`) or per lookup (`mode`).
 */
export const sudrfCaseRobot = defineRobot({
  job: 'court.case',
  target: TARGET,
  input: courtCaseInputSchema,
  modes: ['http', 'browser'],
  stores: ['court_cases'],
  parser: SUDRF_PARSER,
  handles: (input) => courtPortalOf(input.court) === 'sudrf',
  async run(ctx) {
    const { services } = ctx;
    const out = await ctx.withFetcher((fetcher) =>
      lookupSudrfCase(
        {
          lookupId: ctx.lookupId,
          fetcher,
          router: services.router,
          captcha: services.captcha,
          captchaTokens: services.captchaTokens,
          courtCases: services.courtCases,
          sourceOf: ctx.sourceOf,
          captchaMaxTries: services.captchaMaxTries,
          log: ctx.log,
          // A captcha no solver read parks with its captchaid; the operator's answer resumes the search there.
          captchaTasks: services.captchaTasks,
          jobName: 'court.case',
        },
        ctx.input,
      ),
    );
    return out.found ? { collection: 'court_cases', id: out.caseKey, changed: out.saved.created || out.saved.changes.length > 0 } : null;
  },
});
