import type { Connection } from 'mongoose';
import { robotModel, type RobotModel } from './models/robot.model.ts';
import type { RobotBeat, RobotHeartbeatStore } from './robots.types.ts';

/** Robots not seen for this long are deleted when the list is read (no TTL indexes on FerretDB 1.x). */
const PRUNE_AFTER_MS = 24 * 3600_000;

/** MongoDB implementation of RobotHeartbeatStore (`robots`). A robot writes only its own document: no races. */
export class MongoRobotStore implements RobotHeartbeatStore {
  readonly model: RobotModel;
  constructor(conn: Connection) {
    this.model = robotModel(conn);
  }

  async beat(beat: RobotBeat): Promise<void> {
    const { _id, ...rest } = beat;
    await this.model.updateOne({ _id }, { $set: rest }, { upsert: true });
  }

  async list(seenWithinMs?: number): Promise<RobotBeat[]> {
    await this.model.deleteMany({ lastSeenAt: { $lt: new Date(Date.now() - PRUNE_AFTER_MS) } });
    const filter = seenWithinMs === undefined ? {} : { lastSeenAt: { $gte: new Date(Date.now() - seenWithinMs) } };
    return this.model.find(filter).sort({ lastSeenAt: -1 }).limit(1000).lean<RobotBeat[]>();
  }

  async markStopped(id: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'stopped', currentJobs: 0, jobIds: [], lastSeenAt: new Date() } });
  }
}
