# ollama-telegram: русский (на «вы»). Те же ключи и переменные, что в en.ftl.
# Множественное число: [one] 1, 21, 31…; [few] 2–4, 22–24…; [many] 0, 5–20, 25–30…; *[other] дроби.

## Команды (меню, которое показывает Telegram; не более 256 символов каждая)
cmd-ollama = Выбрать модель и настройки
cmd-model = Текущая модель и настройки
cmd-stop = Остановить текущий ответ или сообщение в очереди
cmd-reset = Очистить историю этого чата
cmd-system = Системный промпт: /system ТЕКСТ или /system off
cmd-stream = Потоковый вывод: /stream on|off
cmd-language = Язык бота в этом чате
cmd-topic = AI↔AI: задать тему
cmd-transcript = AI↔AI: разговор в виде документа
cmd-help = Что умеет этот бот

## Справка
help =
    Я подключаю этот чат к моделям ИИ, которые работают на вашем собственном компьютере (Ollama).

    • /ollama (или /o): выберите модель, а потом просто пишите мне.
    • Ответы появляются по мере написания; кнопка ⏹ Стоп останавливает ответ досрочно.
    • /model показывает текущие настройки, /reset забывает этот разговор,
      /system задаёт, как должна вести себя модель, /stream включает или выключает ответы в реальном времени,
      /language выбирает мой язык в этом чате.
    • /settings: температура, длина контекста, рассуждения и сколько модель остаётся в памяти.
      /summarize сжимает старые сообщения в заметку, когда длинный чат перестаёт помещаться;
      🔄 Перегенерировать под ответом пишет новый ответ.
    • AI↔AI: в /ollama включите AI↔AI, выберите модель для A и модель для B, затем нажмите ▶️ Начать и
      наблюдайте за их разговором; ⏭️ Следующий раунд — чтобы продолжить, ⏩ Авто — чтобы всё шло само. Всё, что вы напишете, станет репликой модератора.
    • В группах упоминайте меня или отвечайте на мои сообщения.
help-current-model = Текущая модель: { $model }.
help-no-model = Модель ещё не выбрана: отправьте /ollama.

## Доступ
access-denied = Извините, это частный бот. Ваш ID пользователя в Telegram: { $id }. Если это ваш бот, добавьте ID в ALLOWED_USER_IDS в его .env и перезапустите бота; иначе попросите об этом владельца.
rate-limited = ✋ Не так быстро: максимум { $count ->
    [one] { $count } сообщение
    [few] { $count } сообщения
    [many] { $count } сообщений
   *[other] { $count } сообщения
  } в минуту. Сообщения, отправленные за это время, игнорируются.

## Обычные сообщения
text-only = Я умею читать текст, фото, голосовые сообщения и документы (текст, PDF, Word), но не сообщения такого типа.
unknown-command = Я не знаю такой команды. В /help — список того, что я умею.
empty-mention = Да? Напишите вопрос после упоминания.
empty-message = Сообщение пустое: напишите вопрос текстом.
prompt-too-long = В вашем сообщении { $length ->
    [one] { $length } символ
    [few] { $length } символа
    [many] { $length } символов
   *[other] { $length } символа
  }, а допустимо не больше { $max }. Отправьте сообщение покороче или разбейте его на части.

## Заголовок чата и /model
chat-header = 🤖 Чат · Модель: { $model } · Потоковый вывод: { $streaming ->
    [on] вкл.
   *[off] выкл.
  }{ $system ->
    [set] { " · " }Системный промпт: задан
   *[none] {""}
  }
chat-no-model = пока не выбрана
model-history = История: { $count ->
    [one] { $count } сообщение
    [few] { $count } сообщения
    [many] { $count } сообщений
   *[other] { $count } сообщения
  }

## Выбор модели
picker-pick = Выберите модель:
picker-empty = Пока не установлено ни одной модели.
picker-prev = ◀ Назад
picker-next = Далее ▶
picker-ai2ai = 🤖↔🤖 AI↔AI: { $on ->
    [on] вкл.
   *[off] выкл.
  }
picker-streaming = Потоковый вывод: { $on ->
    [on] вкл.
   *[off] выкл.
  }
picker-system = 📝 Системный промпт
picker-clear = 🧹 Очистить историю
picker-refresh = 🔄 Обновить
picker-close = ✖ Закрыть
picker-ai-tap = Выберите модель для { $side ->
    [a] A (говорит первым)
   *[b] B (отвечает)
  }:
