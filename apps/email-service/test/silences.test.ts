import { describe, expect, it } from 'vitest';
import { clinicsEnv, writeSilentAfter } from './clinics.js';
import { runEmailService, smtpForTests, type TestEnv } from './helpers.js';

const smtpServer = smtpForTests();

/** Imports until 2025-02-27, then silent: OFFLINE from 2025-03-03 on. */
const writeOffline = (env: TestEnv, nodeId: string, day: string) =>
  writeSilentAfter(env, nodeId, '2025-02-27', day);

const at = (day: string, time = '08:00:00') => new Date(`${day}T${time}Z`);

async function runDay(env: TestEnv, day: string, flags: string[] = []) {
  await writeOffline(env, '1', day);
  await writeOffline(env, '2', day);
  const before = smtpServer.current.messages.length;
  const result = await runEmailService(env.config, at(day), flags);
  const mailed = smtpServer.current.messages.slice(before).map((mail) => /Klinik \w+/.exec(mail.text)?.[0]);
  return { result, mailed };
}

/** `silence add <flags>` (split at blanks) on 2025-03-03 07:00, before the first run; the new silence's id. */
async function addSilence(env: TestEnv, flags: string): Promise<string> {
  const added = await runEmailService(env.config, at('2025-03-03', '07:00:00'), [
    'silence',
    'add',
    ...flags.split(' '),
  ]);
  expect(added.code).toBe(0);
  return added.stdout.trim().split('\n').at(-1) ?? '';
}

describe('silence add, list and expire', () => {
  it('holds back a node’s mails for the window and mails on the first run after it', async () => {
    const env = await clinicsEnv(smtpServer.current.server);
    const id = await addSilence(env, '--node 1 --until 2025-03-05 --reason DWH-Migration');
    expect(id).toMatch(/^s[0-9a-f]{8}$/);

    const first = await runDay(env, '2025-03-03');
    expect(first.result.code).toBe(0);
    expect(first.mailed).toEqual(['Klinik Zwei']);
    expect(first.result.nodes['1']).toMatchObject({
      suppressed: [
        { status: 'OFFLINE', silence: id, reason: 'DWH-Migration', until: '2025-03-05T23:00:00.000Z' },
      ],
    });

    const dry = await runDay(env, '2025-03-04', ['--dry-run']);
    expect(dry.mailed).toEqual([]);
    expect(dry.result.stdout).toContain(
      `=== 1 OFFLINE: suppressed (silence ${id}: DWH-Migration, until 2025-03-05T23:00:00.000Z)`,
    );

    expect((await runDay(env, '2025-03-05')).mailed).toEqual([]);
    // The window ended at midnight in Berlin: the mail goes as if it had never been.
    expect((await runDay(env, '2025-03-06')).mailed).toEqual(['Klinik Eins']);

    const listed = await runEmailService(env.config, at('2025-03-06'), ['silence', 'list']);
    expect(listed.stdout).toContain('no silences');
    const all = await runEmailService(env.config, at('2025-03-06'), ['silence', 'list', '--all']);
    expect(all.stdout).toContain(`${id}  node 1  2025-03-03T07:00:00.000Z – 2025-03-05T23:00:00.000Z`);
  });

  it('ends a silence early with expire; the next run mails', async () => {
    const env = await clinicsEnv(smtpServer.current.server);
    const id = await addSilence(
      env,
      '--node=2 --from=2025-03-03 --until=2025-03-20 --status=OFFLINE --reason=Umzug',
    );
    const listed = await runEmailService(env.config, at('2025-03-03'), ['silence', 'list']);
    expect(listed.stdout).toContain(`${id}  node 2`);
    expect((await runDay(env, '2025-03-03')).mailed).toEqual(['Klinik Eins']);
    const expired = await runEmailService(env.config, at('2025-03-04', '07:00:00'), [
      'silence',
      'expire',
      id,
    ]);
    expect(expired.code).toBe(0);
    expect((await runDay(env, '2025-03-04')).mailed).toEqual(['Klinik Zwei']);
  });

  it('refuses bad input with exit 2 naming the flag, and writes nothing', async () => {
    const env = await clinicsEnv(smtpServer.current.server);
    const cases: [string[], string][] = [
      [['--node', '9', '--until', '2025-03-05', '--reason', 'x'], '--node: node 9 is not in the mapping'],
      [['--node', '1', '--until', '2025-03-01', '--reason', 'x'], '--until: 2025-03-01 is already past'],
      [
        ['--node', '1', '--from', '2025-03-10', '--until', '2025-03-05', '--reason', 'x'],
        'is not after the start',
      ],
      [['--node', '1', '--until', '2025-03-05'], '--reason'],
      [
        ['--node', '1', '--until', '2025-03-05', '--reason', 'x', '--status', 'NOTFALL'],
        'unknown status "NOTFALL"',
      ],
    ];
    for (const [flags, message] of cases) {
      const result = await runEmailService(env.config, at('2025-03-03'), ['silence', 'add', ...flags]);
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
    const expire = await runEmailService(env.config, at('2025-03-03'), ['silence', 'expire', 'sdeadbeef']);
    expect(expire.code).toBe(2);
    expect(expire.stderr).toContain('no silence sdeadbeef');
    expect((await runEmailService(env.config, at('2025-03-03'), ['silence', 'list'])).stdout).toContain(
      'no silences',
    );
    const unknown = await runEmailService(env.config, at('2025-03-03'), ['silense', 'list']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "silense"');
  });

  it('stops before any mail when silences.json is broken, naming the file', async () => {
    const env = await clinicsEnv(smtpServer.current.server);
    await env.write('.broker-monitor/silences.json', '{"version":1,"silences":[{"id":');
    const { result, mailed } = await runDay(env, '2025-03-03');
    expect(result.code).toBe(2);
    expect(mailed).toEqual([]);
    expect(result.stderr).toContain('silences.json');
    expect(await env.read('.broker-monitor/silences.json')).toBe('{"version":1,"silences":[{"id":');
  });
});
