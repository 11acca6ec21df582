# ollama-telegram: español (neutro, «tú»). Mismas claves y variables que en.ftl.

## Comandos (el menú que muestra Telegram; 256 caracteres como máximo cada uno)
cmd-ollama = Elegir un modelo y los ajustes
cmd-model = Ver el modelo y los ajustes actuales
cmd-stop = Detener la respuesta actual o un mensaje en espera
cmd-reset = Borrar el historial de este chat
cmd-system = Definir el prompt del sistema: /system TEXTO o /system off
cmd-stream = Activar o desactivar el streaming: /stream on|off
cmd-language = El idioma del bot en este chat
cmd-topic = AI↔AI: definir el tema
cmd-transcript = AI↔AI: la conversación como documento
cmd-help = Qué hace este bot

## Ayuda
help =
    Conecto este chat con los modelos de IA que se ejecutan en tu propio equipo (Ollama).

    • /ollama (o /o): elige un modelo y luego escríbeme sin más.
    • Las respuestas aparecen a medida que se escriben; con ⏹ Detener puedes cortar una antes de que termine.
    • /model muestra los ajustes actuales, /reset olvida esta conversación,
      /system define cómo debe comportarse el modelo, /stream activa o desactiva las respuestas en vivo,
      /language elige mi idioma en este chat.
    • /settings: temperatura, longitud del contexto, razonamiento y cuánto tiempo sigue cargado el modelo.
      /summarize resume los mensajes anteriores en una nota cuando un chat largo ya no cabe;
      🔄 Regenerar, debajo de una respuesta, escribe otra nueva.
    • AI↔AI: en /ollama activa AI↔AI, toca un modelo para A y otro para B, luego ▶️ Empezar y
      mira cómo conversan; ⏭️ Siguiente ronda para el siguiente intercambio, o ⏩ Auto. Todo lo que escribas será una nota del moderador.
    • En grupos, mencióname o responde a mis mensajes.
help-current-model = Modelo actual: { $model }.
help-no-model = Aún no has elegido ningún modelo: envía /ollama.

## Acceso
access-denied = Lo siento, este bot es privado. Tu ID de usuario de Telegram es { $id }. Si el bot es tuyo, añádelo a ALLOWED_USER_IDS en su .env y reinícialo; si no, pídeselo a su dueño.
rate-limited = ✋ Más despacio: como máximo { $count ->
    [one] un mensaje
   *[other] { $count } mensajes
  } por minuto. Los mensajes enviados mientras tanto se ignoran.

## Mensajes simples
text-only = Puedo leer texto, fotos, mensajes de voz y documentos (texto, PDF, Word), pero no este tipo de mensaje.
unknown-command = No conozco ese comando. En /help verás lo que puedo hacer.
empty-mention = ¿Sí? Escribe tu pregunta después de la mención.
empty-message = Tu mensaje está vacío: escribe tu pregunta como texto.
prompt-too-long = Tu mensaje tiene { $length } caracteres y el límite es { $max }. Envía uno más corto o divídelo.

## La cabecera del chat y /model
chat-header = 🤖 Chat · Modelo: { $model } · Streaming: { $streaming ->
    [on] sí
   *[off] no
  }{ $system ->
    [set] { " · " }Prompt del sistema: definido
   *[none] {""}
  }
chat-no-model = ninguno aún
model-history = Historial: { $count ->
    [one] 1 mensaje
   *[other] { $count } mensajes
  }

## El selector
picker-pick = Elige un modelo:
picker-empty = Todavía no hay modelos instalados.
picker-prev = ◀ Anterior
picker-next = Siguiente ▶
picker-ai2ai = 🤖↔🤖 AI↔AI: { $on ->
    [on] sí
   *[off] no
  }
picker-streaming = Streaming: { $on ->
    [on] sí
   *[off] no
  }
picker-system = 📝 Prompt del sistema
picker-clear = 🧹 Borrar historial
picker-refresh = 🔄 Actualizar
picker-close = ✖ Cerrar
picker-ai-tap = Toca el modelo para { $side ->
    [a] A (habla primero)
   *[b] B (responde)
  }:
picker-ai-both = Ya están elegidos los dos lados: ▶️ Empezar, o toca un modelo para volver a elegir { $side }:
picker-stale = Este menú está desactualizado: envía /ollama para abrir uno nuevo.
picker-stale-short = Este menú está desactualizado.
picker-gone = { $model } ya no está instalado; aquí tienes la lista actualizada.
picker-picked = Modelo: { $model }
picker-now-chatting = ✅ Ahora hablas con { $model }. Envía un mensaje para empezar.
picker-now-answering = ✅ Ahora hablas con { $model }. Respondiendo a tu mensaje…
picker-refreshed = Actualizado.
picker-ai-on = AI↔AI: toca el modelo para A y luego el de B.
picker-ai-off = De vuelta al modo chat.
history-cleared-short = Historial borrado.
history-cleared = 🧹 Historial borrado. El modelo y los ajustes se mantienen.

