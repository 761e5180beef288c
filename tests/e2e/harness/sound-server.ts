/**
 * A private PulseAudio daemon with one silent output, the audio output of a test Firefox.
 *
 * Firefox runs Web Audio only on an audio output: on a machine without a sound server (the test
 * machines have no sound card either) every `AudioContext` stays `suspended` and its `resume()`
 * never settles, so the add-on's ringtone, conference mix and call recording would process nothing.
 * A media element still plays (against a clock), which is why plain calls work without one.
 * Chromium needs none of this: it falls back to a fake output by itself.
 *
 * The output is a pipe sink paced by the system clock, writing into a FIFO nobody reads (what does
 * not fit is dropped). Not the null sink: it renders in blocks of up to 2 s, so each AudioContext
 * took 1–2 s to start (or resume), where one on a sound card starts in tens of milliseconds; the
 * pipe sink starts one in about 50 ms.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, OutputLog, removeDir, startDaemon, waitUntil } from './process.ts';

/** Debian's `pulseaudio` package. */
export const PULSEAUDIO_PATH = '/usr/bin/pulseaudio';

/** A running sound server. */
export interface SoundServer {
  /** What a client's `PULSE_SERVER` is set to, e.g. `unix:/tmp/…/native`. */
  readonly address: string;
  /** The daemon's output so far. */
  log(): string;
  /** Stops the daemon and removes its directory; idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a PulseAudio daemon of its own (no default script, no D-Bus, no autospawn): the pipe sink
 * and a native-protocol socket in a fresh temp dir that any local client may use.
 */
export async function startSoundServer(): Promise<SoundServer> {
  if (!existsSync(PULSEAUDIO_PATH)) {
    throw new Error(`${PULSEAUDIO_PATH} is missing: install Debian's pulseaudio package (scripts/setup.sh does)`);
  }
  const dir = await makeTempDir('harness-pulse');
  const socket = join(dir, 'native');
  const output = new OutputLog();
  const daemon = startDaemon({
    command: PULSEAUDIO_PATH,
    args: [
      '-n',
      '--daemonize=no',
      '--exit-idle-time=-1',
      '--use-pid-file=no',
      '--disallow-exit',
      '--log-target=stderr',
      `--load=module-pipe-sink sink_name=harness file=${join(dir, 'output')} use_system_clock_for_timing=yes`,
      `--load=module-native-protocol-unix socket=${socket} auth-anonymous=1`,
    ],
    cwd: dir,
    // Its own home and runtime dir, so nothing of the machine's user (cookie, config) is read or written.
    env: { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir, PULSE_RUNTIME_PATH: dir, XDG_CONFIG_HOME: dir },
    name: 'pulseaudio',
    onOutput: (chunk) => output.append(chunk),
  });
  const stop = async (): Promise<void> => {
    await daemon.stop();
    await removeDir(dir);
  };
  try {
    await waitUntil(() => daemon.exited() || existsSync(socket), 10_000, 'the PulseAudio socket');
    if (daemon.exited()) throw new Error(`pulseaudio exited at start:\n${output.text()}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address: `unix:${socket}`, log: () => output.text(), stop };
}
