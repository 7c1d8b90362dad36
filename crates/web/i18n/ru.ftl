## Doroga — русский каталог. Ключи совпадают с kk.ftl (это проверяет тест).

app-name = Дорога в школу
skip-to-content = К содержанию
nav-label = Главное меню
nav-orgs = Организации
nav-children = Дети
nav-passport = Социальный паспорт
nav-users = Пользователи
nav-audit = Журнал аудита
nav-tokens = API-токены
nav-password = Сменить пароль
logout = Выйти
lang-ru = Русский
lang-kk = Қазақша
footer = Республиканская акция «Дорога в школу» — информационная система
back-home = На главную
error-title = Ошибка
saved = Изменения сохранены.
status = Статус
status-active = Действует
status-inactive = Закрыто
edit = Изменить
org-add-child = Добавить
import-link = Импорт из Excel
breadcrumbs = Путь
search = Поиск
sort-by = Сортировка
name = Название
show-inactive = Показывать закрытые
apply = Применить
nothing-found = Ничего не найдено.
units-count = { $count ->
    [one] { $count } подразделение
    [few] { $count } подразделения
    [many] { $count } подразделений
   *[other] { $count } подразделения
}
actions = Действия
deactivate = Закрыть
activate = Восстановить
save = Сохранить

login-title = Вход в систему
login-submit = Войти
login-invalid = Неверный логин или пароль.
login-locked = Слишком много неудачных попыток входа. Учётная запись заблокирована до { $until }.
password-title = Смена пароля
password-forced = Вы вошли с одноразовым паролем. Придумайте свой пароль, чтобы продолжить.
password-rule = Пароль — не короче { $count ->
    [one] { $count } символа
   *[other] { $count } символов
} и не содержит логин.
sponsor-welcome = Добро пожаловать! Кабинет спонсора с обезличенными потребностями детей скоро откроется.

kind-republic = Республика
kind-region = Область
kind-district = Район
kind-school = Школа
kinds-region = Области и города
kinds-district = Районы
kinds-school = Школы
org-new-region = Новая область — { $parent }
org-new-district = Новый район — { $parent }
org-new-school = Новая школа — { $parent }
org-edit-title = Изменение: { $name }
locality-urban-label = Город
locality-rural-label = Село
language-kk-label = Казахский
language-ru-label = Русский
language-mixed-label = Смешанный (казахский и русский)
locality-urban = город|городская|urban|қала
locality-rural = село|сельская|rural|ауыл
language-kk = казахский|каз|kk|қазақ|қазақша|қазақ тілі
language-ru = русский|рус|ru|орыс|орысша|орыс тілі
language-mixed = смешанный|mixed|аралас

import-title = Импорт районов и школ: { $name }
import-help = Загрузите файл Excel (.xlsx) или CSV. Первая строка — заголовки столбцов (на русском или казахском). Файл загружается целиком или не загружается вовсе; школы с уже известным номером обновляются. Столбцы:
import-template = Скачать шаблон (.xlsx)
import-submit = Загрузить
import-districts-created = Создано районов: { $count }.
import-schools-created = Создано школ: { $count }.
import-schools-updated = Обновлено школ: { $count }.
import-rejected = Файл не загружен: { $count ->
    [one] найдена { $count } ошибка
    [few] найдены { $count } ошибки
    [many] найдено { $count } ошибок
   *[other] найдено { $count } ошибки
}. Исправьте их и загрузите файл снова.
row = Строка
column = Столбец
problem = Ошибка
import-col-district-ru = Район (рус)
import-col-district-kk = Район (каз)
import-col-code = Номер школы
import-col-name-ru = Название школы (рус)
import-col-name-kk = Название школы (каз)
import-col-settlement = Населённый пункт
import-col-locality = Город или село
import-col-language = Язык обучения

