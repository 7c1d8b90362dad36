## Doroga — русский каталог. Ключи совпадают с kk.ftl (это проверяет тест).

app-name = Дорога в школу
skip-to-content = К содержанию
cli-no-user = Пользователя с логином «{ $login }» нет.
menu = Меню
nav-home = Главная
more-filters = Ещё фильтры
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
login-sponsor-pending = Пароль верный, но заявку вашей организации ещё рассматривает координатор области. Войти можно будет после одобрения.
login-sponsor-rejected = Пароль верный, но координатор области отклонил заявку вашей организации. Уточните причину в управлении образования области.
login-throttled = Слишком много попыток входа. Попробуйте снова через { $minutes } мин.
password-title = Смена пароля
password-forced = Вы вошли с одноразовым паролем. Придумайте свой пароль, чтобы продолжить.
password-rule = Пароль — не короче { $count ->
    [one] { $count } символа
   *[other] { $count } символов
}, не содержит логин и не подбирается легко (не повторы, не ряды клавиш, не «password»).
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
err-too-short = Поле «{ $field }»: введите не менее { $limit ->
    [one] { $limit } символа
   *[other] { $limit } символов
}.
err-stale-cursor = Список изменился, пока вы его листали: начните с первой страницы.
err-control-chars = Поле «{ $field }» содержит недопустимые символы.
err-invalid-choice = Поле «{ $field }»: выберите значение из списка.
err-login-format = Логин: от 3 до 64 латинских букв, цифр, точек, дефисов или подчёркиваний.
err-password-too-short = Поле «{ $field }»: пароль должен быть не короче { $limit ->
    [one] { $limit } символа
   *[other] { $limit } символов
}.
err-password-contains-login = Пароль не должен содержать логин.
err-password-weak = Этот пароль легко подобрать: не используйте повторы, ряды клавиш, даты и распространённые пароли. Лучше несколько слов через дефис.
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
err-import-interrupted = Импорт прервался: сервер остановился, не закончив его. Ничего из файла не записано — загрузите его ещё раз.
err-iin-only = Поле «{ $field }»: введите ИИН целиком (12 цифр) — вы узнаете, есть ли ребёнок в списке, и его код. Поиск по фамилии и части ИИН вам недоступен.
err-personal-filter = Поле «{ $field }»: отбор по этому полю доступен только тем, кому видны персональные данные.
err-malformed-json = Тело запроса — не правильный JSON нужного вида.

error-not-found = Запись не найдена.
error-not-in-scope = Эта запись вне вашей зоны доступа. Попытка записана в журнал.
error-forbidden = Недостаточно прав.
error-unauthorized = Нужно войти в систему.
error-password-change-required = Сначала смените одноразовый пароль.
error-validation = Проверьте введённые данные.
error-internal = Внутренняя ошибка. Попробуйте позже.
error-payload-too-large = Запрос слишком большой: файл превышает допустимый размер.
error-too-many-requests = Слишком много запросов с вашего адреса. Попробуйте снова через { $minutes } мин.

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
children-search-iin = ИИН ребёнка (все 12 цифр)
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
children-count-more = Найдено больше { $count ->
    [one] { $count } ребёнка
   *[other] { $count } детей
}: уточните поиск
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
source-attendance = Учёт посещаемости (не пришёл в школу)
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
field-age-confirmed = Возраст подтверждён
field-study-language = Язык обучения
field-categories = Категории
field-category = Категория
field-need = Потребность
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
field-record = Запись
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
err-amount-format = Поле «{ $field }»: сумма в тенге, например 45 000 или 1 196 448,50.
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
field-aid-source = Источник помощи
field-sponsor-id = Спонсор
field-giver = Кто помог или организовал (если спонсора нет в списке)
aid-sponsor-none = — другой даритель —
aid-goods = Вещи
aid-goods-hint = Для вещей можно не писать сумму: она сложится из стоимости вещей. Вещи спонсора без известной стоимости учитываются по количеству.
field-item-row = Вещь { $n }: { $field }
field-item-item = Вещь
field-item-quantity = Количество
field-item-value = Стоимость, ₸
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
public-title = Акция «Дорога в школу» { $year }: открытые итоги
public-phone-hint = Суммы по источникам и вещи по каждой области — на её странице: нажмите на название.
public-note = Итоги обновляются в течение минуты после записи помощи. Персональных данных здесь нет.
public-all-regions = Все области
public-identified = Выявлено детей
public-helped = Получили помощь
public-link = Открытые итоги акции

## Спонсоры / Демеушілер
nav-sponsor = Кабинет спонсора
nav-sponsors = Спонсоры
sponsors-title = Спонсоры и меценаты
sponsor-register = Зарегистрировать спонсора
sponsor-portal-title = Кабинет спонсора
sponsor-child-male = мальчик
sponsor-child-female = девочка
sponsor-grade = { $grade } класс
sponsor-impact = Что сделала ваша помощь
sponsor-items = Передано вещей
sponsor-holds = Забронированные потребности
sponsor-until = Бронь до
sponsor-deliver = Отметить переданной
sponsor-needs = Кому нужна помощь
sponsor-max-cost = Не дороже, ₸
sponsor-who = Ребёнок
sponsor-reserve = Забронировать на 48 часов
sponsor-done-reserved = Потребность забронирована за вами на 48 часов.
sponsor-done-delivered = Спасибо! Когда школа подтвердит получение, помощь войдёт в отчёты и благодарственное письмо.
hold-active = забронировано
hold-delivered = передано
hold-expired = бронь истекла
hold-cancelled = бронь снята
sponsor-kind-company = Компания (ТОО, АО)
sponsor-kind-entrepreneur = Индивидуальный предприниматель
sponsor-kind-state-collective = Коллектив госоргана
sponsor-kind-ngo = НПО или фонд
sponsor-kind-religious = Религиозная организация
sponsor-kind-parents = Родительская общественность
sponsor-kind-alumni = Выпускники
sponsor-kind-person = Частное лицо
field-bin-iin = БИН или ИИН
field-contact = Контактное лицо
field-email = Электронная почта
err-contact-required = Укажите телефон или электронную почту: по ним область ответит на заявку.
err-email-format = Поле «{ $field }»: адрес электронной почты, например info@arman.kz.
sponsor-choose-region = — выберите область —
field-phone = Телефон
err-need-taken = Эту потребность уже забронировал другой спонсор.
err-reservation-expired = Срок брони истёк: забронируйте потребность снова.
err-reservation-not-active = Эта бронь уже не действует.
err-bin-checksum = БИН с ошибкой: не сходится контрольная цифра.

