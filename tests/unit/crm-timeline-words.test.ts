import { afterEach, describe, expect, it } from 'vitest';
import { mergeTimeline, TIMELINE_EVENT_TYPES } from '@/lib/crm/amocrm/amo-timeline';
import type { CrmTimelineItem } from '@/lib/crm/crm-adapter';
import { setLocale } from '@/lib/i18n/i18n';
import { crmTimelineLine, crmTimelineTitle } from '@/lib/panel/crm-timeline-words';

afterEach(() => {
  setLocale(undefined);
});

/** One amoCRM event of each type, as `GET /api/v4/events` returns them (no note behind them). */
const events = (types: string[]) =>
  types.map((type, index) => ({ id: `e${index}`, type, created_at: 1000 - index, value_after: [] }));

describe('crmTimelineTitle: amoCRM notes and events in words', () => {
  const notes = [
    { id: 1, note_type: 'call_in', params: { phone: '+79161234567' }, created_at: 900 },
    { id: 2, note_type: 'call_out', params: { call_result: 'Договорились о встрече' }, created_at: 899 },
    { id: 3, note_type: 'amomail_message', params: { text: 'Re: счёт' }, created_at: 898 },
    { id: 4, note_type: 'sms_in', params: { text: 'Жду звонка' }, created_at: 897 },
    { id: 5, note_type: 'sms_out', params: { text: 'Счёт отправлен' }, created_at: 896 },
    { id: 6, note_type: 'common', params: { text: 'Просил перезвонить' }, created_at: 895 },
    { id: 7, note_type: 'service_message', params: { service: 'Robot', text: 'Сделка создана' }, created_at: 894 },
    { id: 8, note_type: 'attachment', params: {}, created_at: 893 },
    { id: 9, note_type: 'geolocation', params: {}, created_at: 892 },
  ];
  const timeline = mergeTimeline(
    notes,
    [
      ...events([...TIMELINE_EVENT_TYPES.filter((type) => !type.endsWith('_call')), 'lead_deleted']),
      { id: 'chat', type: 'incoming_chat_message', created_at: 2000, value_after: [{ message: { id: 'm1', origin: 'telegram' } }] },
    ],
    100,
  );
  const titles = (locale: 'en' | 'ru') => {
    setLocale(locale);
    return timeline.map((item) => crmTimelineLine(item));
  };

  it('in English', () => {
    expect(titles('en')).toEqual([
      'Chat message received — telegram',
      'Chat message received',
      'Chat message sent',
      'Chat message',
      'Conversation started',
      'Conversation closed',
      'Task created',
      'Task completed',
      'Lead stage changed',
      'Other event (lead_deleted)',
      'Incoming call — +79161234567',
      'Outgoing call — Договорились о встрече',
      'E-mail — Re: счёт',
      'SMS received — Жду звонка',
      'SMS sent — Счёт отправлен',
      'Note — Просил перезвонить',
      'Service message — Сделка создана',
      'File attached',
      'Other event (geolocation)',
    ]);
  });

  it('in Russian', () => {
    expect(titles('ru')).toEqual([
      'Входящее сообщение в чате — telegram',
      'Входящее сообщение в чате',
      'Исходящее сообщение в чате',
      'Сообщение в чате',
      'Начата беседа',
      'Беседа закрыта',
      'Создана задача',
      'Задача выполнена',
      'Изменён этап сделки',
      'Другое событие (lead_deleted)',
      'Входящий звонок — +79161234567',
      'Исходящий звонок — Договорились о встрече',
      'Письмо — Re: счёт',
      'Входящее SMS — Жду звонка',
      'Исходящее SMS — Счёт отправлен',
      'Примечание — Просил перезвонить',
      'Служебное сообщение — Сделка создана',
      'Прикреплён файл',
      'Другое событие (geolocation)',
    ]);
  });

  it('every event type the timeline asks amoCRM for has its own words (none falls back to the raw name)', () => {
    const asked = mergeTimeline([], events(TIMELINE_EVENT_TYPES), 100);
    expect(asked).toHaveLength(TIMELINE_EVENT_TYPES.length);
    expect(asked.filter((item) => item.what === 'other')).toEqual([]);
    // The raw type is kept for reference but is never the item's text.
    expect(asked.every((item) => item.text === '' && TIMELINE_EVENT_TYPES.includes(item.type ?? ''))).toBe(true);
  });

  it.each<[Partial<CrmTimelineItem>, string]>([
    [{ what: 'call' }, 'Call'],
    [{ what: 'email', direction: 'outbound' }, 'E-mail sent'],
    [{ what: 'note', direction: 'inbound' }, 'Note'],
    [{ what: 'other' }, 'Other event'],
    [{ what: 'other', type: '' }, 'Other event'],
  ])('%j → %s', (item, title) => {
    setLocale('en');
    expect(crmTimelineTitle({ what: 'other', ...item })).toBe(title);
  });
});