field-login = Логин
field-password = Пароль
field-current = Текущий пароль
field-new-password = Новый пароль
field-confirm = Новый пароль ещё раз
field-code = Номер
field-name-ru = Название на русском
field-name-kk = Название на казахском
field-settlement = Населённый пункт
field-locality = Город или село
field-language = Язык обучения
field-file = Файл
field-role = Роль
field-full-name = Фамилия, имя, отчество
field-unit-id = Организация
field-entity-id = Номер записи
field-from = С даты
field-to = По дату
field-name = Название
field-district-ru = Район (рус)
field-district-kk = Район (каз)
field-parent = Вышестоящая организация
field-parent-id = Вышестоящая организация
field-active = Статус
field-target = Организация
field-body = Тело запроса
field-kind = Тип

err-at-row = Строка { $row }: { $message }
err-required = Заполните поле «{ $field }».
err-too-long = Поле «{ $field }»: не более { $limit ->
    [one] { $limit } символа
   *[other] { $limit } символов
}.
err-control-chars = Поле «{ $field }» содержит недопустимые символы.
err-invalid-choice = Поле «{ $field }»: выберите значение из списка.
err-login-format = Логин: от 3 до 64 латинских букв, цифр, точек, дефисов или подчёркиваний.
err-password-too-short = Поле «{ $field }»: пароль должен быть не короче { $limit ->
    [one] { $limit } символа
   *[other] { $limit } символов
}.
err-password-contains-login = Пароль не должен содержать логин.
err-password-unchanged = Новый пароль должен отличаться от текущего.
err-password-mismatch = Пароли не совпадают.
err-wrong-password = Текущий пароль указан неверно.
err-duplicate = Поле «{ $field }»: такое значение уже есть.
err-duplicate-in-file = Поле «{ $field }»: это значение уже встречается выше в файле.
err-no-children-here = Здесь нельзя создавать подразделения.
err-inactive = Организация закрыта.
err-fixed-code = Код области изменить нельзя.
err-has-active-children = Сначала закройте все подразделения этой организации.
err-import-target = Импорт возможен только в действующую область или район.
err-cannot-grant = Вы не можете назначить эту роль.
err-role-unit-mismatch = Эта роль не подходит для выбранной организации.
err-cannot-disable-self = Нельзя заблокировать собственную учётную запись.
err-missing-column = В файле нет столбца «{ $field }».
err-file-empty = Файл пустой.
err-old-excel = Это файл старого формата Excel (.xls). Сохраните его как .xlsx и загрузите снова.
err-not-spreadsheet = Файл не похож на таблицу Excel (.xlsx) или CSV.
err-file-too-large = Файл слишком большой.
err-no-sheet = В книге Excel нет ни одного листа.
err-encoding = Файл CSV должен быть в кодировке UTF-8.
err-too-many-rows = В файле больше { $limit } строк.
err-invalid-date = Поле «{ $field }»: укажите дату в виде ДД.ММ.ГГГГ.
err-period-reversed = Конец периода раньше его начала.
err-not-a-number = Поле «{ $field }»: нужно число.
err-malformed-json = Тело запроса — не правильный JSON нужного вида.

error-not-found = Запись не найдена.
error-not-in-scope = Эта запись вне вашей зоны доступа. Попытка записана в журнал.
error-forbidden = Недостаточно прав.
error-unauthorized = Нужно войти в систему.
error-password-change-required = Сначала смените одноразовый пароль.
error-validation = Проверьте введённые данные.
error-internal = Внутренняя ошибка. Попробуйте позже.
error-payload-too-large = Запрос слишком большой: файл превышает допустимый размер.

role-republic-coordinator = Республиканский координатор
role-region-coordinator = Областной координатор
role-district-coordinator = Районный координатор
role-school-coordinator = Школьный координатор
role-raid-member = Участник рейдов
role-auditor = Аудитор
role-sponsor = Спонсор