picker-ai-both = Обе стороны выбраны: нажмите ▶️ Начать или выберите модель, чтобы заново выбрать { $side }:
picker-stale = Это меню устарело: отправьте /ollama, чтобы открыть новое.
picker-stale-short = Это меню устарело.
picker-gone = Модель { $model } больше не установлена — вот обновлённый список.
picker-picked = Модель: { $model }
picker-now-chatting = ✅ Теперь вы общаетесь с моделью { $model }. Напишите сообщение, чтобы начать.
picker-now-answering = ✅ Теперь вы общаетесь с моделью { $model }. Отвечаю на ваше сообщение…
picker-refreshed = Обновлено.
picker-ai-on = AI↔AI: выберите модель для A, затем для B.
picker-ai-off = Снова обычный чат.
history-cleared-short = История очищена.
history-cleared = 🧹 История очищена. Модель и настройки сохранены.

## Настройки
stream-on = Потоковый вывод включён: ответы появляются по мере написания.
stream-off = Потоковый вывод выключен: ответы приходят целиком.
stream-usage = Используйте /stream on или /stream off (или просто /stream, чтобы переключить).
language-ask = На каком языке мне говорить в этом чате?
language-auto = 🌐 У каждого свой
language-auto-set = 🌐 Здесь я буду говорить с каждым на языке его Telegram.
language-set = 🌐 В этом чате я буду говорить по-русски.
language-unknown = На этом языке я пока не говорю. Доступные языки: { $languages }.

## Вопросы (ввод в несколько шагов)
button-cancel = ✖ Отмена
prompt-cancelled = Хорошо, ничего не изменилось.
prompt-expired = Время ответа на этот вопрос истекло, поэтому ничего не изменилось. Повторите команду, когда будете готовы.
prompt-given-up = Не получилось, поэтому ничего не изменилось. Попросите меня ещё раз, когда будете готовы.
prompt-need-text = Пожалуйста, ответьте текстом или отправьте /cancel.
question-for-other = Этот вопрос был адресован другому участнику. Упомяните меня, чтобы задать свой.
cancel-nothing = Отменять нечего.
system-ask = Отправьте системный промпт следующим сообщением (например: «Вы — лаконичный ассистент.»). Отправьте /cancel, чтобы оставить текущий, или «off», чтобы удалить его.
system-choose = Как должна вести себя модель? Выберите шаблон или напишите свой системный промпт.
preset-concise = ⚡ Кратко
preset-teacher = 🎓 Учитель
preset-coder = 💻 Программист
preset-editor = ✍️ Редактор
preset-own = 📝 Написать свой
preset-off = 🗑 Удалить
question-closed = Этот вопрос адресован другому участнику или уже закрыт.
system-current = Текущий системный промпт: { $system }
system-set = 📝 Системный промпт задан. Он начнёт действовать с вашего следующего сообщения.
system-removed = 📝 Системный промпт удалён.
topic-ask = О чём им поговорить? Отправьте тему следующим сообщением.
topic-set = 📝 Тема задана: { $topic }
persona-ask-name = Персонаж { $side }: как его зовут? (например, «Жан-Люк Пикар»)
persona-ask-description = { $name } — кто это и как говорит? (например, «невозмутимый капитан звездолёта, который цитирует Шекспира»)
persona-set = 🎭 Теперь { $side } — это { $name }.
persona-pick-model-first = Сначала выберите модель для стороны { $side } (/ollama).

## Живое сообщение
live-waiting = ⏳ { $label }…
live-preparing = ⏳ { $label } готовит ответ… { $seconds } с
live-thinking = 🤔 { $label } думает… { $seconds } с
live-empty = (Модель вернула пустой ответ.)
live-stop = ⏹ Стоп
note-stopped = ⏹ Остановлено.
note-too-long = ✂️ Остановлено: ответ достиг предельной длины ({ $max } симв.).
note-restart = ⚠️ Прервано: бот был перезапущен.
note-cut = ⚠️ Этот ответ оборвался.
stop-finished = Этот ответ уже завершён.
stop-stopping = ⏹ Останавливаю.
stop-nothing = Нечего останавливать: ответ сейчас не пишется и в очереди ничего нет.
stop-waiting-cancelled = { $count ->
    [one] ✖ { $count } сообщение в очереди отменено.
    [few] ✖ { $count } сообщения в очереди отменены.
    [many] ✖ { $count } сообщений в очереди отменено.
   *[other] ✖ { $count } сообщения в очереди отменено.
  }

## Очередь
queue-position = ⏳ Модель занята другими чатами: ваше место в очереди — { $position }.
queue-next = ⏳ Модель занята другими чатами: вы следующий в очереди.
queue-behind-own = ⏳ В очереди: отвечу сразу после текущего ответа.
queue-full-chat = ⏳ В этом чате ответа уже ждут { $count ->
    [one] { $count } сообщение
    [few] { $count } сообщения
   *[many] { $count } сообщений
  }. Дождитесь ответов или отмените их командой /stop.
queue-full-user = ⏳ У вас в очереди уже { $count ->
    [one] { $count } сообщение
    [few] { $count } сообщения
   *[many] { $count } сообщений
  }. Дождитесь ответов или отмените их командой /stop.
