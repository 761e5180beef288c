import { createTranslator, defineMessages } from '@/lib/i18n/i18n';

/** Words of the CRM connection (the options page's CRM section). */
export const crmMessages = defineMessages(
  {
    'crm.section': 'CRM',
    'crm.explain':
      'Connect amoCRM (Kommo) to see who is calling, their deals and history, and to log calls. Only the extension’s background talks to the CRM; web pages never see the token.',
    'crm.kind': 'CRM',
    'crm.kind.none': 'None',
    'crm.kind.amocrm': 'amoCRM / Kommo',
    'crm.host': 'Account address',
    'crm.host.hint': 'Your account’s address, e.g. company.amocrm.ru, company.amocrm.com or company.kommo.com.',
    'crm.token': 'Long-lived token',
    'crm.token.hint':
      'In amoCRM: Settings → Integrations → create a private integration → Keys and scopes → long-lived token.',
    'crm.oauthKept': 'Connected through OAuth: the access renews by itself. Sign in again for another account or integration.',
    'crm.method': 'How to connect',
    'crm.method.token': 'Long-lived token (private integration)',
    'crm.method.oauth': 'OAuth integration (sign in)',
    'crm.oauth.explain':
      'In amoCRM (Kommo): Settings → Integrations → Create integration. Allow access to the account’s data, set its Redirect URI to the address below, save, then copy the integration’s ID and secret key here and sign in.',
    'crm.redirectUri': 'Redirect URI',
    'crm.redirectUri.hint':
      'Register exactly this address in the integration. The browser finishes the sign-in there; nothing is loaded from it.',
    'crm.oauth.unsupported': 'This browser cannot open a sign-in window for extensions. Use a long-lived token.',
    'crm.clientId': 'Integration ID',
    'crm.clientId.hint': 'The integration’s ID (client_id), on its Keys and scopes tab.',
    'crm.clientSecret': 'Secret key',
    'crm.clientSecret.hint':
      'The integration’s secret key (client_secret). It stays in the extension and is sent only to your account’s address.',
    'crm.signIn.amocrm': 'Sign in with amoCRM',
    'crm.signIn.kommo': 'Sign in with Kommo',
    'crm.signIn.running': 'Finish signing in in the window that opened…',
    'crm.signIn.ok': 'Signed in; the connection is saved.',
    'crm.signIn.error': 'Signing in could not be completed: {message}',
    'crm.error.signIn': 'Sign in to connect this account (again after changing the ID or the secret key).',
    'crm.error.clientId': 'Paste the integration’s ID.',
    'crm.error.clientSecret': 'Paste the integration’s secret key.',
    'crm.signInFailure.unavailable': 'This browser cannot open a sign-in window for extensions.',
    'crm.signInFailure.permission': 'The browser did not allow the extension to reach this address.',
    'crm.signInFailure.cancelled':
      'The sign-in window was closed before amoCRM answered. If it showed an error, check that the integration’s Redirect URI is exactly the address above.',
    'crm.signInFailure.access-denied': 'Access was refused on amoCRM’s page. Sign in again and allow access.',
    'crm.signInFailure.refused': 'amoCRM did not grant access.',
    'crm.signInFailure.state-mismatch':
      'The answer from the sign-in window does not belong to this sign-in, so it was not used. Sign in again.',
    'crm.signInFailure.no-code': 'amoCRM answered without an authorization code. Sign in again.',
    'crm.signInFailure.wrong-host': 'amoCRM named an account that is not on amocrm.ru, amocrm.com or kommo.com, so it was not used.',
    'crm.signInFailure.wrong-account':
      'You chose another account in the sign-in window than the address entered here. Enter that address, or choose this account.',
    'crm.signInFailure.client-rejected': 'amoCRM did not accept the integration ID or secret key. Copy both again from the integration.',
    'crm.signInFailure.code-rejected':
      'amoCRM did not accept the sign-in (the code expired or the Redirect URI differs). Check the secret key and the Redirect URI, and sign in again.',
    'crm.signInFailure.rate-limited': 'amoCRM asks to slow down (too many requests). Sign in again in a few seconds.',
    'crm.signInFailure.server': 'amoCRM is having trouble right now. Sign in again later.',
    'crm.signInFailure.network': 'amoCRM could not be reached. Check the address and your connection.',
    'crm.permission':
      'Saving or testing asks the browser to let the extension reach your account’s address, once.',
    'crm.save': 'Save CRM connection',
    'crm.saved': 'Saved.',
    'crm.saveFailed': 'The CRM connection could not be saved: {message}',
    'crm.test': 'Test connection',
    'crm.test.running': 'Asking the CRM…',
    'crm.test.ok': 'Connected to “{account}” as {user}.',
    'crm.test.error': 'The test could not be run: {message}',
    'crm.error.host': 'Enter an address on amocrm.ru, amocrm.com or kommo.com, e.g. company.amocrm.ru.',
    'crm.error.token': 'Paste the long-lived token of your integration.',
    'crm.failure.permission': 'The browser did not allow the extension to reach this address.',
    'crm.failure.auth': 'amoCRM did not accept the token: it is wrong, revoked or expired.',
    'crm.failure.forbidden': 'amoCRM refused access: the user lacks rights, or the address is blocked.',
    'crm.failure.rate-limited': 'amoCRM asks to slow down (too many requests). Try again in a few seconds.',
    'crm.failure.server': 'amoCRM is having trouble right now. Try again later.',
    'crm.failure.validation': 'amoCRM refused the request.',
    'crm.failure.not-found': 'No amoCRM account answers at this address.',
    'crm.failure.network': 'amoCRM could not be reached. Check the address and your connection.',
  },
  {
    'crm.section': 'CRM',
    'crm.explain':
      'Подключите amoCRM (Kommo), чтобы видеть, кто звонит, его сделки и историю, и записывать звонки. С CRM общается только фоновая часть расширения; веб-страницы токен не видят.',
    'crm.kind': 'CRM',
    'crm.kind.none': 'Нет',
    'crm.kind.amocrm': 'amoCRM / Kommo',
    'crm.host': 'Адрес аккаунта',
    'crm.host.hint': 'Адрес вашего аккаунта, например company.amocrm.ru, company.amocrm.com или company.kommo.com.',
    'crm.token': 'Долгосрочный токен',
    'crm.token.hint':
      'В amoCRM: Настройки → Интеграции → создать внешнюю интеграцию → Ключи и доступы → долгосрочный токен.',
    'crm.oauthKept': 'Подключено через OAuth: доступ продлевается сам. Войдите снова, чтобы подключить другой аккаунт или интеграцию.',
    'crm.method': 'Способ подключения',
    'crm.method.token': 'Долгосрочный токен (внешняя интеграция)',
    'crm.method.oauth': 'Интеграция OAuth (вход через amoCRM)',
    'crm.oauth.explain':
      'В amoCRM (Kommo): Настройки → Интеграции → Создать интеграцию. Разрешите доступ к данным аккаунта, укажите в качестве Redirect URI адрес ниже, сохраните, затем скопируйте сюда ID интеграции и секретный ключ и войдите.',
    'crm.redirectUri': 'Redirect URI',
    'crm.redirectUri.hint':
      'Укажите в интеграции именно этот адрес. На нём браузер завершает вход; с него ничего не загружается.',
    'crm.oauth.unsupported': 'Этот браузер не умеет открывать окно входа для расширений. Используйте долгосрочный токен.',
    'crm.clientId': 'ID интеграции',
    'crm.clientId.hint': 'ID интеграции (client_id), на вкладке «Ключи и доступы».',
    'crm.clientSecret': 'Секретный ключ',
    'crm.clientSecret.hint':
      'Секретный ключ интеграции (client_secret). Он хранится в расширении и отправляется только на адрес вашего аккаунта.',
    'crm.signIn.amocrm': 'Войти через amoCRM',
    'crm.signIn.kommo': 'Войти через Kommo',
    'crm.signIn.running': 'Завершите вход в открывшемся окне…',
    'crm.signIn.ok': 'Вход выполнен, подключение сохранено.',
    'crm.signIn.error': 'Не удалось завершить вход: {message}',
    'crm.error.signIn': 'Войдите, чтобы подключить этот аккаунт (и снова — после смены ID или секретного ключа).',
    'crm.error.clientId': 'Вставьте ID интеграции.',
    'crm.error.clientSecret': 'Вставьте секретный ключ интеграции.',
    'crm.signInFailure.unavailable': 'Этот браузер не умеет открывать окно входа для расширений.',
    'crm.signInFailure.permission': 'Браузер не разрешил расширению обращаться к этому адресу.',
    'crm.signInFailure.cancelled':
      'Окно входа закрыто до ответа amoCRM. Если в нём была ошибка, проверьте, что Redirect URI интеграции в точности совпадает с адресом выше.',
    'crm.signInFailure.access-denied': 'На странице amoCRM в доступе отказано. Войдите снова и разрешите доступ.',
    'crm.signInFailure.refused': 'amoCRM не предоставил доступ.',
    'crm.signInFailure.state-mismatch':
      'Ответ из окна входа не относится к этому входу, поэтому он не использован. Войдите снова.',
    'crm.signInFailure.no-code': 'amoCRM ответил без кода авторизации. Войдите снова.',
    'crm.signInFailure.wrong-host': 'amoCRM указал аккаунт не на amocrm.ru, amocrm.com или kommo.com, поэтому ответ не использован.',
    'crm.signInFailure.wrong-account':
      'В окне входа выбран другой аккаунт, чем адрес, указанный здесь. Укажите тот адрес или выберите этот аккаунт.',
    'crm.signInFailure.client-rejected': 'amoCRM не принял ID интеграции или секретный ключ. Скопируйте оба из интеграции ещё раз.',
    'crm.signInFailure.code-rejected':
      'amoCRM не принял вход (код истёк или Redirect URI отличается). Проверьте секретный ключ и Redirect URI и войдите снова.',
    'crm.signInFailure.rate-limited': 'amoCRM просит снизить частоту запросов. Войдите снова через несколько секунд.',
    'crm.signInFailure.server': 'У amoCRM сейчас неполадки. Войдите позже.',
    'crm.signInFailure.network': 'Не удалось связаться с amoCRM. Проверьте адрес и подключение к сети.',
    'crm.permission':
      'При сохранении или проверке браузер один раз спросит разрешение обращаться к адресу вашего аккаунта.',
    'crm.save': 'Сохранить подключение к CRM',
    'crm.saved': 'Сохранено.',
    'crm.saveFailed': 'Не удалось сохранить подключение к CRM: {message}',
    'crm.test': 'Проверить подключение',
    'crm.test.running': 'Обращаемся к CRM…',
    'crm.test.ok': 'Подключено к «{account}» как {user}.',
    'crm.test.error': 'Проверку не удалось выполнить: {message}',
    'crm.error.host': 'Укажите адрес на amocrm.ru, amocrm.com или kommo.com, например company.amocrm.ru.',
    'crm.error.token': 'Вставьте долгосрочный токен вашей интеграции.',
    'crm.failure.permission': 'Браузер не разрешил расширению обращаться к этому адресу.',
    'crm.failure.auth': 'amoCRM не принял токен: он неверный, отозван или истёк.',
    'crm.failure.forbidden': 'amoCRM отказал в доступе: у пользователя нет прав или адрес заблокирован.',
    'crm.failure.rate-limited': 'amoCRM просит снизить частоту запросов. Повторите через несколько секунд.',
    'crm.failure.server': 'У amoCRM сейчас неполадки. Повторите позже.',
    'crm.failure.validation': 'amoCRM отклонил запрос.',
    'crm.failure.not-found': 'По этому адресу нет аккаунта amoCRM.',
    'crm.failure.network': 'Не удалось связаться с amoCRM. Проверьте адрес и подключение к сети.',
  },
);

export type CrmMessageKey = keyof (typeof crmMessages)['en'];

export const tCrm = createTranslator(crmMessages);
