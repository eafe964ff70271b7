import { describe, expect, it } from 'vitest';
import { clinicsEnv, writeSilentAfter } from './clinics.js';
import { days, nodeStats, runEmailService, smtpForTests } from './helpers.js';

const smtpServer = smtpForTests();
const clinics = (smtpExtra?: string) => clinicsEnv(smtpServer.current.server, smtpExtra);

/** Clinic names of the mails accepted since message index `from`, with their subjects' last word. */
function mailsSince(from: number): string[] {
  return smtpServer.current.messages
    .slice(from)
    .map(
      (mail) =>
        `${/Klinik \w+/.exec(mail.text)?.[0]}: ${mail.subject.replace('Automatische Information: AKTIN DWH ', '')}`,
    );
}

describe('the repeat interval over simulated weeks of daily runs', () => {
  it('mails a persistently OFFLINE node on the days the original would (interval 1 and 2)', async () => {
    const env = await clinics();
    const mailedOn: Record<string, number[]> = { 'Klinik Eins': [], 'Klinik Zwei': [] };
    // Last contact 2025-02-27; from 2025-03-03 on the node is OFFLINE (> 72 h) for 33 daily runs.
    const runDays = days('2025-03-03', 33);
    for (const [index, day] of runDays.entries()) {
      await writeSilentAfter(env, '1', '2025-02-27', day);
      await writeSilentAfter(env, '2', '2025-02-27', day);
      const before = smtpServer.current.messages.length;
      const result = await runEmailService(env.config, new Date(`${day}T08:00:00Z`));
      expect(result.code).toBe(0);
      for (const mail of mailsSince(before)) {
        expect(mail).toMatch(/: Offline$/);
        mailedOn[mail.replace(/: Offline$/, '')]?.push(index);
      }
    }
    // round(hours) / 168 > weeks, strictly: 1 week → every 8th day, 2 weeks → every 15th day.
    expect(mailedOn['Klinik Eins']).toEqual([0, 8, 16, 24, 32]);
    expect(mailedOn['Klinik Zwei']).toEqual([0, 15, 30]);

    expect(await env.read('tracking_OFFLINE.json')).toBe(
      '{"1": "2025-04-04 08:00:00+00:00", "2": "2025-04-02 08:00:00+00:00"}',
    );
    expect(await env.read('2/2_sent_mails.log')).toBe(
      [
        '2025-03-03 08:00:00+00:00 : Sent mail for status OFFLINE to node id 2',
        '2025-03-18 08:00:00+00:00 : Sent mail for status OFFLINE to node id 2',
        '2025-04-02 08:00:00+00:00 : Sent mail for status OFFLINE to node id 2',
        '',
      ].join('\n'),
    );
    expect(await env.read('tracking_NO_IMPORTS.json')).toBe('{}');
    expect(await env.read('tracking_DWH_OUTDATED.json')).toBe('{}');
    // 33 runs, each with an SMTP login: smtp-server holds every greeting back 100 ms.
  }, 60_000);

  it('rounds the hours half to even as Python: 168.5 h after the last mail is not yet past one week', async () => {
    const env = await clinics();
    await env.write('tracking_OFFLINE.json', '{"1": "2025-03-03 08:00:00+00:00"}');
    await writeSilentAfter(env, '1', '2025-02-27', '2025-03-10');
    const before = smtpServer.current.messages.length;
    expect((await runEmailService(env.config, new Date('2025-03-10T08:30:00Z'))).code).toBe(0);
    expect(mailsSince(before)).toEqual([]);
    expect((await runEmailService(env.config, new Date('2025-03-10T08:31:00Z'))).code).toBe(0);
    expect(mailsSince(before)).toEqual(['Klinik Eins: Offline']);
  });

  it('sends nothing when run again on the same day', async () => {
    const env = await clinics();
    await writeSilentAfter(env, '1', '2025-02-27', '2025-03-03');
    const before = smtpServer.current.messages.length;
    await runEmailService(env.config, new Date('2025-03-03T08:00:00Z'));
    const tracking = await env.read('tracking_OFFLINE.json');
    const log = await env.read('1/1_sent_mails.log');
    const again = await runEmailService(env.config, new Date('2025-03-03T17:45:00Z'));
    expect(again.code).toBe(0);
    expect(mailsSince(before)).toEqual(['Klinik Eins: Offline']);
    expect(await env.read('tracking_OFFLINE.json')).toBe(tracking);
    expect(await env.read('1/1_sent_mails.log')).toBe(log);
  });
});

