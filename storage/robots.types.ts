/** The `robots` collection: heartbeats of every process role (issue 8). */

/** A robot process's heartbeat (`robots`, issue 8): what the ops dashboard shows as "robots online". */
export interface RobotBeat {
  /** Robot id (host:pid:random). */
  _id: string;
  host: string;
  pid: number;
  /** Process role, e.g. `robots`. */
  role: string;
  queues: string[];
  concurrency: number;
  /** Jobs running now, and their ids (lookup ids — no personal data). */
  currentJobs: number;
  jobIds: string[];
  /** Resident memory of the Node process and of its Chromium processes, bytes. */
  rssBytes: number;
  browserBytes: number;
  /** Chromium processes alive, and pages opened since start. */
  browsers: number;
  pagesOpened: number;
  status: 'running' | 'draining' | 'stopped';
  startedAt: Date;
  lastSeenAt: Date;
}

/** The `robots` collection: heartbeats upserted by each robot process. */
export interface RobotHeartbeatStore {
  beat(beat: RobotBeat): Promise<void>;
  /** Robots seen within `seenWithinMs` (default all), newest first. */
  list(seenWithinMs?: number): Promise<RobotBeat[]>;
  markStopped(id: string): Promise<void>;
}