## Proofs of purchase, checks, sponsor applications, help report, thank-you letter
field-above-need-reason = Причина помощи сверх потребности
field-q = ИИН или фамилия
field-sort = Порядок
field-after = Страница
field-before = Страница
field-quantity = Количество
field-entry-id = Запись помощи
field-proof = Документ
field-reservation = Бронь
field-sponsor = Спонсор
field-decision = Решение
field-unit = Район или школа
err-above-need = Помощь превысит потребность ребёнка ({ $amount } с учётом нормы): укажите причину в поле «{ $field }».
err-proof-cash-only = Документы, подтверждающие покупку, прикладываются только к выплате денежных средств.
err-proof-not-paid = Выплата ещё не произведена: документы прикладываются после выплаты.
err-proof-decided = По этому документу решение уже принято.
err-age-out-of-school = Поле «{ $field }»: по ИИН ребёнку на 1 сентября { $limit } { $limit ->
    [one] год
    [few] года
   *[many] лет
}, а в школе учатся с 5 до 21 года. Проверьте ИИН.
err-age-unusual = По ИИН ребёнку на 1 сентября { $limit } { $limit ->
    [one] год
    [few] года
   *[many] лет
}: для этого класса возраст необычен (больше чем на два года от обычного). Проверьте ИИН и класс; если всё верно, отметьте «Возраст подтверждён».
err-proof-own = Документ, который вы загрузили, принимает или отклоняет другой сотрудник школы или района.
proof-awaits-other = ждёт решения другого сотрудника школы или района
err-proof-required = Денежная выплата подтверждается только принятым документом о покупке.
err-file-required = Выберите файл.
err-file-type = Файл должен быть фотографией (JPEG, PNG, WebP, HEIC) или PDF.
err-proof-too-large = Файл больше { $limit } МБ.
err-photo-too-large = Фото больше { $limit } МБ. Сама находка сохранена: уменьшите снимок и отправьте его снова.
err-photo-type = Фото должно быть снимком (JPEG, PNG, WebP, HEIC).
err-too-many-photos = К одной находке можно приложить не больше трёх фото.
err-sponsor-decided = По этому спонсору решение уже принято.
file-kb = { $kb } КБ
proof-title = Документы о покупке
proof-none = нет документов
proof-uploaded = ждёт проверки
proof-confirmed = принят
proof-rejected = отклонён
proof-confirm = Принять
proof-reject = Отклонить
proof-reject-reason = Причина отказа
proof-upload = Чек или фото покупки
proof-send = Загрузить
child-code = Код ребёнка
nav-checks = Проверки
checks-title = Проверки расходования средств
checks-campaign = Акция { $year } года
checks-unproven = Выплаты без подтверждённых документов о покупке (срок { $days } дн.)
checks-undelivered = Запланированная и обещанная помощь, не оказанная в срок ({ $days } дн.)
checks-above-need = Помощь сверх потребности
checks-clean = Нарушений нет.
checks-days-over = Дней просрочки
checks-need = Потребность
checks-given = Оказано и обещано
checks-no-reason = причина не указана
checks-proofs-waiting = Документы, ожидающие проверки
sponsor-where = Где
sponsor-whole-region = Вся область
sponsor-state-approved = подтверждён
sponsor-state-pending = ждёт подтверждения
sponsor-state-rejected = отклонён
sponsor-approve = Подтвердить
sponsor-reject = Отклонить
sponsor-apply-title = Стать спонсором акции
sponsor-apply-note = Заполните заявку. Координатор области проверит её; после подтверждения вы сможете войти и выбрать детей, которым поможете. Имена детей спонсорам не показываются.
sponsor-apply-send = Отправить заявку
sponsor-apply-sent = Заявка отправлена. Вы сможете войти, когда координатор области её подтвердит.
sponsor-apply-link = Стать спонсором
sponsor-apply-login = Ваш логин (запишите его: пароль вы выбрали сами):
sponsor-like = Возможный дубль
sponsor-like-bin-iin = БИН/ИИН уже зарегистрированного спонсора
sponsor-like-name = то же название
sponsor-like-phone = тот же телефон
sponsor-like-address = с того же адреса, что и другая заявка
sponsor-report-title = Отчёт о вашей помощи
sponsor-report-note = Дети указаны кодами: их имена и ИИН защищены законом о персональных данных.
sponsor-letter = Благодарственное письмо (PDF)
letter-title = Благодарственное письмо
letter-dear = Уважаемые { $name }!
letter-body = Республиканская акция «Дорога в школу» { $year } года выражает вам искреннюю благодарность за помощь { $children ->
        [one] { $children } ребёнку
       *[other] { $children } детям
    } в подготовке к учебному году на сумму { $sum }.
letter-by-school = Помощь по школам
letter-by-item = Переданные вещи
letter-privacy = Имена детей не указываются: их персональные данные защищены законом.
letter-signed = Координатор акции «Дорога в школу»
letter-footer = «Дорога в школу» — { $year }

