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
    • /settings: temperature, context length, thinking, how long the model stays loaded.
      /summarize compresses older messages into a note when a long chat no longer fits;
      🔄 Regenerate under an answer writes a new one.
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
text-only = I can read text, photos, voice notes and documents (text, PDF, Word), but not this kind of message.
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
queue-host = { $up ->
    [yes] 🟢
   *[no] 🔴
  } { $name } ({ $label }): { $busy } of { $slots } generating, { $models } models
queue-host-down = 🔴 { $name } ({ $label }): not answering ({ $error })
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
pull-on-host = { $model } on { $host }
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

## Settings (/settings), the context, Regenerate and /summarize
cmd-settings = Model settings: temperature, context, thinking…
cmd-summarize = Compress older messages into a short note
settings-title = ⚙️ Settings for this chat · model { $model }
settings-line-temperature = 🌡 Temperature: { $value }
settings-line-top-p = 🎯 Top-p: { $value }
settings-line-context = 📏 Context: { $value }; the model takes up to { $max }
settings-line-thinking = 🧠 Thinking: { $value } · shown: { $shown ->
    [yes] yes
   *[no] no
  }
settings-line-keep-alive = ⏳ Keep the model loaded: { $value }
settings-line-streaming = 🌊 Streaming: { $on ->
    [on] on
   *[off] off
  }
settings-line-system = 📝 System prompt: { $value }
settings-none = none
settings-default-mark = (default)
settings-model-default = the model's own
settings-tokens = { $n } tokens
settings-think-on = on
settings-think-off = off
settings-think-low = low
settings-think-medium = medium
settings-think-high = high
settings-think-unsupported = this model does not think
settings-think-unsupported-long = This model does not think step by step, so there is nothing to set here. Models marked 🧠 in /ollama do.
settings-think-levels-only = This model takes a level only: "off" is sent as low, its least.
settings-keep-forever = always
settings-keep-unload = unloaded after each answer
settings-keep-duration = { $n } { $unit ->
    [s] s
    [m] min
   *[h] h
  }
settings-button-temperature = 🌡 Temperature
settings-button-top-p = 🎯 Top-p
settings-button-context = 📏 Context
settings-button-thinking = 🧠 Thinking
settings-button-keep-alive = ⏳ Keep loaded
settings-button-show-thinking = 👁 Thoughts: { $on ->
    [on] shown
   *[off] hidden
  }
settings-button-reset = ↩️ Defaults
settings-about-temperature = 🌡 Temperature: how freely the model chooses its words. 0 is the most predictable, 2 the most random.
settings-about-top_p = 🎯 Top-p: the model chooses only among the likeliest words that together make up this share. Lower is more focused.
settings-about-context = 📏 Context: how many tokens of the conversation the model reads (the question and the answer together). More remembers more, but needs more memory and time.
settings-about-thinking = 🧠 Thinking: a model that thinks step by step before it answers can do so, not do so, or think at a level.
settings-about-keep_alive = ⏳ How long the model stays loaded after an answer, so the next one starts at once.
settings-now = Now: { $value }
settings-context-max = This model takes at most { $max } tokens.
settings-context-min = At least { $min }.
settings-use-default = ↩️ Default
settings-own-value = ✏️ Other value
settings-back = ◀️ Back
settings-saved = Saved.
settings-reset-done = ↩️ The settings are back to their defaults. The system prompt is kept (/system changes it).
settings-usage = /settings opens the menu. To set one directly: /settings NAME VALUE (names: { $names }), /settings NAME default, or /settings reset.
settings-set-default = { $name } is back to its default.
settings-changed = ✅ { $name }: { $value }. It applies from your next message.
settings-context-capped = This model takes at most { $max } tokens, so that is what is sent.
settings-name-temperature = Temperature
settings-name-top_p = Top-p
settings-name-context = Context
settings-name-thinking = Thinking
settings-name-keep_alive = Keep loaded
settings-ask = Send the value for { $name }.
setting-bad-range = { $name } must be between { $min } and { $max } (you sent "{ $got }").
setting-bad-choice = { $name } must be one of { $choices } (you sent "{ $got }").
setting-bad-keep-alive = { $name } must be a duration such as 30m or 2h (at most a week), 0 to unload after each answer, or -1 to keep the model loaded (you sent "{ $got }").
picker-settings = ⚙️ Settings
picker-legend = 🟢 loaded · 👁 sees images · 🧠 thinks · 🛠 uses tools · 🎧 hears audio
model-loaded = 🟢 Loaded now: the next answer starts at once.
model-not-loaded = ⚪ Not loaded: the next answer first waits for the model to load.
model-summary = Summary of older messages: { $chars } characters.
model-settings-hint = /settings changes these.
button-continue-length = ➡️ Continue
button-regenerate = 🔄 Regenerate
regenerate-not-latest = Only the newest answer can be regenerated.
regenerating = Writing a new answer…
button-summarize = 📝 Summarize
button-summarize-again = 📝 Summarize again
context-cut = 🧹 This conversation no longer fits the model's context ({ $tokens } tokens): { $count ->
    [one] the oldest message is
   *[other] the { $count } oldest messages are
  } left out from now on. /summarize keeps their gist in a short note.
