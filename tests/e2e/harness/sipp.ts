/**
 * sipp as a plain-RTP far end: a UAS that answers every INVITE with 180 + 200 (PCMU SDP) and echoes
 * back whatever RTP it receives, so a test can prove audio flows both ways through rtpengine.
 *
 * sipp cannot register, so Kamailio routes a fixed extension to it instead:
 * `startKamailio({ staticRoutes: { '2000': sipp.uri } })`.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  LOOPBACK,
  OutputLog,
  freeUdpPort,
  freeUdpPortBlock,
  makeTempDir,
  removeDir,
  startDaemon,
  udpPortBound,
  waitUntil,
} from './process.ts';

const execFileAsync = promisify(execFile);
const SIPP_BIN = '/usr/bin/sipp';

/** Options for {@link startSippEchoUas}. */
export interface SippOptions {
  /** Milliseconds to wait for sipp to bind its SIP port; default 10000. */
  startTimeoutMs?: number;
}

/** A running sipp echo UAS. */
export interface SippUas {
  /** SIP UDP port on 127.0.0.1. */
  readonly port: number;
  /** RTP echo port (sipp also uses port + 2 for video echo). */
  readonly mediaPort: number;
  /** Target for Kamailio's staticRoutes, e.g. "sip:127.0.0.1:5070". */
  readonly uri: string;
  /** sipp's console output plus its SIP message trace (every message sent and received). */
  log(): string;
  /**
   * Resolves with the first match of `re` in log(), polling: sipp writes its message trace through
   * a buffered file, so a message can show up there a moment after the far end saw it.
   */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Stops sipp (SIGTERM, then SIGKILL) and removes its temp dir; idempotent. */
  stop(): Promise<void>;
}

/**
 * Builds the UAS scenario from sipp's own built-in "uas" scenario (`sipp -sd uas`), so no copy of
 * third-party XML lives in the repo. The built-in one does not copy Record-Route into its
 * responses; behind a record-routing proxy the caller then sends ACK/BYE straight to sipp's Contact
 * and the proxy never sees them (rtpengine sessions leak, BYE gets lost). Adding
 * `[last_Record-Route:]` after each `[last_Via:]` fixes that; sipp drops the line when the request
 * had no Record-Route.
 */
export async function buildUasScenario(): Promise<string> {
  // sipp exits with status 99 after dumping a scenario, so a rejection is expected here.
  const stdout = await execFileAsync(SIPP_BIN, ['-sd', 'uas'], { maxBuffer: 1024 * 1024 }).then(
    (result) => result.stdout,
    (error: unknown) => (error instanceof Error && 'stdout' in error ? String(error.stdout) : ''),
  );
  if (!stdout.includes('[last_Via:]')) throw new Error('unexpected output from sipp -sd uas');
  return stdout.replace(/^(\s*)\[last_Via:\]\s*$/gm, '$1[last_Via:]\n$1[last_Record-Route:]');
}

/**
 * Starts `sipp` with the fixed built-in UAS scenario on 127.0.0.1, answering with PCMU and `-rtp_echo`
 * on a free media port. Resolves once its SIP port is bound.
 */
export async function startSippEchoUas(options: SippOptions = {}): Promise<SippUas> {
  const dir = await makeTempDir('harness-sipp');
  const scenarioPath = join(dir, 'uas-record-route.xml');
  const messagePath = join(dir, 'messages.log');
  const errorPath = join(dir, 'errors.log');
  await writeFile(scenarioPath, await buildUasScenario());
  const port = await freeUdpPort();
  // -rtp_echo uses mediaPort (audio) and mediaPort + 2 (video)
  const mediaPort = await freeUdpPortBlock(4);
  const output = new OutputLog();
  const daemon = startDaemon({
    name: 'sipp',
    command: SIPP_BIN,
    args: [
      '-sf',
      scenarioPath,
      '-i',
      LOOPBACK,
      '-p',
      String(port),
      '-mi',
      LOOPBACK,
      '-mp',
      String(mediaPort),
      '-rtp_echo',
      // no TTY in tests: do not read keyboard commands, and log to files instead of the screen
      '-nostdin',
      '-trace_msg',
      '-message_file',
      messagePath,
      '-trace_err',
      '-error_file',
      errorPath,
    ],
    cwd: dir,
    onOutput: (chunk) => output.append(chunk),
  });
  try {
    await waitUntil(
      async () => {
        if (daemon.exited()) throw new Error(`sipp exited during start:\n${output.text().slice(-4000)}`);
        return udpPortBound(port);
      },
      options.startTimeoutMs ?? 10_000,
      'sipp to bind its SIP port',
    );
  } catch (error) {
    await daemon.stop(500);
    await removeDir(dir);
    throw error;
  }

  const readIfThere = (path: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };

  const readLog = (): string => {
    const messages = readIfThere(messagePath);
    const errors = readIfThere(errorPath);
    // sipp redraws its statistics screen on stdout; keep only the tail of it
    return `${messages}\n---- errors ----\n${errors}\n---- console (tail) ----\n${output.text().slice(-4000)}`;
  };

  let stopping: Promise<void> | undefined;
  return {
    port,
    mediaPort,
    uri: `sip:${LOOPBACK}:${port}`,
    log: readLog,
    async waitForLog(re, timeoutMs = 5000) {
      let match: RegExpMatchArray | null = null;
      await waitUntil(
        () => {
          match = readLog().match(re);
          return match !== null;
        },
        timeoutMs,
        `${String(re)} in the sipp log`,
      );
      if (match === null) throw new Error('unreachable: waitUntil resolved without a match');
      return match;
    },
    stop() {
      stopping ??= (async () => {
        await daemon.stop(2000);
        await removeDir(dir);
      })();
      return stopping;
    },
  };
}
