import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CALL_COMMANDS, callActionFor, startCallCommands } from '@/lib/background/call-commands';
import type { PhoneHub } from '@/lib/background/phone-hub';
import { CallState } from '@/lib/phone/call-state';
import { HoldState } from '@/lib/phone/hold-state';
import { EMPTY_SNAPSHOT, type CallSnapshot, type PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { phoneSnapshotItem } from '@/lib/phone/snapshot-store';

function call(id: string, state: CallState, extra: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id,
    accountId: 'a1',
    direction: state === CallState.Incoming ? 'inbound' : 'outbound',
    remoteUri: 'sip:1002@pbx.example.org',
    remoteNumber: '1002',
    state,
    muted: false,
    startedAt: 1_700_000_000_000,
    ...extra,
  };
}
const snapshot = (...calls: CallSnapshot[]): PhoneSnapshot => ({ ...EMPTY_SNAPSHOT, seq: 1, engineId: 'e', calls });

/** An extension event with `trigger`: WXT's fake browser has no `commands.onCommand`. */
function fakeEvent<A extends unknown[]>() {
  const listeners: ((...args: A) => unknown)[] = [];
  return {
    addListener: (listener: (...args: A) => unknown) => void listeners.push(listener),
    removeListener: () => undefined,
    hasListener: () => listeners.length > 0,
    trigger: async (...args: A) => {
      for (const listener of listeners) await listener(...args);
    },
  };
}

let command: ReturnType<typeof fakeEvent<[string, unknown]>>;

beforeEach(() => {
  fakeBrowser.reset();
  command = fakeEvent();
  Object.assign(fakeBrowser.commands, { onCommand: command });
});

describe('callActionFor', () => {
  it.each([
    { command: 'answer-call', snap: snapshot(call('in', CallState.Incoming)), expected: { kind: 'answer', callId: 'in' } },
    {
      command: 'answer-call',
      snap: snapshot(call('up', CallState.Established), call('in1', CallState.Incoming), call('in2', CallState.Incoming)),
      expected: { kind: 'answer', callId: 'in1' },
    },
    { command: 'answer-call', snap: snapshot(call('up', CallState.Established)), expected: undefined },
    { command: 'hangup-call', snap: snapshot(call('up', CallState.Established)), expected: { kind: 'hangup', callId: 'up' } },
    { command: 'hangup-call', snap: snapshot(call('out', CallState.Ringing)), expected: { kind: 'hangup', callId: 'out' } },
    {
      command: 'hangup-call',
      snap: snapshot(call('in', CallState.Incoming), call('up', CallState.Established)),
      expected: { kind: 'hangup', callId: 'up' },
    },
    { command: 'hangup-call', snap: snapshot(call('in', CallState.Incoming)), expected: { kind: 'decline', callId: 'in' } },
    { command: 'hangup-call', snap: snapshot(call('bye', CallState.Ending)), expected: undefined },
    { command: 'hangup-call', snap: snapshot(), expected: undefined },
    { command: 'toggle-mute', snap: snapshot(call('up', CallState.Established)), expected: { kind: 'mute', callId: 'up', muted: true } },
    {
      command: 'toggle-mute',
      snap: snapshot(call('up', CallState.Established, { muted: true })),
      expected: { kind: 'mute', callId: 'up', muted: false },
    },
    { command: 'toggle-mute', snap: snapshot(call('out', CallState.Dialing)), expected: undefined },
    {
      command: 'toggle-hold',
      snap: snapshot(call('up', CallState.Established, { hold: HoldState.Active })),
      expected: { kind: 'hold', callId: 'up', hold: true },
    },
    {
      command: 'toggle-hold',
      snap: snapshot(call('up', CallState.Established, { hold: HoldState.Held })),
      expected: { kind: 'hold', callId: 'up', hold: false },
    },
    {
      command: 'toggle-hold',
      snap: snapshot(call('held', CallState.Established, { hold: HoldState.Held }), call('talk', CallState.Established)),
      expected: { kind: 'hold', callId: 'talk', hold: true },
    },
    { command: 'toggle-hold', snap: snapshot(call('up', CallState.Established, { hold: HoldState.Holding })), expected: undefined },
    { command: 'toggle-hold', snap: snapshot(call('in', CallState.Incoming)), expected: undefined },
    { command: 'call-selection', snap: snapshot(call('in', CallState.Incoming)), expected: undefined },
    { command: 'toString', snap: snapshot(call('in', CallState.Incoming)), expected: undefined },
  ])('$command on $snap.calls.length call(s) → $expected.kind', ({ command: name, snap, expected }) => {
    expect(callActionFor(name, snap)).toEqual(expected);
  });
});

describe('startCallCommands', () => {
  const hub = (): PhoneHub & { runCallAction: ReturnType<typeof vi.fn> } => ({
    engineEvents: {} as PhoneHub['engineEvents'],
    reconcile: vi.fn(),
    dial: vi.fn(),
    runCallAction: vi.fn(async () => undefined),
  });

  it('answers the ringing call of the mirrored snapshot when the shortcut is pressed', async () => {
    const phone = hub();
    startCallCommands(phone);
    await phoneSnapshotItem.setValue(snapshot(call('in', CallState.Incoming)));
    await command.trigger('answer-call', undefined);
    await vi.waitFor(() => expect(phone.runCallAction).toHaveBeenCalledExactlyOnceWith({ kind: 'answer', callId: 'in' }));
  });

  it('does nothing without a call to act on, and leaves other commands alone', async () => {
    const phone = hub();
    startCallCommands(phone);
    await command.trigger('hangup-call', undefined);
    await command.trigger('call-selection', undefined);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(phone.runCallAction).not.toHaveBeenCalled();
  });

  it('declares every call shortcut in the manifest with a description from the locales', () => {
    const config = readFileSync(join(import.meta.dirname, '../../wxt.config.ts'), 'utf8');
    const en = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/_locales/en/messages.json'), 'utf8'));
    const ru = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/_locales/ru/messages.json'), 'utf8'));
    for (const name of Object.keys(CALL_COMMANDS)) {
      const entry = new RegExp(`'${name}': \\{[\\s\\S]*?description: '__MSG_(\\w+)__'`).exec(config);
      expect(entry, name).not.toBeNull();
      expect(en[entry![1]!]?.message, name).toBeTruthy();
      expect(ru[entry![1]!]?.message, name).toBeTruthy();
    }
    // Chrome refuses more than four suggested keys.
    expect(config.match(/suggested_key/g)?.length ?? 0).toBeLessThanOrEqual(4);
  });
});
