/**
 * Reads what a label says about the digits next to it: "Тел.", "Phone", `type=tel` vouch for a phone
 * number; "ИНН", "Order #", "Дата", "IP" say the digits are something else. Labels come from the
 * page (column headers, `<dt>`, `<label>`, input attributes) or from the text right before a number.
 */

/**
 * - `'phone'`: the label vouches for a phone number;
 * - `'not-phone'`: it names something else (ИНН, Сумма, Date) — digits written like a phone beyond
 *   doubt still count ("Вопросы по заказу: 8 800 555-35-35");
 * - `'identifier'`: a number sign (№, #, No.) stands right before the digits — never a phone.
 */
export type LabelVerdict = 'phone' | 'not-phone' | 'identifier' | undefined;

// Words are matched whole: JavaScript's `\b` only knows ASCII letters, so Cyrillic words are fenced
// with explicit letter look-arounds. A trailing `\p{L}*` takes inflected forms (телефона, сделки).
const WORD = (alternatives: string): string => `(?<!\\p{L})(?:${alternatives})(?!\\p{L})`;

const PHONE_WORDS = [
  // Russian, Ukrainian, Belarusian, Kazakh (Cyrillic).
  'тел', 'телеф\\p{L}*', 'тлф', 'тэл', 'тэлеф\\p{L}*', 'моб', 'мобил\\p{L}*', 'мабіл\\p{L}*', 'сотов\\p{L}*',
  'факс\\p{L}*', 'звон\\p{L}*', 'позвон\\p{L}*', 'ватсап', 'вотсап', 'вайбер',
  // English, German, French.
  'phone\\p{L}*', 'tel', 'telephone', 'tél', 't[ée]l[ée]phone', 'mob', 'mobile', 'cell', 'cellphone', 'fax',
  'call', 'hotline', 'helpline', 'whatsapp', 'viber', 'ph', 'msisdn', 'telefon\\p{L}*', 'handy', 'mobil\\p{L}*',
  'rufnummer', 'portable',
];

const NOT_PHONE_WORDS = [
  // Russian tax and bank requisites, documents, money, time, places, versions.
  'инн', 'огрн\\p{L}*', 'кпп', 'бик', 'окпо', 'октмо', 'оквэд', 'окато', 'снилс', 'р/с', 'р/сч', 'к/с', 'расч\\p{L}*',
  'корр\\p{L}*', 'сч[её]т\\p{L}*', 'лицев\\p{L}*', 'паспорт\\p{L}*', 'серия', 'выдан\\p{L}*', 'заказ\\p{L}*',
  'сделк\\p{L}*', 'заявк\\p{L}*', 'договор\\p{L}*', 'артикул\\p{L}*', 'арт', 'накладн\\p{L}*', 'трек\\p{L}*',
  'штрих\\p{L}*', 'сумм\\p{L}*', 'цена', 'цены', 'цене', 'ценой', 'стоимост\\p{L}*', 'бюджет\\p{L}*', 'итог\\p{L}*',
  'баланс\\p{L}*', 'выручк\\p{L}*', 'доход\\p{L}*', 'дата', 'даты', 'дате', 'датой', 'время', 'времени',
  'создан\\p{L}*', 'изменен\\p{L}*', 'обновлен\\p{L}*', 'индекс\\p{L}*', 'координат\\p{L}*', 'широт\\p{L}*',
  'долгот\\p{L}*', 'верси\\p{L}*', 'сборк\\p{L}*', 'карта', 'карты', 'карте', 'карту', 'картой', 'кол-во',
  'количеств\\p{L}*', 'ид', 'тикет\\p{L}*', 'обращени\\p{L}*', 'лид', 'платеж\\p{L}*', 'платёж\\p{L}*',
  'квитанци\\p{L}*', 'чек',
  // English.
  'order\\p{L}*', 'deal\\p{L}*', 'invoice\\p{L}*', 'contract\\p{L}*', 'account\\p{L}*', 'acct', 'iban', 'swift', 'bic',
  'routing', 'tax', 'vat', 'ssn', 'ein', 'passport', 'id', 'ids', 'uid', 'guid', 'uuid', 'ref', 'reference',
  'amount', 'price\\p{L}*', 'total', 'cost\\p{L}*', 'budget', 'revenue', 'balance', 'sum', 'date\\p{L}*',
  'time', 'timestamp', 'created', 'updated', 'modified', 'zip', 'zipcode', 'postal', 'postcode', 'version',
  'ver', 'build', 'release', 'lat', 'lng', 'lon', 'latitude', 'longitude', 'coordinates', 'coords', 'card',
  'isbn', 'sku', 'ean', 'upc', 'serial', 'tracking', 'ticket', 'case', 'qty', 'quantity', 'ip', 'imei',
  'vin', 'pin', 'lead',
  // German, French.
  'steuer\\p{L}*', 'ust', 'konto\\p{L}*', 'rechnung\\p{L}*', 'bestell\\p{L}*', 'auftrag\\p{L}*', 'kundennummer',
  'plz', 'datum', 'betrag', 'preis', 'blz', 'siret', 'siren', 'tva', 'commande', 'facture', 'montant', 'prix',
];