## Ajustes
stream-on = Streaming activado: las respuestas aparecen a medida que se escriben.
stream-off = Streaming desactivado: las respuestas llegan completas.
stream-usage = Usa /stream on o /stream off (o solo /stream para alternar).
language-ask = ¿En qué idioma quieres que hable en este chat?
language-auto = 🌐 El de cada persona
language-auto-set = 🌐 Aquí hablaré con cada persona en el idioma que tenga en Telegram.
language-set = 🌐 En este chat hablaré español.
language-unknown = Todavía no hablo ese idioma. Hablo: { $languages }.

## Preguntas (datos en varios pasos)
button-cancel = ✖ Cancelar
prompt-cancelled = De acuerdo, no he cambiado nada.
prompt-expired = Esa pregunta caducó, así que no cambié nada. Vuelve a pedírmelo cuando quieras.
prompt-given-up = No ha funcionado, así que no cambió nada. Vuelve a pedírmelo cuando quieras.
prompt-need-text = Responde con texto, o envía /cancel.
question-for-other = Esa pregunta era para otra persona. Menciónme para preguntar lo tuyo.
cancel-nothing = No hay nada que cancelar.
system-ask = Envía el prompt del sistema en tu próximo mensaje (por ejemplo: “Eres un asistente conciso.”). Envía /cancel para mantener el actual, u “off” para quitarlo.
system-choose = ¿Cómo debe comportarse el modelo? Elige una plantilla o escribe tu propio prompt de sistema.
preset-concise = ⚡ Conciso
preset-teacher = 🎓 Profesor
preset-coder = 💻 Programador
preset-editor = ✍️ Editor
preset-own = 📝 Escribir el mío
preset-off = 🗑 Quitarlo
question-closed = Esta pregunta es para otra persona o ya está cerrada.
system-current = Prompt del sistema actual: { $system }
system-set = 📝 Prompt del sistema definido. Se aplica a partir de tu próximo mensaje.
system-removed = 📝 Prompt del sistema eliminado.
topic-ask = ¿De qué deberían hablar los dos? Envía el tema en tu próximo mensaje.
topic-set = 📝 Tema definido: { $topic }
persona-ask-name = Personaje { $side }: ¿cómo se llama? (por ejemplo, “Jean-Luc Picard”)
persona-ask-description = ¿Quién es { $name } y cómo habla? (por ejemplo, “un sereno capitán de nave espacial que cita a Shakespeare”)
persona-set = 🎭 Ahora { $side } es { $name }.
persona-pick-model-first = Primero elige el modelo del lado { $side } (/ollama).

## El mensaje en vivo
live-waiting = ⏳ { $label }…
live-preparing = ⏳ { $label } está preparando una respuesta… { $seconds } s
live-thinking = 🤔 { $label } está pensando… { $seconds } s
live-empty = (El modelo dio una respuesta vacía.)
live-stop = ⏹ Detener
note-stopped = ⏹ Detenido.
note-too-long = ✂️ Detenida: la respuesta llegó a { $max } caracteres, el máximo permitido.
note-restart = ⚠️ Interrumpido: el bot se reinició.
note-cut = ⚠️ Esta respuesta quedó cortada.
stop-finished = Esta respuesta ya terminó.
stop-stopping = ⏹ Deteniendo.
stop-nothing = No hay nada que detener: no se está escribiendo ninguna respuesta y no hay nada en espera.
stop-waiting-cancelled = { $count ->
    [one] ✖ Se canceló el mensaje que estaba en espera.
   *[other] ✖ Se cancelaron { $count } mensajes que estaban en espera.
  }

## La cola
queue-position = ⏳ El modelo está ocupado con otros chats: estás en el puesto { $position } de la cola.
queue-next = ⏳ El modelo está ocupado con otros chats: eres el siguiente en la cola.
queue-behind-own = ⏳ En cola: responderé a esto justo después de la respuesta actual.
queue-full-chat = ⏳ Ya hay { $count } mensajes esperando en este chat. Espera sus respuestas o cancélalos con /stop.
queue-full-user = ⏳ Ya tienes { $count } mensajes esperando. Espera sus respuestas o cancélalos con /stop.
queue-restarting = ⏳ El bot se está deteniendo: responderé a esto en cuanto vuelva a funcionar.
queue-cancel = ✖ Cancelar
queue-cancelled = ✖ Cancelado: no responderé a este mensaje.
queue-cancelled-short = Cancelado.
queue-already-started = Demasiado tarde para cancelar: la respuesta ya empezó (usa ⏹ Detener).
queue-admins-only = Solo los administradores pueden ver la cola.
queue-running = Generando: { $running } de { $slots } { $slots ->
    [one] espacio
   *[other] espacios
  }
