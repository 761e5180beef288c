import { createTranslator, defineMessages } from '@/lib/i18n/i18n';

/** Words for phone states and failures, shared by the panel, the options page and notifications. */
export const phoneMessages = defineMessages(
  {
    'registration.idle': 'Not connected',
    'registration.connecting': 'Connecting…',
    'registration.registering': 'Registering…',
    'registration.registered': 'Ready',
    'registration.waiting': 'Reconnecting in {seconds} s',
    'registration.failed': 'Not registered',
    'registration.unregistering': 'Disconnecting…',
    'registration.noAccount': 'No SIP account configured',

    'failure.unreachable':
      'Cannot reach the SIP server. Check the address; for wss:// also check that the certificate is trusted (open the server’s https:// address in a tab).',
    'failure.auth-rejected': 'The server rejected the user name or password.',
    'failure.timeout': 'The SIP server did not answer in time.',
    'failure.server-error': 'The SIP server answered with an error.',
    'failure.connection-lost': 'The connection to the SIP server was lost.',
    'failure.offline': 'This computer is offline.',
    'failure.no-microphone': 'Microphone access is not granted. Open the settings and allow the microphone.',

    'call.dialing': 'Calling…',
    'call.ringing': 'Ringing…',
    'call.incoming': 'Incoming call',
    'call.answering': 'Connecting…',
    'call.established': 'In call',
    'call.ending': 'Hanging up…',
    'call.ended': 'Call ended',
    'call.reconnecting': 'Reconnecting…',

    'end.local-hangup': 'You hung up',
    'end.remote-hangup': 'The other party hung up',
    'end.cancelled': 'Call cancelled',
    'end.caller-cancelled': 'Missed call',
    'end.declined': 'Call declined',
    'end.rejected': 'Call not connected',
    'end.failed': 'Call failed',
    'end.connection-lost': 'Connection lost',

    'sip.404': 'Number not found',
    'sip.480': 'Not available right now',
    'sip.486': 'Busy',
    'sip.487': 'Call cancelled',
    'sip.603': 'Declined',
    'sip.408': 'No answer',
    'sip.other': 'SIP error {code}',
  },
  {
    'registration.idle': 'Не подключено',
    'registration.connecting': 'Подключение…',
    'registration.registering': 'Регистрация…',
    'registration.registered': 'Готов',
    'registration.waiting': 'Повторное подключение через {seconds} с',
    'registration.failed': 'Нет регистрации',
    'registration.unregistering': 'Отключение…',
    'registration.noAccount': 'SIP-аккаунт не настроен',

    'failure.unreachable':
      'SIP-сервер недоступен. Проверьте адрес; для wss:// проверьте также, что сертификат доверенный (откройте https://-адрес сервера во вкладке).',
    'failure.auth-rejected': 'Сервер отклонил имя пользователя или пароль.',
    'failure.timeout': 'SIP-сервер не ответил вовремя.',
    'failure.server-error': 'SIP-сервер ответил ошибкой.',
    'failure.connection-lost': 'Соединение с SIP-сервером потеряно.',
    'failure.offline': 'Компьютер не в сети.',
    'failure.no-microphone': 'Нет доступа к микрофону. Откройте настройки и разрешите микрофон.',

    'call.dialing': 'Вызов…',
    'call.ringing': 'Идёт вызов…',
    'call.incoming': 'Входящий звонок',
    'call.answering': 'Соединение…',
    'call.established': 'Разговор',
    'call.ending': 'Завершение…',
    'call.ended': 'Звонок завершён',
    'call.reconnecting': 'Восстановление связи…',

    'end.local-hangup': 'Вы завершили звонок',
    'end.remote-hangup': 'Собеседник завершил звонок',
    'end.cancelled': 'Вызов отменён',
    'end.caller-cancelled': 'Пропущенный звонок',
    'end.declined': 'Звонок отклонён',
    'end.rejected': 'Звонок не состоялся',
    'end.failed': 'Ошибка звонка',
    'end.connection-lost': 'Связь потеряна',

    'sip.404': 'Номер не найден',
    'sip.480': 'Абонент сейчас недоступен',
    'sip.486': 'Занято',
    'sip.487': 'Вызов отменён',
    'sip.603': 'Отклонено',
    'sip.408': 'Нет ответа',
    'sip.other': 'Ошибка SIP {code}',
  },
);

export const tPhone = createTranslator(phoneMessages);
