/**
 * What a correct reader must report for a sandbox document: the spec it was drawn from, in the
 * `parse document` shape (DESIGN.md §Contracts `document`). Only for the generator's own figures
 * and tests; the independent corpus (test/fixtures/documents/) has expected fields typed by hand.
 */
import type { DocumentFields } from '../../../core/records.ts';
import { DEFAULT_TERMINATION_GROUND } from './fssp-document.text.ts';
import type { FsspDocumentSpec } from './fssp-document.types.ts';

/** The kind and fields `parse document` must give for `spec` (letter case as printed). */
export function expectedFieldsOf(spec: FsspDocumentSpec): { kind: string; fields: DocumentFields } {
  const up = spec.layout === 'caps' ? (s: string | null | undefined) => (s == null ? null : s.toUpperCase()) : (s: string | null | undefined) => s ?? null;
  const e = spec.executiveDocument;
  const refused = spec.kind === 'ip_refused';
  return {
    kind: spec.kind,
    fields: {
      ipNumber: refused ? null : spec.ipNumber,
      ipDate: refused ? null : spec.ipDate,
      department: { name: up(spec.department.name), address: up(spec.department.address), code: spec.department.code },
      bailiff: { name: up(spec.bailiff) },
      debtor: { name: up(spec.debtor.name), birthDate: spec.debtor.birthDate, birthPlace: up(spec.debtor.birthPlace), address: up(spec.debtor.address) },
      creditor: { name: up(spec.creditor.name), address: up(spec.creditor.address), inn: spec.creditor.inn },
      executiveDocument: { type: up(e.type), number: up(e.number), date: e.date, issuer: up(e.issuer), caseNumber: up(e.caseNumber ?? (/приказ/i.test(e.type) ? e.number : null)) },
      amount: spec.amount,
      decisionDate: spec.decisionDate,
      endGround: spec.kind === 'ip_ended' ? spec.endGround ?? 'ст. 46 ч. 1 п. 3' : spec.kind === 'ip_terminated' ? spec.endGround ?? DEFAULT_TERMINATION_GROUND : null,
    },
  };
}
