import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  isMessageNotification,
  messageNotificationId,
  messagePreview,
  notifyMessage,
  PREVIEW_CHARS,
} from '@/lib/background/message-notifications';
import {
  createMessageService,
  InvalidMessageTargetError,
  NoMessageAccountError,
  type MessageServiceDeps,
} from '@/lib/background/message-service';
import { createHistoryService } from '@/lib/background/history-service';
import type { AppDb } from '@/lib/db/app-db';
import type { MessageRecord } from '@/lib/db/message-record';
import { journalReceivedMessage, journalSentMessage } from '@/lib/history/message-journal';
import type { LatestMessage } from '@/lib/history/message-feed-item';
import { searchHistory } from '@/lib/history/history-queries';
import { setLocale } from '@/lib/i18n/i18n';
import { panelMessages } from '@/lib/i18n/panel-messages';
import { classifyMessageResponse, MessageFailureSchema, type MessageFailure } from '@/lib/phone/message-failure';
import { EMPTY_SNAPSHOT, type PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';
import { isReadableText, type ReceivedMessage } from '@/lib/phone/text-message';
import { DEFAULT_SETTINGS, type Settings } from '@/lib/settings/settings-schema';
import { setLogLevel } from '@/lib/util/logger';
import { callRow, openTestDb, T0 } from '../fixtures/db/test-db';

let db: AppDb;

beforeEach(() => {
  fakeBrowser.reset();
  setLocale('en');
  setLogLevel('error');
  vi.stubEnv('FIREFOX', '');
  db = openTestDb();
});

function received(overrides: Partial<ReceivedMessage> = {}): ReceivedMessage {
  return {
    accountId: 'main',
    messageId: 'call-id-1@far.example',
    remoteUri: 'sip:89161234567@pbx.example.com',
    remoteNumber: '89161234567',
    remoteName: 'Иван Петров',
    body: 'Перезвоните, пожалуйста',
    contentType: 'text/plain;charset=UTF-8',
    at: T0,
    ...overrides,
  };
}

describe('classifyMessageResponse', () => {
  it.each<[number, MessageFailure]>([
    [404, 'not-found'],
    [484, 'not-found'],
    [604, 'not-found'],
    [480, 'unavailable'],
    [410, 'unavailable'],
    [401, 'forbidden'],
    [403, 'forbidden'],
    [407, 'forbidden'],
    [408, 'timeout'],
    [413, 'unsupported'],
    [415, 'unsupported'],
    [488, 'unsupported'],
    [606, 'unsupported'],
    [486, 'rejected'],
    [603, 'rejected'],
    [400, 'rejected'],
    [500, 'server-error'],
    [503, 'server-error'],
  ])('SIP %i is %s', (code, failure) => {
    expect(classifyMessageResponse(code)).toBe(failure);
  });
});

describe('isReadableText', () => {
  it.each<[string | undefined, boolean]>([
    ['text/plain', true],
    ['text/plain;charset=UTF-8', true],
    ['Text/Plain; charset="utf-8"', true],
    ['text/plain; charset=us-ascii', true],
    ['text/plain; charset=windows-1251', false],
    ['text/html', false],
    ['application/im-iscomposing+xml', false],
    ['message/cpim', false],
    [undefined, false],
  ])('%s → %s', (contentType, readable) => {
    expect(isReadableText(contentType)).toBe(readable);
  });
});

describe('message journal', () => {
  it('keys a received message like a call from that number, and keeps a retransmission once', async () => {
    const first = await journalReceivedMessage(db, received(), { region: 'RU' });
    expect(first).toMatchObject({ numberKey: '+79161234567', remoteE164: '+79161234567', status: 'received', direction: 'inbound' });
    // The same Call-ID again (a retransmission after a reconnect), even a moment later.
    const again = await journalReceivedMessage(db, received({ at: T0 + 2_000 }), { region: 'RU' });
    expect(again).toBeUndefined();
    expect(await db.messages.count()).toBe(1);
    // Another message of the same sender is kept.
    await journalReceivedMessage(db, received({ messageId: 'call-id-2', at: T0 + 5_000 }), { region: 'RU' });
    expect(await db.messages.count()).toBe(2);
  });

  it('puts the number into the directory, so search finds a number that only wrote', async () => {
    await journalReceivedMessage(db, received(), { region: 'RU' });
    expect(await db.numbers.get('+79161234567')).toEqual({ id: '+79161234567', lastAt: T0, name: 'Иван Петров' });
    const found = await searchHistory(db, '916 123', { region: 'RU' });
    expect(found.numbers.map((entry) => entry.id)).toEqual(['+79161234567']);
    expect(found.calls).toEqual([]);
  });

  it('stores a sent message in the timeline it was sent from, with the reason when it failed', async () => {
    const sent = await journalSentMessage(
      db,
      {
        accountId: 'main',
        messageId: 'out-1',
        remoteUri: 'sip:1002@demo.local',
        remoteRaw: '1002',
        numberKey: '1002',
        body: 'Добрый день',
        at: T0,
        failure: 'unavailable',
        failureDetail: 'SIP 480 Temporarily Unavailable',
      },
      { region: 'RU' },
    );
    expect(sent).toMatchObject({
      direction: 'outbound',
      status: 'failed',
      failure: 'unavailable',
      failureDetail: 'SIP 480 Temporarily Unavailable',
      numberKey: '1002',
    });
    expect(await db.messages.get(sent.id)).toEqual(sent);
  });
});

describe('history service with messages', () => {
  it('merges messages into the timeline, newest first, beside the calls', async () => {
    await db.calls.add(callRow({ callId: 'c-1', startedAt: T0, numberKey: '+79161234567' }));
    await journalReceivedMessage(db, received({ at: T0 + 60_000 }), { region: 'RU' });
    const { entries } = await createHistoryService({ db }).getNumberTimeline({ numberKey: '+79161234567' });
    expect(entries.map((entry) => entry.kind)).toEqual(['message', 'call']);
    expect(entries[0]).toMatchObject({ direction: 'inbound', body: 'Перезвоните, пожалуйста', status: 'received' });
  });

  it('lists the numbers found that have no call among the rows', async () => {
    await db.calls.add(callRow({ callId: 'c-1', startedAt: T0, numberKey: '+79161234500' }));
    await db.numbers.put({ id: '+79161234500', lastAt: T0 });
    await journalReceivedMessage(db, received({ at: T0 + 60_000 }), { region: 'RU' });
    const result = await createHistoryService({ db, region: async () => 'RU' }).searchHistory({ query: '7916123' });
    expect(result.rows.map((row) => row.numberKey)).toEqual(['+79161234500']);
    expect(result.numbers).toEqual([{ numberKey: '+79161234567', lastAt: T0 + 60_000, name: 'Иван Петров' }]);
  });
});

describe('message notifications', () => {
  it.each([
    ['short text', 'Перезвоните', 'Перезвоните'],
    ['folds lines and spaces', 'Добрый   день!\n\nКогда  удобно?', 'Добрый день! Когда удобно?'],
    ['cuts long text on a code point with an ellipsis', `${'я'.repeat(PREVIEW_CHARS)}🙂🙂`, `${'я'.repeat(PREVIEW_CHARS)}…`],
    ['never splits an emoji', `${'a'.repeat(PREVIEW_CHARS - 1)}🙂🙂`, `${'a'.repeat(PREVIEW_CHARS - 1)}🙂…`],
  ])('preview: %s', (_name, body, preview) => {
    expect(messagePreview(body)).toBe(preview);
  });

  it('shows the sender and a preview; ids are recognised as message notifications', async () => {
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    const record = (await journalReceivedMessage(db, received(), { region: 'RU' }))!;
    await notifyMessage(record);
    expect(create).toHaveBeenCalledWith(
      messageNotificationId(record.id),
      expect.objectContaining({ title: 'Message from Иван Петров (+79161234567)', message: 'Перезвоните, пожалуйста' }),
    );
    expect(isMessageNotification(messageNotificationId(record.id))).toBe(true);
    expect(isMessageNotification('incoming:call-1')).toBe(false);
  });
});

/** A background around the message service, with an engine that answers from a script. */
function rig(options: { registered?: boolean; panelOpen?: boolean; failure?: MessageFailure } = {}) {
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    defaultCountry: 'RU',
    accounts: [
      {
        id: 'main',
        enabled: true,
        wsServer: 'wss://pbx.example.com/ws',
        sipUri: '1001@pbx.example.com',
        authUser: '',
        password: 'x',
        displayName: '',
        iceServers: [],
        recording: 'off',
        recordingNotice: false,
        dtmfMethod: 'rfc4733',
      },
    ],
  } as Settings;
  const snapshot: PhoneSnapshot = {
    ...EMPTY_SNAPSHOT,
    accounts: [
      {
        accountId: 'main',
        aor: '1001@pbx.example.com',
        state: options.registered === false ? RegistrationState.Failed : RegistrationState.Registered,
        attempts: 0,
      },
    ],
  };
  const sent: { accountId: string; target: string; body: string }[] = [];
  const notified: MessageRecord[] = [];
  const announced: LatestMessage[] = [];
  const deps: MessageServiceDeps = {
    db,
    settings: async () => settings,
    snapshot: async () => snapshot,
    engine: async () => ({
      sendMessage: async (data) => {
        sent.push(data);
        return options.failure
          ? { messageId: 'out-1', failure: options.failure, detail: 'SIP 480 Temporarily Unavailable' }
          : { messageId: 'out-1' };
      },
    }),
    panelOpen: async () => options.panelOpen ?? false,
    notify: async (record) => {
      notified.push(record);
    },
    announce: async (latest) => {
      announced.push(latest);
    },
    clock: () => T0,
  };
  return { service: createMessageService(deps), sent, notified, announced };
}