queue-running-chat = ▶ chat { $chat }, desde hace { $seconds } s
queue-host = { $up ->
    [yes] 🟢
   *[no] 🔴
  } { $name } ({ $label }): { $busy } de { $slots } generando, { $models } modelos
queue-host-down = 🔴 { $name } ({ $label }): no responde ({ $error })
queue-waiting = En espera: { $count ->
    [0] nada
    [one] 1 respuesta
   *[other] { $count } respuestas
  }
queue-waiting-chat = #{ $position } chat { $chat } ({ $count ->
    [one] 1 respuesta
   *[other] { $count } respuestas
  })

## Respuestas, fallos y cómo resolverlos
# Dónde están los modelos, dentro de las frases de abajo ($backend): sin artículo, que lo pone la frase («el …», «del …», «con el …»); nunca al principio de una frase.
backend-hub = hub en { $url }
backend-ollama = Ollama en { $url }
turn-pick-first = Primero elige un modelo: responderé a tu mensaje en cuanto lo hagas.
button-open-picker = 🤖 Elegir modelo
turn-restarted = ⚠️ Me reinicié mientras respondía a tu mensaje. Está guardado: pulsa Reintentar para recibir una respuesta.
turn-restarted-partial = ⚠️ Me reinicié mientras respondía a tu mensaje; la respuesta de arriba quedó cortada. Pulsa Reintentar para una respuesta nueva, o Continuar para seguir donde se quedó.
continue-prompt = Continúa tu respuesta anterior exactamente donde se quedó, sin repetir lo que ya escribiste.
button-retry = 🔁 Reintentar
button-continue = ▶️ Continuar
button-pick = Elegir otro modelo
button-pull = 📥 Descargar { $model }
button-pull-again = 🔁 Reintentar descarga
button-stale = Este botón está desactualizado.
offer-saved = Tu mensaje está guardado: pulsa Reintentar cuando el modelo esté disponible.
offer-partial = La respuesta de arriba quedó cortada: Reintentar para una nueva, o Continuar para seguir donde se quedó.
offer-pull = { $model } no está entre los modelos instalados del { $backend }. ¿Lo descargo ahora? Responderé a tu mensaje cuando esté listo.
offer-ask-admin = { $model } no está instalado. Elige otro modelo o pide a un administrador que lo descargue.
offer-used = Este botón ya se usó.
retrying = Intentándolo de nuevo…
continuing = Continuando…
pick-for-saved = Elige un modelo: responderá a tu mensaje guardado.
failure-unreachable = Ahora mismo no puedo conectar con el { $backend }. Comprueba que esté en marcha y que el bot pueda acceder a él.
failure-timeout = No recibí a tiempo ninguna respuesta del { $backend }.
failure-ollama-down = Puedo conectar con el { $backend }, pero el Ollama que hay detrás no se está ejecutando.
failure-model-missing = El modelo { $model } no está instalado.
failure-not-in-library = No hay ningún modelo llamado { $model } en la biblioteca.
failure-server = Recibí un error del { $backend } ({ $status }). Vuelve a intentarlo en un momento.
failure-model-error = El modelo se detuvo por un error.
failure-cut = La respuesta quedó cortada: se perdió la conexión con el modelo.
failure-bad-reply = No pude leer la respuesta del { $backend }.
failure-internal = Algo salió mal por mi parte. Vuelve a intentarlo; si sigue pasando, avisa al dueño del bot.
failure-storage = ⚠️ Ahora no puedo acceder a mi almacenamiento, así que este mensaje no se respondió. Envíalo de nuevo en unos minutos.
failure-not-saved = ⚠️ No pude guardar esta respuesta (mi almacenamiento no responde): puede que la próxima respuesta no la recuerde.
held-note = ⚠️ Ahora no puedo guardar mensajes (mi almacenamiento no responde). El tuyo queda guardado: lo responderé en cuanto vuelva.
held-full = ⚠️ Ahora no puedo guardar mensajes (mi almacenamiento no responde) y no puedo retener más. Envíalo de nuevo en unos minutos.
held-gave-up = ❌ Mi almacenamiento tardó demasiado en volver, así que este mensaje no se respondió. Envíalo de nuevo.
held-stopped = ❌ Me detuvieron antes de que volviera mi almacenamiento, así que este mensaje no se respondió. Envíalo de nuevo.
held-press = Mi almacenamiento no responde por un momento. Pulsa de nuevo en breve.

