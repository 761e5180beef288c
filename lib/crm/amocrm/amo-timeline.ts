import type { AmoEvent, AmoNote } from '@/lib/crm/amocrm/amo-api-types';
import type { CrmTimelineItem, CrmTimelineWhat } from '@/lib/crm/crm-adapter';

type Kind = CrmTimelineItem['kind'];

interface Mapped {
  kind: Kind;
  what: CrmTimelineWhat;
  direction?: 'inbound' | 'outbound';
}

/** amoCRM note types (`note_type`, crm-apis.md "Notes"). */
const NOTE_KINDS: Record<string, Mapped> = {
  call_in: { kind: 'call', what: 'call', direction: 'inbound' },
  call_out: { kind: 'call', what: 'call', direction: 'outbound' },
  common: { kind: 'note', what: 'note' },
  sms_in: { kind: 'sms', what: 'sms', direction: 'inbound' },
  sms_out: { kind: 'sms', what: 'sms', direction: 'outbound' },
  amomail_message: { kind: 'email', what: 'email' },
  chat: { kind: 'chat', what: 'chat-message' },
  service_message: { kind: 'note', what: 'service-message' },
  extended_service_message: { kind: 'note', what: 'service-message' },
  attachment: { kind: 'note', what: 'attachment' },
};

/** amoCRM event types (`type`, crm-apis.md "Events"). */
const EVENT_KINDS: Record<string, Mapped> = {
  incoming_call: { kind: 'call', what: 'call', direction: 'inbound' },
  outgoing_call: { kind: 'call', what: 'call', direction: 'outbound' },
  incoming_chat_message: { kind: 'chat', what: 'chat-message', direction: 'inbound' },
  outgoing_chat_message: { kind: 'chat', what: 'chat-message', direction: 'outbound' },
  entity_direct_message: { kind: 'chat', what: 'chat-message' },
  talk_created: { kind: 'chat', what: 'conversation-opened' },
  talk_closed: { kind: 'chat', what: 'conversation-closed' },
  task_added: { kind: 'task', what: 'task-added' },
  task_completed: { kind: 'task', what: 'task-completed' },
  lead_status_changed: { kind: 'event', what: 'lead-status-changed' },
};

const OTHER: Mapped = { kind: 'event', what: 'other' };

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

/** A note's content: its text, a call's result or number; never its type (the title words that). */
function noteText(note: AmoNote): string {
  const params = note.params ?? {};
  if (typeof params.text === 'string' && params.text !== '') return params.text;
  if (typeof params.call_result === 'string' && params.call_result !== '') return params.call_result;
  if (typeof params.phone === 'string') return params.phone;
  return '';
}

/** An event's content: the channel of a chat message (`telegram`, …); other events are their title. */
function eventText(event: AmoEvent): string {
  const origin = (event.value_after ?? []).map((value) => value.message?.origin).find((value) => typeof value === 'string');
  return origin ?? '';
}

/** One note as a timeline item. */
export function noteItem(note: AmoNote): CrmTimelineItem {
  const type = note.note_type ?? '';
  const mapped = NOTE_KINDS[type] ?? OTHER;
  return { id: `note:${note.id}`, at: (note.created_at ?? 0) * 1000, ...mapped, type, text: noteText(note) };
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
    const type = event.type ?? '';
    const mapped = EVENT_KINDS[type] ?? OTHER;
    items.push({ id: `event:${event.id}`, at: (event.created_at ?? 0) * 1000, ...mapped, type, text: eventText(event) });
  }
  return items.sort((a, b) => b.at - a.at).slice(0, limit);
}
