/**
 * Every replica the sandbox serves, in match order. To add a target: write
 * `sandbox/<target>/<target>.site.ts` exporting a SiteFactory and add it here (one line).
 */
import type { SiteFactory } from './site.ts';
import { sudrfSite } from './sudrf/sudrf.site.ts';
import { fsspSite } from './fssp/fssp.site.ts';
import { msudrfSite } from './court-msudrf/msudrf.site.ts';
import { mirsudSite } from './court-mirsud-spb/mirsud.site.ts';
import { mosSudSite } from './court-mos-sud/mos-sud.site.ts';
import { epguSite } from './epgu/epgu.site.ts';
import { postTrackingSite } from './post-tracking/post-tracking.site.ts';
import { rucaptchaSite } from './rucaptcha/rucaptcha.site.ts';

export const SITE_FACTORIES: readonly SiteFactory[] = [sudrfSite, msudrfSite, (ctx) => mirsudSite(ctx), mosSudSite, fsspSite, epguSite, postTrackingSite, rucaptchaSite];