## Reports and dashboards (issue 5)
nav-reports = Отчёты
nav-dashboard = Показатели
report-title = Отчёт
report-trail = Уровень отчёта
report-current = Текущая акция
report-from = С даты
report-to = По дату
report-show = Показать
report-docx = Скачать Word
report-pdf = Скачать PDF
report-xlsx = Скачать Excel
report-period-between = Помощь за период с { $from } по { $to } (ребёнок учтён в периоде, на который пришлась его первая помощь)
report-period-from = Помощь начиная с { $from } (ребёнок учтён, если его первая помощь пришлась на эти дни)
report-period-to = Помощь по { $to } включительно (ребёнок учтён, если его первая помощь пришлась на эти дни)
report-period-all = Помощь за всю акцию
report-empty = Данных за этот период нет: детей не выявлено, помощь не записана.
report-consolidated-title = Сводный отчёт акции «Дорога в школу» { $year }: { $unit }
report-section-money = Дети и помощь по источникам
report-identified = Выявлено детей
report-helped = Получили помощь
report-coverage = Охват
report-sponsors = Спонсоры
report-other = Другие источники
report-delivered = Всего помощи
report-need = Потребность
report-section-categories = Выявленные дети по категориям
report-section-items = Переданные вещи
report-section-fund = Фонд всеобуча
report-fund-allocation = Выделено
report-fund-spent = Израсходовано
report-fund-used = Использовано
report-section-previous = Сравнение с прошлой акцией
report-no-previous = Прошлой акции в системе нет — сравнивать не с чем.
report-school-title = Справка о проведении республиканской акции «Дорога в школу» в { $year } году
report-school-intro = В { $year } году республиканская акция «Дорога в школу» проходила с { $from } по { $to } под девизом «{ $motto }». Основная цель акции — помочь детям из социально незащищённых семей и детям, оставшимся без попечения родителей, подготовиться к учебному году и предупредить неявку детей в школу по социальным причинам.
report-school-identified = Выявлено детей, нуждающихся в помощи: { $children }; их потребность — { $need }.
report-children = Детей
report-section-measures = Проведённые мероприятия
report-not-filled = Раздел ещё не заполнен школой.
report-section-raids = Рейдовые мероприятия
report-raids-held = { $count ->
    [0] Рейдовые мероприятия не проводились.
    [one] Проведено { $count } рейдовое мероприятие.
    [few] Проведено { $count } рейдовых мероприятия.
   *[other] Проведено { $count } рейдовых мероприятий.
}
report-section-fund-help = Помощь из фонда всеобуча
report-no-fund-help = Помощь из фонда всеобуча не оказывалась.
report-fund-month = { $month }: { $pupils } { $pupils ->
    [one] учащемуся
   *[other] учащимся
} из социально незащищённых слоёв населения оказана материальная помощь из фонда всеобуча на общую сумму { $sum }.
report-month = Месяц
report-pupils = Учащихся
report-section-sponsors = Помощь спонсоров и меценатов
report-no-sponsors = Помощь спонсоров не записана.
report-sponsors-total = Спонсорами и меценатами оказана помощь { $pupils } { $pupils ->
    [one] учащемуся
   *[other] учащимся
} на общую сумму { $sum }.
report-sponsor-line = { $name } — помощь { $pupils } { $pupils ->
    [one] учащемуся
   *[other] учащимся
} на общую сумму { $sum }
report-sponsor = Спонсор
report-section-results = Итоги
report-school-results = Помощь получили { $helped } из { $identified } выявленных детей (охват { $coverage }) на общую сумму { $sum }.
report-signed = Директор школы
report-notes-title = Мероприятия и рейды
report-notes-hint = Этот раздел школа заполняет сама; всё остальное в отчёте берётся из реестра и учёта помощи.
field-measures = Проведённые мероприятия (каждое с новой строки)
dashboard-title = Показатели
dashboard-heading = Показатели акции { $year }: { $unit }
dashboard-progress = Получили помощь из выявленных детей
dashboard-daily = Помощь по дням
dashboard-fund = Использование фонда всеобуча
dashboard-no-help = Помощь ещё не записана
dashboard-needs = Покрытие потребности
month-1 = январь
month-2 = февраль
month-3 = март
month-4 = апрель
month-5 = май
month-6 = июнь
month-7 = июль
month-8 = август
month-9 = сентябрь
month-10 = октябрь
month-11 = ноябрь
month-12 = декабрь

# The start page: today's work
today-title = Работа на сегодня
today-summed = по всем школам
today-unhelped = Дети без помощи
today-none = Ничего не ждёт.
today-identified = { $count ->
    [one] { $count } ребёнок выявлен и не проверен
    [few] { $count } ребёнка выявлены и не проверены
   *[many] { $count } детей выявлены и не проверены
}
today-verified = { $count ->
    [one] { $count } ребёнок проверен, помощь не запланирована
    [few] { $count } ребёнка проверены, помощь не запланирована
   *[many] { $count } детей проверены, помощь не запланирована
}
today-all-receipts = Все документы, ждущие решения
today-cash = Деньги без подтверждённого чека
today-days-late = { $count ->
    [one] срок прошёл { $count } день назад
    [few] срок прошёл { $count } дня назад
   *[many] срок прошёл { $count } дней назад
}
today-days-left = { $count ->
    [0] чек нужен сегодня
    [one] чек нужен через { $count } день
    [few] чек нужен через { $count } дня
   *[many] чек нужен через { $count } дней
}
today-transfers = { $count ->
    [one] { $count } запрос на перевод ждёт решения
    [few] { $count } запроса на перевод ждут решения
   *[many] { $count } запросов на перевод ждут решения
}

# The children file's template
import-example-mark = Пример:
import-example-mother = мать
import-sheet-children = Дети
import-sheet-help = Инструкция
import-list-error = Выберите значение из списка (категорий можно несколько через «;»).
child-template-help-title = Как заполнить список детей
child-template-help =
    1. Одна строка — один ребёнок. Столбцы со звёздочкой (*) обязательны; остальные можно оставить пустыми.
    2. Вторая строка — пример (серая, ИИН начинается со слова «Пример:»). Её не загружают: можно оставить или удалить.
    3. ИИН — 12 цифр; дата рождения и пол берутся из ИИН, дату рождения можно не писать.
    4. Даты пишите как 01.08.2026. Суммы — в тенге, как в бухгалтерии: 25 000 или 25000 или 1 196 448,50.
    5. Язык обучения, согласие, способ согласия и «Как выявлен» выбирайте из списка в ячейке. Категорий может быть несколько: «АСП; Многодетная семья».
    6. Класс — от 0 (предшкола) до 11. Если возраст ребёнка на 1 сентября больше чем на два года расходится с обычным для класса, впишите «да» в «Возраст подтверждён».
    7. Потребности: в столбце вещи напишите её стоимость (например, «Школьная форма, ₸» — 25 000), размер — в соседнем столбце.
    8. Файл загружается целиком или не загружается совсем: если есть ошибки, система назовёт каждую строку и столбец, исправьте и загрузите снова. Повторная загрузка обновляет детей по ИИН, а не создаёт новых.

