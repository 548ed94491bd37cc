import { Command } from 'commander';
import { registerDemo } from './demo.ts';
import { registerParse } from './parse.ts';
import { registerRobots } from './robots.ts';
import { registerSandbox } from './sandbox.ts';
import { registerServices } from './services.ts';
import { registerStatus } from './status.ts';
import { registerSubmit } from './submit.ts';

const program = new Command('konveyer')
  .description('RPA and scraping farm for ЖКХ debt collection: court sites, FSSP, EPGU — into MongoDB.')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Configuration comes from the environment (see README.md, "Configuration"): REDIS_URL, MONGODB_URI,
SANDBOX_ORIGIN, COURT_SUDRF_MODE, ROBOT_CONCURRENCY, POLITENESS_RPS, LOG_LEVEL, …`,
  );

registerServices(program);
registerSandbox(program);
registerRobots(program);
registerSubmit(program);
registerStatus(program);
registerParse(program);
registerDemo(program);

await program.parseAsync(process.argv);
