import { createTranslator, defineMessages } from '@/lib/i18n/i18n';

/** Words of the click-to-call card shown next to a phone number on a web page. */
export const clickToCallMessages = defineMessages(
  {
    'card.label': 'Phone number {number}',
    'card.call': 'Call',
    'card.callLabel': 'Call {number}',
    'card.copy': 'Copy',
    'card.copyLabel': 'Copy {number} to the clipboard',
    'card.copied': 'Copied',
    'card.copyFailed': 'Could not copy',
    'card.extension': 'ext. {ext}',
    'field.callLabel': 'Call {number}',
  },
  {
    'card.label': 'Номер телефона {number}',
    'card.call': 'Позвонить',
    'card.callLabel': 'Позвонить на {number}',
    'card.copy': 'Копировать',
    'card.copyLabel': 'Скопировать {number} в буфер обмена',
    'card.copied': 'Скопировано',
    'card.copyFailed': 'Не удалось скопировать',
    'card.extension': 'доб. {ext}',
    'field.callLabel': 'Позвонить на {number}',
  },
);

export const tClickToCall = createTranslator(clickToCallMessages);
