/**
 * What the bailiffs answer to a sandbox application: an FSSP document (part A's renderer,
 * sandbox/epgu/documents/) about the proceeding named in it. The kind follows the request
 * (an information request → уведомление о ходе ИП, a motion → granted or refused, …); the facts
 * come from the FSSP bank derived from the world, so OCR can be checked against them.
 */
import type { EpguRequestKind } from '../../core/epgu-kinds.ts';
import { EPGU_REQUEST_KINDS } from '../../core/epgu-kinds.ts';
import type { SandboxWorld } from '../data/world.types.ts';
import { createPrng, deriveSeed } from '../data/prng.ts';
import type { SandboxProceeding } from '../fssp/fssp.data.ts';
import { presentationOf } from './documents/document-spec.ts';
import { renderFsspDocument } from './documents/fssp-document.render.ts';
import type { FsspDocumentKind, FsspDocumentSpec } from './documents/fssp-document.types.ts';

/** The document kind answering `kind` about `p` (seeded choice between granted and refused). */
export function answerKindOf(kind: EpguRequestKind, p: SandboxProceeding | null, seed: number): FsspDocumentKind {
  if (!p) return 'motion_refused';
  const granted = createPrng(seed).chance(0.7);
  switch (kind) {
    case 'info_progress':
      return 'progress_notice';
    case 'familiarize':
      return 'motion_granted';
    case 'copy_opening':
      return 'ip_opened';
    case 'return_document':
      return p.ended ? 'ip_ended' : 'motion_refused';
    default:
      return granted ? 'motion_granted' : 'motion_refused';
  }
}

/** The facts printed on the answer. */
export function answerSpecOf(world: SandboxWorld, p: SandboxProceeding, docKind: FsspDocumentKind, requestKind: EpguRequestKind, decisionDate: string, seed: number): FsspDocumentSpec {
  const prng = createPrng(deriveSeed(seed, 'answer-spec'));
  const creditor = prng.pick(world.creditors);
  const kopecks = p.subjects.reduce((s, x) => s + (x.amountKopecks ?? 0), 0) || p.debtRestKopecks || 100_000;
  const spec: FsspDocumentSpec = {
    kind: docKind,
    ipNumber: p.ipNumber,
    ipDate: p.ipDate,
    department: { name: p.department.name, address: p.department.address, code: p.department.code },
    bailiff: p.bailiff,
    debtor: { name: p.debtor.name, birthDate: p.debtor.birthDate, address: p.debtor.birthPlace },
    creditor: { name: creditor.name, inn: creditor.inn },
    executiveDocument: { type: p.executiveDocument.type, number: p.executiveDocument.number, date: p.executiveDocument.date, issuer: p.executiveDocument.issuer },
    amount: Math.round(kopecks) / 100,
    decisionDate,
    ...(docKind === 'ip_ended' && p.ended ? { endGround: `ст. ${p.ended.article} ч. ${p.ended.part} п. ${p.ended.point}` } : {}),
    ...(docKind.startsWith('motion') ? { motionText: `Заявление ${EPGU_REQUEST_KINDS[requestKind]}` } : {}),
  };
  // The layout, stamp and the facts only some layouts print vary by seed, like real ОСП answers.
  return { ...spec, ...presentationOf(spec, seed, p.caseNumber ?? null) };
}

/** The PDF bytes (text layer, or scanned raster pages when `scanned`). */
export function renderAnswerPdf(spec: FsspDocumentSpec, scanned: boolean, seed: number): Promise<Buffer> {
  return renderFsspDocument(spec, { scanned, seed });
}
