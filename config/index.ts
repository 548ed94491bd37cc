import { envSchema, settings, settingsOf, type ConfigOf } from './schema.ts';

export { DEFAULT_TARGET_HOSTS } from './schema.ts';

/**
 * The farm's configuration: parsed once from the environment, nested, frozen. Its shape and the
 * meaning of each field are those of `settings` (config/schema.ts), where each setting is declared
 * once; `derive` below adds the few values that depend on more than one variable.
 */
export type Config = ReturnType<typeof derive>;

/** The values that depend on other settings. */
function derive(c: ConfigOf<typeof settings>) {
  return {
    ...c,
    // Redis Cluster: a queue's keys must share one slot, so the prefix carries a {hash tag}.
    queue: { ...c.queue, prefix: c.redis.clusterNodes && !/\{[^}]+\}/.test(c.queue.prefix) ? `{${c.queue.prefix}}` : c.queue.prefix },
    metrics: { ...c.metrics, host: c.metrics.host ?? c.api.host },
    postTracking: { ...c.postTracking, recheckMaxSecs: Math.max(c.postTracking.recheckMaxSecs, c.postTracking.recheckSecs) },
  };
}

/** Thrown when the environment does not parse; the message lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses `env` (default: `process.env`) into a frozen `Config`.
 * Tests pass a plain object. Throws ConfigError naming each bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  // Each value into its place in the tree (settings, config/schema.ts).
  const tree: Record<string, unknown> = {};
  for (const { path, setting } of settingsOf(settings)) {
    let node = tree;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path.at(-1)!] = (parsed.data as Record<string, unknown>)[setting.env];
  }
  return deepFreeze(derive(tree as ConfigOf<typeof settings>));
}

/** A copy of `config` with parts replaced; for tests and for the demo, which fills in service URLs. */
export function withOverrides(config: Config, patch: DeepPartial<Config>): Config {
  return deepFreeze(merge(structuredClone(config) as unknown as Record<string, unknown>, patch as Record<string, unknown>) as unknown as Config);
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(patch)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && target[k] && typeof target[k] === 'object') {
      merge(target[k] as Record<string, unknown>, v as Record<string, unknown>);
    } else if (v !== undefined) {
      target[k] = v;
    }
  }
  return target;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
