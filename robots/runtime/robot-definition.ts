import type { Redis } from 'ioredis';
import type { Page } from 'playwright';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../core/logger.ts';
import type { ParserRef } from '../../parsers/common/parser-ref.ts';
import type { RobotJobName } from '../../queues/names.ts';
import type { INPUT_SCHEMAS, JobInput } from '../../queues/payloads.ts';
import type { CaptchaTaskStore, CourtCaseStore, DocumentStore, EnforcementProceedingStore, EpguRequestStore, EpguSessionStore, EvidenceStore, LookupDoc, LookupStore, PostalItemStore, SourceRef } from '../../storage/index.ts';
import type { EvidenceRecorder } from './evidence-recorder.ts';
import type { HttpClient, HttpSession } from './http-client.ts';
import type { Politeness } from '../../runtime/politeness.ts';
import type { TargetRouter } from './targets.ts';
import type { BrowserPageFetcher, FetchedPage, PageFetcher } from './page-fetcher.ts';
import type { RobotServices } from './robot-services.ts';

/** How a robot opens pages: plain HTTP (raw responses are the evidence) or a browser (screenshot + DOM). */
export type FetchMode = 'http' | 'browser';

/** The collections a robot writes its results to (`lookups`: a search whose result is its child lookups). */
export type RecordCollection = 'court_cases' | 'enforcement_proceedings' | 'epgu_requests' | 'documents' | 'postal_items' | 'lookups';

/** What `run` returns: the lookup's result pointer, or null when the target has nothing for the input (`not_found`). */
export type RobotResult = NonNullable<LookupDoc['result']> | null;

/**
 * What the runtime lends one job of a robot (robots/runtime/robot-runtime.ts builds it): the
 * evidence recorder of the job, fetchers for the job's mode on it, and `sourceOf`, which stamps a
 * record with the page it was read from and the robot's parser. The runtime seals the recorder's
 * chain when `run` ends, whatever the outcome; a robot never seals, never builds a recorder.
 */
export interface RobotContext<N extends RobotJobName = RobotJobName> {
  lookupId: string;
  input: JobInput<N>;
  /** 1-based attempt number. */
  attempt: number;
  /** The mode of this job: the lookup's `mode`, else the configured one, else the robot's first. */
  mode: FetchMode;
  /** The job's logger with `target` and `mode`. */
  log: Logger;
  services: RobotServices;
  evidence: EvidenceRecorder;
  /**
   * Runs `fn` with a fetcher of the job's mode: in browser mode on a page leased from the pool for
   * the time of `fn` (given as `page`), in HTTP mode on a new session (or `options.session`, e.g. one
   * whose cookies were restored) with `page` null.
   */
  withFetcher<T>(fn: (fetcher: PageFetcher, page: Page | null) => Promise<T>, options?: { session?: HttpSession }): Promise<T>;
  /** Runs `fn` on a leased browser page whatever the mode (a login that needs the site's script). */
  /** `host` picks the proxy pool (PROXY_POOLS) of the page's egress session; default: the job input's `court`, else the robot's `host`. */
  withBrowser<T>(fn: (fetcher: BrowserPageFetcher, page: Page) => Promise<T>, host?: string): Promise<T>;
  /**
   * The `source` of a record read from `page`: its URL (or `url`, the address the record is known
   * by), when it was fetched, its evidence, this robot's parser (`<name>-<version>`) and the lookup.
   * @throws Error for a robot without a parser (it stores no records).
   */
  sourceOf(page: Pick<FetchedPage, 'url' | 'evidenceId' | 'fetchedAt'>, url?: string): SourceRef;
}

/**
 * One robot: everything the farm knows of it, in `robots/<slug>/index.ts`, listed once in
 * `robots/index.ts` (ROBOTS). Several robots may serve one job name (`court.case`: one per court
 * portal); `handles` picks the one for an input.
 */
export interface RobotDefinition<N extends RobotJobName = RobotJobName> {
  /** The job (and queue) name it serves, `<target>.<action>`. */
  job: N;
  /** Target slug, as in config, logs and folders: `court-sudrf`, `fssp`. */
  target: string;
  /** The job's input schema (what submit validates against). */
  input: (typeof INPUT_SCHEMAS)[N];
  /** The one target host of a single-site robot (EPGU): picks its browser jobs' proxy pool (PROXY_POOLS) when the input names no `court`. */
  host?: string;
  /** Modes it runs in, the default first; a lookup's or the configured mode outside these is ignored. */
  modes: readonly [FetchMode, ...FetchMode[]];
  /** Collections its results go to. */
  stores: readonly RecordCollection[];
  /** The parser its records are read by (stamped on each record's source); null = it stores no parsed records. */
  parser: ParserRef | null;
  /** For a job served by several robots: true when this one takes the input (absent = takes every input). */
  handles?(input: JobInput<N>): boolean;
  /**
   * Builds the services of its own this robot needs (EPGU accounts, SOAP clients, the court.search
   * fan-out), once per robot process; robots that share a `wire` function share what it built.
   */
  wire?: RobotWiring;
  /** One attempt of a job. Throws the typed errors of core/errors.ts; never catches to log and go on. */
  run(ctx: RobotContext<N>): Promise<RobotResult>;
}

/** The stores a robot process holds (robots/pool.ts options). */
export interface RobotStores {
  lookups: LookupStore;
  courtCases: CourtCaseStore;
  evidence: EvidenceStore;
  enforcementProceedings: EnforcementProceedingStore;
  /** Present = the operator hand-off is the last captcha solver. */
  captchaTasks?: CaptchaTaskStore;
  /** EPGU robots (issue 5): all three or none. */
  epguRequests?: EpguRequestStore;
  epguSessions?: EpguSessionStore;
  documents?: DocumentStore;
  /** post.tracking (issue 17). */
  postalItems?: PostalItemStore;
}

/** What a robot's `wire` gets: the process's config, stores, Redis connection and shared services. */
export interface RobotWiringDeps {
  config: Config;
  stores: RobotStores;
  redis: Redis;
  router: TargetRouter;
  http: HttpClient;
  politeness: Politeness;
}

/** A robot's own services (merged into RobotServices) and how to release them at shutdown. */
export type RobotWiring = (deps: RobotWiringDeps) => { services: Partial<RobotServices>; close?: () => Promise<void> };

/** A definition of any robot job name (the element type of the robot list). */
export type AnyRobotDefinition = { [N in RobotJobName]: RobotDefinition<N> }[RobotJobName];

/** Declares a robot (an identity function that keeps the job name's input type). */
export function defineRobot<N extends RobotJobName>(definition: RobotDefinition<N>): RobotDefinition<N> {
  return definition;
}
