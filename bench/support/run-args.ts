/**
 * The command line of the long runners, `bench/run.ts` and `soak/run.ts`: `[--quick] [--only a,b]`.
 * `--help` prints the usage; an unknown argument or name is refused with exit 2, because ignoring
 * it would start the whole run (an hour of benchmarks, 10–20 minutes of soak).
 */
export interface RunArgs {
  quick: boolean;
  /** The names picked by `--only`, or null for all. */
  only: Set<string> | null;
}

/**
 * @param command how the runner is started, for the usage line
 * @param names what `--only` may pick, in order
 * @param whole what a run without `--only` does, e.g. "all, about an hour"
 */
export function parseRunArgs(argv: string[], command: string, names: readonly string[], whole: string): RunArgs {
  const usage = [
    `usage: ${command} [--quick] [--only NAME,NAME…]   (without --only: ${whole})`,
    '  --quick   smaller batches, fewer rounds',
    `  --only    these: ${names.join(', ')}`,
  ].join('\n');
  const refuse = (message: string): never => {
    console.error(`${command}: ${message}\n${usage}`);
    process.exit(2);
  };
  const args: RunArgs = { quick: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    } else if (arg === '--quick') args.quick = true;
    else if (arg === '--only' && argv[i + 1] && !argv[i + 1]!.startsWith('-')) {
      args.only = new Set(argv[++i]!.split(',').filter(Boolean));
      const unknown = [...args.only].filter((name) => !names.includes(name));
      if (unknown.length) refuse(`unknown name ${unknown.join(', ')}`);
    } else refuse(arg === '--only' ? '--only needs a list of names' : `unknown argument ${arg}`);
  }
  return args;
}
