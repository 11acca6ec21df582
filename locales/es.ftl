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
text-only = Por ahora solo puedo leer texto. Envía tu pregunta como mensaje de texto.
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
