import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  callIdOfNotification,
  notificationIdFor,
  syncCallNotifications,
  updateCallNotification,
} from '@/lib/background/call-notifications';
import { setLocale } from '@/lib/i18n/i18n';
import { CallState } from '@/lib/phone/call-state';
import { EMPTY_SNAPSHOT, type CallSnapshot, type PhoneSnapshot } from '@/lib/phone/phone-snapshot';

function call(id: string, state: CallState, extra: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id,
    accountId: 'a1',
    direction: 'inbound',
    remoteUri: 'sip:+79161234567@pbx.example.com',
    remoteNumber: '+79161234567',
    remoteName: 'Alice',
    state,
    muted: false,
    startedAt: 1_700_000_000_000,
    ...extra,
  };
}

function snapshot(...calls: CallSnapshot[]): PhoneSnapshot {
  return { ...EMPTY_SNAPSHOT, seq: 1, engineId: 'engine-1', calls };
}

const shown = async (): Promise<string[]> => Object.keys(await fakeBrowser.notifications.getAll()).sort();

beforeEach(() => {
  fakeBrowser.reset();
  setLocale('en');
  // Vitest serves import.meta.env from process.env, so WXT's FIREFOX flag arrives as the string
  // 'false', which is truthy; a build replaces it with a boolean. An empty string is the falsy form.
  vi.stubEnv('FIREFOX', '');
  vi.spyOn(fakeBrowser.notifications, 'create');
  vi.spyOn(fakeBrowser.notifications, 'clear');
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  setLocale(undefined);
});

describe('notification ids', () => {
  it.each(['c1', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 'incoming:nested', ''])('round-trips call id %j', (callId) => {
    expect(notificationIdFor(callId)).toBe(`incoming:${callId}`);
    expect(callIdOfNotification(notificationIdFor(callId))).toBe(callId);
  });

  it.each(['', 'c1', 'other:c1', 'Incoming:c1', ' incoming:c1'])('does not claim notification %j', (id) => {
    expect(callIdOfNotification(id)).toBeUndefined();
  });
});

