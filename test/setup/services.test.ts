import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';

describe('services from the global setup', () => {
  const redisUrl = inject('redisUrl');
  const mongoUri = inject('mongoUri');

  it('hands the same URLs to child processes through the environment', () => {
    expect(process.env.REDIS_URL).toBe(redisUrl);
    expect(process.env.MONGODB_URI).toBe(mongoUri);
  });

  it('Redis answers PING and keeps a value', async () => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
      const key = `test:setup:${randomUUID()}`;
      await redis.set(key, 'v', 'EX', 60);
      expect(await redis.get(key)).toBe('v');
      await redis.del(key);
      // BullMQ needs noeviction: an evicted job key is a lost job (external servers too).
      const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
      expect(policy).toBe('noeviction');
    } finally {
      redis.disconnect();
    }
  });

  describe('MongoDB-wire server', () => {
    const dbName = `test_setup_${process.pid}_${Date.now()}`;
    const client = new mongoose.mongo.MongoClient(mongoUri, { serverSelectionTimeoutMS: 5000 });
    afterAll(async () => {
      await client.db(dbName).dropDatabase().catch(() => undefined);
      await client.close();
    });

    it('inserts and finds a document', async () => {
      const items = client.db(dbName).collection<{ key: string; n: number }>('items');
      const { insertedId } = await items.insertOne({ key: 'a', n: 1 });
      await items.insertOne({ key: 'b', n: 2 });
      const found = await items.findOne({ key: 'a' });
      expect(found?._id.toString()).toBe(insertedId.toString());
      expect(found?.n).toBe(1);
      expect(await items.countDocuments({ n: { $gte: 1 } })).toBe(2);
    });
  });
});