## Descargas
pull-admins-only = Solo un administrador puede descargar modelos.
pull-starting = Descargando { $model }…
pull-already = { $model } ya se está descargando.
pull-started = 📥 Descargando { $model }…
pull-progress = 📥 Descargando { $model }
pull-done = ✅ { $model } está instalado.
pull-on-host = { $model } en { $host }
pull-not-in-library = ❌ No se pudo descargar { $model }: ese modelo no existe en la biblioteca.
pull-unreachable = ❌ No se pudo descargar { $model }: no se puede conectar con el { $backend }.
pull-failed = ❌ No se pudo descargar { $model }: la descarga falló.
pull-interrupted = ❌ Un reinicio interrumpió la descarga de { $model }.

## AI↔AI
ai-title = 🤖↔🤖 AI↔AI
ai-side = { $side }: { $persona } ({ $model })
ai-side-unset = { $side }: toca un modelo
ai-topic = Tema: { $topic }
ai-turns = Rondas: { $done }/{ $max }
ai-default-topic = ¿Qué hace que valga la pena perseguir una idea?
ai-line-header = { $persona } ({ $model }) · Ronda { $turn }/{ $max }
ai-start = ▶️ Empezar
ai-continue = ⏭️ Siguiente ronda
ai-retry = 🔁 Reintentar
ai-auto = ⏩ Auto
ai-auto-on = ⏸ Auto activado
ai-stop = ⏹ Detener
ai-options = ⚙️ Opciones
ai-more = ➕ { $n ->
    [one] 1 ronda más
   *[other] { $n } rondas más
  }
ai-restart = 🔁 Reiniciar
ai-transcript = 📄 Transcripción
ai-finished = 🏁 La conversación terminó tras { $turns ->
    [one] una ronda
   *[other] { $turns } rondas
  }.
ai-progress = Ronda { $done }/{ $max } · { $left ->
    [one] queda { $left }
   *[other] quedan { $left }
  }
ai-paused-failed = ⚠️ En pausa: { $persona } no pudo responder. Reintenta cuando quieras.
ai-paused-restart = ⚠️ En pausa por un reinicio: ahora le toca a { $persona }. Continúa cuando quieras.
ai-resuming-restart = ⚠️ El bot se reinició: ahora le toca a { $persona } y Auto sigue.
ai-continuing-restart = ⚠️ El bot se reinició: ahora le toca a { $persona }.
ai-options-title = ⚙️ Opciones de AI↔AI
ai-custom = { $side }: ✍️ Personalizado
ai-topic-button = 📝 Tema
ai-n-turns = { $n ->
    [one] 1 ronda
   *[other] { $n } rondas
  }
ai-back-to-chat = 💬 Volver al chat
ai-back-in-chat = 💬 De vuelta al modo chat: escribe para hablar con tu modelo. /ollama vuelve a activar AI↔AI.
ai-stale = Los botones de esta conversación están desactualizados. /ollama empieza una nueva.
ai-next = Siguiente ronda…
ai-busy = Ya hay una ronda en curso.
ai-pick-both = Primero elige los dos modelos: /ollama y luego toca A y B.
ai-all-done = Se completaron todas las rondas: añade más o vuelve a empezar.
ai-auto-turned-on = Auto: activado
ai-auto-turned-off = Auto: desactivado
ai-stopped = Detenido.
ai-more-done = { $n ->
    [one] 1 ronda más.
   *[other] { $n } rondas más.
  }
ai-restarted = Una conversación nueva, con el mismo reparto.
ai-turns-set = Rondas: { $n }
ai-pick-side-first = Primero elige el modelo de ese lado.
ai-unknown-persona = Personaje desconocido.
ai-noted = 📝 Anotado como moderador: los dos lados lo verán en la siguiente ronda.
ai-no-transcript = Todavía no hay ninguna conversación AI↔AI. Usa /ollama, activa AI↔AI y elige dos modelos.
ai-moderator = Moderador
ai-transcript-title = Conversación AI↔AI
ai-transcript-topic = Tema:
ai-transcript-turns = Rondas:
ai-transcript-caption = Transcripción: { $lines ->
    [one] 1 línea
   *[other] { $lines } líneas
  }, { $turns ->
    [one] 1 ronda
   *[other] { $turns } rondas
  }
ai-mark-failed = cortado por un error
ai-mark-stopped = detenido
ai-mark-interrupted = interrumpido por un reinicio