queue-restarting = ⏳ Бот останавливается: я отвечу на это, как только он снова заработает.
queue-cancel = ✖ Отменить
queue-cancelled = ✖ Отменено: я не буду отвечать на это сообщение.
queue-cancelled-short = Отменено.
queue-already-started = Отменить уже нельзя: ответ начался (остановите его кнопкой ⏹ Стоп).
queue-admins-only = Очередь видят только администраторы.
queue-running = Генерация: { $running } из { $slots } { $slots ->
    [one] слота
    [few] слотов
    [many] слотов
   *[other] слота
  }
queue-running-chat = ▶ чат { $chat }, уже { $seconds } с
queue-host = { $up ->
    [yes] 🟢
   *[no] 🔴
  } { $name } ({ $label }): генерирует { $busy } из { $slots }, моделей: { $models }
queue-host-down = 🔴 { $name } ({ $label }): не отвечает ({ $error })
queue-waiting = В очереди: { $count ->
    [0] пусто
    [one] { $count } ответ
    [few] { $count } ответа
    [many] { $count } ответов
   *[other] { $count } ответа
  }
queue-waiting-chat = #{ $position } чат { $chat } ({ $count ->
    [one] { $count } ответ
    [few] { $count } ответа
    [many] { $count } ответов
   *[other] { $count } ответа
  })

## Ответы, сбои и как их исправить
# Где работают модели, внутри фраз ниже ($backend): в родительном падеже («до …», «от …», «моделей …»), никогда в начале предложения.
backend-hub = хаба по адресу { $url }
backend-ollama = Ollama по адресу { $url }
turn-pick-first = Сначала выберите модель — я отвечу на ваше сообщение сразу после этого.
button-open-picker = 🤖 Выбрать модель
turn-restarted = ⚠️ Бот был перезапущен во время ответа на ваше сообщение. Оно сохранено: нажмите «Повторить», чтобы получить ответ.
turn-restarted-partial = ⚠️ Бот был перезапущен во время ответа на ваше сообщение, и ответ выше оборвался. Нажмите «Повторить», чтобы получить новый ответ, или «Продолжить», чтобы дописать этот.
continue-prompt = Пожалуйста, продолжите свой предыдущий ответ ровно с того места, где он оборвался, не повторяя уже написанного.
button-retry = 🔁 Повторить
button-continue = ▶️ Продолжить
button-pick = Выбрать другую модель
button-pull = 📥 Скачать { $model }
button-pull-again = 🔁 Скачать ещё раз
button-stale = Эта кнопка устарела.
offer-saved = Ваше сообщение сохранено: нажмите «Повторить», когда модель станет доступна.
offer-partial = Ответ выше оборвался: «Повторить» — чтобы получить новый, «Продолжить» — чтобы дописать этот.
offer-pull = Модель { $model } не установлена: в списке моделей { $backend } её нет. Скачать сейчас? Я отвечу на ваше сообщение, когда она будет готова.
offer-ask-admin = Модель { $model } не установлена. Выберите другую модель или попросите администратора скачать её.
offer-used = Эта кнопка уже использована.
retrying = Пробую ещё раз…
continuing = Продолжаю…
pick-for-saved = Выберите модель: она ответит на ваше сохранённое сообщение.
failure-unreachable = Сейчас не удаётся достучаться до { $backend }. Проверьте, что сервер запущен и доступен для бота.
failure-timeout = Ответ от { $backend } не пришёл вовремя.
failure-ollama-down = До { $backend } достучаться удалось, но Ollama за ним не запущена.
failure-model-missing = Модель { $model } не установлена.
failure-not-in-library = В библиотеке нет модели с названием { $model }.
failure-server = От { $backend } пришла ошибка ({ $status }). Попробуйте ещё раз чуть позже.
failure-model-error = Модель остановилась из-за ошибки.
failure-cut = Ответ оборвался: соединение с моделью потеряно.
failure-bad-reply = Не удалось прочитать ответ от { $backend }.
failure-internal = Что-то пошло не так на моей стороне. Попробуйте ещё раз; если ошибка повторяется, сообщите владельцу бота.
failure-storage = ⚠️ Сейчас у меня нет доступа к хранилищу, поэтому на это сообщение я не ответил. Отправьте его ещё раз через несколько минут.
failure-not-saved = ⚠️ Не удалось сохранить этот ответ (хранилище недоступно): следующий ответ может его не учесть.
held-note = ⚠️ Сейчас я не могу сохранять сообщения (хранилище недоступно). Ваше сообщение сохранено у меня: отвечу, как только хранилище вернётся.
held-full = ⚠️ Сейчас я не могу сохранять сообщения (хранилище недоступно) и больше не могу их удерживать. Отправьте это сообщение ещё раз через несколько минут.
held-gave-up = ❌ Хранилище слишком долго было недоступно, поэтому на это сообщение я не ответил. Отправьте его ещё раз.
held-stopped = ❌ Меня остановили раньше, чем вернулось хранилище, поэтому на это сообщение я не ответил. Отправьте его ещё раз.
held-press = Хранилище ненадолго недоступно. Нажмите ещё раз чуть позже.

