/**
 * Russian Post operation types (OperType / OperTypeID) and their attributes (OperAttr / OperCtgID),
 * after the service's dictionary «Коды операций» (tracking.pochta.ru/support/dictionaries/
 * operation_codes). Russian names as the dictionary gives them; English names where the service's
 * ENG answers are known (fixtures/real/pochta, 2015: 2.1, 8.0, 8.2, 8.4, 8.5, 8.6, 8.13, 9, 10, 11, 14, 14.1).
 * The names the answer carries win over these; the tables fill names a batch answer omits
 * (it sends codes and one OperName only) and decide the item's state.
 */

/** A dictionary entry: Russian and (where known) English name. */
export interface CodeName {
  ru: string;
  en: string | null;
}

const n = (ru: string, en: string | null = null): CodeName => ({ ru, en });

/** Operation types by OperTypeID. */
export const OPERATION_TYPES: Readonly<Record<number, CodeName>> = Object.freeze({
  1: n('Прием', 'Acceptance'),
  2: n('Вручение', 'Delivery'),
  3: n('Возврат', 'Return'),
  4: n('Досылка почты', 'Forwarding'),
  5: n('Невручение', 'Non-delivery'),
  6: n('Хранение', 'Storage'),
  7: n('Временное хранение', 'Temporary storage'),
  8: n('Обработка', 'Processing'),
  9: n('Импорт международной почты', 'Import of international mail'),
  10: n('Экспорт международной почты', 'Export of international mail'),
  11: n('Передано на таможню', 'Handed over to customs'),
  12: n('Неудачная попытка вручения', 'Unsuccessful delivery attempt'),
  13: n('Регистрация отправки', 'Dispatch registration'),
  14: n('Таможенное оформление', 'Customs clearance'),
  15: n('Передача на временное хранение', 'Handed over for temporary storage'),
  16: n('Уничтожение', 'Destruction'),
  17: n('Оформление в собственность', 'Transfer into ownership'),
  18: n('Регистрация утраты', 'Registration of loss'),
  19: n('Таможенные платежи поступили', 'Customs duties received'),
  20: n('Регистрация', 'Registration'),
  21: n('Доставка', 'Delivery by courier'),
  22: n('Недоставка', 'Non-delivery by courier'),
  23: n('Поступление на временное хранение', 'Arrival for temporary storage'),
  24: n('Продление срока хранения', 'Storage period extended'),
  25: n('Вскрытие', 'Opening'),
  26: n('Отмена', 'Cancellation'),
  27: n('Получена электронная регистрация', 'Electronic registration received'),
  28: n('Присвоение идентификатора', 'Identifier assigned'),
  29: n('Регистрация прохождения в ММПО'),
  30: n('Отправка SRM'),
  31: n('Обработка перевозчиком'),
  32: n('Поступление АПО'),
  33: n('Международная обработка'),
  34: n('Электронное уведомление загружено'),
  35: n('Отказ в курьерской доставке'),
  36: n('Уточнение адреса'),
  37: n('Предварительное оформление'),
  38: n('Задержка для уточнений у отправителя'),
  39: n('Таможенный контроль'),
  40: n('Таможенное декларирование'),
});

