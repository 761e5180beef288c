import type { CallRecord } from '@/lib/db/call-record';
import { currentLocale } from '@/lib/i18n/i18n';
import { tBackground } from '@/lib/i18n/background-messages';
import { dispositionLabel } from '@/lib/panel/disposition-words';

/** Who called, as tasks and reminders name them: "Name (+7…)" or the number. */
export function callerLabel(call: Pick<CallRecord, 'remoteName' | 'remoteRaw' | 'remoteE164'>): string {
  const number = call.remoteE164 || call.remoteRaw;
  return call.remoteName && call.remoteName !== number ? `${call.remoteName} (${number})` : number;
}

/** The text of the CRM callback task of a missed call, in the agent's language. */
export function callbackTaskText(call: Pick<CallRecord, 'remoteName' | 'remoteRaw' | 'remoteE164' | 'startedAt'>): string {
  const time = new Date(call.startedAt).toLocaleString(currentLocale(), {
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return tBackground('task.callBackText', { caller: callerLabel(call), time });
}

/**
 * A stored disposition as the CRM's users read it: a standard code (`follow-up`) in the agent's
 * language, the same words the agent picked in the panel; a team's own label as it is.
 */
export function dispositionWords(disposition: string | undefined): string | undefined {
  const value = disposition?.trim();
  return value ? dispositionLabel(value) : undefined;
}

/** The CRM note of an answered call: its disposition (worded) and the agent's note, one per line. */
export function dispositionNoteText(disposition: string | undefined, note: string | undefined): string | undefined {
  const worded = dispositionWords(disposition);
  const lines = [
    worded ? tBackground('note.disposition', { disposition: worded }) : undefined,
    note?.trim() ? tBackground('note.agentNote', { note: note.trim() }) : undefined,
  ].filter((line): line is string => line !== undefined);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** The result line of a CRM callback task closed here: called back, or marked done by the agent. */
export function callbackResultText(doneBy: 'callback' | 'agent' | undefined): string {
  return doneBy === 'callback' ? tBackground('task.resultCalledBack') : tBackground('task.resultDone');
}
