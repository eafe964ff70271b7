import { mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '@broker-monitor/config';
import { openStore } from '@broker-monitor/csv-store';
import { gauge } from '@broker-monitor/metrics';
import { describe, expect, it } from 'vitest';
import { ExitCode, ServiceUnavailableError } from '../src/exit-codes.js';
import { createRunOutcomes } from '../src/outcomes.js';
import { type AppDefinition, runApp } from '../src/run-app.js';

function capture(isTTY = false) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk.toString();
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

const app = (main: AppDefinition['main']): AppDefinition => ({
  name: 'demo-app',
  version: '1.2.3',
  summary: 'does a demo',
  flags: { 'dry-run': { type: 'boolean', description: 'change nothing' } },
  main,
});

async function run(
  definition: AppDefinition,
  argv: string[],
  options: { env?: Record<string, string>; terminal?: boolean } = {},
) {
  const stdout = capture(options.terminal);
  const stderr = capture(options.terminal);
  const code = await runApp(definition, {
    argv,
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: options.env ?? {},
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('runApp', () => {
  const loadsConfig = app(async ({ configPath }) => {
    await loadConfig(configPath, 'node-to-csv', { env: {} });
    return ExitCode.ok;
  });

  it('prints usage and exits 2 without a config path', async () => {
    const result = await run(loadsConfig, []);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing the path of the config file');
    expect(result.stderr).toContain('Usage: demo-app <path/to/config.toml> [options]');
    expect(result.stderr).toContain('--dry-run');
  });

  it('exits 2 on an unknown flag or a second argument', async () => {
    expect((await run(loadsConfig, ['a.toml', '--frobnicate'])).code).toBe(2);
    expect((await run(loadsConfig, ['a.toml', 'b.toml'])).code).toBe(2);
  });

  it('shows help and version with exit 0', async () => {
    expect(await run(loadsConfig, ['--help'])).toMatchObject({ code: 0 });
    expect((await run(loadsConfig, ['--version'])).stdout).toBe('demo-app 1.2.3\n');
  });

  it('exits 2 with a message naming the file when the config is missing or bad', async () => {
    const missing = await run(loadsConfig, ['/nonexistent/settings.toml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/settings.toml: cannot load config');
    const dir = await mkdtemp(join(tmpdir(), 'bm-run-'));
    const bad = join(dir, 'settings.toml');
    await writeFile(bad, '[BROKER]\nAPI_KEY = "secret-value-123"\n');
    const result = await run(loadsConfig, [bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BROKER.URL: missing');
    expect(result.stderr).toContain('DIR.WORKING: missing');
    expect(result.stderr + result.stdout).not.toContain('secret-value-123');
  });

  it('exits 3 when another run holds the lock or a server is unavailable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bm-run-'));
    const held = await openStore(dir).lock('other', new Date());
    const locking = app(async () => {
      await openStore(dir).lock('demo-app', new Date());
      return ExitCode.ok;
    });
    const result = await run(locking, ['x.toml']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({
      level: 50,
      outcome: 'nothing-done',
      app: 'demo-app',
    });
    await held.release();
    const unavailable = app(async () => {
      throw new ServiceUnavailableError('broker refused the API key', 'BROKER.API_KEY');
    });
    const refused = await run(unavailable, ['x.toml']);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('check BROKER.API_KEY');
  });

  it('logs one JSON line per outcome and a summary; the exit code follows the failures', async () => {
    const partial = app(async ({ logger, flags }) => {
      const outcomes = createRunOutcomes(logger);
      outcomes.ok('1', { rows: 1, dryRun: flags['dry-run'] });
      outcomes.warning('2', 'stats never uploaded');
      outcomes.failed('3', new Error('HTTP 500'));
      return outcomes.finish();
    });
    const result = await run(partial, ['x.toml', '--dry-run']);
    expect(result.code).toBe(1);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.node, l.outcome])).toEqual([
      ['1', 'ok'],
      ['2', 'warning'],
      ['3', 'failed'],
      [undefined, undefined],
    ]);
    expect(lines[0].dryRun).toBe(true);
    expect(lines[2].reason).toBe('HTTP 500');
    expect(lines[3]).toMatchObject({ summary: true, ok: 1, warning: 1, failed: 1, exitCode: 1 });
  });

  it('redacts secrets by key name in log lines', async () => {
    const leaky = app(async ({ logger }) => {
      logger.info({ apiKey: 'k-123', config: { token: 't-456', password: 'p-789' } }, 'starting');
      return ExitCode.ok;
    });
    const result = await run(leaky, ['x.toml']);
    expect(result.stdout).not.toMatch(/k-123|t-456|p-789/);
    expect(result.stdout).toContain('[redacted]');
  });

  const reportsOneNode = app(async ({ logger }) => {
    const outcomes = createRunOutcomes(logger);
    logger.debug('starting');
    outcomes.ok('1');
    return outcomes.finish();
  });

  it('takes an empty LOG_LEVEL as the default level, info', async () => {
    const result = await run(reportsOneNode, ['x.toml'], { env: { LOG_LEVEL: '' } });
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).map((line) => line.msg)).toEqual([
      'node 1: ok',
      'run finished: 1 ok, 0 warnings, 0 failed',
    ]);
  });

  it('refuses an unknown LOG_LEVEL with exit 2, naming it and the accepted levels, without running', async () => {
    let ran = false;
    const result = await run(
      app(async () => {
        ran = true;
        return ExitCode.ok;
      }),
      ['x.toml'],
      { env: { LOG_LEVEL: 'warning' } },
    );
    expect(result.code).toBe(2);
    expect(ran).toBe(false);
    expect(result.stderr).toBe(
      'demo-app: LOG_LEVEL "warning" is not a level; use one of fatal, error, warn, info, debug, trace (empty or unset: info)\n',
    );
    expect(jsonLines(result.stdout)).toEqual([
      expect.objectContaining({ level: 50, outcome: 'config-error' }),
    ]);
  });

  it.each(['warn', 'error', 'fatal'])('writes the run summary also at LOG_LEVEL=%s', async (level) => {
    const result = await run(reportsOneNode, ['x.toml'], { env: { LOG_LEVEL: level } });
    expect(jsonLines(result.stdout)).toEqual([
      expect.objectContaining({ summary: true, ok: 1, msg: 'run finished: 1 ok, 0 warnings, 0 failed' }),
    ]);
  });

  it('tells stderr why nothing was done (exit 3), as for a configuration error', async () => {
    const refused = await run(
      app(async () => {
        throw new ServiceUnavailableError('the broker refused the API key', 'BROKER.API_KEY');
      }),
      ['x.toml'],
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe('demo-app: the broker refused the API key (check BROKER.API_KEY)\n');
    expect(jsonLines(refused.stdout)).toEqual([expect.objectContaining({ outcome: 'nothing-done' })]);
  });

  it('names the key to check once when the message already says so', async () => {
    const error = new ServiceUnavailableError(
      'connection failed (ECONNREFUSED); check SMTP.SERVER',
      'SMTP.SERVER',
    );
    expect(error.message).toBe('connection failed (ECONNREFUSED); check SMTP.SERVER');
  });

  it('prints a configuration error once on a terminal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bm-run-'));
    const bad = join(dir, 'settings.toml');
    await writeFile(bad, '[BROKER]\nAPI_KEY = "k"\n');
    const result = await run(loadsConfig, [bad], { terminal: true });
    expect(result.code).toBe(2);
    expect((result.stdout + result.stderr).split('BROKER.URL: missing').length - 1).toBe(1);
  });

  it('exits 2, taking no lock, when the state folder is a link leading outside the working directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bm-run-'));
    const outside = await mkdtemp(join(tmpdir(), 'bm-outside-'));
    await symlink(outside, join(dir, '.broker-monitor'));
    const locking = app(async () => {
      await openStore(dir).lock('demo-app', new Date());
      return ExitCode.ok;
    });
    const result = await run(locking, ['x.toml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${join(dir, '.broker-monitor')}: a link that leads outside the working directory`,
    );
    expect(await readdir(outside)).toEqual([]);
  });
});

