import { Schema, type Connection, type Model } from 'mongoose';
import type { RobotBeat } from '../robots.types.ts';

export type { RobotBeat } from '../robots.types.ts';

/** `robots`: one document per robot process, upserted by its heartbeat (FerretDB has no TTL index: old ones are pruned by the repo). */
export const robotSchema = new Schema<RobotBeat>(
  {
    _id: { type: String, required: true },
    host: { type: String, required: true },
    pid: { type: Number, required: true },
    role: { type: String, required: true },
    queues: { type: [String], default: [] },
    concurrency: { type: Number, required: true },
    currentJobs: { type: Number, default: 0 },
    jobIds: { type: [String], default: [] },
    rssBytes: { type: Number, default: 0 },
    browserBytes: { type: Number, default: 0 },
    browsers: { type: Number, default: 0 },
    pagesOpened: { type: Number, default: 0 },
    status: { type: String, required: true },
    startedAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
  },
  { collection: 'robots', versionKey: false, minimize: false },
);
robotSchema.index({ lastSeenAt: -1 });

export type RobotModel = Model<RobotBeat>;
export const robotModel = (conn: Connection): RobotModel => conn.models.Robot ?? conn.model<RobotBeat>('Robot', robotSchema);
