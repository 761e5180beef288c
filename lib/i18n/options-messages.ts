import { createTranslator, defineMessages } from '@/lib/i18n/i18n';

/**
 * Words of the options page. `settings.error.*` are the keys the settings schema uses as zod messages
 * (`lib/settings/settings-schema.ts`); a unit test checks that every key the schema uses is here.
 */
export const optionsMessages = defineMessages(
  {
    'page.title': 'CRM Softphone settings',
    'page.loading': 'Loading settings…',
    'page.loadFailed': 'The settings could not be loaded: {message}',
    'page.sectionFailed': 'This part of the page failed: {message}. Reload the page to try again.',

    'section.accounts': 'SIP accounts',
    'section.general': 'Dialing',
    'section.clickToCall': 'Click-to-call on web pages',
    'c2c.explain':
      'Phone numbers on the pages you open become one click from a call: hover a number and press Call. The page itself cannot start a call.',
    'c2c.enabled': 'Find phone numbers on web pages',
    'c2c.interceptTelLinks': 'Open tel: and sip: links with this softphone',
    'c2c.disabledSites': 'Sites where click-to-call is off',
    'c2c.noDisabledSites': 'None: click-to-call works on every site.',
    'c2c.siteLabel': 'Site (host name or address)',
    'c2c.disableOnSite': 'Turn off on this site',
    'c2c.enableOnSite': 'Turn click-to-call back on for {site}',
    'c2c.remove': 'Remove',
    'c2c.siteRegions': 'Country for numbers without a country code, per site',
    'c2c.regionLabel': 'Country',
    'c2c.addRegion': 'Set for this site',
    'c2c.removeRegion': 'Remove the country set for {site}',
    'settings.error.site': 'Enter a site such as crm.example.com or its address.',
    'section.microphone': 'Microphone',
    'section.transfer': 'Import and export',

    'account.heading': 'Account {number}',
    'account.none': 'No SIP account yet. Add one with the details your PBX administrator gave you.',
    'account.add': 'Add account',
    'account.remove': 'Remove',
    'account.removeQuestion': 'Remove “{name}”? The account is removed when you save.',
    'account.removeConfirm': 'Remove',
    'account.removeCancel': 'Keep',
    'account.disabled': 'Disabled',

    'field.enabled': 'Use this account',
    'field.wsServer': 'WebSocket server',
    'field.sipUri': 'SIP address',
    'field.authUser': 'Authorization user',
    'field.password': 'Password',
    'field.displayName': 'Display name',
    'field.iceServers': 'STUN/TURN servers',
    'field.defaultCountry': 'Default country for numbers',
    'field.dialFormat': 'Send numbers as',
    'field.declineCode': 'When you decline a call, answer',

    'hint.wsServer': 'ws:// or wss:// address, e.g. wss://pbx.example.org:8089/ws',
    'hint.sipUri': 'user@domain, e.g. 101@pbx.example.org',
    'hint.authUser': 'Optional. Leave empty when it is the user part of the SIP address.',
    'hint.displayName': 'Optional. The name the people you call see.',
    'hint.iceServers':
      'Optional. One per line: stun:host:port, or turn:host:port?transport=udp user password.',
    'hint.defaultCountry': 'Used for numbers written without a country code.',

    'password.show': 'Show password',
    'password.hide': 'Hide password',

    'country.common': 'Common',
    'country.all': 'All countries',
    'dialFormat.e164': 'International with plus (+79161234567)',
    'dialFormat.e164-no-plus': 'International without plus (79161234567)',
    'dialFormat.national': 'National format (89161234567)',
    'declineCode.486': '486 Busy Here (the PBX may offer voicemail)',
    'declineCode.603': '603 Decline',

    'save.button': 'Save',
    'save.saving': 'Saving…',
    'save.saved': 'Saved',
    'save.invalid': 'Not saved: correct the highlighted fields ({count}).',
    'save.failed': 'Not saved: {message}',
    'save.dirty': 'You have unsaved changes.',

    'test.button': 'Test connection',
    'test.running': 'Testing the connection…',
    'test.ok': 'Connected and registered in {ms} ms.',
    'test.failed': 'The test failed.',
    'test.invalid': 'Correct the highlighted fields of this account first.',
    'test.error': 'The test could not run: {message}',

    'policy.lockNote': 'Set by your administrator',
    'policy.accountHeading': 'Account set by your administrator',
    'policy.password': 'Set by your administrator (hidden)',
    'policy.accountsLocked':
      'Your administrator allows only the account they set up. Your own accounts are not used.',
    'policy.errors': 'Your administrator’s policy has values that are not valid and are ignored: {keys}.',

    'mic.explain':
      'Calls need the microphone. The phone runs in a hidden page of the extension that cannot ask for permission itself, so allow it here once.',
    'mic.allow': 'Allow microphone',
    'mic.requesting': 'Waiting for your answer in the browser prompt…',
    'mic.state.unknown': 'Microphone access has not been checked yet.',
    'mic.state.prompt': 'Microphone access is not granted yet.',
    'mic.state.granted': 'Microphone access is granted.',
    'mic.state.denied':
      'Microphone access is blocked. Allow it in the browser’s site settings for this extension, then press the button again.',
    'mic.state.dismissed':
      'The browser prompt was closed without an answer. Press the button again and choose Allow.',
    'mic.state.no-device': 'No microphone was found. Connect one and press the button again.',
    'mic.state.unsupported': 'This browser does not offer microphone access on this page.',

    'export.heading': 'Export',
    'export.button': 'Export settings',
    'export.includePasswords': 'Include passwords',
    'export.passwordWarning': 'The file will contain your SIP passwords in plain text. Keep it safe.',
    'export.unsavedNote': 'Export writes the saved settings; save first to include your changes.',
    'import.heading': 'Import',
    'import.chooseFile': 'Settings file (.json)',
    'import.reading': 'Reading the file…',
    'import.question':
      'Replace all your settings with the ones from {file} ({count} accounts)? Your current settings, including unsaved changes, will be overwritten.',
    'import.confirm': 'Replace my settings',
    'import.cancel': 'Cancel',
    'import.done': 'Settings imported from {file}.',
    'import.failed': 'The file could not be imported: {message}',
    'import.problemsHeading': 'The file was not imported. Nothing was changed:',
    'import.problemAt': '{where}: {problem}',
    'import.where.account': 'Account {number}',
    'import.error.notJson': 'The file is not valid JSON.',
    'import.error.notSettingsFile': 'This is not a CRM Softphone settings file.',
    'import.error.version': 'The file is from a newer version of the extension (format version {version}).',
    'import.error.passwordMissing':
      'The file has no password for this account and none is saved here. Export it again with “Include passwords”.',
    'import.error.duplicateId': 'Two accounts have the same id.',
    'import.error.reservedId': 'The id “policy” is reserved for the account set by an administrator.',

    'settings.error.required': 'This field is required.',
    'settings.error.wsServer': 'Enter a ws:// or wss:// address, e.g. wss://pbx.example.org:8089/ws.',
    'settings.error.sipUri': 'Enter a SIP address like 101@pbx.example.org.',
    'settings.error.tooLong': 'This is too long.',
    'settings.error.iceUrl': 'A server address starts with stun:, stuns:, turn: or turns:.',
    'settings.error.country': 'Choose a country from the list.',
    'settings.error.invalid': 'This value is not valid.',
    'settings.error.iceLines':
      'Line {lines}: write stun:host:port, or turn:host:port user password (TURN needs both).',
  },
  {
    'page.title': 'Настройки CRM Софтфона',
    'page.loading': 'Загрузка настроек…',
    'page.loadFailed': 'Не удалось загрузить настройки: {message}',
    'page.sectionFailed': 'Эта часть страницы не работает: {message}. Перезагрузите страницу.',

    'section.accounts': 'SIP-аккаунты',
    'section.general': 'Набор номера',
    'section.clickToCall': 'Звонок по клику на веб-страницах',
    'c2c.explain':
      'Номера телефонов на открытых страницах становятся звонком в один клик: наведите на номер и нажмите «Позвонить». Сама страница начать звонок не может.',
    'c2c.enabled': 'Находить номера телефонов на веб-страницах',
    'c2c.interceptTelLinks': 'Открывать ссылки tel: и sip: в этом софтфоне',
    'c2c.disabledSites': 'Сайты, где звонок по клику выключен',
    'c2c.noDisabledSites': 'Нет: звонок по клику работает на всех сайтах.',
    'c2c.siteLabel': 'Сайт (имя хоста или адрес)',
    'c2c.disableOnSite': 'Выключить на этом сайте',
    'c2c.enableOnSite': 'Снова включить звонок по клику для {site}',
    'c2c.remove': 'Удалить',
    'c2c.siteRegions': 'Страна для номеров без кода страны, по сайтам',
    'c2c.regionLabel': 'Страна',
    'c2c.addRegion': 'Задать для этого сайта',
    'c2c.removeRegion': 'Удалить страну, заданную для {site}',
    'settings.error.site': 'Укажите сайт, например crm.example.com, или его адрес.',
    'section.microphone': 'Микрофон',
    'section.transfer': 'Импорт и экспорт',

    'account.heading': 'Аккаунт {number}',
    'account.none': 'SIP-аккаунтов пока нет. Добавьте аккаунт с данными от администратора АТС.',
    'account.add': 'Добавить аккаунт',
    'account.remove': 'Удалить',
    'account.removeQuestion': 'Удалить «{name}»? Аккаунт будет удалён при сохранении.',
    'account.removeConfirm': 'Удалить',
    'account.removeCancel': 'Оставить',
    'account.disabled': 'Выключен',

    'field.enabled': 'Использовать этот аккаунт',
    'field.wsServer': 'WebSocket-сервер',
    'field.sipUri': 'SIP-адрес',
    'field.authUser': 'Пользователь для авторизации',
    'field.password': 'Пароль',
    'field.displayName': 'Отображаемое имя',
    'field.iceServers': 'STUN/TURN-серверы',
    'field.defaultCountry': 'Страна по умолчанию для номеров',
    'field.dialFormat': 'Отправлять номера',
    'field.declineCode': 'При отклонении звонка отвечать',

    'hint.wsServer': 'Адрес ws:// или wss://, например wss://pbx.example.org:8089/ws',
    'hint.sipUri': 'пользователь@домен, например 101@pbx.example.org',
    'hint.authUser': 'Необязательно. Оставьте пустым, если совпадает с пользователем из SIP-адреса.',
    'hint.displayName': 'Необязательно. Имя, которое видят те, кому вы звоните.',
    'hint.iceServers':
      'Необязательно. По одному в строке: stun:хост:порт или turn:хост:порт?transport=udp пользователь пароль.',
    'hint.defaultCountry': 'Для номеров, записанных без кода страны.',

    'password.show': 'Показать пароль',
    'password.hide': 'Скрыть пароль',

    'country.common': 'Часто используемые',
    'country.all': 'Все страны',
    'dialFormat.e164': 'В международном формате с плюсом (+79161234567)',
    'dialFormat.e164-no-plus': 'В международном формате без плюса (79161234567)',
    'dialFormat.national': 'В национальном формате (89161234567)',
    'declineCode.486': '486 Busy Here (АТС может предложить голосовую почту)',
    'declineCode.603': '603 Decline',

    'save.button': 'Сохранить',
    'save.saving': 'Сохранение…',
    'save.saved': 'Сохранено',
    'save.invalid': 'Не сохранено: исправьте выделенные поля ({count}).',
    'save.failed': 'Не сохранено: {message}',
    'save.dirty': 'Есть несохранённые изменения.',

    'test.button': 'Проверить подключение',
    'test.running': 'Проверка подключения…',
    'test.ok': 'Подключено и зарегистрировано за {ms} мс.',
    'test.failed': 'Проверка не прошла.',
    'test.invalid': 'Сначала исправьте выделенные поля этого аккаунта.',
    'test.error': 'Не удалось выполнить проверку: {message}',

    'policy.lockNote': 'Задано администратором',
    'policy.accountHeading': 'Аккаунт от администратора',
    'policy.password': 'Задан администратором (скрыт)',
    'policy.accountsLocked':
      'Администратор разрешил только настроенный им аккаунт. Ваши собственные аккаунты не используются.',
    'policy.errors': 'В политике администратора есть недопустимые значения, они не применяются: {keys}.',

    'mic.explain':
      'Для звонков нужен микрофон. Телефон работает на скрытой странице расширения, которая не может сама запросить разрешение, поэтому разрешите доступ здесь один раз.',
    'mic.allow': 'Разрешить микрофон',
    'mic.requesting': 'Ответьте на запрос браузера…',
    'mic.state.unknown': 'Доступ к микрофону ещё не проверен.',
    'mic.state.prompt': 'Доступ к микрофону ещё не разрешён.',
    'mic.state.granted': 'Доступ к микрофону разрешён.',
    'mic.state.denied':
      'Доступ к микрофону запрещён. Разрешите его в настройках сайта для этого расширения и нажмите кнопку снова.',
    'mic.state.dismissed':
      'Запрос браузера закрыт без ответа. Нажмите кнопку снова и выберите «Разрешить».',
    'mic.state.no-device': 'Микрофон не найден. Подключите его и нажмите кнопку снова.',
    'mic.state.unsupported': 'Браузер не даёт доступа к микрофону на этой странице.',

    'export.heading': 'Экспорт',
    'export.button': 'Экспортировать настройки',
    'export.includePasswords': 'Включить пароли',
    'export.passwordWarning': 'В файле будут SIP-пароли в открытом виде. Храните его надёжно.',
    'export.unsavedNote':
      'Экспортируются сохранённые настройки; сохраните, чтобы включить ваши изменения.',
    'import.heading': 'Импорт',
    'import.chooseFile': 'Файл настроек (.json)',
    'import.reading': 'Чтение файла…',
    'import.question':
      'Заменить все настройки настройками из {file} (аккаунтов: {count})? Текущие настройки, включая несохранённые изменения, будут перезаписаны.',
    'import.confirm': 'Заменить настройки',
    'import.cancel': 'Отмена',
    'import.done': 'Настройки импортированы из {file}.',
    'import.failed': 'Не удалось импортировать файл: {message}',
    'import.problemsHeading': 'Файл не импортирован. Ничего не изменено:',
    'import.problemAt': '{where}: {problem}',
    'import.where.account': 'Аккаунт {number}',
    'import.error.notJson': 'Файл не является корректным JSON.',
    'import.error.notSettingsFile': 'Это не файл настроек CRM Софтфона.',
    'import.error.version': 'Файл создан более новой версией расширения (версия формата {version}).',
    'import.error.passwordMissing':
      'В файле нет пароля для этого аккаунта, и здесь он не сохранён. Экспортируйте файл заново с «Включить пароли».',
    'import.error.duplicateId': 'У двух аккаунтов одинаковый идентификатор.',
    'import.error.reservedId': 'Идентификатор «policy» зарезервирован для аккаунта от администратора.',

    'settings.error.required': 'Обязательное поле.',
    'settings.error.wsServer': 'Введите адрес ws:// или wss://, например wss://pbx.example.org:8089/ws.',
    'settings.error.sipUri': 'Введите SIP-адрес вида 101@pbx.example.org.',
    'settings.error.tooLong': 'Слишком длинное значение.',
    'settings.error.iceUrl': 'Адрес сервера начинается с stun:, stuns:, turn: или turns:.',
    'settings.error.country': 'Выберите страну из списка.',
    'settings.error.invalid': 'Недопустимое значение.',
    'settings.error.iceLines':
      'Строка {lines}: напишите stun:хост:порт или turn:хост:порт пользователь пароль (для TURN нужны оба).',
  },
);

export type OptionsMessageKey = keyof (typeof optionsMessages)['en'];

/** Whether `key` (e.g. a zod message) is a message of this catalogue. */
export function isOptionsMessageKey(key: string): key is OptionsMessageKey {
  return Object.hasOwn(optionsMessages.en, key);
}

export const tOptions = createTranslator(optionsMessages);