describe('syncCallNotifications', () => {
  it('shows one notification for a ringing call while the panel is closed', async () => {
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming)), false);

    expect(fakeBrowser.notifications.create).toHaveBeenCalledTimes(1);
    expect(fakeBrowser.notifications.create).toHaveBeenCalledWith(
      'incoming:c1',
      expect.objectContaining({
        type: 'basic',
        title: 'Incoming call',
        message: 'From Alice (+79161234567)',
        iconUrl: expect.stringMatching(/^chrome-extension:\/\/[^/]+\/icon\/128\.png$/),
        // Chrome: Answer / Decline buttons, kept until acted on.
        requireInteraction: true,
        buttons: [{ title: 'Answer' }, { title: 'Decline' }],
      }),
    );
    expect(await shown()).toEqual(['incoming:c1']);
  });

  it('names a caller the contacts know by name and company instead of the PBX name', async () => {
    const callerOf = async () => ({ name: 'Alice Smith', company: 'Acme' });
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming)), false, callerOf);
    expect(fakeBrowser.notifications.create).toHaveBeenCalledWith(
      'incoming:c1',
      expect.objectContaining({ message: 'From Alice Smith, Acme (+79161234567)' }),
    );
  });

  it('lists the caller’s open deals with pipeline and stage under the name, as the panel’s card does', async () => {
    const callerOf = async () => ({
      name: 'Иван Иванов',
      company: 'ООО «Вектор»',
      openDeals: [{ name: 'Поставка оборудования', pipeline: 'Продажи', stage: 'Переговоры' }, { name: 'Ремонт' }],
    });
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming)), false, callerOf);
    expect(fakeBrowser.notifications.create).toHaveBeenCalledWith(
      'incoming:c1',
      expect.objectContaining({
        message: 'From Иван Иванов, ООО «Вектор» (+79161234567)\nПоставка оборудования — Продажи · Переговоры\nРемонт',
      }),
    );
  });

  it('rewrites a shown notification when the CRM names the caller after a cold cache; nothing when it is gone', async () => {
    const ringingCall = call('c1', CallState.Incoming, { remoteName: undefined });
    await syncCallNotifications(snapshot(ringingCall), false);
    const update = vi.spyOn(fakeBrowser.notifications, 'update').mockResolvedValue(undefined);
    await updateCallNotification(ringingCall, { name: 'Иван Иванов', openDeals: [{ name: 'Поставка', stage: 'Переговоры' }] });
    expect(update).toHaveBeenCalledWith('incoming:c1', { message: 'From Иван Иванов (+79161234567)\nПоставка — Переговоры' });
    await syncCallNotifications(snapshot(), false);
    await updateCallNotification(ringingCall, { name: 'Иван Иванов' });
    await updateCallNotification(call('c2', CallState.Incoming), undefined);
    expect(update).toHaveBeenCalledTimes(1);
  });

  it('without notifications.update (Firefox), the CRM’s answer replaces the notification under the same id', async () => {
    const ringingCall = call('c1', CallState.Incoming, { remoteName: undefined });
    await syncCallNotifications(snapshot(ringingCall), false);
    const notifications = fakeBrowser.notifications as unknown as { update?: unknown };
    const update = notifications.update;
    notifications.update = undefined;
    try {
      await updateCallNotification(ringingCall, { name: 'Иван Иванов' });
    } finally {
      notifications.update = update;
    }
    expect(fakeBrowser.notifications.create).toHaveBeenLastCalledWith(
      'incoming:c1',
      expect.objectContaining({ message: 'From Иван Иванов (+79161234567)' }),
    );
    expect(await shown()).toEqual(['incoming:c1']);
  });

  it('rings with the bare number when the contact lookup fails', async () => {
    const callerOf = () => Promise.reject(new Error('database closed'));
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming, { remoteName: undefined })), false, callerOf);
    expect(fakeBrowser.notifications.create).toHaveBeenCalledWith(
      'incoming:c1',
      expect.objectContaining({ message: 'From +79161234567' }),
    );
  });

  it('names an anonymous caller by number only', async () => {
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming, { remoteName: undefined })), false);
    expect(fakeBrowser.notifications.create).toHaveBeenCalledWith(
      'incoming:c1',
      expect.objectContaining({ message: 'From +79161234567' }),
    );
  });

  it('shows nothing while the panel is open: the panel rings itself', async () => {
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming)), true);
    expect(fakeBrowser.notifications.create).not.toHaveBeenCalled();
    expect(await shown()).toEqual([]);
  });

  it.each([CallState.Dialing, CallState.Ringing, CallState.Answering, CallState.Established, CallState.Ending])(
    'shows nothing for a call that is %s',
    async (state) => {
      await syncCallNotifications(snapshot(call('c1', state)), false);
      expect(fakeBrowser.notifications.create).not.toHaveBeenCalled();
    },
  );

  it.each([
    { what: 'is answered', next: snapshot(call('c1', CallState.Answering)) },
    { what: 'is established', next: snapshot(call('c1', CallState.Established)) },
    { what: 'is over (gone from the calls)', next: snapshot() },
  ])('clears the notification when the call $what', async ({ next }) => {
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming)), false);
    expect(await shown()).toEqual(['incoming:c1']);

    await syncCallNotifications(next, false);
    expect(fakeBrowser.notifications.clear).toHaveBeenCalledWith('incoming:c1');
    expect(await shown()).toEqual([]);
  });

  it('clears a notification that stopped ringing even when the panel is open', async () => {
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming)), false);
    await syncCallNotifications(snapshot(), true);
    expect(await shown()).toEqual([]);
  });

  it('does not duplicate a notification on repeated syncs', async () => {
    const ringing = snapshot(call('c1', CallState.Incoming));
    await syncCallNotifications(ringing, false);
    await syncCallNotifications(ringing, false);
    await syncCallNotifications({ ...ringing, seq: 2 }, false);

    expect(fakeBrowser.notifications.create).toHaveBeenCalledTimes(1);
    expect(fakeBrowser.notifications.clear).not.toHaveBeenCalled();
    expect(await shown()).toEqual(['incoming:c1']);
  });

  it('keeps one notification per ringing call and clears only the one that stopped', async () => {
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming), call('c2', CallState.Incoming)), false);
    expect(await shown()).toEqual(['incoming:c1', 'incoming:c2']);

    await syncCallNotifications(snapshot(call('c1', CallState.Established), call('c2', CallState.Incoming)), false);
    expect(await shown()).toEqual(['incoming:c2']);
    expect(fakeBrowser.notifications.create).toHaveBeenCalledTimes(2);
  });

  it('adds a notification for a second call that starts ringing later', async () => {
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming)), false);
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming), call('c2', CallState.Incoming)), false);
    expect(fakeBrowser.notifications.create).toHaveBeenCalledTimes(2);
    expect(fakeBrowser.notifications.create).toHaveBeenLastCalledWith('incoming:c2', expect.anything());
    expect(await shown()).toEqual(['incoming:c1', 'incoming:c2']);
  });

  it('converges after a worker restart: a leftover notification of a finished call is cleared', async () => {
    await fakeBrowser.notifications.create('incoming:stale', { type: 'basic', iconUrl: '', title: 't', message: 'm' });
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming)), false);
    expect(await shown()).toEqual(['incoming:c1']);
  });

  it("leaves other notifications alone", async () => {
    await fakeBrowser.notifications.create('update-available', { type: 'basic', iconUrl: '', title: 't', message: 'm' });
    await syncCallNotifications(snapshot(), false);
    expect(fakeBrowser.notifications.clear).not.toHaveBeenCalledWith('update-available');
    expect(await shown()).toEqual(['update-available']);
  });

  it('offers no buttons on Firefox, which supports neither buttons nor requireInteraction', async () => {
    vi.stubEnv('FIREFOX', 'true');
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming)), false);
    const options = vi.mocked(fakeBrowser.notifications.create).mock.calls[0]?.[1] as unknown as Record<string, unknown>;
    expect(options).toMatchObject({ type: 'basic', title: 'Incoming call', message: 'From Alice (+79161234567)' });
    expect(options).not.toHaveProperty('buttons');
    expect(options).not.toHaveProperty('requireInteraction');
  });

  it('speaks Russian to a Russian user', async () => {
    setLocale('ru');
    await syncCallNotifications(snapshot(call('c1', CallState.Incoming)), false);
    expect(fakeBrowser.notifications.create).toHaveBeenCalledWith(
      'incoming:c1',
      expect.objectContaining({
        title: 'Входящий звонок',
        message: 'Звонит Alice (+79161234567)',
        buttons: [{ title: 'Ответить' }, { title: 'Отклонить' }],
      }),
    );
  });
});