context-near = 📏 This conversation almost fills the model's context ({ $tokens } tokens): soon the oldest messages will be left out. /summarize keeps their gist in a short note.
summary-working = 📝 Summarizing the older messages…
summary-done = 📝 { $count ->
    [one] One older message is
   *[other] { $count } older messages are
  } now this note (the last { $kept } stay as they are):
summary-busy = A summary is already being made.
summary-nothing = Nothing to summarize yet: the conversation is still short.
summary-no-model = Pick a model first: /ollama.
summary-interrupted = ⚠️ The summary was interrupted by a restart. The messages are kept as they were.
summary-kept = The messages are kept as they were.

# /models (admins)
models-admins-only = Only admins can manage models.
models-stale = This menu is out of date: send /models for a fresh one.
models-unknown = –
models-title = 🗂 Installed models: { $count }
models-empty = No models are installed yet: ➕ pull one.
models-line = { $marks }{ $name } · { $size } · { $params } · { $quant } · { $date }
models-legend = 🟢 loaded in memory · ⭐ default model
models-default-line = ⭐ Default for chats that picked none: { $model }
models-default-missing = ⭐ Default for chats that picked none: { $model } (not installed)
models-default-none = ⭐ No default model: each chat picks one with /ollama.
models-button-pull = ➕ Pull a model
models-button-loaded = 🧠 Loaded models
models-button-default = ⭐ Default model
models-button-refresh = 🔄 Refresh
models-button-close = ✖ Close
models-button-back = ◀️ Back
models-button-delete = 🗑 Delete
models-button-unload = ⏏️ Unload
models-button-make-default = ⭐ Make default
models-button-confirm-delete = 🗑 Yes, delete
models-button-cancel = ✖ Cancel
models-button-reset-default = ↩️ Back to { $model }
models-button-no-default = ↩️ No default
models-button-cancel-pull = ✖ Cancel
models-button-pull-again = 🔁 Try again
models-details-title = 📦 { $model }
models-details-family = Family: { $value }
models-details-params = Parameters: { $value }
models-details-quant = Quantization: { $value }
models-details-size = Size: { $value }
models-details-context = Context length: { $value }
models-details-capabilities = Capabilities: { $value }
models-details-modified = Modified: { $value }
models-details-settings = Modelfile parameters: { $value }
models-details-license = License: { $value }
models-details-unavailable = No more details: { $reason }
models-details-loaded = 🟢 Loaded in memory now.
models-details-default = ⭐ The default model of chats that picked none.
models-gone = { $model } is no longer installed.
models-delete-confirm = 🗑 Delete { $model } ({ $size })? Its files are removed from the disk; to use it again, it must be pulled again.
models-deleted = ✅ { $model } is deleted.
models-delete-gone = { $model } was already gone: nothing to delete.
models-delete-failed = ❌ Could not delete { $model }: { $reason }
models-unloaded = ⏏️ { $model } is unloaded from memory.
models-unload-failed = ❌ Could not unload { $model }: { $reason }
models-loaded-title = 🧠 Loaded in memory: { $count }
models-loaded-none = 🧠 No model is loaded in memory now.
models-loaded-line = • { $model } · { $vram } in VRAM · { $until }
models-loaded-until = until { $time }
models-loaded-forever = kept loaded
models-loaded-failed = ❌ Could not read the loaded models: { $reason }
models-default-explain = Chats that have not picked a model with /ollama use the default. DEFAULT_MODEL in the configuration: { $config }.
models-default-nothing = none
models-default-pick = Tap the new default:
models-default-set = ⭐ { $model } is now the default model.
models-default-reset = ↩️ The default is DEFAULT_MODEL again: { $model }.
models-default-cleared = ↩️ No default model now: each chat picks one with /ollama.
models-pull-ask = 📥 Which model should I pull? Write its name as in the Ollama library, e.g. llama3.2 or qwen2.5:7b.
models-pull-need-name = Please write the model's name, e.g. llama3.2.
models-pull-bad-name = “{ $name }” is not a model name: use letters, digits, “.”, “-”, “_” and “/”, then optionally “:” and a tag, e.g. llama3.2:1b.
models-pull-installed = { $model } is already installed.
models-pull-busy = { $model } is already being pulled.
models-pull-retrying = 📥 Pulling { $model } again…
models-pull-cancelling = Cancelling the pull…
models-pull-cancelled = ✖ The pull of { $model } was cancelled.
models-pull-not-running = This pull is no longer running.
models-pull-stale = This button is out of date: open /models and tap ➕ Pull a model.

