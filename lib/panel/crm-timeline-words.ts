import type { CrmTimelineItem, CrmTimelineWhat } from '@/lib/crm/crm-adapter';
import { tCrmTimeline, type CrmTimelineMessageKey } from '@/lib/i18n/crm-timeline-messages';

/** The title of each kind of item: plain, and by direction where the CRM tells it. */
type Words = { plain: CrmTimelineMessageKey; inbound?: CrmTimelineMessageKey; outbound?: CrmTimelineMessageKey };

const WORDS: Record<Exclude<CrmTimelineWhat, 'other'>, Words> = {
  call: { plain: 'crmTimeline.call', inbound: 'crmTimeline.call.inbound', outbound: 'crmTimeline.call.outbound' },
  email: { plain: 'crmTimeline.email', inbound: 'crmTimeline.email.inbound', outbound: 'crmTimeline.email.outbound' },
  'chat-message': { plain: 'crmTimeline.chat', inbound: 'crmTimeline.chat.inbound', outbound: 'crmTimeline.chat.outbound' },
  sms: { plain: 'crmTimeline.sms', inbound: 'crmTimeline.sms.inbound', outbound: 'crmTimeline.sms.outbound' },
  note: { plain: 'crmTimeline.note' },
  'task-added': { plain: 'crmTimeline.taskAdded' },
  'task-completed': { plain: 'crmTimeline.taskCompleted' },
  'lead-status-changed': { plain: 'crmTimeline.leadStatusChanged' },
  'conversation-opened': { plain: 'crmTimeline.conversationOpened' },
  'conversation-closed': { plain: 'crmTimeline.conversationClosed' },
  'service-message': { plain: 'crmTimeline.serviceMessage' },
  attachment: { plain: 'crmTimeline.attachment' },
};

/**
 * The worded title of a CRM timeline item in the UI language: "Incoming call", "Lead stage changed".
 * A type the adapter does not know keeps the CRM's own name in brackets ("Other event
 * (lead_deleted)"), so nothing is hidden and nothing raw poses as wording.
 */
export function crmTimelineTitle(item: Pick<CrmTimelineItem, 'what' | 'direction' | 'type'>): string {
  if (item.what === 'other') {
    return item.type ? tCrmTimeline('crmTimeline.other', { type: item.type }) : tCrmTimeline('crmTimeline.otherUnnamed');
  }
  const words = WORDS[item.what];
  const key = (item.direction && words[item.direction]) ?? words.plain;
  return tCrmTimeline(key);
}

/** The item as one line: its title, then its content when it has any ("Incoming call — +7 916 …"). */
export function crmTimelineLine(item: Pick<CrmTimelineItem, 'what' | 'direction' | 'type' | 'text'>): string {
  const title = crmTimelineTitle(item);
  return item.text ? `${title} — ${item.text}` : title;
}