sponsor-pieces = { $count } шт.
sponsor-district = Район
sponsor-whole-district = Весь район
details-address = Адрес
sponsor-ask-region = школа ещё не указала адрес: спросите координатора области
sponsor-call = Звонить
page-first = В начало
hold-awaiting = передано спонсором, ждёт подтверждения школы
hold-declined = школа не получила
hold-confirm = Получено
hold-decline = Не получено
today-deliveries = Передачи спонсоров: подтвердите получение
today-more-deliveries = Показаны 50 самых давних передач.
err-delivery-not-awaiting = Эту передачу уже подтвердили или отклонили.
field-received = Ответ школы
field-coordinator = Координатор акции (кто готовит справку)
field-director = Директор (руководитель)
field-addressee = Кому направляется справка
details-title = Реквизиты для документов
details-note = Заполняется один раз. Адрес и рабочий телефон координатора видит спонсор, который везёт помощь; директор, координатор и адресат печатаются в справке.
details-link = Реквизиты для документов
report-section-helped-by = Дети, получившие помощь, по источникам
report-helped-fund = Из фонда всеобуча
report-helped-sponsor = От спонсоров
report-helped-other = Из других источников
report-helped-by-note = Ребёнок, которому помогли из нескольких источников, учтён в каждом из них и один раз в графе «Получили помощь».
report-phone = тел. { $phone }
report-date-blank = «___» __________ 20___ г.
report-outgoing = Исх. № { $number } от { $date }
report-addressee-none = По месту требования
report-prepared = Исп.: { $name }, тел. { $phone }
report-stamp = М.П.
field-number = Исходящий номер справки
field-dated = Дата справки
report-letter-fields = Для справки
report-details-link = Реквизиты школы для справки
field-school = Школа
field-district = Район
field-giver-kind = Кто это (если дарителя нет в списке)
err-client-id-format = Поле «{ $field }»: телефон прислал запись без своего номера (UUID); обновите страницу и отправьте снова.
err-client-id-taken = Поле «{ $field }»: этот номер записи с телефона уже занят другой записью; обновите страницу, запись получит новый номер.
err-conflict-resolved = Это расхождение уже разобрано.
err-not-raid-member = Поле «{ $field }»: эту учётную запись нельзя включить в рейд (нужна активная учётная запись участника рейдов этого региона).
err-stale-version = Запись изменил другой пользователь, пока форма была открыта; обновите страницу и внесите изменения снова.
err-absent-elsewhere = Поле «{ $field }»: этого ученика уже отметила как не посещающего другая школа.
err-case-not-open = Случай закрыт или ждёт подписи района; изменить его нельзя.
err-case-not-signing = Случай не ждёт подписи района.
err-sign-own = Закрывший случай не может сам поставить вторую подпись; нужна подпись района.
err-not-an-owner = Поле «{ $field }»: ответственным может быть только активная учётная запись этой школы или выше.
err-not-school-day = Поле «{ $field }»: в этот день нет занятий (выходной или праздник).
field-client-id = Номер записи на телефоне
field-starts-at = Время начала
field-places = Места рейда
field-participants = Участники
field-found-at = Время
field-circumstances = Обстоятельства
field-action = Что сделано
field-place = Место
field-age = Возраст (примерно)
raid-place-computer-club = Компьютерный клуб
raid-place-market = Рынок
raid-place-station = Вокзал
raid-place-entertainment = Место развлечений
raid-place-home = Семья (на дому)
raid-place-other = Другое место
raid-participant-teacher = Педагоги
raid-participant-education-staff = Сотрудники образования и защиты прав детей
raid-participant-police = Полиция
raid-participant-social-protection = Социальная защита
raid-participant-ngo = НПО
raid-participant-parent = Родители
raid-action-taken-home = Доставлен домой
raid-action-taken-to-school = Доставлен в школу
raid-action-police = Передан в полицию
raid-action-kdn = Направлен в КДН
raid-action-social-protection = Направлен в социальную защиту
raid-action-medical = Передан медицинской службе
absence-reason-material = Материальные трудности
absence-reason-neglect = Безразличие родителей
absence-reason-left-alone = Предоставлен сам себе
absence-reason-illness = Болезнь
absence-reason-moved = Переезд
absence-reason-working = Работает
absence-reason-other = Другая причина
case-step-call = Звонок семье
case-step-home-visit = Посещение на дому
case-step-talk = Беседа с социальным педагогом
case-step-referral-kdn = Направление в КДН
case-step-referral-police = Направление в полицию
case-step-referral-social = Направление в социальную защиту
case-step-referral-health = Направление к врачу
case-step-material-help = Материальная помощь (фонд всеобуча или спонсор)
case-closing-returned = Вернулся в школу
case-closing-moved = Выбыл в другую школу
case-closing-left-country = Выехал из страны
case-closing-other = Другое
field-place-row = Место { $n }: { $field }
field-place-kind = Тип места
field-place-address = Адрес
field-participant-row = Участники, строка { $n }: { $field }
field-participant-kind = Категория
field-participant-count = Сколько человек
err-return-before-absence = Поле «{ $field }»: ученик не может вернуться раньше первого пропущенного дня.
field-first-day = Первый пропущенный день
field-returned-on = Вернулся в школу
field-due-on = Срок
field-done-on = Выполнено
field-outcome = Результат
nav-raids = Рейды
raids-title = Рейды
raids-none = Рейдов пока нет.
raid-new = Новый рейд
raid-edit = Изменить рейд
raid-title = Рейд { $date }
raid-field-title = Рейд { $date }: работа на месте
raid-planned = запланирован
raid-organiser = Кто проводит
raid-members = Участники с учётными записями
raid-no-candidates = В регионе нет учётных записей участников рейдов.
raid-participants-total = Участников всего
raid-findings = Выявлено детей
raid-findings-none = Детей не выявлено.
raid-field = Работа на месте
raid-field-note = Записи сохраняются на телефоне и отправляются, когда есть связь.
raid-online = Связь есть: записи отправляются сразу.
raid-offline = Нет связи: записи сохраняются на телефоне и уйдут, когда связь появится.
raid-sign-in-again = Вход истёк: войдите снова, записи на телефоне сохранены.
raid-finding-new = Выявленный ребёнок
raid-finding-add = Сохранить
raid-finding-saved = Запись сохранена.
raid-iin-or-age = Если ИИН неизвестен, укажите пол и примерный возраст.
raid-outbox = Записи на этом телефоне
raid-state-local = Сохранено на телефоне
raid-state-sending = Отправляется…
raid-state-sent = Отправлено
raid-state-conflict = Расхождение: запись изменили на сервере, ждёт решения координатора
raid-state-kept = Координатор оставил версию с сервера
raid-state-refused = Не принято: { $reason }
raid-edit-record = Исправить
raid-who = Ребёнок
raid-age = { $count ->
    [one] { $count } год
    [few] { $count } года
   *[other] { $count } лет
}
raid-registry = Реестр
raid-registered = В реестре
raid-not-registered = Нет в реестре
raid-add-to-registry = Внести в реестр
raid-photo = Фото
raid-photo-add = Фото к записи
raid-photo-send = Приложить фото
raid-photo-note = Снимок до { $limit } МБ; на странице выезда телефон уменьшает его сам.
outbox-other-account = Сохранено на этом телефоне под другой учётной записью: войдите под ней, чтобы отправить.
raid-photo-field-note = Телефон уменьшит снимок перед сохранением (и уберёт из него место съёмки); фото уйдёт вслед за записью.
raid-photo-state-local = Фото сохранено на телефоне, будет отправлено при появлении связи
raid-photo-state-sent = Фото отправлено
raid-photo-state-refused = Фото не принято: { $reason }
raid-conflicts = Расхождения после работы без связи
raid-conflict-field = Поле
raid-conflict-server = На сервере
raid-conflict-phone = С телефона ({ $login })
raid-conflict-apply = Принять с телефона
raid-conflict-keep = Оставить как на сервере
raid-saved = Рейд сохранён.
raid-resolved = Расхождение разобрано.
date-placeholder = дд.мм.гггг
report-raids-count = Проведено рейдов
report-raid-participants = Участников рейдов
report-raid-found = Выявлено детей
report-raid-with = Участвовали: { $who }.
report-raid-found-count = { $count ->
    [0] Детей не выявлено
    [one] Выявлен { $count } ребёнок
    [few] Выявлено { $count } ребёнка
   *[other] Выявлено { $count } детей
}
report-no-raids = Рейдов в этот период не проводилось.
report-raids-from-records = Рейды попадают в справку из записей рейдов: внесите их в разделе «Рейды».
# Attendance and cases
nav-attendance = Посещаемость
attendance-title = Не посещают школу
absence-new = Отметить ученика, который не пришёл
attendance-roll = Отметка за день
attendance-journal = Файл электронного журнала
tasks-title = Задачи по случаям
tasks-all = Все задачи
tasks-mine = Мои задачи
tasks-none = Невыполненных шагов нет.
attendance-by-reason = По причинам
attendance-total = Всего учеников
attendance-back = вернулись
attendance-still-out = всё ещё не ходят
attendance-all-reasons = Все причины
attendance-none = Учеников, не посещающих школу, нет.
attendance-none-out = Все отмеченные ученики уже вернулись в школу.
absence-reason-unknown = Причина не указана
absence-since = с
absence-days-out = Пропущено учебных дней
absence-back-on = Вернулся
grade-short = кл.
roll-out = Не пришёл
roll-back = Вернулся в школу
journal-days = Дней пропусков в файле
journal-pupils = Учеников
journal-opened = Открыто случаев по раннему предупреждению
journal-file = Файл XLSX или CSV
journal-send = Загрузить
journal-layout = Как устроен файл
journal-layout-note = Одна строка — один ученик и один пропущенный учебный день. Столбцы можно ставить в любом порядке, заголовки — по-русски или по-казахски; «Класс» и «Причина» можно оставить пустыми. Если хоть одна строка с ошибкой, файл не записывается, а все ошибки перечисляются по строкам.
case-title = Случай: ученик не посещает школу
case-status-label = Состояние
case-status-open = Открыт
case-status-signing = Ждёт второй подписи района
case-status-closed = Закрыт
case-opened = Открыт
case-opened-streak = ранним предупреждением: { $days } учебных дней подряд без посещения
case-opened-share = ранним предупреждением: посещено { $share } % учебных дней месяца
case-opened-by-school = школой
case-closing-label = Закрыт
case-steps = Шаги
case-no-steps = Шагов пока нет.
step-due = срок
step-overdue = Просрочено
step-done = Отметить выполненным
step-new = Новый шаг
step-conflicts = Изменения шагов с телефона, сделанные без связи
step-conflicts-note = Пока телефон был без связи, этот шаг изменили на сервере. Решите, какой вариант оставить.
step-add = Добавить шаг
step-state-todo = Не выполнен
step-state-done = Выполнен
step-state-dropped = Снят (случай закрыт)
case-close = Закрыть случай
case-close-note = Если ученик не вернулся в школу (выбыл, уехал, другое), случай закроется только после второй подписи района.
case-sign-title = Вторая подпись района
case-sign = Подписать закрытие
case-refuse = Вернуть в работу
field-day = Дата
field-closing = Как закрыт
field-closed-on = Дата
field-receiving-school = Школа, куда выбыл
field-owner-id = Ответственный
field-case = Случай
field-streak = Дней подряд
field-share-permille = Доля посещённых дней
field-version = Версия записи
report-section-attendance = Дети, не посещающие школу
report-out-pupils = Не пришли в школу (учеников)
report-out-first-day = из них с первого учебного дня (1 сентября)
report-out-returned = Вернулись в школу
report-out-still = Всё ещё не посещают
report-out-overdue = Случаи с просроченными шагами
report-no-out = Учеников, не посещающих школу, не отмечено.
dashboard-out = Не посещают школу, учеников по дням с 1 сентября
today-steps-overdue = { $count ->
    [one] { $count } шаг по случаям учеников, не посещающих школу, просрочен
    [few] { $count } шага по случаям учеников, не посещающих школу, просрочены
   *[many] { $count } шагов по случаям учеников, не посещающих школу, просрочены
}

