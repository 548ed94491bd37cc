import { Command } from 'commander';
import { registerCaptcha } from './captcha.ts';
import { registerEpgu } from './epgu.ts';
import { registerExport } from './export.ts';
import { registerCases } from './cases.ts';
import { registerDemo } from './demo.ts';
import { registerEvidence } from './evidence.ts';
import { registerParse } from './parse.ts';
import { registerOcr } from './ocr.ts';
import { registerRobots } from './robots.ts';
import { registerSandbox } from './sandbox.ts';
import { registerScheduler } from './scheduler.ts';
import { registerServices } from './services.ts';
import { registerStatus } from './status.ts';
import { registerSubmit } from './submit.ts';
import { registerApi } from './api.ts';
import { registerKeys } from './keys.ts';
import { registerOps } from './ops.ts';
import { registerOpenapi } from './openapi.ts';

const program = new Command('konveyer')
  .description('RPA and scraping farm for ЖКХ debt collection: court sites, FSSP, EPGU — into MongoDB.')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Configuration comes from the environment (see README.md, "Configuration"): REDIS_URL, MONGODB_URI,
SANDBOX_ORIGIN, COURT_SUDRF_MODE, ROBOT_CONCURRENCY, POLITENESS_RPS, LOG_LEVEL, …`,
  )
  // Bad usage (unknown option, missing argument) exits 2 like every other bad input; help exits 0.
  // Set before the commands are added, so each subcommand inherits it.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

registerServices(program);
registerSandbox(program);
registerRobots(program);
registerSubmit(program);
registerStatus(program);
registerParse(program);
registerOcr(program);
registerDemo(program);
registerApi(program);
registerKeys(program);
registerOps(program);
registerEvidence(program);
registerScheduler(program);
registerCases(program);
registerCaptcha(program);
registerEpgu(program);
registerExport(program);
registerOpenapi(program);

await program.parseAsync(process.argv);
