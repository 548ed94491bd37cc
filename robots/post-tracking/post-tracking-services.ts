/**
 * Wires what the `post.tracking` robot needs from a robot process's config, stores and Redis
 * (robots/pool.ts calls this): the SOAP clients (made once per process), the farm-wide daily quota,
 * the accounts, the production calendar for the terms a delivery starts.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../../config/index.ts';
import { loadProductionCalendar } from '../../core/calendar/index.ts';
import { letterDeadlines } from '../../core/postal-deadlines.ts';
import type { PostalItemStore } from '../../storage/postal-items.types.ts';
import type { HttpClient } from '../runtime/http-client.ts';
import type { Politeness } from '../../runtime/politeness.ts';
import type { PostTrackingRobotServices } from '../runtime/robot-services.ts';
import type { TargetRouter } from '../runtime/targets.ts';
import { DailyQuota } from './daily-quota.ts';
import { TrackingSoapClients } from './soap-clients.ts';

/** The robot's services, or null when the process has no postal_items store. */
export function buildPostTrackingServices(
  config: Config,
  deps: { postalItems?: PostalItemStore; redis: Redis; router: TargetRouter; http: HttpClient; politeness: Politeness },
): PostTrackingRobotServices | null {
  if (!deps.postalItems) return null;
  const calendar = loadProductionCalendar({ overridePath: config.calendar.overridePath });
  const pt = config.postTracking;
  return {
    items: deps.postalItems,
    clients: new TrackingSoapClients({ router: deps.router, http: deps.http, politeness: deps.politeness }),
    quota: new DailyQuota({ redis: deps.redis, prefix: config.queue.prefix, limit: pt.dailyLimit }),
    accounts: pt.accounts,
    redis: deps.redis,
    prefix: config.queue.prefix,
    batchMin: pt.batchMin,
    ticketPollMs: pt.ticketPollMs,
    cadence: { baseSecs: pt.recheckSecs, maxSecs: pt.recheckMaxSecs },
    deadlinesFor: (links, deliveredAt) => letterDeadlines(calendar, links, deliveredAt, config.epgu.answerWorkingDays),
  };
}