const PHONE = new RegExp(WORD(PHONE_WORDS.join('|')), 'giu');
const NOT_PHONE = new RegExp(WORD(NOT_PHONE_WORDS.join('|')), 'giu');
// A number sign right before the digits: "№ 1234567", "Order #1234567", "No. 1234567", "Nr. 1234567".
const NUMBER_SIGN = /(?:№|#|(?<![a-z])(?:no|nr|n°)\.?)[ :]*$/i;

// Column headers repeat on every row of a 10,000-row table: remember recent verdicts.
const MEMO_LIMIT = 512;
const memo = new Map<string, LabelVerdict>();

/**
 * The verdict of a label such as a column header, an input's name or a `<dt>`: a phone word and no
 * other-thing word → `'phone'`, the reverse → `'not-phone'`, both or neither → `undefined` ("Дата
 * звонка" is not a phone column, nor does it say its cells are not phones).
 */
export function classifyLabel(label: string): LabelVerdict {
  if (label.length === 0) return undefined;
  const known = memo.get(label);
  if (known !== undefined || memo.has(label)) return known;
  const lower = label.toLowerCase();
  const phone = testWord(PHONE, lower);
  // "Phone No." is a phone column; a bare "№" or "Order #" is not.
  const notPhone = testWord(NOT_PHONE, lower) || (!phone && NUMBER_SIGN.test(lower));
  const verdict: LabelVerdict = phone === notPhone ? undefined : phone ? 'phone' : 'not-phone';
  // Column headers and input names only doubt: a number sign in a header ("Order #") heads the
  // column, it does not stand right before each value.
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(label, verdict);
  return verdict;
}

/**
 * The verdict of the text written right before a number in the same run ("ИНН 7707083893, тел.
 * 8 916 123-45-67"): the word nearest the number wins, and a number sign (№, #, No.) right before it
 * means an identifier.
 */
export function classifyInlineLabel(before: string): LabelVerdict {
  if (before.length === 0) return undefined;
  const lower = before.toLowerCase();
  const phone = lastWord(PHONE, lower);
  const sign = NUMBER_SIGN.exec(lower);
  // A number sign makes an identifier, unless it is the "no." of "Phone no." right after a phone word.
  if (sign) return phone && sign.index - phone.end <= 2 ? 'phone' : 'identifier';
  const notPhone = lastWord(NOT_PHONE, lower);
  if (!phone && !notPhone) return undefined;
  if (!notPhone) return 'phone';
  if (!phone) return 'not-phone';
  return phone.index > notPhone.index ? 'phone' : 'not-phone';
}

function testWord(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}

function lastWord(pattern: RegExp, text: string): { index: number; end: number } | undefined {
  let last: { index: number; end: number } | undefined;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) last = { index: m.index, end: m.index + m[0].length };
  return last;
}
