/**
 * The sudrf cartotekas the replica keeps, and how a request names one in each URL form.
 * Primary ids: the cartoteka menu of the real `card_oldtpl_leninsky_kirov_5-174-2026_koap.html`
 * (delo_id 1540005, 5 with new=5, 41, 42, 1500001, 1502001, 1610001; TARGETS.md §1.3). Table prefixes
 * of the primary form's fields: `g1_case` (real civil search form), `g2_case` (real saved appeal form),
 * the others assumed after the same pattern. vnkod triples `_deloId/case__case_type/_new`: the real Samara
 * new UI keeps civil AND КАС appeals in one register `1540005/0/5` («Гражданские и административные
 * дела - апелляция», card_newtpl_samara_oblsud_33a-647-2026_kas_appeal.html); for the other registers the
 * new UI is assumed to use the primary pair. Titles: the real cards' `div.title` where one is saved
 * (civil first instance, civil appeal, КоАП), the others assumed.
 */
import type { SudrfCartotekaKey, SudrfUrlFormKind } from '../data/world.types.ts';

export interface SandboxCartoteka {
  key: SudrfCartotekaKey;
  deloId: string;
  newId: string;
  table: string;
  vnkod: [string, string, string];
  /** Title of the register over its form, results and cards. */
  title: string;
}

export const CARTOTEKAS: readonly SandboxCartoteka[] = [
  { key: 'civil1', deloId: '1540005', newId: '0', table: 'g1_case', vnkod: ['1540005', '0', '0'], title: 'Гражданские дела - первая инстанция' },
  { key: 'civil2', deloId: '5', newId: '5', table: 'g2_case', vnkod: ['1540005', '0', '5'], title: 'Гражданские дела - апелляция' },
  { key: 'kas1', deloId: '41', newId: '0', table: 'p1_case', vnkod: ['41', '0', '0'], title: 'Административные дела (КАС РФ) - первая инстанция' },
  { key: 'kas2', deloId: '42', newId: '0', table: 'p2_case', vnkod: ['1540005', '0', '5'], title: 'Административные дела (КАС РФ) - апелляция' },
  { key: 'koap', deloId: '1500001', newId: '0', table: 'adm_case', vnkod: ['1500001', '0', '0'], title: 'Дела об административных правонарушениях - первая инстанция' },
  { key: 'koap2', deloId: '1502001', newId: '0', table: 'adm1_case', vnkod: ['1502001', '0', '0'], title: 'Дела об административных правонарушениях - жалобы на постановления' },
  { key: 'material', deloId: '1610001', newId: '0', table: 'm_case', vnkod: ['1610001', '0', '0'], title: 'Производство по материалам' },
];

/** The title the new UI prints over the shared appeal register (real Samara card). */
export const VNKOD_APPEAL_TITLE = 'Гражданские и административные дела - апелляция';

export const cartotekaByKey = (key: SudrfCartotekaKey): SandboxCartoteka => CARTOTEKAS.find((k) => k.key === key) as SandboxCartoteka;

/** The title a court of `form` prints for a register. */
export function titleOf(key: SudrfCartotekaKey, form: SudrfUrlFormKind): string {
  return form === 'vnkod' && (key === 'civil2' || key === 'kas2') ? VNKOD_APPEAL_TITLE : cartotekaByKey(key).title;
}

/** What a request asks for: its URL form and the registers it names (two for the vnkod shared appeal triple). */
export interface CartotekaRequest {
  form: SudrfUrlFormKind;
  keys: SudrfCartotekaKey[];
  /** The primary form's field prefix (`g1_case`), null in the vnkod form. */
  table: string | null;
}

/**
 * Reads the register from a `name_op=r`/`sf`/`case` query (keys lower-cased). vnkod form when it
 * carries `_deloId` (search) or `_id` (card); primary otherwise, `delo_id` defaulting to civil first
 * instance (the module's start). Unknown ids name no register (`keys` empty).
 */
export function readCartotekaRequest(q: Map<string, string>): CartotekaRequest {
  if (q.has('_deloid') || q.has('_id')) {
    const triple = [q.get('_deloid') ?? '', q.get('case__case_type') ?? q.get('_casetype') ?? '0', q.get('_new') ?? '0'].join('_');
    return { form: 'vnkod', keys: CARTOTEKAS.filter((k) => k.vnkod.join('_') === triple).map((k) => k.key), table: null };
  }
  const deloId = q.get('delo_id') ?? '1540005';
  const newId = q.get('new');
  const found = CARTOTEKAS.filter((k) => k.deloId === deloId && (newId === undefined || k.newId === newId));
  return { form: 'primary', keys: found.map((k) => k.key), table: found[0]?.table ?? null };
}