users-title = Пользователи
user-new-title = Новый пользователь
users-count = { $count ->
    [one] { $count } пользователь
    [few] { $count } пользователя
    [many] { $count } пользователей
   *[other] { $count } пользователя
}
user-disabled = Заблокирован
user-locked = Временно заблокирован
user-created-title = Пользователь создан
user-created-note = Учётная запись «{ $login }» создана.
one-time-password = Одноразовый пароль (показывается один раз):
one-time-password-note = Передайте его пользователю лично. При первом входе пароль нужно будет сменить.
user-open = Открыть карточку
user-reset = Выдать новый пароль
user-disable = Заблокировать
user-enable = Разблокировать
audit-of-record = История изменений

audit-title = Журнал аудита
audit-actor = Пользователь
audit-action = Действие
audit-entity = Объект
audit-at = Время
audit-change = Изменение
audit-before = было
audit-after = стало
older = Более ранние записи

tokens-title = API-токены
token-created = Токен создан. Скопируйте его сейчас — он больше не будет показан:
tokens-help = Токен даёт программам доступ к API от вашего имени: заголовок «Authorization: Bearer …». Отзовите токен, если он больше не нужен.
token-create = Создать токен
token-created-at = Создан
token-last-used = Последнее использование
token-revoked = Отозван
token-revoke = Отозвать

