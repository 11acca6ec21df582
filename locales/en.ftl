# ollama-telegram: English (the reference: every other language has exactly these keys).
# Placeables: { $name }. Numbers are formatted per language; plurals go through { $n -> [one] … *[other] … }.

## Commands (the menu Telegram shows; at most 256 characters each)
cmd-ollama = Pick a model and settings
cmd-model = Show the current model and settings
cmd-stop = Stop the current answer, or a message waiting in line
cmd-reset = Clear this chat's history
cmd-system = Set the system prompt: /system TEXT, or /system off
cmd-stream = Streaming on or off: /stream on|off
cmd-language = The bot's language in this chat
cmd-topic = AI↔AI: set the topic
cmd-transcript = AI↔AI: the conversation as a document
cmd-help = What this bot does

## Help
help =
    I connect this chat to the AI models running on your own machine (Ollama).

    • /ollama (or /o): pick a model; then just write to me.
    • Answers appear as they are written; ⏹ Stop ends one early.
    • /model shows the current settings, /reset forgets this conversation,
      /system sets how the model should behave, /stream turns live answers on or off,
      /language sets my language in this chat.
    • AI↔AI: in /ollama switch AI↔AI on, tap a model for A and one for B, then ▶️ Start and
      watch them talk; ⏭️ Continue for the next exchange, or Auto. Anything you write is a moderator's note.
    • In groups, mention me or reply to my messages.
help-current-model = Current model: { $model }.
help-no-model = No model chosen yet: send /ollama.

## Access
access-denied = Sorry, this bot is private. Your Telegram user id is { $id }. If this is your bot, add it to ALLOWED_USER_IDS in its .env and restart it; otherwise ask the bot's owner to.
rate-limited = ✋ Slow down: at most { $count ->
    [one] one message
   *[other] { $count } messages
  } a minute. Messages sent meanwhile are ignored.

## Plain messages
text-only = I can only read text for now. Send your question as a text message.
unknown-command = I don't know that command. /help lists what I can do.
empty-mention = Yes? Write your question after the mention.
empty-message = Your message is empty: write your question as text.
prompt-too-long = Your message is { $length } characters; the limit is { $max }. Send a shorter one, or split it.

## The chat header and /model
chat-header = 🤖 Chat · Model: { $model } · Streaming: { $streaming ->
    [on] on
   *[off] off
  }{ $system ->
    [set] { " · " }System prompt: set
   *[none] {""}
  }
chat-no-model = none yet
model-history = History: { $count ->
    [one] one message
   *[other] { $count } messages
  }

## The picker
picker-pick = Pick a model:
picker-empty = No models are installed yet.
picker-prev = ◀ Prev
picker-next = Next ▶
picker-ai2ai = 🤖↔🤖 AI↔AI: { $on ->
    [on] on
   *[off] off
  }
picker-streaming = Streaming: { $on ->
    [on] on
   *[off] off
  }
picker-system = 📝 System prompt
picker-clear = 🧹 Clear history
picker-refresh = 🔄 Refresh
picker-close = ✖ Close
picker-ai-tap = Tap the model for { $side ->
    [a] A (who speaks first)
   *[b] B (who answers)
  }:
picker-ai-both = Both sides are picked: ▶️ Start, or tap a model to pick { $side } again:
picker-stale = This menu is out of date: send /ollama for a fresh one.
picker-stale-short = This menu is out of date.
picker-gone = { $model } is no longer installed; here is a fresh list.
picker-picked = Model: { $model }
picker-now-chatting = ✅ Now chatting with { $model }. Send a message to start.
picker-now-answering = ✅ Now chatting with { $model }. Answering your message…
picker-refreshed = Refreshed.
picker-ai-on = AI↔AI: tap the model for A, then for B.
picker-ai-off = Back to chat mode.
history-cleared-short = History cleared.
history-cleared = 🧹 History cleared. The model and settings stay.

## Settings
stream-on = Streaming is on: answers appear as they are written.
stream-off = Streaming is off: answers arrive complete.
stream-usage = Use /stream on or /stream off (or /stream alone to switch).
language-ask = Which language should I speak in this chat?
language-auto = 🌐 Each person's own
language-auto-set = 🌐 I'll speak each person's own Telegram language here.
language-set = 🌐 I'll speak English in this chat.
language-unknown = I don't speak that language yet. I speak: { $languages }.