# /models (admins)
models-admins-only = Solo los administradores pueden gestionar los modelos.
models-stale = Este menú está desactualizado: envía /models para abrir uno nuevo.
models-unknown = –
models-title = 🗂 Modelos instalados: { $count }
models-empty = Todavía no hay modelos instalados: ➕ descarga uno.
models-line = { $marks }{ $name } · { $size } · { $params } · { $quant } · { $date }
models-legend = 🟢 cargado en memoria · ⭐ modelo predeterminado
models-default-line = ⭐ Predeterminado para los chats que no eligieron: { $model }
models-default-missing = ⭐ Predeterminado para los chats que no eligieron: { $model } (no instalado)
models-default-none = ⭐ No hay modelo predeterminado: cada chat elige uno con /ollama.
models-button-pull = ➕ Descargar modelo
models-button-loaded = 🧠 Modelos cargados
models-button-default = ⭐ Predeterminado
models-button-refresh = 🔄 Actualizar
models-button-close = ✖ Cerrar
models-button-back = ◀️ Volver
models-button-delete = 🗑 Eliminar
models-button-unload = ⏏️ Descargar de RAM
models-button-make-default = ⭐ Predeterminar
models-button-confirm-delete = 🗑 Sí, eliminar
models-button-cancel = ✖ Cancelar
models-button-reset-default = ↩️ Volver a { $model }
models-button-no-default = ↩️ Sin predeterminado
models-button-cancel-pull = ✖ Cancelar
models-button-pull-again = 🔁 Reintentar
models-details-title = 📦 { $model }
models-details-family = Familia: { $value }
models-details-params = Parámetros: { $value }
models-details-quant = Cuantización: { $value }
models-details-size = Tamaño: { $value }
models-details-context = Longitud de contexto: { $value }
models-details-capabilities = Capacidades: { $value }
models-details-modified = Modificado: { $value }
models-details-settings = Parámetros del Modelfile: { $value }
models-details-license = Licencia: { $value }
models-details-unavailable = No hay más detalles: { $reason }
models-details-loaded = 🟢 Cargado en memoria ahora.
models-details-default = ⭐ El modelo predeterminado de los chats que no eligieron ninguno.
models-gone = { $model } ya no está instalado.
models-delete-confirm = 🗑 ¿Eliminar { $model } ({ $size })? Sus archivos se borran del disco; para volver a usarlo habrá que descargarlo de nuevo.
models-deleted = ✅ { $model } se eliminó.
models-delete-gone = { $model } ya no estaba: no hay nada que eliminar.
models-delete-failed = ❌ No se pudo eliminar { $model }: { $reason }
models-unloaded = ⏏️ { $model } se descargó de la memoria.
models-unload-failed = ❌ No se pudo descargar { $model } de la memoria: { $reason }
models-loaded-title = 🧠 Cargados en memoria: { $count }
models-loaded-none = 🧠 Ahora no hay ningún modelo cargado en memoria.
models-loaded-line = • { $model } · { $vram } de VRAM · { $until }
models-loaded-until = hasta { $time }
models-loaded-forever = se mantiene cargado
models-loaded-failed = ❌ No se pudieron leer los modelos cargados: { $reason }
models-default-explain = Los chats que no eligieron un modelo con /ollama usan el predeterminado. DEFAULT_MODEL en la configuración: { $config }.
models-default-nothing = ninguno
models-default-pick = Toca el nuevo modelo predeterminado:
models-default-set = ⭐ { $model } es ahora el modelo predeterminado.
models-default-reset = ↩️ El predeterminado vuelve a ser DEFAULT_MODEL: { $model }.
models-default-cleared = ↩️ Ya no hay modelo predeterminado: cada chat elige uno con /ollama.
models-pull-ask = 📥 ¿Qué modelo descargo? Escribe su nombre como en la biblioteca de Ollama, p. ej. llama3.2 o qwen2.5:7b.
models-pull-need-name = Escribe el nombre del modelo, p. ej. llama3.2.
models-pull-bad-name = «{ $name }» no es un nombre de modelo: usa letras, cifras, «.», «-», «_» y «/», y después, si quieres, «:» y una etiqueta, p. ej. llama3.2:1b.
models-pull-installed = { $model } ya está instalado.
models-pull-busy = { $model } ya se está descargando.
models-pull-retrying = 📥 Descargando { $model } de nuevo…
models-pull-cancelling = Cancelando la descarga…
models-pull-cancelled = ✖ Se canceló la descarga de { $model }.
models-pull-not-running = Esta descarga ya no está en curso.
models-pull-stale = Este botón está desactualizado: abre /models y toca ➕ Descargar modelo.