## Appeals (обращения)
nav-appeals = Обращения
appeals-title = Обращения граждан
appeals-none = Обращений нет.
appeal-new = Зарегистрировать обращение
appeal-views = Какие обращения показать
appeal-view-open = Ждут ответа
appeal-view-due = Срок скоро
appeal-view-overdue = Просрочены
appeal-view-mine = Мои
appeal-view-all = Все
appeal-overdue = просрочено
appeal-escalated = доложено вышестоящим
appeal-topic-help-not-received = Не получил помощь
appeal-topic-not-at-school = Ребёнок не ходит в школу
appeal-topic-school-complaint = Жалоба на школу
appeal-topic-sponsor-complaint = Жалоба на спонсора
appeal-topic-other = Другое
appeal-channel-hotline = Горячая линия
appeal-channel-trust-phone = Телефон доверия
appeal-channel-reception = Приём граждан
appeal-channel-center-111 = Контакт-центр 111
appeal-channel-messenger = Мессенджер
appeal-channel-letter = Письмо
appeal-channel-web = Форма на сайте
appeal-channel-qr = QR-код в школе
appeal-status-registered = Зарегистрировано
appeal-status-in-work = В работе
appeal-status-answered = Дан ответ
appeal-status-closed = Закрыто
appeal-status-forwarded = Передано по компетенции
appeal-event-registered = Зарегистрировано
appeal-event-taken = Принято в работу
appeal-event-assigned = Назначен исполнитель
appeal-event-forwarded = Передано по компетенции
appeal-event-extended = Срок продлён
appeal-event-answered = Дан ответ
appeal-event-closed = Закрыто
appeal-event-escalated = Осталась четверть срока: доложено вышестоящим
appeal-event-overdue = Срок истёк
appeal-event-feedback = Отзыв заявителя
appeal-solved-solved = Проблема решена
appeal-solved-not-solved = Проблема не решена
appeal-school-own = Своя организация
appeal-school-unknown = Не знаю или не школа
appeal-register = Зарегистрировать
appeal-registered = Обращение зарегистрировано. Сообщите заявителю код:
appeal-registered-note = По этому коду заявитель узнаёт на сайте, где его обращение и какой дан ответ.
appeal-card-title = Обращение { $code }
appeal-status-label = Состояние
appeal-due = Срок ответа
appeal-extended = Срок продлён
appeal-received = Поступило
appeal-channel-label = Как поступило
appeal-unit = Рассматривает
appeal-assignee = Исполнитель
appeal-child = Ребёнок в банке данных
appeal-answer = Ответ
appeal-answer-send = Отправить ответ
appeal-answered-on = Дата ответа
appeal-take = Принять в работу
appeal-assign = Назначить исполнителя
appeal-forward = Передать по компетенции
appeal-forward-note = Обращение не по вашей компетенции передаётся в течение 3 рабочих дней; срок ответа отсчитывается заново со дня передачи.
appeal-forward-to = Куда передать
appeal-extend = Продлить срок
appeal-close = Закрыть обращение
appeal-history = Ход рассмотрения
appeal-anonymous = Анонимно
appeal-anonymous-note = Анонимное обращение рассматривается, но ответ заявителю не направляется.
appeal-public-link = Подать обращение
appeal-public-title = Обращение по акции «Дорога в школу»
appeal-public-note = Сообщите, если ребёнку не оказали помощь, если ребёнок не ходит в школу, или пожалуйтесь на школу или спонсора. Ответ дают в течение 15 рабочих дней. Всё, что вы напишете, видят только сотрудники, которые рассматривают обращение.
appeal-place = Где это
appeal-choose = Выбрать
appeal-what = Что случилось
appeal-check = Проверить и отправить
appeal-check-title = Проверьте обращение
appeal-send = Отправить
appeal-edit = Исправить
appeal-receipt-title = Обращение принято
appeal-receipt-sent = Ваше обращение принято
appeal-receipt-code = Сохраните код обращения: по нему вы узнаете, как оно рассматривается, и прочтёте ответ.
appeal-receipt-note = Сохраните или сфотографируйте эту страницу. Код не восстановить: мы не спрашиваем и не храним ничего, что позволило бы его выслать.
appeal-track-link = Узнать, что с обращением
appeal-track-title = Где моё обращение
appeal-track-button = Найти
appeal-new-public = Подать новое обращение
appeal-feedback-question = Проблема решена?
appeal-solved-yes = Да, решена
appeal-solved-no = Нет, не решена
appeal-feedback-thanks = Спасибо: ваш ответ учтён.
field-channel = Как поступило
field-topic = Тема
field-text = Суть обращения
field-applicant-name = Имя заявителя
field-tracking-code = Код обращения
field-until = Продлить до
field-answer = Текст ответа
field-days = Срок, рабочих дней
field-client-key = Номер формы
field-view = Список
field-assignee-id = Исполнитель
field-solved = Проблема решена
err-appeal-contact-required = Укажите телефон или электронную почту, чтобы получить ответ, или отметьте «Анонимно».
err-extension-too-short = Поле «{ $field }»: новый срок должен быть позже нынешнего.
err-extension-too-long = Поле «{ $field }»: продлить можно не более чем на { $limit } месяца со дня поступления.
err-already-extended = Срок этого обращения уже продлевали; второй раз продлить нельзя.
err-appeal-not-open = На обращение уже дан ответ, оно закрыто или передано; обновите страницу.
err-appeal-not-answered = Сначала дайте ответ на обращение.
err-forward-target = Поле «{ $field }»: выберите другую школу, район или область — не ту, что рассматривает обращение.
err-code-format = Поле «{ $field }»: код из 12 букв и цифр, как в квитанции, например 7KQ2-MX9D-4TRW.
err-appeal-code-unknown = Обращение с таким кодом не найдено. Проверьте код в квитанции.
err-child-not-in-registry = Поле «{ $field }»: ребёнка с таким ИИН нет в банке данных вашей организации.
err-not-an-assignee = Поле «{ $field }»: исполнителем может быть только координатор организации, которая рассматривает обращение.