## Photos, voice notes and documents
photo-default-prompt = Describe this image.
document-default-prompt = Summarise this document.
voice-default-prompt = Answer this voice message.
document-label = Document: { $name }
document-cut = 📄 { $name }: only the first { $used } of { $total } characters fit the model's context; the rest was left out.
photo-model-blind = 🖼 { $model } cannot see images.
photo-pick-vision = 🖼 No model is picked yet, and a photo needs one that can see images.
photo-pick-one = Pick one that can, and it answers your photo:
photo-none-installed-admin = No model that can see images is installed. Pull { $model } (a small one that can), and it answers your photo:
photo-none-installed = No model that can see images is installed. Ask the bot's admin to install one, for example { $model }.
photo-answering = Answering your photo…
photo-model-gone = That model is no longer installed.
failure-file-too-big-telegram = This file is over { $mb } MB, the most Telegram lets bots download. Send a smaller one; the bot's owner can lift this limit with a local Bot API server (TELEGRAM_API_ROOT).
failure-file-too-big = This file is over { $mb } MB, the most this bot takes (MEDIA_MAX_MB).
failure-download = I could not download the file from Telegram. Try again.
failure-no-stt = The hub has no speech recognition installed, so I can't understand voice notes here. Its owner can install faster-whisper on the hub. Write your message instead.
failure-voice-direct = Voice notes need the hub's speech recognition (TTSHUB_API_BASE) or a model that hears audio, and this bot has neither. Write your message instead.
failure-nothing-heard = I heard no speech in that voice note.
failure-audio-invalid = The hub could not read that audio file.
failure-hub-ffmpeg = The hub cannot convert audio: ffmpeg is missing on its machine.
failure-stt-failed = The hub's speech recognition failed. Try again.
failure-document-encrypted = This PDF is protected by a password, so I can't read it.
failure-document-no-text = This document has no text I can read (a scan, or only images).
failure-document-invalid = This file seems damaged: I couldn't read it.
failure-document-unsupported = I can read text files, PDF and Word (.docx) documents, but not this kind of file.
failure-document-too-complex = This document is too big or too complex to read in time.
ai-media-chat-only = Photos, voice notes and documents work in chat mode. Switch AI↔AI off in /ollama to talk about them with a model.
summary-reset = 📝 The history was cleared meanwhile, so there is nothing left to summarise.
setting-admin-only-keep-alive = Keeping a model loaded for more than a day, or always, is for the bot's admins: it holds the server's memory for everyone.

