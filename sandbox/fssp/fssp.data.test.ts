/** The sandbox FSSP bank: derived from the world's court orders, deterministic, shaped like the real rows. */
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../data/world.generator.ts';
import { deriveProceedings, FsspBank } from './fssp.data.ts';

const world = generateWorld({ seed: 42 });
const list = deriveProceedings(world);

describe('deriveProceedings', () => {
  it('is deterministic and gives unique, well-formed numbers', () => {
    expect(deriveProceedings(generateWorld({ seed: 42 }))).toEqual(list);
    expect(deriveProceedings(generateWorld({ seed: 7 }))).not.toEqual(list);
    expect(new Set(list.map((p) => p.ipNumber)).size).toBe(list.length);
    for (const p of list) {
      expect(p.ipNumber).toMatch(/^\d{1,8}\/\d{2}\/\d{5}-ИП$/);
      const [n, yy, osp] = p.ipNumber.replace('-ИП', '').split('/');
      expect(osp).toBe(p.department.code);
      expect(osp!.slice(0, 2)).toBe(p.regionCode);
      expect(yy).toBe(p.ipDate.slice(2, 4));
      expect(p.uin).toMatch(new RegExp(`^322${osp}${yy}${n!.padStart(7, '0')}\\d{3}$`));
      expect(p.ipDate <= world.asOf).toBe(true);
      expect(p.bailiff).toMatch(/^[А-ЯЁ-]+ [А-ЯЁ]\. [А-ЯЁ]\.$/);
    }
  });

  it('turns the court orders of the world into proceedings with the order as executive document', () => {
    const orders = list.filter((p) => p.executiveDocument.typeId === '4');
    expect(orders.length).toBeGreaterThan(100);
    for (const p of orders) {
      const c = world.cases.find((k) => k.host === p.courtHost && k.caseNumber === p.caseNumber)!;
      expect(c.kind).toBe('court_order');
      expect(['in_force', 'order_issued']).toContain(c.status);
      expect(c.debtorId).toBe(p.debtorId);
      expect(p.executiveDocument).toMatchObject({ type: 'Судебный приказ', date: c.decision.date, number: c.caseNumber });
      expect(p.executiveDocument.issuer).toBe(world.courts.find((k) => k.host === c.host)!.name.toUpperCase());
      expect(p.ipDate > c.decision.date!).toBe(true);
    }
  });

  it('has ended, consolidated, fee-bearing and legal-entity proceedings', () => {
    const grounds = new Set(list.filter((p) => p.ended).map((p) => `${p.ended!.article}.${p.ended!.part}.${p.ended!.point}`));
    expect([...grounds].sort()).toEqual(['46.1.3', '46.1.4', '47.1.1']);
    expect(list.filter((p) => p.ended).every((p) => p.debtRestKopecks === null && p.subjects.every((s) => s.amountKopecks === null))).toBe(true);
    expect(list.some((p) => p.sdNumber && p.sdNumber !== p.ipNumber.replace('-ИП', '-СД'))).toBe(true);
    for (const p of list) {
      const fee = p.subjects.find((s) => s.type === 'Исполнительский сбор');
      if (!fee) continue;
      expect(p.extraDocuments).toEqual(['Постановление о взыскании исполнительского сбора']);
      const c = world.cases.find((k) => k.host === p.courtHost && k.caseNumber === p.caseNumber);
      // 7 % of the debt under the order, at least 1 000 руб.
      if (c) expect(fee.amountKopecks).toBe(Math.max(100_000, Math.round(c.amountKopecks * 0.07)));
    }
    expect(list.filter((p) => p.debtorKind === 'legal').length).toBeGreaterThanOrEqual(3);
  });

  it('looks proceedings up by person, ИП number, executive document and legal entity', () => {
    const bank = new FsspBank(world);
    const p = list.find((x) => x.debtorKind === 'person')!;
    expect(bank.byPerson({ lastName: p.debtor.lastName.toLowerCase(), firstName: p.debtor.firstName, birthDate: p.debtor.birthDate })).toContainEqual(p);
    expect(bank.byPerson({ lastName: p.debtor.lastName, firstName: p.debtor.firstName, birthDate: '1900-01-01' })).toEqual([]);
    expect(bank.byIpNumber(p.ipNumber)).toEqual([p]);
    const [n, yy, osp] = p.ipNumber.replace('-ИП', '').split('/');
    if (osp![2] === '0') expect(bank.byIpNumber(`${n}/${yy}/${osp!.slice(3)}/${osp!.slice(0, 2)}`)).toEqual([p]);
    expect(bank.byExecutiveDocument({ number: p.executiveDocument.number, typeId: p.executiveDocument.typeId })).toContainEqual(p);
    const legal = list.find((x) => x.debtorKind === 'legal')!;
    expect(bank.byLegalEntity({ name: legal.debtor.name.slice(5, 20).toLowerCase() })).toContainEqual(legal);
    expect(bank.byLegalEntity({ name: legal.debtor.name, region: '99' })).toEqual([]);
  });
});
