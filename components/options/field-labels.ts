import { tOptions, type OptionsMessageKey } from '@/lib/i18n/options-messages';

const FIELD_LABELS: Record<string, OptionsMessageKey> = {
  wsServer: 'field.wsServer',
  sipUri: 'field.sipUri',
  authUser: 'field.authUser',
  password: 'field.password',
  displayName: 'field.displayName',
  iceServers: 'field.iceServers',
  defaultCountry: 'field.defaultCountry',
  dialFormat: 'field.dialFormat',
  declineCode: 'field.declineCode',
  dispositions: 'field.dispositions',
  recording: 'field.recording',
  recordingNotice: 'field.recordingNotice',
  recordingRetentionDays: 'field.recordingRetentionDays',
  recordingMaxMb: 'field.recordingMaxMb',
  dndResponse: 'field.dndResponse',
  dndRedirectTarget: 'field.dndRedirectTarget',
  autoAnswer: 'field.autoAnswer',
  autoAnswerDelaySeconds: 'field.autoAnswerDelaySeconds',
  intercomAutoAnswer: 'field.intercomAutoAnswer',
};

/** The label of a settings field by its schema name; unknown names are shown as they are. */
export function fieldLabel(name: string): string {
  const key = FIELD_LABELS[name];
  return key ? tOptions(key) : name;
}

/** Where a problem is, for people: "Account 2 · SIP address" for `['accounts', 1, 'sipUri']`. */
export function describeSettingsPath(path: readonly (string | number)[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    const next = path[i + 1];
    if (part === 'accounts' && typeof next === 'number') {
      parts.push(tOptions('import.where.account', { number: next + 1 }));
      i++;
    } else {
      parts.push(typeof part === 'number' ? String(part + 1) : fieldLabel(part));
    }
  }
  return parts.join(' · ');
}
