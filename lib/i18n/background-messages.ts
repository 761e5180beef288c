import { createTranslator, defineMessages } from '@/lib/i18n/i18n';

/** Strings the background shows: notifications and the toolbar button's tooltip. */
export const backgroundMessages = defineMessages(
  {
    'notification.incomingTitle': 'Incoming call',
    'notification.incomingFrom': 'From {caller}',
    'notification.answer': 'Answer',
    'notification.decline': 'Decline',
    'badge.title.registered': 'Softphone: ready ({aor})',
    'badge.title.connecting': 'Softphone: connecting…',
    'badge.title.failed': 'Softphone: not registered — {reason}',
    'badge.title.noAccount': 'Softphone: no SIP account configured',
    'badge.title.incoming': 'Softphone: incoming call',
    'badge.title.inCall': 'Softphone: in a call',
    'error.invalidNumber': 'This is not a number that can be dialled: {input}',
    'error.noAccount': 'No SIP account is ready to call from.',
    'error.holdRefused': 'The call could not be put on hold: the other side refused ({code}).',
    'error.resumeRefused': 'The call could not be taken off hold: the other side refused ({code}). It stays on hold.',
    'error.holdBusy': 'The call is still changing its hold; try again in a moment.',
    'error.noResponse': 'no answer',
    'error.noSelection': 'Select a phone number on the page first.',
    'menu.callSelection': 'Call “%s”',
    'notification.callFailedTitle': 'Call not placed',
    'notification.messageTitle': 'Message from {sender}',
    'error.invalidMessageTarget': 'A message cannot be sent to this address: {input}',
    'error.noMessageAccount': 'No SIP account is registered to send the message from.',
    'error.callGone': 'This call is over.',
    'recording.notSavedTitle': 'Recording not saved',
    'recording.storageFull':
      'Recording not saved: browser storage is full. The call itself is in history. Lower the space for recordings or delete old recordings in the extension’s settings.',
    'recording.recorderFailed':
      'The call could not be recorded: the browser did not record its audio. The call itself is in history.',
    'recording.writeFailed':
      'Recording not saved: it could not be written to the extension’s storage. The call itself is in history.',
  },
  {
    'notification.incomingTitle': 'Входящий звонок',
    'notification.incomingFrom': 'Звонит {caller}',
    'notification.answer': 'Ответить',
    'notification.decline': 'Отклонить',
    'badge.title.registered': 'Софтфон: готов ({aor})',
    'badge.title.connecting': 'Софтфон: подключение…',
    'badge.title.failed': 'Софтфон: нет регистрации — {reason}',
    'badge.title.noAccount': 'Софтфон: SIP-аккаунт не настроен',
    'badge.title.incoming': 'Софтфон: входящий звонок',
    'badge.title.inCall': 'Софтфон: идёт разговор',
    'error.invalidNumber': 'Этот номер нельзя набрать: {input}',
    'error.noAccount': 'Нет готового SIP-аккаунта для звонка.',
    'error.holdRefused': 'Не удалось поставить звонок на удержание: другая сторона отказала ({code}).',
    'error.resumeRefused': 'Не удалось снять звонок с удержания: другая сторона отказала ({code}). Звонок остаётся на удержании.',
    'error.holdBusy': 'Удержание ещё переключается; повторите через мгновение.',
    'error.noResponse': 'нет ответа',
    'error.noSelection': 'Сначала выделите номер телефона на странице.',
    'menu.callSelection': 'Позвонить «%s»',
    'notification.callFailedTitle': 'Звонок не совершён',
    'notification.messageTitle': 'Сообщение от {sender}',
    'error.invalidMessageTarget': 'На этот адрес нельзя отправить сообщение: {input}',
    'error.noMessageAccount': 'Нет зарегистрированного SIP-аккаунта для отправки сообщения.',
    'error.callGone': 'Этот звонок уже завершён.',
    'recording.notSavedTitle': 'Запись не сохранена',
    'recording.storageFull':
      'Запись не сохранена: хранилище браузера заполнено. Сам звонок в истории есть. Уменьшите место для записей или удалите старые записи в настройках расширения.',
    'recording.recorderFailed': 'Звонок не записан: браузер не записал звук. Сам звонок в истории есть.',
    'recording.writeFailed':
      'Запись не сохранена: её не удалось записать в хранилище расширения. Сам звонок в истории есть.',
  },
);

export const tBackground = createTranslator(backgroundMessages);