## Скачивание моделей
pull-admins-only = Скачивать модели может только администратор.
pull-starting = Скачиваю { $model }…
pull-already = Модель { $model } уже скачивается.
pull-started = 📥 Скачиваю { $model }…
pull-progress = 📥 Скачивание { $model }
pull-done = ✅ Модель { $model } установлена.
pull-on-host = { $model } на { $host }
pull-not-in-library = ❌ Не удалось скачать { $model }: такой модели нет в библиотеке.
pull-unreachable = ❌ Не удалось скачать { $model }: не получается достучаться до { $backend }.
pull-failed = ❌ Не удалось скачать { $model }: ошибка загрузки.
pull-interrupted = ❌ Скачивание { $model } прервано перезапуском.

## AI↔AI
ai-title = 🤖↔🤖 AI↔AI
ai-side = { $side }: { $persona } ({ $model })
ai-side-unset = { $side }: выберите модель
ai-topic = Тема: { $topic }
ai-turns = Раунды: { $done }/{ $max }
ai-default-topic = Что делает идею достойной того, чтобы ею заниматься?
ai-line-header = { $persona } ({ $model }) · Раунд { $turn }/{ $max }
ai-start = ▶️ Начать
ai-continue = ⏭️ Следующий раунд
ai-retry = 🔁 Повторить
ai-auto = ⏩ Авто
ai-auto-on = ⏸ Авто включено
ai-stop = ⏹ Стоп
ai-options = ⚙️ Настройки
ai-more = ➕ Ещё { $n ->
    [one] { $n } раунд
    [few] { $n } раунда
    [many] { $n } раундов
   *[other] { $n } раунда
  }
ai-restart = 🔁 Заново
ai-transcript = 📄 Стенограмма
ai-finished = 🏁 Разговор завершён после { $turns ->
    [one] { $turns } раунда
    [few] { $turns } раундов
    [many] { $turns } раундов
   *[other] { $turns } раунда
  }.
ai-progress = Раунд { $done }/{ $max } · осталось: { $left }
ai-paused-failed = ⚠️ Пауза: { $persona } не может ответить. Повторите, когда будете готовы.
ai-paused-restart = ⚠️ Пауза из-за перезапуска: дальше говорит { $persona }. Продолжите, когда будете готовы.
ai-resuming-restart = ⚠️ Бот перезапустился: дальше говорит { $persona }, Авто продолжается.
ai-continuing-restart = ⚠️ Бот перезапустился: дальше говорит { $persona }.
ai-options-title = ⚙️ Настройки AI↔AI
ai-custom = { $side }: ✍️ Свой
ai-topic-button = 📝 Тема
ai-n-turns = { $n ->
    [one] { $n } раунд
    [few] { $n } раунда
    [many] { $n } раундов
   *[other] { $n } раунда
  }
ai-back-to-chat = 💬 Вернуться в чат
ai-back-in-chat = 💬 Снова обычный чат: пишите, чтобы общаться со своей моделью. /ollama снова включит AI↔AI.
ai-stale = Кнопки этого разговора устарели. /ollama начнёт новый.
ai-next = Следующий раунд…
ai-busy = Раунд уже идёт.
ai-pick-both = Сначала выберите обе модели: /ollama, затем A и B.
ai-all-done = Все раунды сыграны: добавьте ещё или начните заново.
ai-auto-turned-on = Авто: вкл.
ai-auto-turned-off = Авто: выкл.
ai-stopped = Остановлено.
ai-more-done = Ещё { $n ->
    [one] { $n } раунд.
    [few] { $n } раунда.
    [many] { $n } раундов.
   *[other] { $n } раунда.
  }
ai-restarted = Новый разговор, те же участники.
ai-turns-set = Число раундов: { $n }
ai-pick-side-first = Сначала выберите модель для этой стороны.
ai-unknown-persona = Неизвестный персонаж.
ai-noted = 📝 Записано как реплика модератора: обе стороны увидят её в следующем раунде.
ai-no-transcript = Разговора AI↔AI пока нет. /ollama, включите AI↔AI, выберите две модели.
ai-moderator = Модератор
ai-transcript-title = Разговор AI↔AI
ai-transcript-topic = Тема:
ai-transcript-turns = Раунды:
ai-transcript-caption = Стенограмма: { $lines ->
    [one] { $lines } строка
    [few] { $lines } строки
    [many] { $lines } строк
   *[other] { $lines } строки
  }, { $turns ->
    [one] { $turns } раунд
    [few] { $turns } раунда
    [many] { $turns } раундов
   *[other] { $turns } раунда
  }
