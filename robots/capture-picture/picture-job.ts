/**
 * Pictures of a job's HTTP captures (issue 19 §1): each `http_response` item without one gets a
 * `picture` item appended to the same chain — JPEG drawn offline from the stored body, pointing
 * at it by seq in its step (`picture-of-<seq>`, covered by the link hash) and by SHA-256 in its
 * meta — and the chain is sealed again. Idempotent: a capture that has its picture is skipped.
 */
import type { Logger } from '../../core/logger.ts';
import type { FieldTrace, ParseTrace } from '../../parsers/common/trace.ts';
import { traceCapturedPage } from '../../parsers/traced.ts';
import type { EvidenceItem, EvidenceStore } from '../../storage/index.ts';
import { RENDERER, type OfflineRenderer, type RenderedPicture } from './offline-renderer.ts';

export interface PictureJobDeps {
  evidence: EvidenceStore;
  renderer: OfflineRenderer;
  robotId: string;
  log: Logger;
}

/** A traced field as stored in a picture's meta: where it is on the picture (or why not), and its value. */
export interface PictureField {
  field: string;
  /** The parsed value, as text. */
  value: string | null;
  /** Box in picture pixels, when drawn. */
  box?: { x: number; y: number; width: number; height: number };
  /** The rule that filled the field (not read off the page). */
  rule?: string;
  /** Why the field has no box. */
  notLocated?: string;
}

/** The meta of a `picture` item. */
export interface PictureMeta {
  /** SHA-256 of the body the picture was drawn from. */
  derivedFrom: string;
  derivedFromSeq: number;
  renderer: { name: string; version: string; chromium: string; javaScript: false; network: 'none'; format: 'jpeg'; jpegQuality: number };
  renderedAs: RenderedPicture['renderedAs'];
  problem: string | null;
  charset: string | null;
  width: number;
  height: number;
  blockedRequests: number;
  /** Up to 20 of the blocked URLs. */
  blockedSample: string[];
  sinkConnections: number;
  /** The traced parser, or null when none reads this kind of page. */
  parser: string | null;
  fields: PictureField[];
}

export const PICTURE_STEP_PREFIX = 'picture-of-';

/** Draws the missing pictures of one job; returns how many it appended. */
export async function drawJobPictures(deps: PictureJobDeps, jobId: string, jpegQuality = 70): Promise<{ drawn: number; captures: number }> {
  const items = await deps.evidence.listByJob(jobId);
  const captures = items.filter((i) => i.kind === 'http_response');
  const done = new Set(items.filter((i) => i.kind === 'picture').map((i) => i.step));
  let drawn = 0;
  let head = items.length ? { seq: items.at(-1)!.seq, hash: items.at(-1)!.hash } : null;
  for (const capture of captures) {
    if (done.has(`${PICTURE_STEP_PREFIX}${capture.seq}`)) continue;
    const body = await deps.evidence.readBody(capture.sha256);
    // A purged body (retention) has nothing to draw from; its item stays as it is.
    if (!body) continue;
    const { picture, meta } = await drawOne(deps, capture, body, jpegQuality);
    const saved = await deps.evidence.append(
      { jobId, lookupId: capture.lookupId, robot: deps.robotId, step: `${PICTURE_STEP_PREFIX}${capture.seq}`, kind: 'picture', url: capture.url, contentType: picture.contentType, at: new Date(), meta: meta as unknown as Record<string, unknown> },
      picture.image,
      head,
    );
    head = { seq: saved.seq, hash: saved.hash };
    drawn += 1;
    deps.log.debug({ jobId, seq: saved.seq, of: capture.seq, bytes: picture.image.length, ms: picture.renderMs, problem: picture.problem }, 'capture picture drawn');
  }
  // Appending after the manifest: the chain gets a new seal.
  if (drawn > 0) await deps.evidence.seal?.(jobId);
  return { drawn, captures: captures.length };
}

async function drawOne(deps: PictureJobDeps, capture: EvidenceItem, body: Buffer, jpegQuality: number): Promise<{ picture: RenderedPicture; meta: PictureMeta }> {
  const traced = traceCapturedPage(body, capture.contentType, capture.url);
  const picture = await deps.renderer.render({ body, url: capture.url, contentType: capture.contentType, trace: traced?.trace });
  const fields: PictureField[] = [];
  if (traced) {
    const boxes = new Map(picture.boxes.map((b) => [b.field, b]));
    const missing = new Map(picture.notLocated.map((n) => [n.field, n.reason]));
    for (const [field, t] of Object.entries(traced.trace)) {
      const value = valueText(valueAt(traced.record, field === 'status' ? 'status' : field));
      const box = boxes.get(field);
      fields.push({
        field,
        value,
        ...(box ? { box: { x: box.x, y: box.y, width: box.width, height: box.height } } : {}),
        ...(t.kind === 'rule' ? { rule: t.rule } : {}),
        ...(!box && t.kind !== 'rule' ? { notLocated: missing.get(field) ?? reasonOf(t) } : {}),
      });
    }
  }
  const meta: PictureMeta = {
    derivedFrom: capture.sha256,
    derivedFromSeq: capture.seq,
    renderer: { ...RENDERER, chromium: await deps.renderer.chromiumVersion(), javaScript: false, network: 'none', format: 'jpeg', jpegQuality },
    renderedAs: picture.renderedAs,
    problem: picture.problem,
    charset: picture.charset,
    width: picture.width,
    height: picture.height,
    blockedRequests: picture.blockedRequests.length,
    blockedSample: picture.blockedRequests.slice(0, 20).map((u) => u.slice(0, 300)),
    sinkConnections: picture.sinkConnections,
    parser: traced?.parser ?? null,
    fields,
  };
  return { picture, meta };
}

const reasonOf = (t: FieldTrace) => (t.kind === 'not_located' ? t.reason : 'not drawn');

/** The value at a trace path (`parties[2].name`, `decision.date`) of a record. */
export function valueAt(record: unknown, path: string): unknown {
  let cur: unknown = record;
  for (const part of path.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter(Boolean))) {
    if (cur === null || cur === undefined) return null;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur ?? null;
}

const valueText = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));

export type { ParseTrace };
