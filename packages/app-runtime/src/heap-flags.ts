/*
 * Node's heap is sized when the process starts: flags given later (`v8.setFlagsFromString`) do not
 * resize it, and NODE_OPTIONS is not the bin's to set. A bin whose node flags live in its shebang
 * loses them when started as `node dist/cli.js` (a natural crontab line); this puts them back by
 * replacing the process with one that has them, before the app is loaded.
 */

/** Node flags as `--name=value` or `--name`, e.g. `['--max-old-space-size=512', '--expose-gc']`. */
export type NodeFlags = readonly `--${string}`[];

/** The flags of `flags` whose name is in none of `given` (a flag set by hand wins). */
export function missingNodeFlags(flags: NodeFlags, given: readonly string[]): NodeFlags {
  const name = (flag: string) => flag.split('=')[0]?.replaceAll('_', '-');
  const givenNames = new Set(given.map(name));
  return flags.filter((flag) => !givenNames.has(name(flag)));
}

/**
 * Re-executes this process with `flags` added when any is missing from its own node flags and
 * NODE_OPTIONS, and with the variables of `env` that its environment lacks (one read at start, as
 * glibc's MALLOC_MMAP_THRESHOLD_); returns when they are all there. `process.execve` (Node ≥ 22.15)
 * keeps the pid, the terminal and the exit code as they are, and no second process is left
 * running; on a Node without it the run goes on with V8's and the C library's defaults.
 */
export function ensureNodeFlags(flags: NodeFlags, env: Readonly<Record<string, string>> = {}): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const missing = missingNodeFlags(flags, given);
  const missingEnv = Object.entries(env).filter(([name]) => process.env[name] === undefined);
  if ((missing.length === 0 && missingEnv.length === 0) || typeof process.execve !== 'function') return;
  process.execve(
    process.execPath,
    [process.execPath, ...missing, ...process.execArgv, ...process.argv.slice(1)],
    { ...process.env, ...Object.fromEntries(missingEnv) },
  );
}
