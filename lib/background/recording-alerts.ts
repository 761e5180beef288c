import { browser } from '#imports';
import { recordingErrorItem, type RecordingError } from '@/lib/history/recording-error';
import { tBackground } from '@/lib/i18n/background-messages';

/** Notification id of the "recording not saved" message (one at a time: the newest replaces it). */
export const RECORDING_NOTIFICATION_ID = 'recording-error';

/** What the notification says for each kind of loss. */
export function recordingErrorText(error: RecordingError): string {
  switch (error.kind) {
    case 'storage-full':
      return tBackground('recording.storageFull');
    case 'recorder':
      return tBackground('recording.recorderFailed');
    case 'write':
      return tBackground('recording.writeFailed');
  }
}

/** Keeps the error for the panel and raises a desktop notification that says what to do. */
export async function reportRecordingError(error: RecordingError): Promise<void> {
  await recordingErrorItem.setValue(error);
  await browser.notifications.create(RECORDING_NOTIFICATION_ID, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: tBackground('recording.notSavedTitle'),
    message: recordingErrorText(error),
  });
}

/** A recording was saved: the last error no longer describes the present. */
export async function clearRecordingError(): Promise<void> {
  if ((await recordingErrorItem.getValue()) === null) return;
  await recordingErrorItem.setValue(null);
  await browser.notifications.clear(RECORDING_NOTIFICATION_ID);
}
