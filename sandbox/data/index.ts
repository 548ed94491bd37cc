/** Public surface of the sandbox data generator. */
export { generateWorld, findCase, type GenerateWorldOptions, type CaseKey } from './world.generator.ts';
export { isValidInn, isValidOgrn, COURT_UID_PATTERN } from './identifiers.ts';
export { agreesInGender } from './names.ts';
export { toRuDate, fromRuDate } from './dates.ts';
export { createPrng, deriveSeed, type Prng } from './prng.ts';
export type * from './world.types.ts';
