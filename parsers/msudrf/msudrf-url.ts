/**
 * What the URL and host of a magistrate site page tell: the host, the участок, the card's `case_id`.
 * Host form (TARGETS.md §2.1): `<участок>.<region>.msudrf.ru` where the участок label may carry a
 * district prefix (`okt6.ros`, `57.riz`, `5.mo`).
 */
import { safeUrl } from '../sudrf/sudrf-url.ts';

/** True for a magistrate court host (`5.mo.msudrf.ru`), false for anything else. */
export function isMsudrfHost(host: string | null | undefined): boolean {
  return !!host && /^[a-z0-9-]+\.[a-z0-9-]+\.msudrf\.ru$/.test(host.toLowerCase());
}

/** The участок number from the host's first label (`okt6.ros.msudrf.ru` → '6'), or null. */
export function sectionOfHost(host: string | null | undefined): string | null {
  if (!isMsudrfHost(host)) return null;
  const m = /(\d+)$/.exec((host as string).split('.')[0] ?? '');
  return m ? String(Number(m[1])) : null;
}

/** `case_id` of a card URL or link (`…op=cs&case_id=274738646&delo_id=1540005`), or null. */
export function msudrfCaseId(href: string | null | undefined, base?: string | null): string | null {
  const u = safeUrl(href, base ?? 'http://msudrf.invalid/');
  const id = u?.searchParams.get('case_id')?.trim();
  return id && /^\d{1,12}$/.test(id) ? id : null;
}

