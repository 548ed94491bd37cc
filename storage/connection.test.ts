/**
 * Which driver errors mean "MongoDB is unreachable" (the API answers them 503 storage_unavailable,
 * never 500): a real server-selection failure against a port nobody listens on, the driver's
 * network errors and their subclasses — among them the pool-cleared error a command gets when the
 * server is killed while it waits for a connection (seen as a 500 in the soak's MongoDB kill) — and
 * not a server's own answer such as a duplicate key.
 */
import { createServer } from 'node:net';
import Fastify from 'fastify';
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { installErrorHandling } from '../api/errors.ts';
import { connectMongo, isMongoUnreachable } from './connection.ts';

/** A port that was free a moment ago (nothing listens on it). */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** As the driver declares it (mongodb/lib/cmap/errors.js): not exported, a MongoNetworkError by class. */
class PoolClearedLike extends mongoose.mongo.MongoNetworkError {
  override get name(): string {
    return 'MongoPoolClearedError';
  }
}

describe('isMongoUnreachable', () => {
  it('is true for a real server-selection failure and for network errors and their subclasses; false for a server answer or any other error', async () => {
    const refused = await connectMongo({ uri: `mongodb://127.0.0.1:${await deadPort()}/x`, db: 'x', serverSelectionTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(isMongoUnreachable(refused)).toBe(true);
    expect(isMongoUnreachable(new PoolClearedLike('Connection pool for 127.0.0.1:27017 was cleared because another operation failed'))).toBe(true);
    expect(isMongoUnreachable(new mongoose.mongo.MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'))).toBe(true);
    expect(isMongoUnreachable(new mongoose.mongo.MongoServerError({ message: 'E11000 duplicate key error', code: 11000 }))).toBe(false);
    expect(isMongoUnreachable(new Error('boom'))).toBe(false);
    expect(isMongoUnreachable(undefined)).toBe(false);
  });

  it('the API answers a pool-cleared error 503 storage_unavailable with Retry-After, not 500', async () => {
    const app = Fastify();
    installErrorHandling(app);
    app.get('/x', async () => {
      throw new PoolClearedLike('Connection pool for 127.0.0.1:27017 was cleared because another operation failed');
    });
    const res = await app.inject({ method: 'GET', url: '/x' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect((res.json() as { error: { code: string } }).error.code).toBe('storage_unavailable');
    await app.close();
  });
});
