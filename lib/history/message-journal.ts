import type { AppDb } from '@/lib/db/app-db';
import type { MessageRecord } from '@/lib/db/message-record';
import { timeOrderedId } from '@/lib/db/time-ordered-id';
import { recordNumbers } from '@/lib/history/number-directory';
import { numberKeyOf } from '@/lib/history/number-key';
import type { MessageFailure } from '@/lib/phone/message-failure';
import type { ReceivedMessage } from '@/lib/phone/text-message';

/** Options of the message journal. */
export interface MessageJournalOptions {
  /** Default country for reading national numbers (the settings' `defaultCountry`). */
  region: string;
}

/** A message the user sent, as the background knows it after the engine's answer. */
export interface SentMessage {
  accountId: string;
  /** The Call-ID of the MESSAGE (or a local id when none was answered). */
  messageId: string;
  /** The complete SIP URI it went to. */
  remoteUri: string;
  /** The number as the user gave it, e.g. `+7 916 123-45-67` or `1002`. */
  remoteRaw: string;
  /**
   * The timeline it was sent from; when absent it is read from `remoteRaw` the way calls are, so
   * the message lands in the same timeline as calls with that number.
   */
  numberKey?: string;
  body: string;
  at: number;
  /** Absent when it was delivered. */
  failure?: MessageFailure;
  failureDetail?: string;
}

/** The primary key of a message: its time first (see `time-ordered-id.ts`), then its own id. */
export function messageRecordId(at: number, messageId: string): string {
  return timeOrderedId(at, messageId);
}

/**
 * Journals a received MESSAGE, once: a retransmission or re-delivery carries the same Call-ID
 * (`messageId`), and finding an inbound row with it on the same account writes nothing. The number
 * key is read from the sender's user part as for an incoming call, so calls and messages of one
 * customer share a timeline; the number directory learns the number, so search finds a customer
 * who only ever wrote.
 *
 * @returns the stored row, or `undefined` when it was a duplicate.
 */
export async function journalReceivedMessage(
  db: AppDb,
  message: ReceivedMessage,
  options: MessageJournalOptions,
): Promise<MessageRecord | undefined> {
  const identity = numberKeyOf(message.remoteNumber || message.remoteUri, options.region);
  const record: MessageRecord = {
    id: messageRecordId(message.at, message.messageId),
    messageId: message.messageId,
    accountId: message.accountId,
    direction: 'inbound',
    remoteUri: message.remoteUri,
    remoteRaw: message.remoteNumber,
    ...(identity.e164 ? { remoteE164: identity.e164 } : {}),
    ...(message.remoteName ? { remoteName: message.remoteName } : {}),
    numberKey: identity.key,
    body: message.body,
    contentType: message.contentType,
    at: message.at,
    status: 'received',
  };
  return db.transaction('rw', db.messages, db.numbers, async () => {
    const seen = await db.messages
      .where('messageId')
      .equals(message.messageId)
      .filter((row) => row.direction === 'inbound' && row.accountId === message.accountId)
      .count();
    if (seen > 0) return undefined;
    await db.messages.add(record);
    await recordNumbers(db, [{ numberKey: record.numberKey, startedAt: record.at, remoteName: message.remoteName }]);
    return record;
  });
}

/** Journals a message the user sent, as `sent` or (with its failure) as `failed`. */
export async function journalSentMessage(
  db: AppDb,
  sent: SentMessage,
  options: MessageJournalOptions,
): Promise<MessageRecord> {
  const identity = numberKeyOf(sent.remoteRaw || sent.remoteUri, options.region);
  const record: MessageRecord = {
    id: messageRecordId(sent.at, sent.messageId),
    messageId: sent.messageId,
    accountId: sent.accountId,
    direction: 'outbound',
    remoteUri: sent.remoteUri,
    remoteRaw: sent.remoteRaw,
    ...(identity.e164 ? { remoteE164: identity.e164 } : {}),
    numberKey: sent.numberKey ?? identity.key,
    body: sent.body,
    contentType: 'text/plain;charset=UTF-8',
    at: sent.at,
    status: sent.failure ? 'failed' : 'sent',
    ...(sent.failure ? { failure: sent.failure } : {}),
    ...(sent.failure && sent.failureDetail ? { failureDetail: sent.failureDetail } : {}),
  };
  await db.transaction('rw', db.messages, db.numbers, async () => {
    await db.messages.put(record);
    await recordNumbers(db, [{ numberKey: record.numberKey, startedAt: record.at }]);
  });
  return record;
}
