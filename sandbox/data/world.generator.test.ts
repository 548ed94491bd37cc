import { describe, expect, it } from 'vitest';
import { agreesInGender, COURT_UID_PATTERN, findCase, generateWorld, isValidInn, isValidOgrn } from './index.ts';

describe('generateWorld', () => {
  const world = generateWorld({ seed: 42, sudrfCourts: 6, casesPerCourt: 120 });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateWorld({ seed: 42 })).toEqual(world);
    const other = generateWorld({ seed: 7 });
    expect(other.cases.map((c) => c.uid)).not.toEqual(world.cases.map((c) => c.uid));
  });

  it('makes distinct courts in both host styles, both templates, with and without captcha', () => {
    expect(world.courts).toHaveLength(6);
    expect(new Set(world.courts.map((c) => c.host)).size).toBe(6);
    expect(new Set(world.courts.map((c) => c.code)).size).toBe(6);
    expect(world.courts.some((c) => /^[a-z]+\.[a-z]+\.sudrf\.ru$/.test(c.host))).toBe(true);
    expect(world.courts.some((c) => /^[a-z]+--[a-z]+\.sudrf\.ru$/.test(c.host))).toBe(true);
    for (const t of ['old', 'new'] as const) {
      for (const gated of [true, false]) expect(world.courts.some((c) => c.template === t && c.hasSearchCaptcha === gated)).toBe(true);
    }
    for (const c of world.courts) expect(c.code).toMatch(/^\d{2}RS\d{4}$/);
  });

  it('gives creditors valid INN/ОГРН check digits and parties copy them', () => {
    expect(world.creditors.length).toBeGreaterThan(0);
    for (const c of world.creditors) {
      expect(isValidInn(c.inn), c.inn).toBe(true);
      expect(isValidOgrn(c.ogrn), c.ogrn).toBe(true);
    }
    // A one-digit change must break the check digit (the validators are not vacuous).
    const bump = (s: string): string => s.slice(0, -1) + String((Number(s.at(-1)) + 1) % 10);
    const { inn, ogrn } = world.creditors[0]!;
    expect(isValidInn(bump(inn))).toBe(false);
    expect(isValidOgrn(bump(ogrn))).toBe(false);
    expect(isValidInn('500100732259')).toBe(true); // 12-digit person INN, checked by hand with both weights
  });

  it('makes debtor names agree in gender', () => {
    for (const d of world.debtors) {
      expect(agreesInGender(d), d.fullName).toBe(true);
      expect(d.fullName).toBe(`${d.lastName} ${d.firstName} ${d.middleName}`);
    }
    expect(agreesInGender({ lastName: 'Иванов', firstName: 'Анна', middleName: 'Ивановна', gender: 'f' })).toBe(false);
    expect(world.debtors.some((d) => d.gender === 'f') && world.debtors.some((d) => d.gender === 'm')).toBe(true);
  });

  it('produces well-formed, unique case identifiers and coherent life cycles', () => {
    expect(world.cases).toHaveLength(720);
    expect(new Set(world.cases.map((c) => c.uid)).size).toBe(720);
    expect(new Set(world.cases.map((c) => c.caseUid)).size).toBe(720);
    for (const c of world.cases) {
      expect(c.caseNumber).toMatch(/^2-\d+\/\d{4}$/);
      expect(c.uid).toMatch(COURT_UID_PATTERN);
      expect(c.uid.startsWith(`${c.courtCode}-01-`)).toBe(true);
      expect(c.caseUid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(c.events[0]?.name).toBe('Регистрация иска (заявления, жалобы) в суде');
      expect(c.events.every((e) => e.publishedAt <= world.asOf)).toBe(true);
      if (c.status === 'in_force') expect(c.effectiveAt).not.toBeNull();
      // The card shows no entry-into-force row (issue #14): read alone it is an issued order or a decision.
      expect(c.cardStatus).toBe(c.status === 'in_force' ? (c.kind === 'court_order' ? 'order_issued' : 'decided') : c.status);
      if (c.executionDocuments.length) expect(c.effectiveAt).not.toBeNull();
      for (const d of c.executionDocuments) {
        if (d.seriesNumber) expect(d.seriesNumber).toMatch(/^ФС № 0\d{8}$/);
        if (d.electronicId) expect(d.electronicId.startsWith(`${c.courtCode}#${c.caseNumber}#`)).toBe(true);
      }
    }
    const statuses = new Set(world.cases.map((c) => c.status));
    for (const s of ['received', 'in_force', 'order_issued', 'returned', 'refused', 'cancelled']) expect(statuses.has(s as never), s).toBe(true);
  });

  it('finds a case by number, UID and case_id', () => {
    const c = world.cases[100]!;
    expect(findCase(world, `${c.host}:8080`, { caseNumber: c.caseNumber })).toBe(c);
    expect(findCase(world, c.host, { uid: c.uid })).toBe(c);
    expect(findCase(world, c.host, { caseId: String(c.caseId) })).toBe(c);
    expect(findCase(world, 'nowhere.sudrf.ru', { uid: c.uid })).toBeUndefined();
  });

  it('gives every court cases of every cartoteka with the fixed numbers, ids and UIDs no other case of the court has', () => {
    expect(world.courts.map((c) => c.urlForm)).toEqual(['primary', 'primary', 'primary', 'primary', 'primary', 'vnkod']);
    const court = world.courts[2]!;
    const mine = world.cartotekaCases.filter((c) => c.host === court.host);
    expect(mine.map((c) => [c.cartoteka, c.caseNumber])).toEqual([
      ['civil1', '2-7021/2026'], ['civil1', '2-7022/2026'], ['civil2', '33-7021/2026'], ['civil2', '33-7022/2026'],
      ['kas1', '2а-7021/2026'], ['kas1', '2а-7022/2026'], ['kas2', '33а-7021/2026'], ['kas2', '33а-7022/2026'],
      ['koap', '5-7021/2026'], ['koap', '5-7022/2026'], ['koap2', '12-7021/2026'], ['koap2', '12-7022/2026'],
      ['material', 'М-7021/2026'], ['material', 'М-7022/2026'], ['material', '13-7021/2026'], ['material', '13-7022/2026'],
    ]);
    const all = [...world.cases, ...world.cartotekaCases].filter((c) => c.host === court.host);
    expect(new Set(all.map((c) => c.caseId)).size).toBe(all.length);
    expect(new Set(all.map((c) => c.uid)).size).toBe(all.length);
    expect(new Set(all.flatMap((c) => [c.caseNumber, c.materialNumber].filter(Boolean))).size).toBe(all.length + all.filter((c) => c.materialNumber).length);
    for (const c of mine) {
      expect(c.uid).toMatch(COURT_UID_PATTERN);
      expect(c.decision.date! <= world.asOf && c.registeredAt <= c.decision.date!).toBe(true);
    }
  });
});