## Ajustes (/settings), el contexto, Regenerar y /summarize
cmd-settings = Ajustes del modelo: temperatura, contexto, razonamiento…
cmd-summarize = Resumir los mensajes anteriores en una nota breve
settings-title = ⚙️ Ajustes de este chat · modelo { $model }
settings-line-temperature = 🌡 Temperatura: { $value }
settings-line-top-p = 🎯 Top-p: { $value }
settings-line-context = 📏 Contexto: { $value }; el modelo admite hasta { $max }
settings-line-thinking = 🧠 Razonamiento: { $value } · visible: { $shown ->
    [yes] sí
   *[no] no
  }
settings-line-keep-alive = ⏳ Mantener el modelo cargado: { $value }
settings-line-streaming = 🌊 Streaming: { $on ->
    [on] sí
   *[off] no
  }
settings-line-system = 📝 Prompt del sistema: { $value }
settings-none = ninguno
settings-default-mark = (por defecto)
settings-model-default = el valor del modelo
settings-tokens = { $n } tokens
settings-think-on = activado
settings-think-off = desactivado
settings-think-low = bajo
settings-think-medium = medio
settings-think-high = alto
settings-think-unsupported = este modelo no razona
settings-think-unsupported-long = Este modelo no razona paso a paso, así que aquí no hay nada que ajustar. Los modelos marcados con 🧠 en /ollama sí lo hacen.
settings-think-levels-only = Este modelo solo acepta un nivel: “desactivado” se envía como bajo, su mínimo.
settings-keep-forever = siempre
settings-keep-unload = se descarga tras cada respuesta
settings-keep-duration = { $unit ->
    [s] { $n } s
    [m] { $n } min
   *[h] { $n } h
  }
settings-button-temperature = 🌡 Temperatura
settings-button-top-p = 🎯 Top-p
settings-button-context = 📏 Contexto
settings-button-thinking = 🧠 Razonamiento
settings-button-keep-alive = ⏳ Mantener cargado
settings-button-show-thinking = 👁 Pensamientos: { $on ->
    [on] visibles
   *[off] ocultos
  }
settings-button-reset = ↩️ Restablecer
settings-about-temperature = 🌡 Temperatura: cuánta libertad tiene el modelo al elegir sus palabras. 0 es lo más predecible; 2, lo más aleatorio.
settings-about-top_p = 🎯 Top-p: el modelo elige solo entre las palabras más probables que juntas suman esta proporción. Cuanto más bajo, más centrado.
settings-about-context = 📏 Contexto: cuántos tokens de la conversación lee el modelo (la pregunta y la respuesta juntas). Con más recuerda más, pero necesita más memoria y tiempo.
settings-about-thinking = 🧠 Razonamiento: un modelo que razona paso a paso antes de responder puede hacerlo, no hacerlo o razonar con un nivel determinado.
settings-about-keep_alive = ⏳ Cuánto tiempo sigue cargado el modelo después de una respuesta, para que la siguiente empiece al instante.
settings-now = Ahora: { $value }
settings-context-max = Este modelo admite como máximo { $max } tokens.
settings-context-min = Como mínimo { $min }.
settings-use-default = ↩️ Por defecto
settings-own-value = ✏️ Otro valor
settings-back = ◀️ Volver
settings-saved = Guardado.
settings-reset-done = ↩️ Los ajustes vuelven a sus valores por defecto. El prompt del sistema se mantiene (/system lo cambia).
settings-usage = /settings abre el menú. Para cambiar uno directamente: /settings NAME VALUE (nombres: { $names }), /settings NAME default o /settings reset.
settings-set-default = { $name } vuelve a su valor por defecto.
settings-changed = ✅ { $name }: { $value }. Se aplica a partir de tu próximo mensaje.
settings-context-capped = Este modelo admite como máximo { $max } tokens, así que se envía ese valor.
settings-name-temperature = Temperatura
settings-name-top_p = Top-p
settings-name-context = Contexto
settings-name-thinking = Razonamiento
settings-name-keep_alive = Mantener cargado
settings-ask = Envía el valor de { $name }.
setting-bad-range = { $name } debe estar entre { $min } y { $max } (enviaste “{ $got }”).
setting-bad-choice = { $name } debe ser uno de estos: { $choices } (enviaste “{ $got }”).
setting-bad-keep-alive = { $name } debe ser una duración como 30m o 2h (una semana como máximo), 0 para descargar el modelo tras cada respuesta o -1 para mantenerlo cargado (enviaste “{ $got }”).
picker-settings = ⚙️ Ajustes
picker-legend = 🟢 cargado · 👁 ve imágenes · 🧠 razona · 🛠 usa herramientas · 🎧 oye audio
model-loaded = 🟢 Cargado ahora: la próxima respuesta empieza al instante.
model-not-loaded = ⚪ No cargado: la próxima respuesta esperará primero a que se cargue el modelo.
model-summary = Resumen de los mensajes anteriores: { $chars } caracteres.
model-settings-hint = /settings cambia estos valores.
button-continue-length = ➡️ Continuar
button-regenerate = 🔄 Regenerar
regenerate-not-latest = Solo se puede regenerar la respuesta más reciente.
regenerating = Escribiendo una respuesta nueva…
button-summarize = 📝 Resumir
button-summarize-again = 📝 Resumir de nuevo
context-cut = 🧹 Esta conversación ya no cabe en el contexto del modelo ({ $tokens } tokens): { $count ->
    [one] el mensaje más antiguo queda
   *[other] los { $count } mensajes más antiguos quedan
  } fuera a partir de ahora. /summarize guarda lo esencial en una nota breve.