describe('message service', () => {
  it('journals a received message, announces it and notifies while no panel is open; a duplicate does nothing', async () => {
    const { service, notified, announced } = rig();
    await service.receive(received());
    await service.receive(received());
    expect(await db.messages.count()).toBe(1);
    expect(notified).toHaveLength(1);
    expect(announced).toEqual([{ id: notified[0]!.id, numberKey: '+79161234567' }]);
  });

  it('does not notify while the panel is open', async () => {
    const { service, notified, announced } = rig({ panelOpen: true });
    await service.receive(received());
    expect(notified).toEqual([]);
    expect(announced).toHaveLength(1);
  });

  it.each([
    ['a national number', { target: '8 (916) 123-45-67' }, 'sip:+79161234567@pbx.example.com', '+79161234567'],
    ['a timeline key', { numberKey: '+79161234567' }, 'sip:+79161234567@pbx.example.com', '+79161234567'],
    ['an extension', { target: '1002' }, 'sip:1002@pbx.example.com', '1002'],
    // As for a call to a SIP address: the key is read from what is shown, `bob@example.org`.
    ['a SIP address', { target: 'sip:bob@example.org' }, 'sip:bob@example.org', 'bob@example.org'],
  ])('normalizes %s like a dialled number', async (_name, address, uri, numberKey) => {
    const { service, sent } = rig();
    const result = await service.send({ ...address, body: 'Привет' });
    expect(sent).toEqual([{ accountId: 'main', target: uri, body: 'Привет' }]);
    expect(result.status).toBe('sent');
    expect(await db.messages.get(result.id)).toMatchObject({ status: 'sent', numberKey, body: 'Привет', direction: 'outbound' });
  });

  it('journals a refused message as failed with its reason', async () => {
    const { service } = rig({ failure: 'unavailable' });
    const result = await service.send({ target: '1003', body: 'Вы здесь?' });
    expect(result).toEqual({ id: expect.any(String), status: 'failed', failure: 'unavailable' });
    expect(await db.messages.get(result.id)).toMatchObject({ status: 'failed', failure: 'unavailable', failureDetail: 'SIP 480 Temporarily Unavailable' });
  });

  it('refuses, in words and without storing anything, an address that cannot be messaged or no registered account', async () => {
    await expect(rig().service.send({ target: 'not a number!', body: 'x' })).rejects.toThrow(InvalidMessageTargetError);
    await expect(rig().service.send({ target: 'not a number!', body: 'x' })).rejects.toThrow(/cannot be sent to this address: not a number!/);
    await expect(rig({ registered: false }).service.send({ target: '1002', body: 'x' })).rejects.toThrow(NoMessageAccountError);
    expect(await db.messages.count()).toBe(0);
  });

  it.each(MessageFailureSchema.options)('words the failure %s in both languages', (failure) => {
    expect(panelMessages.en[`message.failure.${failure}`]).toMatch(/\S/);
    expect(panelMessages.ru[`message.failure.${failure}`]).toMatch(/\S/);
  });
});
