/**
 * The sandbox in a process of its own, so that the server does not share an event loop with the
 * clients being measured:  node --import tsx bench/support/sandbox.child.ts <seed> <casesPerCourt>
 * Prints one JSON line `{"url","port"}` when listening; SIGTERM stops it.
 */
import { generateWorld } from '../../sandbox/data/world.generator.ts';
import { startSandbox } from '../../sandbox/server.ts';

const seed = Number(process.argv[2] ?? 42);
const casesPerCourt = Number(process.argv[3] ?? 120);
const sandbox = await startSandbox({ port: 0, world: generateWorld({ seed, casesPerCourt }) });
process.stdout.write(`${JSON.stringify({ url: sandbox.url, port: sandbox.port })}\n`);
const stop = (): void => {
  void sandbox.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
