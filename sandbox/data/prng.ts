/**
 * A tiny seeded PRNG (mulberry32) and the draws the generator needs. The sandbox never calls
 * Math.random: the same seed must always produce the same world, byte for byte.
 */

/** A deterministic random source: floats in [0, 1) plus convenience draws. */
export interface Prng {
  /** Next float in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** `n` decimal digits as a string (leading zeros allowed). */
  digits(n: number): string;
  /** A version-4-shaped lowercase UUID (the sudrf `case_uid` look). */
  uuid(): string;
  /** A lowercase [a-z0-9] token of `n` characters (the sudrf `captchaid` look). */
  token(n: number): string;
}

/** mulberry32 over a 32-bit state. */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number): string => Array.from({ length: n }, () => int(0, 15).toString(16)).join('');
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick() from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    chance: (p) => next() < p,
    digits: (n) => Array.from({ length: n }, () => String(int(0, 9))).join(''),
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`,
    token: (n) => Array.from({ length: n }, () => '0123456789abcdefghijklmnopqrstuv'[int(0, 31)]).join(''),
  };
}

/** Derive an independent sub-seed, so adding draws in one part does not shift another. */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