## Questions (multi-step inputs)
button-cancel = ✖ Cancel
prompt-cancelled = OK, nothing changed.
prompt-expired = That question has expired, so nothing changed. Ask me again when you are ready.
prompt-given-up = That did not work out, so nothing changed. Ask me again when you are ready.
prompt-need-text = Please answer with text, or /cancel.
question-for-other = That question was for someone else. Mention me to ask your own.
cancel-nothing = There is nothing to cancel.
system-ask = Send the system prompt as your next message (for example: “You are a concise assistant.”). Send /cancel to keep the current one, or “off” to remove it.
system-choose = How should the model behave? Pick a preset, or write your own system prompt.
preset-concise = ⚡ Concise
preset-teacher = 🎓 Teacher
preset-coder = 💻 Coder
preset-editor = ✍️ Editor
preset-own = 📝 Write my own
preset-off = 🗑 Remove it
question-closed = This question is for someone else, or it is closed.
system-current = Current system prompt: { $system }
system-set = 📝 System prompt set. It applies from your next message.
system-removed = 📝 System prompt removed.
topic-ask = What should the two talk about? Send the topic as your next message.
topic-set = 📝 Topic set: { $topic }
persona-ask-name = Persona { $side }: what is their name? (for example “Jean-Luc Picard”)
persona-ask-description = Who is { $name }, and how do they talk? (for example “a calm starship captain who quotes Shakespeare”)
persona-set = 🎭 { $side } is now { $name }.
persona-pick-model-first = Pick side { $side }'s model first (/ollama).

## The live message
live-waiting = ⏳ { $label }…
live-preparing = ⏳ { $label } is preparing an answer… { $seconds } s
live-thinking = 🤔 { $label } is thinking… { $seconds } s
live-empty = (The model gave an empty answer.)
live-stop = ⏹ Stop
note-stopped = ⏹ Stopped.
note-too-long = ✂️ Stopped: the answer reached { $max } characters, the most one answer may have.
note-restart = ⚠️ Interrupted: the bot was restarted.
note-cut = ⚠️ This answer was cut off.
stop-finished = This answer has already finished.
stop-stopping = ⏹ Stopping.
stop-nothing = Nothing to stop: no answer is being written and nothing is waiting.
stop-waiting-cancelled = { $count ->
    [one] ✖ The message waiting in line is cancelled.
   *[other] ✖ { $count } messages waiting in line are cancelled.
  }

## The queue
queue-position = ⏳ The model is busy with other chats: you are #{ $position } in line.
queue-next = ⏳ The model is busy with other chats: you are next in line.
queue-behind-own = ⏳ Queued: I'll answer this right after the current reply.
queue-full-chat = ⏳ { $count } messages are already waiting in this chat. Wait for their answers, or /stop them.
queue-full-user = ⏳ You already have { $count } messages waiting. Wait for their answers, or /stop them.
queue-restarting = ⏳ The bot is stopping: I'll answer this as soon as it runs again.
queue-cancel = ✖ Cancel
queue-cancelled = ✖ Cancelled: I won't answer this message.
queue-cancelled-short = Cancelled.
queue-already-started = Too late to cancel: the answer has started (use ⏹ Stop).
queue-admins-only = Only admins can see the queue.
queue-running = Generating: { $running } of { $slots } { $slots ->
    [one] slot
   *[other] slots
  }
queue-running-chat = ▶ chat { $chat }, for { $seconds } s
queue-waiting = Waiting: { $count ->
    [0] nothing
    [one] one turn
   *[other] { $count } turns
  }
queue-waiting-chat = #{ $position } chat { $chat } ({ $count ->
    [one] one turn
   *[other] { $count } turns
  })

## Turns, failures and what fixes them
# Where the models are, inside the sentences below ($backend): never at the start of a sentence.
backend-hub = the hub at { $url }
backend-ollama = Ollama at { $url }
turn-pick-first = Pick a model first: I'll answer your message as soon as you do.
button-open-picker = 🤖 Pick a model
turn-restarted = ⚠️ I was restarted while answering your message. It is saved: press Retry for an answer.
turn-restarted-partial = ⚠️ I was restarted while answering your message; the answer above is cut off. Press Retry for a new answer, or Continue to carry on.
continue-prompt = Please continue your previous answer exactly where it stopped, without repeating what you already wrote.
button-retry = 🔁 Retry
button-continue = ▶️ Continue
button-pick = Pick another model
button-pull = 📥 Pull { $model }
button-pull-again = 🔁 Try the pull again
button-stale = This button is out of date.
offer-saved = Your message is saved: press Retry when the model is reachable.
offer-partial = The answer above was cut off: Retry for a new one, or Continue to carry on.
offer-pull = { $model } is not installed on { $backend }. Pull it now? I'll answer your message when it is ready.
offer-ask-admin = { $model } is not installed. Pick another model, or ask an admin to pull it.
offer-used = This button was already used.
retrying = Trying again…
continuing = Continuing…
pick-for-saved = Pick a model: it will answer your saved message.
failure-unreachable = I can't reach { $backend } right now. Check that it is running and reachable from the bot.
failure-timeout = I got no answer from { $backend } in time.
failure-ollama-down = I can reach { $backend }, but Ollama behind it is not running.
failure-model-missing = The model { $model } is not installed.
failure-not-in-library = There is no model called { $model } in the library.
failure-server = I got an error from { $backend } ({ $status }). Try again in a moment.
failure-model-error = The model stopped with an error.
failure-cut = The answer was cut off: the connection to the model was lost.
failure-bad-reply = I could not read the reply from { $backend }.
failure-internal = Something went wrong on my side. Try again; if it keeps happening, tell the bot's owner.
failure-storage = ⚠️ I can't reach my storage right now, so this message was not answered. Please send it again in a few minutes.
failure-not-saved = ⚠️ I could not save this answer (my storage is away): the next answer may not remember it.
held-note = ⚠️ I can't save messages right now (my storage is away). Yours is kept: I'll answer it as soon as the storage is back.
held-full = ⚠️ I can't save messages right now (my storage is away), and I can't keep any more. Please send this again in a few minutes.
held-gave-up = ❌ My storage stayed away too long, so this message was not answered. Please send it again.
held-stopped = ❌ I was stopped before my storage came back, so this message was not answered. Please send it again.
held-press = My storage is away for a moment. Press again shortly.

