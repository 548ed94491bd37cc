/**
 * Generated sudrf district courts in both host styles (TARGETS.md §1.1): `<name>.<region>.sudrf.ru`
 * and `<name>--<region>.sudrf.ru`, each with a unique court code `<region>RS<4 digits>`.
 */
import { generateName } from './names.ts';
import type { Prng } from './prng.ts';
import type { SudrfCourt } from './world.types.ts';

interface RegionSpec {
  code: string;
  name: string;
  /** City, nominative (addresses) and genitive (court names: «суд г. Уфы»). */
  city: string;
  cityGenitive: string;
  /** sudrf domain part and the host style this region uses. */
  slug: string;
  style: 'dot' | 'dash';
}

const REGIONS: readonly RegionSpec[] = [
  { code: '02', name: 'Республика Башкортостан', city: 'Уфа', cityGenitive: 'Уфы', slug: 'bkr', style: 'dot' },
  { code: '78', name: 'г. Санкт-Петербург', city: 'Санкт-Петербург', cityGenitive: 'Санкт-Петербурга', slug: 'spb', style: 'dash' },
  { code: '16', name: 'Республика Татарстан', city: 'Казань', cityGenitive: 'Казани', slug: 'tat', style: 'dot' },
  { code: '54', name: 'Новосибирская область', city: 'Новосибирск', cityGenitive: 'Новосибирска', slug: 'nsk', style: 'dash' },
  { code: '63', name: 'Самарская область', city: 'Самара', cityGenitive: 'Самары', slug: 'sam', style: 'dot' },
  { code: '66', name: 'Свердловская область', city: 'Екатеринбург', cityGenitive: 'Екатеринбурга', slug: 'svd', style: 'dash' },
  { code: '43', name: 'Кировская область', city: 'Киров', cityGenitive: 'Кирова', slug: 'kir', style: 'dot' },
  { code: '52', name: 'Нижегородская область', city: 'Нижний Новгород', cityGenitive: 'Нижнего Новгорода', slug: 'nnov', style: 'dash' },
];

const DISTRICTS: ReadonlyArray<readonly [string, string]> = [
  ['Ленинский', 'leninsky'], ['Октябрьский', 'oktyabrsky'], ['Кировский', 'kirovsky'],
  ['Советский', 'sovetsky'], ['Калининский', 'kalininsky'], ['Железнодорожный', 'zheleznodorozhny'],
  ['Центральный', 'centralny'], ['Приволжский', 'privolzhsky'], ['Заводской', 'zavodskoy'],
  ['Московский', 'moskovsky'], ['Фрунзенский', 'frunzensky'], ['Дзержинский', 'dzerzhinsky'],
];

/** Generate `count` distinct courts; templates and captcha gates alternate so both kinds always exist. */
export function generateCourts(rng: Prng, count: number): SudrfCourt[] {
  const courts: SudrfCourt[] = [];
  const usedHosts = new Set<string>();
  const usedCodes = new Set<string>();
  for (let i = 0; courts.length < count; i++) {
    const region = REGIONS[i % REGIONS.length] as RegionSpec;
    const [district, slug] = rng.pick(DISTRICTS);
    const host = region.style === 'dot' ? `${slug}.${region.slug}.sudrf.ru` : `${slug}--${region.slug}.sudrf.ru`;
    if (usedHosts.has(host)) continue;
    let code: string;
    do code = `${region.code}RS${String(rng.int(1, 60)).padStart(4, '0')}`;
    while (usedCodes.has(code));
    usedHosts.add(host);
    usedCodes.add(code);
    const n = courts.length;
    courts.push({
      host,
      code,
      name: `${district} районный суд г. ${region.cityGenitive}`,
      regionCode: region.code,
      regionName: region.name,
      city: region.city,
      // Alternation guarantees both templates and both captcha modes even for 2 courts.
      template: n % 2 === 0 ? 'old' : 'new',
      hasSearchCaptcha: Math.floor(n / 2) % 2 === 1 ? n % 2 === 0 : n % 2 === 1,
      // The sixth court (and every sixth after) answers the vnkod form, as the real Samara new UI; a new-template court with a captcha.
      urlForm: n % 6 === 5 ? 'vnkod' : 'primary',
      cartotekas: ['civil1', 'civil2', 'kas1', 'kas2', 'koap', 'koap2', 'material'],
      srvNum: rng.chance(0.25) ? 2 : 1,
      judges: Array.from({ length: rng.int(3, 6) }, () => generateName(rng).shortName),
      bailiffDepartments: [
        `${district} районное отделение судебных приставов г. ${region.cityGenitive}`,
        `${rng.pick(DISTRICTS)[0]} РОСП г. ${region.cityGenitive}`,
      ],
      rooms: Array.from({ length: 3 }, () => `Зал № ${rng.int(1, 40)}`),
    });
  }
  return courts;
}