ai-mark-failed = оборвано из-за ошибки
ai-mark-stopped = остановлено
ai-mark-interrupted = прервано перезапуском

# /models (admins)
models-admins-only = Управлять моделями могут только администраторы.
models-stale = Это меню устарело: отправьте /models, чтобы открыть новое.
models-unknown = –
models-title = 🗂 Установленные модели: { $count }
models-empty = Пока не установлено ни одной модели: ➕ скачайте первую.
models-line = { $marks }{ $name } · { $size } · { $params } · { $quant } · { $date }
models-legend = 🟢 загружена в память · ⭐ модель по умолчанию
models-default-line = ⭐ По умолчанию для чатов без выбора: { $model }
models-default-missing = ⭐ По умолчанию для чатов без выбора: { $model } (не установлена)
models-default-none = ⭐ Модели по умолчанию нет: каждый чат выбирает её через /ollama.
models-button-pull = ➕ Скачать модель
models-button-loaded = 🧠 Загруженные
models-button-default = ⭐ По умолчанию
models-button-refresh = 🔄 Обновить
models-button-close = ✖ Закрыть
models-button-back = ◀️ Назад
models-button-delete = 🗑 Удалить
models-button-unload = ⏏️ Выгрузить
models-button-make-default = ⭐ По умолчанию
models-button-confirm-delete = 🗑 Да, удалить
models-button-cancel = ✖ Отмена
models-button-reset-default = ↩️ Вернуть { $model }
models-button-no-default = ↩️ Без умолчания
models-button-cancel-pull = ✖ Отмена
models-button-pull-again = 🔁 Ещё раз
models-details-title = 📦 { $model }
models-details-family = Семейство: { $value }
models-details-params = Параметры: { $value }
models-details-quant = Квантование: { $value }
models-details-size = Размер: { $value }
models-details-context = Длина контекста: { $value }
models-details-capabilities = Возможности: { $value }
models-details-modified = Изменена: { $value }
models-details-settings = Параметры Modelfile: { $value }
models-details-license = Лицензия: { $value }
models-details-unavailable = Подробностей нет: { $reason }
models-details-loaded = 🟢 Сейчас загружена в память.
models-details-default = ⭐ Модель по умолчанию для чатов, где модель не выбрана.
models-gone = Модель { $model } больше не установлена.
models-delete-confirm = 🗑 Удалить { $model } ({ $size })? Её файлы будут стёрты с диска; чтобы снова ею пользоваться, её придётся скачать заново.
models-deleted = ✅ Модель { $model } удалена.
models-delete-gone = Модели { $model } уже нет: удалять нечего.
models-delete-failed = ❌ Не удалось удалить { $model }: { $reason }
models-unloaded = ⏏️ Модель { $model } выгружена из памяти.
models-unload-failed = ❌ Не удалось выгрузить { $model }: { $reason }
models-loaded-title = 🧠 Загружено в память: { $count }
models-loaded-none = 🧠 Сейчас в памяти нет ни одной модели.
models-loaded-line = • { $model } · { $vram } видеопамяти · { $until }
models-loaded-until = до { $time }
models-loaded-forever = остаётся загруженной
models-loaded-failed = ❌ Не удалось получить список загруженных моделей: { $reason }
models-default-explain = Чаты, где модель не выбрана через /ollama, используют модель по умолчанию. DEFAULT_MODEL в конфигурации: { $config }.
models-default-nothing = не задана
models-default-pick = Выберите новую модель по умолчанию:
models-default-set = ⭐ Теперь { $model } — модель по умолчанию.
models-default-reset = ↩️ По умолчанию снова DEFAULT_MODEL: { $model }.
models-default-cleared = ↩️ Модели по умолчанию больше нет: каждый чат выбирает её через /ollama.
models-pull-ask = 📥 Какую модель скачать? Напишите её название, как в библиотеке Ollama, например llama3.2 или qwen2.5:7b.
models-pull-need-name = Напишите название модели, например llama3.2.
models-pull-bad-name = «{ $name }» — не название модели: допустимы буквы, цифры, «.», «-», «_» и «/», затем при желании «:» и тег, например llama3.2:1b.
models-pull-installed = Модель { $model } уже установлена.
models-pull-busy = Модель { $model } уже скачивается.
models-pull-retrying = 📥 Скачиваю { $model } ещё раз…
models-pull-cancelling = Отменяю скачивание…
models-pull-cancelled = ✖ Скачивание { $model } отменено.
models-pull-not-running = Это скачивание уже не идёт.
models-pull-stale = Эта кнопка устарела: откройте /models и нажмите ➕ Скачать модель.