/** Attributes by OperTypeID, then OperAttr id. */
export const OPERATION_ATTRS: Readonly<Record<number, Readonly<Record<number, CodeName>>>> = Object.freeze({
  1: { 1: n('Единичный', 'Single'), 2: n('Партионный', 'Bulk'), 3: n('Партионный электронно', 'Bulk electronic') },
  2: {
    1: n('Вручение адресату', 'Delivery to the addressee'),
    2: n('Вручение отправителю', 'Delivery to the sender'),
    3: n('Выдано адресату через почтомат'),
    4: n('Выдано отправителю через почтомат'),
    5: n('Адресату электронно'),
    6: n('Адресату почтальоном'),
    7: n('Отправителю почтальоном'),
    8: n('Адресату курьером'),
    9: n('Отправителю курьером'),
    10: n('Адресату с контролем ответа'),
    11: n('Адресату с контролем ответа почтальоном'),
    12: n('Адресату с контролем ответа курьером'),
  },
  3: {
    1: n('Истек срок хранения', 'Expired storage period'),
    2: n('Заявление отправителя', "Sender's request"),
    3: n('Отсутствие адресата по указанному адресу', 'Addressee absent at the address'),
    4: n('Отказ адресата', 'Refused by the addressee'),
    5: n('Смерть адресата', 'Death of the addressee'),
    6: n('Невозможно прочесть адрес адресата', 'Address unreadable'),
    7: n('Отказ в выпуске таможней'),
    8: n('Адресат, абонирующий абонементный почтовый шкаф, не указан или указан неправильно'),
    9: n('Иные обстоятельства', 'Other circumstances'),
    10: n('Неверный адрес', 'Wrong address'),
    11: n('Несоответствие комплектности'),
    12: n('Запрещено САБ'),
    13: n('Для проведения таможенных операций'),
    14: n('Распоряжение ЭТП'),
    15: n('Частичный выкуп'),
  },
  4: { 1: n('По заявлению пользователя'), 2: n('Выбытие адресата по новому адресу'), 3: n('Засылка') },
  5: { 1: n('Утрачено', 'Lost'), 2: n('Изъято', 'Seized'), 3: n('Засылка', 'Missent') },
  6: {
    1: n('До востребования'),
    2: n('На абонементный ящик'),
    3: n('Установленный срок хранения'),
    4: n('Продление срока хранения по заявлению адресата'),
    5: n('Продление срока хранения по заявлению отправителя'),
  },
  8: {
    0: n('Сортировка', 'Sorting'),
    1: n('Покинуло место приема', 'Departure from the place of acceptance'),
    2: n('Прибыло в место вручения', 'Arrival at delivery office'),
    3: n('Прибыло в сортировочный центр', 'Arrival at sorting center'),
    4: n('Покинуло сортировочный центр', 'Departure from inward office of exchange'),
    5: n('Прибыло в место международного обмена', 'Arrival at transit office of exchange'),
    6: n('Покинуло место международного обмена', 'Departure from transit office of exchange'),
    7: n('Прибыло в место транзита'),
    8: n('Покинуло место транзита'),
    9: n('Прибыло в почтомат'),
    10: n('Истекает срок хранения в почтомате'),
    11: n('Переадресовано в почтомат'),
    12: n('Изъято из почтомата'),
    13: n('Прибыло на территорию РФ', 'Arrived at the territory of Russian Federation'),
    14: n('Прибыло в Центр выдачи посылок'),
    15: n('Передано курьеру'),
    16: n('Доставлено для вручения электронно'),
    17: n('Направлено извещение'),
    18: n('Доставлено извещение'),
  },
  14: { 1: n('Выпущено таможней', 'Released by custom house'), 2: n('Возвращено таможней'), 3: n('Осмотрено таможней'), 4: n('Отказ в выпуске') },
  12: {
    1: n('Временное отсутствие адресата', 'Addressee temporarily absent'),
    2: n('Доставка отложена по просьбе адресата'),
    3: n('Неполный адрес'),
    4: n('Неправильный адрес'),
    5: n('Адресат выбыл'),
    6: n('Адресат отказался от отправления'),
    7: n('Обстоятельства непреодолимой силы'),
    8: n('Иная'),
    9: n('Адресат заберет отправление сам'),
    10: n('Нет адресата'),
    11: n('По техническим причинам'),
    12: n('Истек срок хранения в почтомате'),
    13: n('По требованию отправителя'),
    14: n('Отправление повреждено и/или без вложения'),
  },
});

/** Attributes of type 2 (Вручение) that hand the item back to its sender: the return is complete. */
export const DELIVERY_TO_SENDER_ATTRS: ReadonlySet<number> = new Set([2, 4, 7, 9]);

/** The dictionary name of a type (Russian unless `lang` is ENG and an English one is known). */
export function operationTypeName(type: number, lang: 'RUS' | 'ENG' = 'RUS'): string | null {
  const e = OPERATION_TYPES[type];
  return e ? (lang === 'ENG' ? (e.en ?? e.ru) : e.ru) : null;
}

/** The dictionary name of an attribute of `type`, or null when the dictionary has none. */
export function operationAttrName(type: number, attr: number, lang: 'RUS' | 'ENG' = 'RUS'): string | null {
  const e = OPERATION_ATTRS[type]?.[attr];
  return e ? (lang === 'ENG' ? (e.en ?? e.ru) : e.ru) : null;
}