context-near = 📏 Esta conversación casi llena el contexto del modelo ({ $tokens } tokens): pronto los mensajes más antiguos quedarán fuera. /summarize guarda lo esencial en una nota breve.
summary-working = 📝 Resumiendo los mensajes anteriores…
summary-done = 📝 { $count ->
    [one] Un mensaje anterior queda resumido
   *[other] { $count } mensajes anteriores quedan resumidos
  } en esta nota (los últimos { $kept } se mantienen tal cual):
summary-busy = Ya se está haciendo un resumen.
summary-nothing = Todavía no hay nada que resumir: la conversación aún es corta.
summary-no-model = Primero elige un modelo: /ollama.
summary-interrupted = ⚠️ Un reinicio interrumpió el resumen. Los mensajes se mantienen como estaban.
summary-kept = Los mensajes se mantienen como estaban.

## Fotos, mensajes de voz y documentos
photo-default-prompt = Describe esta imagen.
document-default-prompt = Resume este documento.
voice-default-prompt = Responde a este mensaje de voz.
document-label = Documento: { $name }
document-cut = 📄 { $name }: solo los primeros { $used } de { $total } caracteres caben en el contexto del modelo; el resto quedó fuera.
photo-model-blind = 🖼 { $model } no puede ver imágenes.
photo-pick-vision = 🖼 Aún no has elegido ningún modelo, y para una foto hace falta uno que vea imágenes.
photo-pick-one = Elige uno que pueda y responderá a tu foto:
photo-none-installed-admin = No hay instalado ningún modelo que vea imágenes. Descarga { $model } (uno pequeño que sí puede) y responderá a tu foto:
photo-none-installed = No hay instalado ningún modelo que vea imágenes. Pide al administrador del bot que instale uno, por ejemplo { $model }.
photo-answering = Respondiendo a tu foto…
photo-model-gone = Ese modelo ya no está instalado.
failure-file-too-big-telegram = Este archivo supera los { $mb } MB, el máximo que Telegram deja descargar a los bots. Envía uno más pequeño; el dueño del bot puede quitar este límite con un servidor local de la Bot API (TELEGRAM_API_ROOT).
failure-file-too-big = Este archivo supera los { $mb } MB, el máximo que acepta este bot (MEDIA_MAX_MB).
failure-download = No pude descargar el archivo de Telegram. Vuelve a intentarlo.
failure-no-stt = El hub no tiene instalado reconocimiento de voz, así que aquí no puedo entender mensajes de voz. Su dueño puede instalar faster-whisper en el hub. Mientras tanto, escríbeme tu mensaje.
failure-voice-direct = Los mensajes de voz necesitan el reconocimiento de voz del hub (TTSHUB_API_BASE) o un modelo que oiga audio, y este bot no tiene ninguno de los dos. Escríbeme tu mensaje.
failure-nothing-heard = No oí a nadie hablar en ese mensaje de voz.
failure-audio-invalid = El hub no pudo leer ese archivo de audio.
failure-hub-ffmpeg = El hub no puede convertir audio: falta ffmpeg en su equipo.
failure-stt-failed = Falló el reconocimiento de voz del hub. Vuelve a intentarlo.
failure-document-encrypted = Este PDF está protegido con contraseña, así que no puedo leerlo.
failure-document-no-text = Este documento no tiene texto que yo pueda leer (es un escaneo o solo tiene imágenes).
failure-document-invalid = Este archivo parece dañado: no pude leerlo.
failure-document-unsupported = Puedo leer archivos de texto y documentos PDF y Word (.docx), pero no este tipo de archivo.
failure-document-too-complex = Este documento es demasiado grande o complejo para leerlo a tiempo.
ai-media-chat-only = Las fotos, los mensajes de voz y los documentos funcionan en el modo de chat. Desactiva AI↔AI en /ollama para hablar de ellos con un modelo.
setting-admin-only-keep-alive = Mantener un modelo cargado más de un día, o siempre, es cosa de los administradores del bot: ocupa la memoria del servidor para todos.
summary-reset = 📝 El historial se borró mientras tanto, así que no queda nada que resumir.