## Настройки (/settings), контекст, «Перегенерировать» и /summarize
cmd-settings = Настройки модели: температура, контекст, рассуждения…
cmd-summarize = Сжать старые сообщения в короткую заметку
settings-title = ⚙️ Настройки этого чата · модель { $model }
settings-line-temperature = 🌡 Температура: { $value }
settings-line-top-p = 🎯 Top-p: { $value }
settings-line-context = 📏 Контекст: { $value }; модель принимает до { $max }
settings-line-thinking = 🧠 Рассуждения: { $value } · показывать: { $shown ->
    [yes] да
   *[no] нет
  }
settings-line-keep-alive = ⏳ Держать модель в памяти: { $value }
settings-line-streaming = 🌊 Потоковый вывод: { $on ->
    [on] вкл.
   *[off] выкл.
  }
settings-line-system = 📝 Системный промпт: { $value }
settings-none = не задан
settings-default-mark = (по умолчанию)
settings-model-default = как задано в модели
settings-tokens = { $n ->
    [one] { $n } токен
    [few] { $n } токена
    [many] { $n } токенов
   *[other] { $n } токена
  }
settings-think-on = вкл.
settings-think-off = выкл.
settings-think-low = низкий
settings-think-medium = средний
settings-think-high = высокий
settings-think-unsupported = эта модель не рассуждает
settings-think-unsupported-long = Эта модель не рассуждает пошагово, так что настраивать здесь нечего. Рассуждают модели, отмеченные 🧠 в /ollama.
settings-think-levels-only = Эта модель принимает только уровень: «выкл.» отправляется как «низкий» — минимальный для неё уровень.
settings-keep-forever = всегда
settings-keep-unload = выгружается после каждого ответа
settings-keep-duration = { $n } { $unit ->
    [s] с
    [m] мин
   *[h] ч
  }
settings-button-temperature = 🌡 Температура
settings-button-top-p = 🎯 Top-p
settings-button-context = 📏 Контекст
settings-button-thinking = 🧠 Рассуждения
settings-button-keep-alive = ⏳ Держать в памяти
settings-button-show-thinking = 👁 Мысли: { $on ->
    [on] видны
   *[off] скрыты
  }
settings-button-reset = ↩️ По умолчанию
settings-about-temperature = 🌡 Температура: насколько свободно модель выбирает слова. 0 — самый предсказуемый вариант, 2 — самый случайный.
settings-about-top_p = 🎯 Top-p: модель выбирает только среди самых вероятных слов, которые вместе составляют эту долю. Чем меньше значение, тем сосредоточеннее ответ.
settings-about-context = 📏 Контекст: сколько токенов разговора читает модель (вопрос и ответ вместе). Чем больше, тем больше она помнит, но тем больше нужно памяти и времени.
settings-about-thinking = 🧠 Рассуждения: модель, которая рассуждает пошагово перед ответом, может делать это, не делать или рассуждать на заданном уровне.
settings-about-keep_alive = ⏳ Сколько модель остаётся в памяти после ответа, чтобы следующий ответ начинался сразу.
settings-now = Сейчас: { $value }
settings-context-max = Эта модель принимает не больше { $max ->
    [one] { $max } токена
    [few] { $max } токенов
    [many] { $max } токенов
   *[other] { $max } токена
  }.
settings-context-min = Не меньше { $min }.
settings-use-default = ↩️ По умолчанию
settings-own-value = ✏️ Другое значение
settings-back = ◀️ Назад
settings-saved = Сохранено.
settings-reset-done = ↩️ Настройки сброшены к значениям по умолчанию. Системный промпт сохранён (его меняет /system).
settings-usage = /settings открывает меню. Чтобы задать параметр напрямую: /settings NAME VALUE (названия: { $names }), /settings NAME default или /settings reset.
settings-set-default = { $name }: снова значение по умолчанию.
settings-changed = ✅ { $name }: { $value }. Действует с вашего следующего сообщения.
settings-context-capped = Эта модель принимает не больше { $max ->
    [one] { $max } токена
    [few] { $max } токенов
    [many] { $max } токенов
   *[other] { $max } токена
  }, поэтому отправляется именно столько.