## Notifications (e-mail and SMS)
mail-appeal-registered-subject = Обращение { $code } принято
mail-appeal-registered-body = Здравствуйте! Ваше обращение принято, его код { $code }. Его рассматривает: { $unit }. Ответ будет дан не позднее { $due_on }. По коду можно узнать, как рассматривается обращение, на сайте акции «Дорога в школу» в разделе «Узнать, что с обращением».
mail-appeal-new-subject = Новое обращение { $code }: { $topic }
mail-appeal-new-body = Поступило обращение { $code } («{ $topic }»), его рассматривает { $unit }. Срок ответа — { $due_on }. Откройте его в системе: раздел «Обращения», номер { $id }.
mail-appeal-forwarded-subject = Обращение { $code } передано по компетенции
mail-appeal-forwarded-body = Ваше обращение { $code } передано по компетенции: его рассматривает { $unit }. Ответ будет дан не позднее { $due_on }.
mail-appeal-extended-subject = Срок ответа на обращение { $code } продлён
mail-appeal-extended-body = Срок рассмотрения вашего обращения { $code } продлён до { $due_on }. Причина: { $reason }
mail-appeal-answered-subject = Ответ на обращение { $code }
mail-appeal-answered-body = Ответ на ваше обращение { $code } ({ $unit }): { $answer } Решена ли проблема? Ответить можно на сайте акции в разделе «Узнать, что с обращением», по коду { $code }.
mail-appeal-due-soon-subject = Осталась четверть срока: обращение { $code }
mail-appeal-due-soon-body = По обращению { $code } («{ $topic }»), которое рассматривает { $unit }, осталась четверть срока: ответ нужен до { $due_on }. Номер в системе: { $id }.
mail-appeal-overdue-subject = Просрочено обращение { $code }
mail-appeal-overdue-body = Срок ответа на обращение { $code } («{ $topic }»), которое рассматривает { $unit }, истёк { $due_on }. Номер в системе: { $id }.
account-email-title = Уведомления по электронной почте
account-email-note = Сюда придут письма о новых обращениях, о сроках и о заявках из опроса. Оставьте поле пустым, чтобы писем не получать.
nav-notifications = Неотправленные уведомления
notifications-title = Неотправленные уведомления
notifications-note = Письма и SMS о работе ваших организаций, которые ещё не ушли: ждут почтового сервера или не ушли после всех попыток.
notifications-none = Все уведомления отправлены.
notification-attempts = Попыток
notification-state-waiting = Ждёт отправки
notification-state-failed = Не отправлено
notification-kind-appeal-registered = Заявителю: обращение принято
notification-kind-appeal-new = Организации: новое обращение
notification-kind-appeal-forwarded = Заявителю: обращение передано
notification-kind-appeal-extended = Заявителю: срок продлён
notification-kind-appeal-answered = Заявителю: ответ
notification-kind-appeal-due-soon = Вышестоящим: осталась четверть срока
notification-kind-appeal-overdue = Вышестоящим: срок истёк
mail-sponsor-approved-subject = Заявка спонсора одобрена
mail-sponsor-approved-body = Здравствуйте! Заявку «{ $name }» одобрила область: { $region }. Теперь можно войти в систему с логином, полученным при подаче заявки, и выбрать детей, которым вы поможете.
mail-sponsor-rejected-subject = Заявка спонсора отклонена
mail-sponsor-rejected-body = Здравствуйте! Заявку «{ $name }» отклонила область: { $region }. Если это ошибка, свяжитесь с координатором акции в области.
mail-hold-expiring-subject = Бронь потребности ребёнка { $code } скоро истечёт
mail-hold-expiring-body = Бронь потребности ребёнка { $code } истекает { $expires_at }. Если помощь ещё не передана, отметьте передачу до этого времени, иначе потребность снова станет доступна всем спонсорам.
notification-kind-sponsor-approved = Спонсору: заявка одобрена
notification-kind-sponsor-rejected = Спонсору: заявка отклонена
notification-kind-hold-expiring = Спонсору: бронь истекает

