import { browser } from '#imports';
import type { PhoneHub } from '@/lib/background/phone-hub';
import { CallState } from '@/lib/phone/call-state';
import { HoldState } from '@/lib/phone/hold-state';
import type { CallSnapshot, PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { phoneSnapshotItem } from '@/lib/phone/snapshot-store';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('commands');

/** What a global shortcut does to a call, as the panel's buttons would. */
export type CallAction =
  | { kind: 'answer'; callId: string }
  | { kind: 'decline'; callId: string }
  | { kind: 'hangup'; callId: string }
  | { kind: 'mute'; callId: string; muted: boolean }
  | { kind: 'hold'; callId: string; hold: boolean };

/** Works out a shortcut's action from the mirrored snapshot; `undefined` when it has nothing to act on. */
type CallCommand = (snapshot: PhoneSnapshot) => CallAction | undefined;

/** The ringing call that waited longest. */
const ringing = (snapshot: PhoneSnapshot): CallSnapshot | undefined =>
  snapshot.calls.find((call) => call.state === CallState.Incoming);

/** The call the agent is on: past ringing here and not already hanging up (oldest first). */
const active = (snapshot: PhoneSnapshot): CallSnapshot | undefined =>
  snapshot.calls.find(
    (call) => call.state !== CallState.Incoming && call.state !== CallState.Ending && call.state !== CallState.Ended,
  );

/**
 * The global shortcuts that act on calls, by command name (`commands` in `wxt.config.ts`, where
 * their suggested keys are; the user changes them at chrome://extensions/shortcuts or in
 * about:addons). Each works on the snapshot the background mirrors, so it does exactly what the
 * panel's button would, whether the panel is open or not. A new call shortcut is one entry here
 * and one in the manifest.
 */
export const CALL_COMMANDS: Readonly<Record<string, CallCommand>> = {
  /** Answer the ringing call. */
  'answer-call': (snapshot) => {
    const call = ringing(snapshot);
    return call && { kind: 'answer', callId: call.id };
  },
  /** Hang up the call in progress; with none, decline the ringing one (as a desk phone's hook does). */
  'hangup-call': (snapshot) => {
    const call = active(snapshot);
    if (call) return { kind: 'hangup', callId: call.id };
    const incoming = ringing(snapshot);
    return incoming && { kind: 'decline', callId: incoming.id };
  },
  /** Mute or unmute the established call. */
  'toggle-mute': (snapshot) => {
    const call = snapshot.calls.find((c) => c.state === CallState.Established);
    return call && { kind: 'mute', callId: call.id, muted: !call.muted };
  },
  /**
   * Hold the established call the agent talks on; with none, resume the held one (so pressing it
   * twice puts a call on hold and back). A call whose hold is changing is left alone.
   */
  'toggle-hold': (snapshot) => {
    const up = snapshot.calls.filter((c) => c.state === CallState.Established);
    const talking = up.find((c) => (c.hold ?? HoldState.Active) === HoldState.Active);
    if (talking) return { kind: 'hold', callId: talking.id, hold: true };
    const held = up.find((c) => c.hold === HoldState.Held);
    return held && { kind: 'hold', callId: held.id, hold: false };
  },
};

/** The action of shortcut `command` on `snapshot`, or `undefined` (not a call shortcut, or nothing to do). */
export function callActionFor(command: string, snapshot: PhoneSnapshot): CallAction | undefined {
  return Object.hasOwn(CALL_COMMANDS, command) ? CALL_COMMANDS[command]!(snapshot) : undefined;
}

/** Listens for the call shortcuts and acts through the phone hub. */
export function startCallCommands(hub: PhoneHub): void {
  browser.commands.onCommand.addListener((command) => {
    if (!Object.hasOwn(CALL_COMMANDS, command)) return;
    void (async () => {
      const action = callActionFor(command, await phoneSnapshotItem.getValue());
      if (!action) {
        log.info(`${command}: no call to act on`);
        return;
      }
      await hub.runCallAction(action);
    })().catch((error: unknown) => log.warn(`${command} failed`, error));
  });
}