## Answers read aloud
cmd-say = Read the last answer aloud
button-speak = 🔊
voice-making = 🔊 Making the voice message…
voice-making-short = Making the voice message…
voice-omitted = The rest of the answer is left out: a voice message stays short.
voice-code-omitted = (code left out)
voice-nothing = There is nothing to read aloud in that answer.
voice-stopped = ⏹ Stopped: no voice message.
voice-tts-unavailable = The hub's text-to-speech is not available right now, so I can't read answers aloud.
voice-needs-hub = Reading answers aloud needs the hub's text-to-speech (TTSHUB_API_BASE); this bot talks to Ollama directly.
voice-not-found = The hub does not have the voice I asked for.
voice-no-answer = There is no answer to read aloud yet.
voice-too-old = That answer is too old to read aloud now.
voice-busy = A voice message is already being made; a moment, please.

settings-button-voice = 🗣 Voice
settings-button-voice-speed = ⏩ Voice speed
settings-button-voice-replies = 🎙 Voice replies: { $on ->
    [on] on
   *[off] off
  }
settings-line-voice = 🔊 Read aloud with: { $voice } · speed { $speed }× · voice replies to voice notes: { $replies ->
    [on] on
   *[off] off
  }
settings-about-voice = 🗣 The voice that reads answers aloud (🔊, /say):
settings-about-voice_speed = ⏩ How fast answers are read aloud: 1 is normal, from 0.5 to 2.
settings-name-voice_speed = Voice speed
settings-voice-hint = Pick a language and ♀/♂ above; tap a voice to hear a short sample.
settings-voice-none = The hub has no voice of that kind.
settings-voice-saved = Saved: { $voice }. A short sample follows.
voice-sample-failed = Could not play the voice's sample: { $reason }

## AI↔AI read aloud
ai-voices-button = 🔊 Voices: { $on ->
    [on] on
   *[off] off
  }
ai-voices-line = 🔊 Lines read aloud: { $on ->
    [on] on
   *[off] off
  } · A: { $a } · B: { $b }
ai-voices-turned-on = Each line is now read aloud after its text.
ai-voices-turned-off = Lines are no longer read aloud.
ai-voice-pick = 🗣 The voice of { $side } ({ $persona }): pick a language, then a voice; a short sample follows.
ai-voice-taken = The other side already speaks with this voice: pick another one, so the two sound different.
ai-voice-line-failed = This line has no voice message: { $reason } The conversation goes on in text.
ai-voice-line-failed-off = This line has no voice message: { $reason } Voices are now off for this conversation; turn them on again in ⚙️ Options.
ai-episode = 🎧 Episode
ai-episode-started = Making the episode…
ai-episode-making = 🎧 Making the episode… { $done }/{ $total }
ai-episode-intro = An AI to AI conversation. { $a } and { $b } talk about: { $topic }
ai-episode-caption = 🎧 { $a } and { $b }: { $topic }
ai-episode-omitted = The episode stops there: it is at most 15 minutes long.
ai-episode-failed = The episode could not be made: { $reason } The conversation's messages are as they were; press 🎧 Episode to try again.
voice-interrupted = The bot was restarted while this voice message was being made: press 🔊 again.
ai-episode-interrupted = The bot was restarted while the episode was being made: press 🎧 Episode again.
ai-voice-line-busy = This line has no voice message: other chats' voice messages are being made. The conversation goes on in text.
ai-episode-after-exchange = An exchange is running: press 🎧 Episode once it has ended.