## The survey «Готов ли Ваш ребёнок к школе?»
survey-link = Опрос «Готов ли ваш ребёнок к школе?»
survey-title = Готов ли ваш ребёнок к школе?
survey-note = Короткий опрос акции «Дорога в школу». Если семье нужна помощь, отметьте это и оставьте телефон: школа свяжется с вами. Ответы без просьбы о помощи учитываются только в общих итогах.
survey-check-title = Проверьте ответ
survey-ready-question = Готов ли ваш ребёнок к школе?
survey-ready-yes = Да, готов
survey-ready-no = Нет, не готов
survey-child = Ребёнок { $n }: класс
survey-preschool = дошкольник
survey-missing-label = Чего не хватает
survey-situation-label = Положение семьи
survey-missing-uniform = Школьная форма
survey-missing-shoes = Обувь
survey-missing-backpack-supplies = Рюкзак и канцелярия
survey-missing-outerwear = Верхняя одежда
survey-missing-other = Другое
survey-help = Нам нужна помощь: пусть школа свяжется с нами
survey-consent = Я согласен(на), что ответ и телефон будут переданы школе для оказания помощи
survey-thanks-title = Спасибо за ответ
survey-thanks = Спасибо! Ваш ответ учтён.
survey-thanks-lead = Школа получила вашу просьбу о помощи и свяжется с вами по указанному телефону.
field-grades = Классы детей
field-contact-name = Кому позвонить
field-ready = Готов ли ребёнок к школе
field-missing = Чего не хватает
field-situation = Положение семьи
field-help = Просьба о помощи
field-consent = Согласие
field-lead = Заявка из опроса
err-consent-required = Чтобы школа могла помочь, отметьте согласие на передачу ответа и телефона школе.
err-lead-not-open = Эта заявка из опроса уже закрыта или внесена в банк данных.
nav-leads = Заявки из опроса
leads-title = Заявки из опроса «Готов ли ваш ребёнок к школе?»
leads-note = Семьи, которые попросили о помощи. Свяжитесь с семьёй и внесите ребёнка в банк данных или закройте заявку, указав причину.
leads-none = Открытых заявок нет.
lead-title = Заявка из опроса
lead-status-label = Состояние
lead-status-open = Ждёт школу
lead-status-registered = Внесена в банк данных
lead-status-closed = Закрыта
lead-on = Поступила
lead-register = Внести в банк данных
lead-close = Закрыть заявку
lead-to-record-note = Запись из заявки опроса: источник «опрос», согласие семьи дано в опросе. Проверьте и дополните данные.
mail-lead-new-subject = Новая заявка из опроса «Готов ли ваш ребёнок к школе?»
mail-lead-new-body = Семья попросила о помощи через опрос (классы: { $grades }), заявка поступила в { $unit }. Откройте её в системе: «Заявки из опроса», номер { $id }.
notification-kind-lead-new = Школе: заявка из опроса
contacts-link = Контакты для граждан
contacts-title = Контакты для граждан
contacts-note = Эти телефоны, часы приёма и почта показываются на главной странице сайта семьям вашего района или школы. На почту приходят письма о новых обращениях и заявках из опроса.
field-hotline = Горячая линия
field-trust-phone = Телефон доверия
field-reception = Приём граждан: где и когда
front-title = «Дорога в школу»: поможем собрать ребёнка в школу
front-intro = Республиканская акция «Дорога в школу» помогает детям из семей, которым трудно собрать ребёнка к 1 сентября: школьная форма, обувь, рюкзак и канцелярия, верхняя одежда. Помощь оказывает школа из фонда всеобуча и спонсоры; её получение отслеживается, а итоги открыты.
front-actions = Что можно сделать
front-who = Кто может получить помощь
front-how = Как получить помощь
front-how-1 = Пройдите опрос «Готов ли ваш ребёнок к школе?» и отметьте, что нужна помощь, — школа свяжется с вами.
front-how-2 = Или обратитесь к социальному педагогу школы, в отдел образования района или по телефонам ниже.
front-how-3 = Если помощь не оказали или ребёнок не ходит в школу, подайте обращение: ответ дают в течение 15 рабочих дней, следить за ним можно по коду.
front-documents = Обычно нужны: заявление родителя или законного представителя, документ, удостоверяющий личность, и подтверждение положения семьи (справка о получении АСП, удостоверение многодетной семьи, решение об опеке). Школа подскажет, что именно нужно.
front-contacts = Куда обратиться
front-111 = Контакт-центр 111 по вопросам семьи, женщин и защиты прав детей — бесплатно и круглосуточно. Выберите область, район и школу, чтобы увидеть их телефоны и часы приёма.
front-no-contacts = Контакты этой организации пока не указаны. Позвоните в контакт-центр 111 или подайте обращение.
front-totals = Итоги акции
front-helped = В { $year } году помощь получили детей: { $helped }.
front-staff = Вход для сотрудников
survey-public-title = Опрос «Готов ли ваш ребёнок к школе?»
survey-public-note = Ответы семей за год: сколько детей не готовы к школе, кто просит о помощи и чего не хватает. Ни одна семья не названа.
survey-public-answers = Ответов
survey-public-help = Просят о помощи
appeal-receipt-pdf = Квитанция (PDF)
appeal-receipt-pdf-title = Квитанция о приёме обращения { $code }
appeal-receipt-pdf-note = Обращение принято и зарегистрировано. Ответ даётся в течение 15 рабочих дней; срок может быть продлён с уведомлением заявителя. Узнать, как рассматривается обращение, можно по коду на сайте акции, раздел «Узнать, что с обращением».
appeal-receipt-number = Код обращения
appeal-received-by = Кто принял
report-section-appeals = Обращения граждан
report-no-appeals = Обращений за этот период не поступало.
report-appeals-count = Обращений
report-appeals-received = Поступило обращений
report-appeals-by-topic = по темам
report-appeals-in-time = Рассмотрено в срок
report-appeals-late = Рассмотрено с нарушением срока
report-appeals-open = На рассмотрении
report-appeals-overdue = из них срок истёк
report-appeals-solved = Заявитель ответил: проблема решена
report-appeals-unsolved = Заявитель ответил: проблема не решена
report-no-survey = Ответов на опрос за этот период нет.
poster-link = Плакат с QR-кодами (PDF)
poster-in-ru = на русском
poster-in-kk = на казахском
poster-survey = Готов ли ваш ребёнок к школе?
poster-survey-note = Наведите камеру телефона на код и ответьте на короткий опрос. Если нужна помощь, школа свяжется с вами.
poster-appeal = Не получили помощь? Ребёнок не ходит в школу?
poster-appeal-note = Наведите камеру на код и подайте обращение. Ответ — в течение 15 рабочих дней, следить за ним можно по коду.
poster-111 = Контакт-центр 111 — бесплатно и круглосуточно.
poster-footer = Республиканская акция «Дорога в школу»
appeal-likely-duplicate = Возможный дубль
appeal-duplicates-note = Похоже на повторное обращение (та же тема за месяц с того же телефона, почты или адреса о той же школе):
appeal-duplicates-elsewhere = и ещё { $count } в других организациях
appeal-forwarded-late = Переадресовано с опозданием
appeal-forwarded-late-note = передано позже трёх рабочих дней после поступления
appeal-forward-by = Если вопрос не в компетенции, переадресуйте до { $date } (три рабочих дня).
appeal-forward-by-passed = Срок переадресации (три рабочих дня) истёк { $date }: при переадресации опоздание будет отмечено.
