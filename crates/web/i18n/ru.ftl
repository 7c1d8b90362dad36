## Doroga — русский каталог. Ключи совпадают с kk.ftl (это проверяет тест).

app-name = Дорога в школу
skip-to-content = К содержанию
nav-label = Главное меню
nav-orgs = Организации
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
