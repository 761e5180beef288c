import { createTranslator, defineMessages } from '@/lib/i18n/i18n';

/**
 * Words of the side panel. Phone states, failures and end reasons come from `phone-messages.ts`
 * (shared with the options page and notifications); these are the panel's own.
 */
export const panelMessages = defineMessages(
  {
    title: 'Softphone',

    'setup.openOptions': 'Open settings',
    'setup.noAccount': 'Add a SIP account in the settings to make and receive calls.',
    'setup.micBlocked': 'The microphone is blocked: the other party will not hear you.',

    'status.accounts': 'SIP accounts',
    'status.retry': 'Retry now',
    'status.reconnecting': 'Reconnecting…',
    'status.detail': 'Details: {detail}',

    'dial.form': 'Dial',
    'dial.label': 'Number, extension or SIP address',
    'dial.placeholder': '+7 916 123-45-67, 101, sip:…',
    'dial.keypad': 'Dialpad',
    'dial.backspace': 'Delete the last character',
    'dial.call': 'Call',
    'dial.from': 'Call from',
    'dial.notRegistered': 'not ready',

    'preview.empty': 'Type or paste a number, an extension or a SIP address.',
    'preview.invalid': 'Not a valid number',
    'preview.tooLong': 'Too long for a number',
    'preview.phone': 'Will dial {number}',
    'preview.sentAs': 'sent as {dial}',
    'preview.extension': 'Internal number {number}',
    'preview.sip': 'SIP address {address}',

    'call.list': 'Calls',
    'call.inbound': 'Incoming',
    'call.outbound': 'Outgoing',
    'call.unknown': 'Unknown caller',
    'call.answer': 'Answer',
    'call.decline': 'Decline',
    'call.hangup': 'Hang up',
    'call.cancel': 'Cancel',
    'call.mute': 'Mute',

    'announce.incoming': 'Incoming call from {remote}',
    'announce.call': '{remote}: {state}',

    'tab.list': 'Views',
    'tab.phone': 'Phone',
    'tab.history': 'History',

    'history.list': 'Call history',
    'history.filters': 'Show',
    'history.filter.all': 'All',
    'history.filter.missed': 'Missed',
    'history.filter.inbound': 'Inbound',
    'history.filter.outbound': 'Outbound',
    'history.empty': 'No calls yet.',
    'history.more': 'Show more',
    'history.today': 'Today',
    'history.yesterday': 'Yesterday',
    'history.callBack': 'Call back',
    'history.noteLabel': 'Note',
    'history.notePlaceholder': 'Add a note…',
    'history.noteSave': 'Save',
    'history.inProgress': 'In progress',
    'history.outcome.answered': 'Answered',
    'history.outcome.missed': 'Missed',
    'history.outcome.declined': 'Declined',
    'history.outcome.busy': 'Busy',
    'history.outcome.failed': 'Failed',
    'history.outcome.cancelled': 'Cancelled',
    'history.outcome.interrupted': 'Interrupted',

    'error.noAnswer': 'The phone did not respond: {message}',
  },
  {
    title: 'Софтфон',

    'setup.openOptions': 'Открыть настройки',
    'setup.noAccount': 'Добавьте SIP-аккаунт в настройках, чтобы звонить и принимать звонки.',
    'setup.micBlocked': 'Микрофон заблокирован: собеседник вас не услышит.',

    'status.accounts': 'SIP-аккаунты',
    'status.retry': 'Повторить сейчас',
    'status.reconnecting': 'Повторное подключение…',
    'status.detail': 'Подробности: {detail}',

    'dial.form': 'Набор номера',
    'dial.label': 'Номер, внутренний номер или SIP-адрес',
    'dial.placeholder': '+7 916 123-45-67, 101, sip:…',
    'dial.keypad': 'Клавиатура',
    'dial.backspace': 'Удалить последний символ',
    'dial.call': 'Позвонить',
    'dial.from': 'Звонить с',
    'dial.notRegistered': 'не готов',

    'preview.empty': 'Введите или вставьте номер, внутренний номер или SIP-адрес.',
    'preview.invalid': 'Неверный номер',
    'preview.tooLong': 'Слишком длинный номер',
    'preview.phone': 'Будет набран {number}',
    'preview.sentAs': 'отправляется как {dial}',
    'preview.extension': 'Внутренний номер {number}',
    'preview.sip': 'SIP-адрес {address}',

    'call.list': 'Звонки',
    'call.inbound': 'Входящий',
    'call.outbound': 'Исходящий',
    'call.unknown': 'Неизвестный абонент',
    'call.answer': 'Ответить',
    'call.decline': 'Отклонить',
    'call.hangup': 'Завершить',
    'call.cancel': 'Отменить',
    'call.mute': 'Без звука',

    'announce.incoming': 'Входящий звонок от {remote}',
    'announce.call': '{remote}: {state}',

    'tab.list': 'Разделы',
    'tab.phone': 'Телефон',
    'tab.history': 'История',

    'history.list': 'История звонков',
    'history.filters': 'Показать',
    'history.filter.all': 'Все',
    'history.filter.missed': 'Пропущенные',
    'history.filter.inbound': 'Входящие',
    'history.filter.outbound': 'Исходящие',
    'history.empty': 'Звонков пока нет.',
    'history.more': 'Показать ещё',
    'history.today': 'Сегодня',
    'history.yesterday': 'Вчера',
    'history.callBack': 'Перезвонить',
    'history.noteLabel': 'Заметка',
    'history.notePlaceholder': 'Добавить заметку…',
    'history.noteSave': 'Сохранить',
    'history.inProgress': 'Идёт',
    'history.outcome.answered': 'Отвечен',
    'history.outcome.missed': 'Пропущен',
    'history.outcome.declined': 'Отклонён',
    'history.outcome.busy': 'Занято',
    'history.outcome.failed': 'Не удался',
    'history.outcome.cancelled': 'Отменён',
    'history.outcome.interrupted': 'Прерван',

    'error.noAnswer': 'Телефон не ответил: {message}',
  },
);

export const tPanel = createTranslator(panelMessages);
