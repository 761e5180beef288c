import type { AmoEvent, AmoNote } from '@/lib/crm/amocrm/amo-api-types';
import type { CrmTimelineItem } from '@/lib/crm/crm-adapter';

type Kind = CrmTimelineItem['kind'];

const NOTE_KINDS: Record<string, { kind: Kind; direction?: 'inbound' | 'outbound' }> = {
  call_in: { kind: 'call', direction: 'inbound' },
  call_out: { kind: 'call', direction: 'outbound' },
  common: { kind: 'note' },
  sms_in: { kind: 'sms', direction: 'inbound' },
  sms_out: { kind: 'sms', direction: 'outbound' },
  amomail_message: { kind: 'email' },
  chat: { kind: 'chat' },
};

const EVENT_KINDS: Record<string, { kind: Kind; direction?: 'inbound' | 'outbound' }> = {
  incoming_call: { kind: 'call', direction: 'inbound' },
  outgoing_call: { kind: 'call', direction: 'outbound' },
  incoming_chat_message: { kind: 'chat', direction: 'inbound' },
  outgoing_chat_message: { kind: 'chat', direction: 'outbound' },
  entity_direct_message: { kind: 'chat' },
  talk_created: { kind: 'chat' },
  talk_closed: { kind: 'chat' },
  task_added: { kind: 'task' },
  task_completed: { kind: 'task' },
};

/** Events that only announce a note the timeline already has from the notes themselves. */
const NOTE_ECHOES = new Set(['common_note_added', 'incoming_call', 'outgoing_call']);

/** The event types a customer's timeline asks for. */
export const TIMELINE_EVENT_TYPES = [
  'incoming_call',
  'outgoing_call',
  'incoming_chat_message',
  'outgoing_chat_message',
  'entity_direct_message',
  'talk_created',
  'talk_closed',
  'task_added',
  'task_completed',
  'lead_status_changed',
];

function noteText(note: AmoNote): string {
  const params = note.params ?? {};
  if (typeof params.text === 'string' && params.text !== '') return params.text;
  if (typeof params.call_result === 'string' && params.call_result !== '') return params.call_result;
  if (typeof params.phone === 'string') return params.phone;
  return note.note_type ?? '';
}

/** One note as a timeline item. */
export function noteItem(note: AmoNote): CrmTimelineItem {
  const mapped = NOTE_KINDS[note.note_type ?? ''] ?? { kind: 'event' as const };
  return { id: `note:${note.id}`, at: (note.created_at ?? 0) * 1000, ...mapped, text: noteText(note) };
}

/**
 * A contact's history: its notes merged with its events, newest first. A call event points at its
 * call note (`value_after[].note.id`); when that note is present the event is dropped, so one call
 * shows once.
 */
export function mergeTimeline(notes: AmoNote[], events: AmoEvent[], limit: number): CrmTimelineItem[] {
  const noteIds = new Set(notes.map((note) => note.id));
  const items = notes.map(noteItem);
  for (const event of events) {
    const pointsAt = (event.value_after ?? []).map((value) => value.note?.id).filter((id) => id !== undefined);
    if (NOTE_ECHOES.has(event.type ?? '') && pointsAt.some((id) => noteIds.has(id))) continue;
    if (event.type === 'common_note_added') continue;
    const mapped = EVENT_KINDS[event.type ?? ''] ?? { kind: 'event' as const };
    items.push({ id: `event:${event.id}`, at: (event.created_at ?? 0) * 1000, ...mapped, text: event.type ?? '' });
  }
  return items.sort((a, b) => b.at - a.at).slice(0, limit);
}
