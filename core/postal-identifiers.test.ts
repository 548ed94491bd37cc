/**
 * Check digits of postal identifiers. Expected digits are computed by hand from the algorithms
 * (written out in each case) or are published real-world identifiers.
 */
import { describe, expect, it } from 'vitest';
import { checkPostalId, domesticCheckDigit, s10CheckDigit } from './postal-identifiers.ts';

describe('UPU S10', () => {
  it('the UPU standard example: serial 47312482 has check digit 9', () => {
    // 4·8+7·6+3·4+1·2+2·3+4·5+8·9+2·7 = 32+42+12+2+6+20+72+14 = 200; 200 mod 11 = 2; 11−2 = 9
    expect(s10CheckDigit('47312482')).toBe(9);
  });
  it('accepts the real RS253346199NL (fixtures/real/pochta) and normalizes case and spaces', () => {
    // 2·8+5·6+3·4+3·2+4·3+6·5+1·9+9·7 = 16+30+12+6+12+30+9+63 = 178; 178 mod 11 = 2; 11−2 = 9
    expect(checkPostalId('rs 253346199 nl')).toEqual({ ok: true, id: 'RS253346199NL', kind: 's10' });
  });
  it('maps 11 to 5 and 10 to 0', () => {
    // 6·8+4·6+4·4 = 48+24+16 = 88; 88 mod 11 = 0; 11−0 = 11 → 5
    expect(s10CheckDigit('64400000')).toBe(5);
    // 1·8 = 8; 11−8 = 3
    expect(s10CheckDigit('10000000')).toBe(3);
    // 1·9+1·7 = 16; 16 mod 11 = 5; 11−5 = 6
    expect(s10CheckDigit('00000011')).toBe(6);
    // 1·5+2·9+0·7 = 23; 23 mod 11 = 1; 11−1 = 10 → 0
    expect(s10CheckDigit('00000120')).toBe(0);
  });
  it('refuses the specification\'s dummy RA644000001RU: its check digit should be 5', () => {
    const r = checkPostalId('RA644000001RU');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(/check digit.*expected 5, got 1/);
  });
  it('refuses a one-digit typo in a real identifier', () => {
    expect(checkPostalId('RS253346198NL').ok).toBe(false);
    expect(checkPostalId('RS253346189NL').ok).toBe(false);
  });
});

describe('domestic 14-digit ШПИ', () => {
  it('accepts the specification\'s example 14102192069353', () => {
    // odd positions 1,1,2,9,0,9,5 = 27 ·3 = 81; even 4,0,1,2,6,3 = 16; 97 → (10−7) mod 10 = 3
    expect(domesticCheckDigit('1410219206935')).toBe(3);
    expect(checkPostalId('14102192069353')).toEqual({ ok: true, id: '14102192069353', kind: 'domestic' });
  });
  it('accepts 11741865001806 from a public client sample', () => {
    // odd 1,7,1,6,0,1,0 = 16 ·3 = 48; even 1,4,8,5,0,8 = 26; 74 → 6
    expect(checkPostalId('11741865001806').ok).toBe(true);
  });
  it('maps a sum divisible by 10 to 0', () => {
    // position 1: 1·3, position 13: 3·3 → 12; (10−2) mod 10 = 8
    expect(domesticCheckDigit('1000000000003')).toBe(8);
    // position 12: 5·1, position 13: 5·3 → 20; (10−0) mod 10 = 0
    expect(domesticCheckDigit('0000000000055')).toBe(0);
  });
  it('refuses a wrong check digit naming the expected one', () => {
    // the specification's dummy 45008378901234: odd 4,0,8,7,9,1,3 = 32 ·3 = 96; even 5,0,3,8,0,2 = 18; 114 → 6
    const r = checkPostalId('45008378901234');
    expect(r.ok ? '' : r.reason).toMatch(/expected 6, got 4/);
  });
  it('refuses malformed identifiers', () => {
    for (const bad of ['1410219206935', '141021920693531', 'RS25334619NL', 'R1253346199NL', '', 'RS253346199N1']) {
      const r = checkPostalId(bad);
      expect(r.ok, bad).toBe(false);
      expect(r.ok ? '' : r.reason).toMatch(/malformed/);
    }
  });
});