## Pulls
pull-admins-only = Only an admin can pull models.
pull-starting = Pulling { $model }…
pull-already = { $model } is already being pulled.
pull-started = 📥 Pulling { $model }…
pull-progress = 📥 Pulling { $model }
pull-done = ✅ { $model } is installed.
pull-not-in-library = ❌ Could not pull { $model }: there is no such model in the library.
pull-unreachable = ❌ Could not pull { $model }: { $backend } cannot be reached.
pull-failed = ❌ Could not pull { $model }: the download failed.
pull-interrupted = ❌ The pull of { $model } was interrupted by a restart.

## AI↔AI
ai-title = 🤖↔🤖 AI↔AI
ai-side = { $side }: { $persona } ({ $model })
ai-side-unset = { $side }: tap a model
ai-topic = Topic: { $topic }
ai-turns = Turns: { $done }/{ $max }
ai-default-topic = What makes an idea worth pursuing?
ai-line-header = { $persona } ({ $model }) · Turn { $turn }/{ $max }
ai-start = ▶️ Start
ai-continue = ⏭️ Continue exchange
ai-retry = 🔁 Retry
ai-auto = ⏩ Auto
ai-auto-on = ⏸ Auto is on
ai-stop = ⏹ Stop
ai-options = ⚙️ Options
ai-more = ➕ { $n ->
    [one] one more turn
   *[other] { $n } more turns
  }
ai-restart = 🔁 Restart
ai-transcript = 📄 Transcript
ai-finished = 🏁 The conversation has ended after { $turns ->
    [one] one turn
   *[other] { $turns } turns
  }.
ai-progress = Turn { $done }/{ $max } · { $left } left
ai-paused-failed = ⚠️ Paused: { $persona } could not answer. Retry when ready.
ai-paused-restart = ⚠️ Paused by a restart: { $persona } speaks next. Continue when ready.
ai-resuming-restart = ⚠️ The bot was restarted: { $persona } speaks next, and Auto goes on.
ai-continuing-restart = ⚠️ The bot was restarted: { $persona } speaks next.
ai-options-title = ⚙️ AI↔AI options
ai-custom = { $side }: ✍️ Custom
ai-topic-button = 📝 Topic
ai-n-turns = { $n ->
    [one] one turn
   *[other] { $n } turns
  }
ai-back-to-chat = 💬 Back to chat
ai-back-in-chat = 💬 Back to chat mode: write to chat with your model. /ollama switches AI↔AI on again.
ai-stale = This conversation's buttons are out of date. /ollama starts a new one.
ai-next = Next exchange…
ai-busy = An exchange is already running.
ai-pick-both = Pick both models first: /ollama, then tap A and B.
ai-all-done = All turns are done: add more, or restart.
ai-auto-turned-on = Auto: on
ai-auto-turned-off = Auto: off
ai-stopped = Stopped.
ai-more-done = { $n ->
    [one] One more turn.
   *[other] { $n } more turns.
  }
ai-restarted = A new conversation, same cast.
ai-turns-set = Turns: { $n }
ai-pick-side-first = Pick that side's model first.
ai-unknown-persona = Unknown persona.
ai-noted = 📝 Noted as the moderator: both sides will see it in the next exchange.
ai-no-transcript = There is no AI↔AI conversation yet. /ollama, switch AI↔AI on, pick two models.
ai-moderator = Moderator
ai-transcript-title = AI↔AI conversation
ai-transcript-topic = Topic:
ai-transcript-turns = Turns:
ai-transcript-caption = Transcript: { $lines ->
    [one] one line
   *[other] { $lines } lines
  }, { $turns ->
    [one] one turn
   *[other] { $turns } turns
  }
ai-mark-failed = cut off by an error
ai-mark-stopped = stopped
ai-mark-interrupted = interrupted by a restart