## Реестр детей / Балалар тізілімі
children-title = Дети, нуждающиеся в помощи
campaign-label = Акция { $year } года
child-new-title = Добавить ребёнка
child-edit-title = Изменение: { $name }
export-xlsx = Выгрузить в Excel
transfers-title = Запросы на передачу
transfer-requested = Запрос на передачу отправлен школе, где ребёнок сейчас в списке.
children-search = ИИН или фамилия
need = Потребность
need-size = Размер
need-quantity = Кол-во
need-cost = Стоимость, ₸
sort-surname = По фамилии
sort-grade = По классу
sort-status = По статусу
sort-school = По школе
sort-newest = Сначала новые
children-count = { $count ->
    [one] { $count } ребёнок
    [few] { $count } ребёнка
    [many] { $count } детей
   *[other] { $count } ребёнка
}
child-name = Фамилия, имя, отчество
pages = Страницы
previous = Назад
next = Дальше
page-of = Страница { $page }
total = Итого
category-asp = Получатели АСП
category-low-income = Малообеспеченные (доход ниже прожиточного минимума)
category-large-family = Многодетная семья
category-orphan = Ребёнок-сирота
category-no-parental-care = Оставшийся без попечения родителей
category-emergency = Семья, пострадавшая от ЧС
category-special-needs = Особые образовательные потребности, инвалидность
category-other = Другое (решение коллегиального органа)
status-identified = Выявлен
status-verified = Проверен
status-aid-planned = Помощь запланирована
status-aid-delivered = Помощь оказана
status-attending = Посещает школу
status-not-attending = Не посещает школу
status-closed = Закрыт
need-uniform = Школьная форма
need-shoes = Обувь
need-sports-suit = Спортивный костюм
need-backpack = Рюкзак с принадлежностями
need-stationery = Канцелярские товары
need-textbooks = Учебники
need-outerwear = Верхняя одежда
need-hot-meals = Горячее питание
need-travel = Проезд
need-other = Другое
sex-male = Мальчик
sex-female = Девочка
study-language-kk = Казахский
study-language-ru = Русский
study-language-other = Другой
consent-by-parent = Родитель
consent-by-legal-representative = Законный представитель
consent-method-written = Письменно
consent-method-electronic = Электронно
source-school-list = Список школы
source-survey = Анкета «Готов ли Ваш ребенок к школе?»
source-raid = Рейд
source-hotline = Телефон доверия, горячая линия
source-request = Заявка на помощь
source-transfer = Передача из другой школы
child-registered-at = Этот ребёнок уже в списке: { $school }.
child-registered-elsewhere = Этот ребёнок уже в списке другой школы. Вы можете попросить передать его запись вашей школе.
child-open = Открыть карточку
transfer-request = Запросить передачу
child-identity = Ребёнок
child-family = Семья
child-consent = Согласие на обработку персональных данных
child-needs = Потребности
child-anonymised = Персональные данные скрыты: ваша роль видит только обезличенные сведения.
status-new = Новый статус
status-change = Изменить статус
child-history = История
transfer-from = Откуда
transfer-to = Куда
transfer-accept = Передать
transfer-decline = Отклонить
transfer-waiting = Ожидает решения
another-school = Другая школа
passport-title = Социальный паспорт: { $name }
passport-total = Детей, нуждающихся в помощи
passport-new-intake = Первоклассники
passport-not-attending = Не посещают школу
passport-needs-cost = Потребности, всего
passport-covered-cost = Покрыто помощью
passport-by-category-grade = По категориям и классам
passport-rollup = По подразделениям
passport-unit = Подразделение
field-iin = ИИН
field-surname = Фамилия
field-first-name = Имя
field-patronymic = Отчество
field-birth-date = Дата рождения
field-grade = Класс
field-study-language = Язык обучения
field-categories = Категории
field-decision-no = Номер решения коллегиального органа
field-decision-date = Дата решения
field-guardian-name = ФИО родителя или законного представителя
field-guardian-relation = Кем приходится
field-guardian-phone = Телефон
field-address = Адрес
field-family-children = Детей в семье
field-consent-by = Кто дал согласие
field-consent-method = Как
field-consent-date = Дата согласия
field-source = Как выявлен
field-school-id = Школа
field-sex = Пол
field-reason = Причина
field-status = Статус
field-needs = Потребности
field-needs-cost = Стоимость потребностей
field-year = Год
field-starts-on = Начало
field-ends-on = Окончание
field-motto-ru = Девиз на русском
field-motto-kk = Девиз на казахском
field-default-norm = Норма выплаты, ₸
field-cash-norm = Норма выплаты, ₸
field-region = Область
field-need-row = Потребность { $n }: { $field }
field-need-item = вид
field-need-size = размер
field-need-quantity = количество
field-need-cost = стоимость
err-iin-format = ИИН — это 12 цифр.
err-iin-checksum = ИИН с ошибкой: не сходится контрольная цифра.
err-iin-birth-date = ИИН с ошибкой: первые цифры не дают настоящую дату рождения.
err-bin-type = БИН с ошибкой: пятая цифра должна указывать тип организации (4, 5 или 6).
err-birth-date-mismatch = Дата рождения не совпадает с ИИН.
err-grade-range = Класс — число от 0 до { $limit }.
err-phone-format = Телефон: 10 цифр номера, например +7 701 123 45 67.
err-number-range = Поле «{ $field }»: число от 1 до { $limit }.
err-date-in-future = Поле «{ $field }»: дата ещё не наступила.
err-too-many = Поле «{ $field }»: не больше { $limit }.
err-amount-format = Поле «{ $field }»: сумма в целых тенге, например 45 000.
err-already-registered = Ребёнок с этим ИИН уже есть в списках этой акции.
err-not-a-school = Выберите школу.
err-status-unchanged = У ребёнка уже этот статус.
err-already-here = Ребёнок уже в списке этой школы.
err-no-campaign = Акция этого года ещё не заведена.
err-year-range = Год — от 2008 до 2100.

