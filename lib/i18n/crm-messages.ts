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
    'crm.oauthKept': 'Connected through OAuth; a token entered here replaces it.',
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
    'crm.oauthKept': 'Подключено через OAuth; токен, введённый здесь, заменит подключение.',
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