settings-name-temperature = Температура
settings-name-top_p = Top-p
settings-name-context = Контекст
settings-name-thinking = Рассуждения
settings-name-keep_alive = Держать в памяти
settings-ask = Отправьте значение для параметра «{ $name }».
setting-bad-range = { $name }: значение должно быть от { $min } до { $max } (вы отправили «{ $got }»).
setting-bad-choice = { $name }: допустимые значения — { $choices } (вы отправили «{ $got }»).
setting-bad-keep-alive = { $name }: укажите длительность, например 30m или 2h (не больше недели), 0 — чтобы выгружать модель после каждого ответа, или -1 — чтобы держать её в памяти (вы отправили «{ $got }»).
picker-settings = ⚙️ Настройки
picker-legend = 🟢 загружена · 👁 видит изображения · 🧠 рассуждает · 🛠 использует инструменты · 🎧 слышит аудио
model-loaded = 🟢 Сейчас загружена: следующий ответ начнётся сразу.
model-not-loaded = ⚪ Не загружена: перед следующим ответом придётся подождать, пока модель загрузится.
model-summary = Сводка старых сообщений: { $chars } симв.
model-settings-hint = Изменить их можно в /settings.
button-continue-length = ➡️ Продолжить
button-regenerate = 🔄 Перегенерировать
regenerate-not-latest = Перегенерировать можно только последний ответ.
regenerating = Пишу новый ответ…
button-summarize = 📝 Сделать сводку
button-summarize-again = 📝 Обновить сводку
context-cut = 🧹 Разговор больше не помещается в контекст модели (токенов: { $tokens }): { $count ->
    [one] { $count } самое старое сообщение теперь не учитывается
    [few] { $count } самых старых сообщения теперь не учитываются
    [many] { $count } самых старых сообщений теперь не учитываются
   *[other] { $count } самого старого сообщения теперь не учитываются
  }. /summarize сохранит их суть в короткой заметке.
context-near = 📏 Разговор почти заполнил контекст модели (токенов: { $tokens }): скоро самые старые сообщения перестанут учитываться. /summarize сохранит их суть в короткой заметке.
summary-working = 📝 Составляю сводку старых сообщений…
summary-done = 📝 Теперь вместо { $count ->
    [one] { $count } старого сообщения
    [few] { $count } старых сообщений
    [many] { $count } старых сообщений
   *[other] { $count } старого сообщения
  } — эта заметка (последние { $kept } остаются как есть):
summary-busy = Сводка уже составляется.
summary-nothing = Пока нечего сжимать: разговор ещё короткий.
summary-no-model = Сначала выберите модель: /ollama.
summary-interrupted = ⚠️ Составление сводки прервано перезапуском. Сообщения остались как были.
summary-kept = Сообщения остались как были.

## Фото, голосовые сообщения и документы
photo-default-prompt = Опишите это изображение.
document-default-prompt = Кратко изложите содержание этого документа.
voice-default-prompt = Ответьте на это голосовое сообщение.
document-label = Документ: { $name }
document-cut = 📄 { $name }: в контекст модели поместилась только часть текста ({ $used } из { $total } симв.); остальное пропущено.
photo-model-blind = 🖼 Модель { $model } не видит изображения.
photo-pick-vision = 🖼 Модель ещё не выбрана, а для фото нужна модель, которая видит изображения.
photo-pick-one = Выберите такую модель, и она ответит на ваше фото:
photo-none-installed-admin = Не установлено ни одной модели, которая видит изображения. Скачайте { $model } (небольшую модель, которая это умеет), и она ответит на ваше фото:
photo-none-installed = Не установлено ни одной модели, которая видит изображения. Попросите администратора бота установить такую модель, например { $model }.
photo-answering = Отвечаю на ваше фото…
photo-model-gone = Эта модель больше не установлена.
failure-file-too-big-telegram = Этот файл больше { $mb } МБ — больше Telegram не позволяет ботам скачивать. Отправьте файл поменьше; владелец бота может снять это ограничение с помощью локального сервера Bot API (TELEGRAM_API_ROOT).
failure-file-too-big = Этот файл больше { $mb } МБ — больше этот бот не принимает (MEDIA_MAX_MB).
failure-download = Не удалось скачать файл из Telegram. Попробуйте ещё раз.
failure-no-stt = На хабе не установлено распознавание речи, поэтому голосовые сообщения я здесь не понимаю. Владелец хаба может установить на него faster-whisper. А пока напишите сообщение текстом.
failure-voice-direct = Для голосовых сообщений нужно распознавание речи на хабе (TTSHUB_API_BASE) или модель, которая слышит аудио, а у этого бота нет ни того, ни другого. Напишите сообщение текстом.
failure-nothing-heard = В этом голосовом сообщении я не услышал речи.
failure-audio-invalid = Хаб не смог прочитать этот аудиофайл.
failure-hub-ffmpeg = Хаб не может конвертировать аудио: на его компьютере нет ffmpeg.
failure-stt-failed = Распознавание речи на хабе не сработало. Попробуйте ещё раз.
failure-document-encrypted = Этот PDF защищён паролем, поэтому я не могу его прочитать.
failure-document-no-text = В этом документе нет текста, который я могу прочитать (это скан или только изображения).
failure-document-invalid = Похоже, файл повреждён: мне не удалось его прочитать.
failure-document-unsupported = Я умею читать текстовые файлы и документы PDF и Word (.docx), но не файлы такого типа.
failure-document-too-complex = Этот документ слишком большой или сложный, чтобы прочитать его вовремя.
ai-media-chat-only = Фото, голосовые сообщения и документы работают в режиме чата. Выключите AI↔AI в /ollama, чтобы обсудить их с моделью.
setting-admin-only-keep-alive = Держать модель загруженной дольше суток или постоянно могут только администраторы бота: она занимает память сервера для всех.
summary-reset = 📝 История тем временем была очищена, так что сводить больше нечего.

