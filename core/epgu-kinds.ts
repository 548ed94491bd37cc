/**
 * Kinds of the FSSP application of a party to enforcement proceedings (заявление стороны ИП,
 * 229-ФЗ ст.50, ст.64.1) as the EPGU wizard offers them. Shared by the job payload (validation),
 * the robot (which option to pick) and the sandbox (what it accepts and how it answers).
 */
export const EPGU_REQUEST_KINDS = {
  info_progress: 'о предоставлении информации о ходе исполнительного производства',
  familiarize: 'об ознакомлении с материалами исполнительного производства',
  search_debtor: 'о розыске должника',
  search_property: 'о розыске имущества должника',
  copy_opening: 'о предоставлении копии постановления о возбуждении исполнительного производства',
  return_document: 'об окончании исполнительного производства и возвращении исполнительного документа',
} as const;

export type EpguRequestKind = keyof typeof EPGU_REQUEST_KINDS;

export const isEpguRequestKind = (s: string): s is EpguRequestKind => Object.hasOwn(EPGU_REQUEST_KINDS, s);

/** The kind code of a code or a Russian label («о розыске должника»); null when unknown. */
export function epguRequestKindOf(text: string): EpguRequestKind | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (isEpguRequestKind(t)) return t;
  for (const [code, label] of Object.entries(EPGU_REQUEST_KINDS)) if (label === t || label.replace(/^(о|об) /, '') === t) return code as EpguRequestKind;
  return null;
}
