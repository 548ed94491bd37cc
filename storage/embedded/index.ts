/**
 * Embedded services for local use (make demo, make test): Redis and a MongoDB-wire server as
 * child processes that die with their parent. Production uses docker-compose.yml instead.
 */
export { findFreePort } from './free-port.ts';
export { locateBinary, locateFerretDb, repoRoot, runBinDir } from './locate.ts';
export { NO_MONGO_MESSAGE, pingMongo, startMongo } from './mongo.ts';
export type { EmbeddedMongo, MongoKind, MongoOptions } from './mongo.ts';
export { pingRedis, startRedis } from './redis.ts';
export type { EmbeddedRedis, RedisOptions } from './redis.ts';
export { EmbeddedServiceError, reapStale, spawnService } from './service-process.ts';
export { startServices } from './services.ts';
export type { EmbeddedServices, ServicesOptions, SupervisorEvent } from './services.ts';