## Ответы вслух
cmd-say = Прочитать последний ответ вслух
button-speak = 🔊
voice-making = 🔊 Готовлю голосовое сообщение…
voice-making-short = Готовлю голосовое сообщение…
voice-omitted = Остальная часть ответа пропущена: голосовое сообщение должно быть коротким.
voice-code-omitted = (код пропущен)
voice-nothing = В этом ответе нечего прочитать вслух.
voice-stopped = ⏹ Остановлено: голосового сообщения не будет.
voice-tts-unavailable = Синтез речи на хабе сейчас недоступен, поэтому я не могу читать ответы вслух.
voice-needs-hub = Чтобы читать ответы вслух, нужен синтез речи на хабе (TTSHUB_API_BASE), а этот бот работает с Ollama напрямую.
voice-not-found = На хабе нет голоса, который я запросил.
voice-no-answer = Пока нет ответа, который можно прочитать вслух.
voice-too-old = Этот ответ слишком старый: прочитать его вслух уже нельзя.
voice-busy = Голосовое сообщение уже создаётся, подождите немного.

settings-button-voice = 🗣 Голос
settings-button-voice-speed = ⏩ Скорость речи
settings-button-voice-replies = 🎙 Ответ голосом: { $on ->
    [on] вкл.
   *[off] выкл.
  }
settings-line-voice = 🔊 Читает: { $voice } · скорость { $speed }× · голосовой ответ на голосовые: { $replies ->
    [on] вкл.
   *[off] выкл.
  }
settings-about-voice = 🗣 Голос, которым ответы читаются вслух (🔊, /say):
settings-about-voice_speed = ⏩ Скорость чтения вслух: 1 — обычная, от 0.5 до 2.
settings-name-voice_speed = Скорость речи
settings-voice-hint = Выберите выше язык и ♀/♂; нажмите на голос, чтобы послушать короткий образец.
settings-voice-none = На хабе нет голоса такого типа.
settings-voice-saved = Сохранено: { $voice }. Сейчас прозвучит короткий образец.
voice-sample-failed = Не удалось воспроизвести образец голоса: { $reason }

## AI↔AI вслух
ai-voices-button = 🔊 Голоса: { $on ->
    [on] вкл.
   *[off] выкл.
  }
ai-voices-line = 🔊 Реплики вслух: { $on ->
    [on] вкл.
   *[off] выкл.
  } · A: { $a } · B: { $b }
ai-voices-turned-on = Теперь каждая реплика после текста читается вслух.
ai-voices-turned-off = Реплики больше не читаются вслух.
ai-voice-pick = 🗣 Голос для { $side } ({ $persona }): выберите язык, затем голос; после этого прозвучит короткий образец.
ai-voice-taken = Другая сторона уже говорит этим голосом: выберите другой, чтобы они звучали по-разному.
ai-voice-line-failed = У этой реплики нет голосового сообщения: { $reason } Разговор продолжается текстом.
ai-voice-line-failed-off = У этой реплики нет голосового сообщения: { $reason } Голоса в этом разговоре теперь выключены; снова включить их можно в разделе ⚙️ Настройки.
ai-episode = 🎧 Выпуск
ai-episode-started = Готовлю выпуск…
ai-episode-making = 🎧 Готовлю выпуск… { $done }/{ $total }
ai-episode-intro = Разговор ИИ с ИИ. { $a } и { $b } говорят на тему: { $topic }
ai-episode-caption = 🎧 { $a } и { $b }: { $topic }
ai-episode-omitted = На этом выпуск заканчивается: он длится не больше 15 минут.
ai-episode-failed = Не удалось подготовить выпуск: { $reason } Сообщения разговора остались как были; нажмите 🎧 Выпуск, чтобы попробовать ещё раз.
voice-interrupted = Бот перезапустился, пока готовилось это голосовое сообщение: нажмите 🔊 ещё раз.
ai-episode-interrupted = Бот перезапустился, пока готовился выпуск: нажмите 🎧 Выпуск ещё раз.
ai-voice-line-busy = У этой реплики нет голосового сообщения: сейчас готовятся голосовые сообщения других чатов. Разговор продолжается текстом.
ai-episode-after-exchange = Сейчас идёт обмен репликами: нажмите 🎧 Выпуск, когда он закончится.
