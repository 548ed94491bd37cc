/** Public surface of the sandbox: the server, the seeded world, and the CP1251 helpers robots' tests need. */
export { startSandbox, worldSummary, type RunningSandbox, type SandboxOptions } from './server.ts';
export type { FaultSpec, HostStats } from './sandbox-state.ts';
export * from './data/index.ts';
export { encodeCp1251Component, parseCp1251Query, toCp1251 } from './sudrf/html.ts';
export { PAGE_SIZE } from './sudrf/search-results.page.ts';
export { CAPTCHA_TTL_MS } from './sudrf/captcha.store.ts';