describe('a node that recovers and fails again', () => {
  /** Offline until 2025-03-04, back on 2025-03-05, silent again from then on (OFFLINE once > 72 h on 03-08). */
  async function recoverAndFail(smtpExtra: string) {
    const env = await clinics(smtpExtra);
    const timeline: Record<string, string[]> = {};
    const trackingAfter: Record<string, string> = {};
    const reachable = (d: string) => (d <= '2025-02-27' || d === '2025-03-05' ? '12' : undefined);
    for (const day of days('2025-03-03', 7)) {
      await env.write('1/1_stats_2025.csv', nodeStats('2025-02-10', day, reachable));
      const before = smtpServer.current.messages.length;
      const result = await runEmailService(env.config, new Date(`${day}T08:00:00Z`));
      expect(result.code).toBe(0);
      timeline[day] = mailsSince(before);
      trackingAfter[day] = await env.read('tracking_OFFLINE.json');
    }
    return { env, timeline, trackingAfter };
  }

  it('forgets the node when it is back and mails again when it fails again', async () => {
    const { env, timeline, trackingAfter } = await recoverAndFail('');
    expect(timeline).toEqual({
      '2025-03-03': ['Klinik Eins: Offline'],
      '2025-03-04': [],
      '2025-03-05': [],
      '2025-03-06': [],
      '2025-03-07': [],
      '2025-03-08': ['Klinik Eins: Offline'],
      '2025-03-09': [],
    });
    expect(trackingAfter['2025-03-04']).toBe('{"1": "2025-03-03 08:00:00+00:00"}');
    expect(trackingAfter['2025-03-05']).toBe('{}');
    expect(trackingAfter['2025-03-09']).toBe('{"1": "2025-03-08 08:00:00+00:00"}');
    expect(await env.read('1/1_sent_mails.log')).toBe(
      '2025-03-03 08:00:00+00:00 : Sent mail for status OFFLINE to node id 1\n' +
        '2025-03-08 08:00:00+00:00 : Sent mail for status OFFLINE to node id 1\n',
    );
  });

  it('sends a recovery notice when SMTP.RECOVERY_MAILS is on', async () => {
    const before = smtpServer.current.messages.length;
    const { env, timeline } = await recoverAndFail('RECOVERY_MAILS = true');
    expect(timeline['2025-03-05']).toEqual(['Klinik Eins: wieder erreichbar']);
    expect(timeline['2025-03-08']).toEqual(['Klinik Eins: Offline']);
    const notice = smtpServer.current.messages
      .slice(before)
      .find((mail) => mail.subject.endsWith('wieder erreichbar'));
    expect(notice?.to).toEqual(['ed@eins.example']);
    expect(notice?.text).toContain('meldet sich wieder am AKTIN Broker, zuletzt am 05.03.2025');
    expect(await env.read('1/1_sent_mails.log')).toContain(
      '2025-03-05 08:00:00+00:00 : Sent mail for status OFFLINE RECOVERED to node id 1\n',
    );
  });
});

describe('tracking files and sent-mail logs written by the Python version', () => {
  it('are continued byte for byte: order of entries, microseconds, existing lines', async () => {
    const env = await clinics();
    // As Python's json.dumps wrote them: insertion order (7 before 1), str(datetime) with microseconds.
    await env.write(
      'tracking_OFFLINE.json',
      '{"7": "2025-02-20 08:00:01.654321+00:00", "1": "2025-03-01 08:00:03.123456+00:00"}',
    );
    await env.write('tracking_DWH_OUTDATED.json', '{"1": "2025-01-15 08:00:02.000001+00:00"}');
    const pythonLog =
      '2025-01-15 08:00:02.000001+00:00 : Sent mail for status DWH OUTDATED to node id 1\n' +
      '2025-03-01 08:00:03.123456+00:00 : Sent mail for status OFFLINE to node id 1\n';
    await env.write('1/1_sent_mails.log', pythonLog);
    await env.write('1/1_versions.txt', '{"os": "Debian 12", "dwh-j2ee": "dwh-j2ee-1.5.1"}');

    // 2025-03-05: OFFLINE, mailed four days ago: nothing; the DWH was updated: its entry goes.
    await writeSilentAfter(env, '1', '2025-02-25', '2025-03-05');
    const before = smtpServer.current.messages.length;
    expect((await runEmailService(env.config, new Date('2025-03-05T08:00:00Z'))).code).toBe(0);
    expect(mailsSince(before)).toEqual([]);
    expect(await env.read('tracking_OFFLINE.json')).toBe(
      '{"7": "2025-02-20 08:00:01.654321+00:00", "1": "2025-03-01 08:00:03.123456+00:00"}',
    );
    expect(await env.read('tracking_DWH_OUTDATED.json')).toBe('{}');
    expect(await env.read('tracking_NO_IMPORTS.json')).toBe('{}');

    // 2025-03-09: 192 h since the Python run's mail: mailed; the entry keeps its place.
    await writeSilentAfter(env, '1', '2025-02-25', '2025-03-09');
    expect((await runEmailService(env.config, new Date('2025-03-09T08:00:00.500Z'))).code).toBe(0);
    expect(mailsSince(before)).toEqual(['Klinik Eins: Offline']);
    expect(await env.read('tracking_OFFLINE.json')).toBe(
      '{"7": "2025-02-20 08:00:01.654321+00:00", "1": "2025-03-09 08:00:00.500000+00:00"}',
    );
    expect(await env.read('1/1_sent_mails.log')).toBe(
      `${pythonLog}2025-03-09 08:00:00.500000+00:00 : Sent mail for status OFFLINE to node id 1\n`,
    );
  });
});
