/**
 * Every replica the sandbox serves, in match order. To add a target: write
 * `sandbox/<target>/<target>.site.ts` exporting a SiteFactory and add it here (one line).
 */
import type { SiteFactory } from './site.ts';
import { sudrfSite } from './sudrf/sudrf.site.ts';

export const SITE_FACTORIES: readonly SiteFactory[] = [sudrfSite];