## Respuestas leídas en voz alta
cmd-say = Leer en voz alta la última respuesta
button-speak = 🔊
voice-making = 🔊 Preparando el mensaje de voz…
voice-making-short = Preparando el mensaje de voz…
voice-omitted = El resto de la respuesta quedó fuera: un mensaje de voz debe ser breve.
voice-code-omitted = (código omitido)
voice-nothing = No hay nada que leer en voz alta en esa respuesta.
voice-stopped = ⏹ Detenido: sin mensaje de voz.
voice-tts-unavailable = La síntesis de voz del hub no está disponible ahora mismo, así que no puedo leer respuestas en voz alta.
voice-needs-hub = Para leer respuestas en voz alta hace falta la síntesis de voz del hub (TTSHUB_API_BASE); este bot se conecta directamente con Ollama.
voice-not-found = El hub no tiene la voz que pedí.
voice-no-answer = Todavía no hay ninguna respuesta que leer en voz alta.
voice-too-old = Esa respuesta es demasiado antigua para leerla en voz alta ahora.
voice-busy = Ya se está creando un mensaje de voz; un momento, por favor.

settings-button-voice = 🗣 Voz
settings-button-voice-speed = ⏩ Velocidad de voz
settings-button-voice-replies = 🎙 Respuesta en voz: { $on ->
    [on] sí
   *[off] no
  }
settings-line-voice = 🔊 Leer con: { $voice } · velocidad { $speed }× · respuesta en voz a mensajes de voz: { $replies ->
    [on] sí
   *[off] no
  }
settings-about-voice = 🗣 La voz que lee las respuestas en voz alta (🔊, /say):
settings-about-voice_speed = ⏩ La velocidad de lectura: 1 es normal, de 0.5 a 2.
settings-name-voice_speed = Velocidad de voz
settings-voice-hint = Elige arriba un idioma y ♀/♂; toca una voz para oír una breve muestra.
settings-voice-none = El hub no tiene ninguna voz de ese tipo.
settings-voice-saved = Guardado: { $voice }. A continuación, una breve muestra.
voice-sample-failed = No se pudo reproducir la muestra de la voz: { $reason }

## AI↔AI leído en voz alta
ai-voices-button = 🔊 Voces: { $on ->
    [on] sí
   *[off] no
  }
ai-voices-line = 🔊 Líneas en voz alta: { $on ->
    [on] sí
   *[off] no
  } · A: { $a } · B: { $b }
ai-voices-turned-on = Ahora cada línea se lee en voz alta después de su texto.
ai-voices-turned-off = Las líneas ya no se leen en voz alta.
ai-voice-pick = 🗣 La voz de { $side } ({ $persona }): elige un idioma y luego una voz; a continuación sonará una breve muestra.
ai-voice-taken = El otro lado ya habla con esta voz: elige otra para que los dos suenen distintos.
ai-voice-line-failed = Esta línea no tiene mensaje de voz: { $reason } La conversación sigue en texto.
ai-voice-line-failed-off = Esta línea no tiene mensaje de voz: { $reason } Las voces quedan desactivadas en esta conversación; vuelve a activarlas en ⚙️ Opciones.
ai-episode = 🎧 Episodio
ai-episode-started = Preparando el episodio…
ai-episode-making = 🎧 Preparando el episodio… { $done }/{ $total }
ai-episode-intro = Una conversación de IA a IA. { $a } y { $b } hablan sobre: { $topic }
ai-episode-caption = 🎧 { $a } y { $b }: { $topic }
ai-episode-omitted = El episodio termina aquí: dura como máximo 15 minutos.
ai-episode-failed = No se pudo preparar el episodio: { $reason } Los mensajes de la conversación siguen como estaban; toca 🎧 Episodio para volver a intentarlo.
voice-interrupted = El bot se reinició mientras se preparaba este mensaje de voz: toca 🔊 otra vez.
ai-episode-interrupted = El bot se reinició mientras se preparaba el episodio: toca 🎧 Episodio otra vez.
ai-voice-line-busy = Esta línea no tiene mensaje de voz: se están preparando mensajes de voz de otros chats. La conversación sigue en texto.
ai-episode-after-exchange = Hay un intercambio en curso: toca 🎧 Episodio cuando haya terminado.
