import { Schema, type Connection, type Model } from 'mongoose';
import type { CaptchaTaskDoc } from '../captcha-tasks.types.ts';

export type { CaptchaTaskDoc, CaptchaTaskSession, CaptchaTaskStatus } from '../captcha-tasks.types.ts';

export const captchaTaskSchema = new Schema<CaptchaTaskDoc>(
  {
    _id: { type: String, required: true },
    status: { type: String, required: true },
    imageBase64: { type: String, required: true },
    contentType: { type: String, required: true },
    kind: { type: String, required: true },
    target: { type: String, default: null },
    lookupId: { type: String, default: null },
    jobName: { type: String, default: null },
    session: { type: Schema.Types.Mixed, default: null },
    answer: { type: String, default: null },
    answeredBy: { type: String, default: null },
    answeredAt: { type: Date, default: null },
    consumedAt: { type: Date, default: null },
    accepted: { type: Boolean, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'captcha_tasks', versionKey: false, minimize: false },
);
captchaTaskSchema.index({ status: 1, createdAt: 1 });
captchaTaskSchema.index({ lookupId: 1, status: 1 });

export type CaptchaTaskModel = Model<CaptchaTaskDoc>;
export const captchaTaskModel = (conn: Connection): CaptchaTaskModel => conn.model<CaptchaTaskDoc>('CaptchaTask', captchaTaskSchema);
