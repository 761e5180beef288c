import { createTranslator, defineMessages } from '@/lib/i18n/i18n';

/** Titles of the items of a customer's CRM timeline (amoCRM notes and events), in the panel. */
export const crmTimelineMessages = defineMessages(
  {
    'crmTimeline.call': 'Call',
    'crmTimeline.call.inbound': 'Incoming call',
    'crmTimeline.call.outbound': 'Outgoing call',
    'crmTimeline.email': 'E-mail',
    'crmTimeline.email.inbound': 'E-mail received',
    'crmTimeline.email.outbound': 'E-mail sent',
    'crmTimeline.chat': 'Chat message',
    'crmTimeline.chat.inbound': 'Chat message received',
    'crmTimeline.chat.outbound': 'Chat message sent',
    'crmTimeline.sms': 'SMS',
    'crmTimeline.sms.inbound': 'SMS received',
    'crmTimeline.sms.outbound': 'SMS sent',
    'crmTimeline.note': 'Note',
    'crmTimeline.taskAdded': 'Task created',
    'crmTimeline.taskCompleted': 'Task completed',
    'crmTimeline.leadStatusChanged': 'Lead stage changed',
    'crmTimeline.conversationOpened': 'Conversation started',
    'crmTimeline.conversationClosed': 'Conversation closed',
    'crmTimeline.serviceMessage': 'Service message',
    'crmTimeline.attachment': 'File attached',
    'crmTimeline.other': 'Other event ({type})',
    'crmTimeline.otherUnnamed': 'Other event',
  },
  {
    'crmTimeline.call': 'Звонок',
    'crmTimeline.call.inbound': 'Входящий звонок',
    'crmTimeline.call.outbound': 'Исходящий звонок',
    'crmTimeline.email': 'Письмо',
    'crmTimeline.email.inbound': 'Входящее письмо',
    'crmTimeline.email.outbound': 'Исходящее письмо',
    'crmTimeline.chat': 'Сообщение в чате',
    'crmTimeline.chat.inbound': 'Входящее сообщение в чате',
    'crmTimeline.chat.outbound': 'Исходящее сообщение в чате',
    'crmTimeline.sms': 'SMS',
    'crmTimeline.sms.inbound': 'Входящее SMS',
    'crmTimeline.sms.outbound': 'Исходящее SMS',
    'crmTimeline.note': 'Примечание',
    'crmTimeline.taskAdded': 'Создана задача',
    'crmTimeline.taskCompleted': 'Задача выполнена',
    'crmTimeline.leadStatusChanged': 'Изменён этап сделки',
    'crmTimeline.conversationOpened': 'Начата беседа',
    'crmTimeline.conversationClosed': 'Беседа закрыта',
    'crmTimeline.serviceMessage': 'Служебное сообщение',
    'crmTimeline.attachment': 'Прикреплён файл',
    'crmTimeline.other': 'Другое событие ({type})',
    'crmTimeline.otherUnnamed': 'Другое событие',
  },
);

export type CrmTimelineMessageKey = keyof (typeof crmTimelineMessages)['en'];

export const tCrmTimeline = createTranslator(crmTimelineMessages);
