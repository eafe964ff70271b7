import { Writable } from 'node:stream';
import { type AppDefinition, runApp } from '@broker-monitor/app-runtime';

/** One JSON log line of an app (pino's fields and the app's own). */
export type LogLine = Record<string, unknown>;

export interface AppRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The JSON lines of stdout, in order. */
  logs: LogLine[];
}

/** A stream that keeps what is written to it, as an app's stdout or stderr. */
function textSink(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

/** The JSON lines of a log; a line a killed run left half-written is passed over. */
export function jsonLogLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
}

/** Runs an app in this process as its bin does (not on a terminal), keeping stdout, stderr and the log lines. */
export async function runAppCaptured(app: AppDefinition, argv: readonly string[]): Promise<AppRun> {
  const stdout = textSink();
  const stderr = textSink();
  const code = await runApp(app, { argv: [...argv], stdout: stdout.stream, stderr: stderr.stream });
  // Let the last writes reach the kept text.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text(), logs: jsonLogLines(stdout.text()) };
}

/** The log line of one node's outcome. */
export function outcomeOf(run: Pick<AppRun, 'logs'>, nodeId: string): LogLine | undefined {
  return run.logs.find((line) => line.node === nodeId && typeof line.outcome === 'string');
}
