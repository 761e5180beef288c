import type { AppDb } from '@/lib/db/app-db';
import type { MessageRecord } from '@/lib/db/message-record';
import { journalReceivedMessage, journalSentMessage } from '@/lib/history/message-journal';
import type { LatestMessage } from '@/lib/history/message-feed-item';
import { tBackground } from '@/lib/i18n/background-messages';
import type { BackgroundToEngine } from '@/lib/messaging/background-to-engine';
import type { Client } from '@/lib/messaging/protocol';
import { normalizeDialTarget, toSipUri } from '@/lib/numbers/normalize-dial-target';
import type { MessageFailure } from '@/lib/phone/message-failure';
import type { PhoneSnapshot } from '@/lib/phone/phone-snapshot';
import { RegistrationState } from '@/lib/phone/registration-state';
import type { ReceivedMessage } from '@/lib/phone/text-message';
import type { Settings } from '@/lib/settings/settings-schema';
import { splitSipAddress } from '@/lib/settings/settings-schema';
import { Exception } from '@/lib/util/exception';
import { createLogger } from '@/lib/util/logger';

const log = createLogger('messages');

/** A message addressed to something that is not a number, extension or SIP address; worded for the user. */
export class InvalidMessageTargetError extends Exception {}

/** No registered account can send the message; worded for the user. */
export class NoMessageAccountError extends Exception {}

export interface MessageServiceDeps {
  db: AppDb;
  /** The effective settings (accounts, default country, dial format). */
  settings: () => Promise<Settings>;
  /** The engine's latest snapshot, to pick a registered account. */
  snapshot: () => Promise<PhoneSnapshot>;
  /** The engine's client (created on demand). */
  engine: () => Promise<Pick<Client<(typeof BackgroundToEngine)['methods']>, 'sendMessage'>>;
  /** Whether the side panel is open (then it shows the message and no notification is needed). */
  panelOpen: () => Promise<boolean>;
  /** Shows a desktop notification for a received message. */
  notify: (message: MessageRecord) => Promise<void>;
  /** Tells open panels that a number has a new message. */
  announce: (latest: LatestMessage) => Promise<void>;
  /** @defaultValue `Date.now` */
  clock?: () => number;
}

/** What the panel asks to send: to a timeline's number, or to a target as typed. */
export interface SendMessageRequest {
  numberKey?: string;
  target?: string;
  body: string;
  accountId?: string;
}

/** How a send ended; the message is in the history either way. */
export interface SendMessageResult {
  id: string;
  status: 'sent' | 'failed';
  failure?: MessageFailure;
}

export interface MessageService {
  /** Journals a received message once, tells open panels, or notifies when no panel is open. */
  receive(message: ReceivedMessage): Promise<void>;
  /**
   * Normalizes the target as a dialled number is normalized, sends from a registered account and
   * journals the outcome. Rejects, without journaling, when the target cannot be addressed or no
   * account is registered; a message the server refuses is journaled as `failed` with its reason.
   */
  send(request: SendMessageRequest): Promise<SendMessageResult>;
}

/**
 * Text messages (SIP MESSAGE) in the background: the journal of received and sent messages in the
 * `messages` table, next to the calls of the same number, and sending through the engine.
 */
export function createMessageService(deps: MessageServiceDeps): MessageService {
  const clock = deps.clock ?? Date.now;
  const announce = (record: MessageRecord): Promise<void> =>
    deps.announce({ id: record.id, numberKey: record.numberKey }).catch((error: unknown) => {
      log.warn('message not announced', error);
    });

  return {
    async receive(message) {
      const settings = await deps.settings();
      const record = await journalReceivedMessage(deps.db, message, { region: settings.defaultCountry });
      if (!record) {
        log.info(`message ${message.messageId} arrived again; kept once`);
        return;
      }
      await announce(record);
      if (!(await deps.panelOpen())) {
        await deps.notify(record).catch((error: unknown) => log.warn('message notification failed', error));
      }
    },

    async send({ numberKey, target, body, accountId }) {
      const settings = await deps.settings();
      const input = target ?? numberKey ?? '';
      const parsed = normalizeDialTarget(input, settings);
      if (!parsed.ok) throw new InvalidMessageTargetError(tBackground('error.invalidMessageTarget', { input }));
      const snapshot = await deps.snapshot();
      const ready = new Set(
        snapshot.accounts.filter((a) => a.state === RegistrationState.Registered).map((a) => a.accountId),
      );
      const account = settings.accounts.find((a) =>
        accountId === undefined ? a.enabled && ready.has(a.id) : a.id === accountId && ready.has(a.id),
      );
      if (!account) throw new NoMessageAccountError(tBackground('error.noMessageAccount'));
      const remoteUri = toSipUri(parsed.target, splitSipAddress(account.sipUri).host);
      const at = clock();
      const engine = await deps.engine();
      const outcome = await engine.sendMessage({ accountId: account.id, target: remoteUri, body });
      const record = await journalSentMessage(
        deps.db,
        {
          accountId: account.id,
          messageId: outcome.messageId,
          remoteUri,
          remoteRaw: parsed.target.display,
          // Sent from a timeline: stay in it, whatever the number reads as today.
          ...(target === undefined && numberKey !== undefined ? { numberKey } : {}),
          body,
          at,
          ...(outcome.failure ? { failure: outcome.failure } : {}),
          ...(outcome.detail ? { failureDetail: outcome.detail } : {}),
        },
        { region: settings.defaultCountry },
      );
      await announce(record);
      return {
        id: record.id,
        status: record.status === 'failed' ? 'failed' : 'sent',
        ...(record.failure ? { failure: record.failure } : {}),
      };
    },
  };
}