describe('runApp metrics', () => {
  const at = new Date('2025-03-10T06:00:00Z');
  async function textfileConfig(): Promise<{ config: string; prom: () => Promise<string> }> {
    const dir = await mkdtemp(join(tmpdir(), 'bm-run-'));
    const config = join(dir, 'settings.toml');
    await writeFile(config, `[METRICS]\nTEXTFILE_DIR = "${dir}"\n`);
    return { config, prom: () => readFile(join(dir, 'broker_monitor_demo-app.prom'), 'utf8') };
  }
  const timed = (main: AppDefinition['main']): AppDefinition => ({ ...app(main), now: () => at });

  it("writes the run's figures with the outcomes counted and the app's own families", async () => {
    const { config, prom } = await textfileConfig();
    const counting = timed(async ({ runOutcomes, metrics }) => {
      const outcomes = runOutcomes();
      outcomes.ok('1');
      outcomes.failed('2', 'broken');
      metrics.add(gauge('broker_monitor_demo_things', 'Things.', [{ value: 7 }]));
      return outcomes.finish();
    });
    expect((await run(counting, [config])).code).toBe(1);
    const text = await prom();
    expect(text).toContain('broker_monitor_run_outcomes{app="demo-app",outcome="failed"} 1\n');
    expect(text).toContain('broker_monitor_run_last_success_timestamp_seconds{app="demo-app"} 1741586400\n');
    expect(text).toContain('broker_monitor_demo_things 7\n');
  });

  it('does not count a crash as a success, though it exits 1', async () => {
    const { config, prom } = await textfileConfig();
    const crashing = timed(async () => {
      throw new TypeError('a bug');
    });
    expect((await run(crashing, [config])).code).toBe(1);
    expect(await prom()).toContain('broker_monitor_run_exit_code{app="demo-app"} 1\n');
    expect(await prom()).not.toContain('broker_monitor_run_last_success_timestamp_seconds');
  });

  it('writes nothing for a run with a flag that changes nothing', async () => {
    const { config, prom } = await textfileConfig();
    const dryRun = timed(async () => ExitCode.ok);
    const definition = {
      ...dryRun,
      flags: { 'dry-run': { type: 'boolean' as const, description: 'x', changesNothing: true } },
    };
    expect((await run(definition, [config, '--dry-run'])).code).toBe(0);
    await expect(prom()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
