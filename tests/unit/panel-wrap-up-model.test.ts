import { signal, type Signal } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callRecordId } from '@/lib/db/call-record';
import { RemoteError } from '@/lib/messaging/protocol';
import { WrapUpModel, type DismissedStore, type WrapUpClient } from '@/lib/panel/wrap-up-model';
import { CallEndReason, CallState } from '@/lib/phone/call-state';
import { EMPTY_SNAPSHOT, type CallSnapshot, type PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { setLogLevel } from '@/lib/util/logger';

const T0 = 1_700_000_000_000;

const alice: CallSnapshot = {
  id: 'alice',
  accountId: 'a1',
  direction: 'inbound',
  remoteUri: 'sip:+79161234567@pbx.test',
  remoteNumber: '+79161234567',
  remoteName: 'Alice',
  state: CallState.Established,
  muted: false,
  startedAt: T0,
  answeredAt: T0 + 5_000,
};
const aliceId = callRecordId('alice', T0);
const aliceOver: CallSnapshot = { ...alice, state: CallState.Ended, endedAt: T0 + 60_000, endReason: CallEndReason.RemoteHangup };

/** A background that keeps what it is sent, like the history service does. */
class FakeBackground implements WrapUpClient {
  readonly notes = new Map<string, string>();
  readonly dispositions = new Map<string, string>();
  readonly sent: string[] = [];
  failure: Error | undefined;

  saveCallNote: WrapUpClient['saveCallNote'] = async ({ callId, text }) => {
    this.sent.push(`note:${text}`);
    if (this.failure) throw this.failure;
    this.notes.set(callId, text);
    return { noteId: 'n1' };
  };
  setCallDisposition: WrapUpClient['setCallDisposition'] = async ({ callId, disposition }) => {
    this.sent.push(`disposition:${disposition}`);
    if (this.failure) throw this.failure;
    if (disposition === null) this.dispositions.delete(callId);
    else this.dispositions.set(callId, disposition);
    return null;
  };
  finishWrapUp: WrapUpClient['finishWrapUp'] = async ({ callId }) => {
    this.finished.push(callId);
    return null;
  };
  readonly finished: string[] = [];
  getCallWrapUp: WrapUpClient['getCallWrapUp'] = async ({ callId }) => {
    const noteText = this.notes.get(callId);
    const disposition = this.dispositions.get(callId);
    return { ...(noteText ? { noteText } : {}), ...(disposition ? { disposition } : {}) };
  };
}

let background: FakeBackground;
let snapshot: Signal<PhoneSnapshot>;
let now: Signal<number>;
let dispositions: Signal<readonly string[]>;
let model: WrapUpModel;

function makeModel(dismissed?: DismissedStore): WrapUpModel {
  const made = new WrapUpModel({ client: background, snapshot, now, dispositions, autosaveMs: 800, ...(dismissed ? { dismissed } : {}) });
  made.start();
  return made;
}

beforeEach(() => {
  setLogLevel('error');
  vi.useFakeTimers();
  background = new FakeBackground();
  snapshot = signal<PhoneSnapshot>({ ...EMPTY_SNAPSHOT, calls: [alice] });
  now = signal(T0 + 10_000);
  dispositions = signal<readonly string[]>([]);
  model = makeModel();
});

afterEach(() => {
  model.dispose();
  vi.useRealTimers();
});

describe('WrapUpModel', () => {
  it('gives a live call an editor keyed by its history id, loading what was saved', async () => {
    background.notes.set(aliceId, 'Asked for an invoice');
    background.dispositions.set(aliceId, 'sale');
    const second = makeModel();
    await vi.runAllTimersAsync();
    expect(second.views.value).toEqual([
      expect.objectContaining({
        id: aliceId,
        callId: 'alice',
        ended: false,
        note: 'Asked for an invoice',
        disposition: 'sale',
        status: 'saved',
        statusText: 'Saved',
      }),
    ]);
    second.dispose();
  });

  it('saves the note once typing pauses, not at every key', async () => {
    await vi.runAllTimersAsync();
    model.setNote(aliceId, 'Wants');
    await vi.advanceTimersByTimeAsync(500);
    model.setNote(aliceId, 'Wants an invoice');
    expect(model.views.value[0]).toMatchObject({ status: 'unsaved', statusText: 'Not saved yet' });
    await vi.advanceTimersByTimeAsync(799);
    expect(background.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(background.sent).toEqual(['note:Wants an invoice']);
    expect(model.views.value[0]).toMatchObject({ status: 'saved', note: 'Wants an invoice' });
  });

  it('saves at once when the field loses focus, and not twice', async () => {
    await vi.runAllTimersAsync();
    model.setNote(aliceId, 'Call back on Monday');
    await model.flush(aliceId);
    await vi.runAllTimersAsync();
    expect(background.sent).toEqual(['note:Call back on Monday']);
  });

  it('keeps what the agent typed when the saved note arrives later', async () => {
    background.notes.set(aliceId, 'old text');
    const late = makeModel();
    late.setNote(aliceId, 'typed before loading');
    await vi.runAllTimersAsync();
    expect(late.views.value[0]?.note).toBe('typed before loading');
    expect(background.notes.get(aliceId)).toBe('typed before loading');
    late.dispose();
  });

  it('offers the team\'s dispositions and saves a choice at once', async () => {
    dispositions.value = ['Sale', 'Sent a quote'];
    await vi.runAllTimersAsync();
    expect(model.views.value[0]?.choices.map((choice) => choice.label)).toEqual(['Sale', 'Sent a quote']);
    expect(await model.setDisposition(aliceId, 'Sent a quote')).toBe(true);
    expect(background.dispositions.get(aliceId)).toBe('Sent a quote');
    await model.setDisposition(aliceId, undefined);
    expect(background.sent.at(-1)).toBe('disposition:null');
    expect(model.views.value[0]).not.toHaveProperty('disposition');
  });

  it('puts the disposition back and says why when the background refuses it', async () => {
    await vi.runAllTimersAsync();
    await model.setDisposition(aliceId, 'sale');
    background.failure = new RemoteError('NotFoundError', 'no such call');
    expect(await model.setDisposition(aliceId, 'voicemail')).toBe(false);
    expect(model.views.value[0]).toMatchObject({ disposition: 'sale', error: 'no such call' });
  });

  it('shows a failed note save, keeps the text, and saves it on the next try', async () => {
    await vi.runAllTimersAsync();
    background.failure = new RemoteError('Error', 'storage is full');
    model.setNote(aliceId, 'Important');
    await vi.runAllTimersAsync();
    expect(model.views.value[0]).toMatchObject({ status: 'error', note: 'Important', error: 'storage is full' });
    background.failure = undefined;
    await model.flush(aliceId);
    expect(model.views.value[0]).toMatchObject({ status: 'saved' });
    expect(background.notes.get(aliceId)).toBe('Important');
  });

  it('keeps the editor after the call as after-call work until Done, remembered across panels', async () => {
    const ids: string[] = [];
    const store: DismissedStore = {
      load: async () => [...ids],
      save: async (next) => {
        ids.splice(0, ids.length, ...next);
      },
    };
    const panel = makeModel(store);
    await vi.runAllTimersAsync();
    panel.setNote(aliceId, 'Invoice sent');
    snapshot.value = { ...EMPTY_SNAPSHOT, calls: [], recent: [aliceOver] };
    now.value = T0 + 61_000;
    expect(panel.views.value).toEqual([expect.objectContaining({ id: aliceId, ended: true, note: 'Invoice sent' })]);
    await panel.done(aliceId);
    // Done saves what was typed before closing, then lets the call go to the CRM at once.
    expect(background.notes.get(aliceId)).toBe('Invoice sent');
    expect(background.finished).toEqual([aliceId]);
    expect(panel.views.value).toEqual([]);
    expect(ids).toEqual([aliceId]);
    panel.dispose();
    const reopened = makeModel(store);
    await vi.runAllTimersAsync();
    expect(reopened.views.value).toEqual([]);
    reopened.dispose();
  });

  it('lets a finished call\'s editor go after half an hour', async () => {
    snapshot.value = { ...EMPTY_SNAPSHOT, calls: [], recent: [aliceOver] };
    now.value = T0 + 60_000 + 30 * 60_000 - 1;
    expect(model.views.value).toHaveLength(1);
    now.value += 1;
    expect(model.views.value).toEqual([]);
  });
});