child-import-title = Загрузка списка детей из Excel
child-import-help = Загрузите файл Excel (.xlsx) или CSV со списком детей школы: первая строка — заголовки столбцов (на русском или казахском). Каждая строка проверяется; при любой ошибке файл не загружается, а вы увидите все ошибки с номером строки. Дети, уже внесённые в список этой школы, обновляются по ИИН.
child-import-columns = Столбцы шаблона
child-import-job = Загрузка файла «{ $file }»
child-import-running = Файл обрабатывается…
child-import-checking = Проверено строк: { $rows }
child-import-writing = Записано строк: { $rows }
child-import-created = Добавлено детей: { $count }.
child-import-updated = Обновлено: { $count }.
child-import-more-errors = И ещё ошибок: { $count }.
child-import-again = Загрузить исправленный файл
child-import-link = Загрузить из Excel
import-col-need-uniform = Школьная форма, ₸
import-col-size-uniform = Размер формы
import-col-need-shoes = Обувь, ₸
import-col-size-shoes = Размер обуви
import-col-need-sports-suit = Спортивный костюм, ₸
import-col-need-backpack = Рюкзак с принадлежностями, ₸
import-col-need-stationery = Канцелярские товары, ₸
import-col-need-textbooks = Учебники, ₸
import-col-need-outerwear = Верхняя одежда, ₸
import-col-need-hot-meals = Горячее питание, ₸
import-col-need-travel = Проезд, ₸
err-import-failed = Файл не удалось загрузить из-за внутренней ошибки. Попробуйте ещё раз.
alias-category-asp = АСП|адресная социальная помощь|получатель АСП
alias-category-low-income = малообеспеченная|малообеспеченные|малоимущие
alias-category-large-family = многодетная|многодетные|многодетная семья
alias-category-orphan = сирота|сироты
alias-category-no-parental-care = без попечения родителей|ОБПР
alias-category-emergency = ЧС|чрезвычайная ситуация
alias-category-special-needs = ООП|инвалидность|ребёнок с инвалидностью
alias-category-other = другое
campaigns-title = Акции по годам
campaign-current = текущая
campaign-norms = Норма выплаты из фонда всеобуча по областям, { $year }
campaign-new = Новая акция
motto = Девиз
nav-campaigns = Акции
user-edit-title = Изменение учётной записи { $login }

## Помощь / Көмек
aid-title = Помощь
aid-none = Помощь ещё не оказывалась.
aid-record = Записать помощь
aid-delivered-now = Уже оказана
aid-reverse = Сторнировать
aid-reverse-reason = Причина исправления
aid-reversal = исправление
aid-reversed = исправлено
aid-source-fund = Фонд всеобуча
aid-source-sponsor = Спонсор
aid-source-fair = Средства ярмарки
aid-source-programme = Другая программа
aid-form-cash = Деньги на карточный счёт
aid-form-goods = Вещи
aid-form-certificate = Сертификат
aid-form-service = Услуга (питание, проезд)
aid-status-planned = Запланирована
aid-status-delivered = Оказана
aid-status-confirmed = Подтверждена
aid-to-delivered = Отметить оказанной
aid-to-confirmed = Подтвердить
field-date = Дата
field-form = Вид помощи
field-amount = Сумма, ₸
field-organised-by = Кто организовал
field-note = Примечание
field-allocation = Сумма фонда, ₸
field-child-id = Ребёнок
field-reverses-id = Запись
err-amount-positive = Поле «{ $field }»: сумма должна быть больше нуля.
err-fund-overspent = В фонде всеобуча недостаточно средств для этой выплаты.
err-fund-paid-twice = Этому ребёнку выплата из фонда всеобуча в этой акции уже сделана.
err-no-fund = Для школы не указана сумма фонда всеобуча на эту акцию.
err-status-order = Статус помощи меняется только вперёд: запланирована → оказана → подтверждена.
err-reversed = Эта запись уже исправлена.
err-reversal-of-reversal = Исправление нельзя исправить: запишите новую помощь.
err-already-reversed = Эта запись уже исправлена.
err-below-spent = Сумма фонда не может быть меньше уже выплаченного.
err-other-campaign = Ребёнок внесён в список другой акции.
fund-title = Фонд всеобуча, акция { $year }
fund-allocation = Выделено
fund-spent = Выплачено
fund-balance = Остаток
fund-plan = Запланировать норму всем детям школы
fund-deliver = Отметить запланированные выплаты оказанными
fund-planned = Запланировано выплат: { $count }.
fund-delivered = Оказано выплат: { $count }.
fund-short = Не хватило средств фонда: { $count }.
