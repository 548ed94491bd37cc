import type { Redis } from 'ioredis';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../core/logger.ts';
import { CaptchaTokenCache } from '../runtime/captcha-tokens.ts';
import type { CaptchaChain } from '../runtime/captcha/index.ts';
import { CircuitBreaker } from '../../runtime/circuit-breaker.ts';
import { chromium } from 'playwright';
import { EgressPool } from '../runtime/egress/egress-pool.ts';
import { chromiumVersion } from '../runtime/egress/fingerprints.ts';
import { HttpClient } from '../runtime/http-client.ts';
import { Politeness } from '../../runtime/politeness.ts';
import type { AnyRobotDefinition, RobotStores } from '../runtime/robot-definition.ts';
import type { RobotServices } from '../runtime/robot-services.ts';
import { TargetRouter } from '../runtime/targets.ts';
import { LeasedBrowsers } from './leased-browsers.ts';

/** What {@link buildRobotServices} made, for the pool to close in order. */
export interface BuiltRobotServices {
  services: RobotServices;
  http: HttpClient;
  egress: EgressPool;
  browsers: LeasedBrowsers;
  /** Each robot's own wiring (one per distinct `wire`, in list order) with the target that names it in logs. */
  wirings: Array<{ target: string; close?: () => Promise<void> }>;
}

/**
 * The services a robot process lends its handlers: the shared ones (target router, egress, HTTP
 * client, browsers, politeness with its circuit breaker, captcha chain and token cache, stores)
 * and those each robot of `robots` wires for itself (`wire`, called once per distinct function).
 */
export function buildRobotServices(options: {
  config: Config;
  stores: RobotStores;
  redis: Redis;
  robotId: string;
  robots: readonly AnyRobotDefinition[];
  log: Logger;
  /** The process's captcha chain (runtime/captcha/build-chain.ts), built first: a bad chain stops the start-up. */
  captcha: CaptchaChain;
}): BuiltRobotServices {
  const { config, stores, redis, log } = options;
  const router = new TargetRouter({ hosts: config.targets.hosts, sandboxOrigin: config.targets.sandboxOrigin });
  // Proxies (PROXY_URLS / PROXY_POOLS); none configured = direct. Optional chaining: configs built by older tests lack `egress`.
  const egressConfig = config.egress ?? { proxyUrls: [], pools: {}, restSecs: 300, perProxyConcurrency: 8, perProxyRps: 10 };
  const politeness = new Politeness({
    redis,
    prefix: config.queue.prefix,
    defaultLimit: config.politeness.default,
    hostLimits: config.politeness.hosts,
    breaker: new CircuitBreaker({ redis, prefix: config.queue.prefix, failureThreshold: config.ops.circuitFailures, cooldownMs: config.ops.circuitCooldownMs }),
    // Each proxy's limit holds across every robot process (Redis), like a target host's.
    proxyLimit: { rps: egressConfig.perProxyRps ?? 10, concurrency: egressConfig.perProxyConcurrency },
  });
  // Every session's fingerprint claims the Chromium its browser runs (asked once, on the first session).
  const browserVersion = () => chromiumVersion(config.browser.executablePath ?? chromium.executablePath());
  const egress = new EgressPool({ ...egressConfig, limiter: politeness, browserVersion, log });
  const http = new HttpClient({ router, timeoutMs: config.http.timeoutMs, egress });
  const browsers = new LeasedBrowsers({ config, router, egress, log });
  const services: RobotServices = {
    epgu: null,
    robotId: options.robotId,
    router,
    http,
    browsers: () => browsers.pool(),
    politeness,
    captcha: options.captcha,
    captchaTokens: new CaptchaTokenCache(redis, config.queue.prefix),
    evidence: stores.evidence,
    courtCases: stores.courtCases,
    enforcementProceedings: stores.enforcementProceedings,
    captchaTasks: stores.captchaTasks ?? null,
    modes: config.robot.modes,
    captchaMaxTries: config.captcha.maxTries,
    browserFetch: {
      screenshotFormat: config.evidence.screenshotFormat,
      jpegQuality: config.evidence.jpegQuality,
      webpQuality: config.evidence.webpQuality,
      timeoutMs: config.http.timeoutMs,
    },
  };
  const wirings: BuiltRobotServices['wirings'] = [];
  const wired = new Set<unknown>();
  for (const robot of options.robots) {
    if (!robot.wire || wired.has(robot.wire)) continue;
    wired.add(robot.wire);
    const own = robot.wire({ config, stores, redis, router, http, politeness });
    Object.assign(services, own.services);
    wirings.push({ target: robot.target, close: own.close });
  }
  return { services, http, egress, browsers, wirings };
}
