# ollama-telegram: Deutsch (informell, „du“). Schlüssel und Variablen genau wie in en.ftl.

## Befehle (das Menü, das Telegram zeigt; höchstens 256 Zeichen pro Eintrag)
cmd-ollama = Modell und Einstellungen wählen
cmd-model = Aktuelles Modell und Einstellungen anzeigen
cmd-stop = Aktuelle Antwort oder wartende Nachricht stoppen
cmd-reset = Verlauf dieses Chats löschen
cmd-system = Systemprompt festlegen: /system TEXT oder /system off
cmd-stream = Streaming an oder aus: /stream on|off
cmd-language = Sprache des Bots in diesem Chat
cmd-topic = AI↔AI: Thema festlegen
cmd-transcript = AI↔AI: das Gespräch als Dokument
cmd-help = Was dieser Bot kann

## Hilfe
help =
    Ich verbinde diesen Chat mit den KI-Modellen auf deinem eigenen Rechner (Ollama).

    • /ollama (oder /o): Modell wählen – danach schreibst du mir einfach.
    • Antworten erscheinen, während sie entstehen; mit ⏹ Stopp brichst du eine vorzeitig ab.
    • /model zeigt die aktuellen Einstellungen, /reset vergisst dieses Gespräch,
      /system legt fest, wie sich das Modell verhalten soll, /stream schaltet Live-Antworten an oder aus,
      /language stellt meine Sprache in diesem Chat ein.
    • /settings: Temperatur, Kontextlänge, Nachdenken und wie lange das Modell geladen bleibt.
      /summarize fasst ältere Nachrichten zu einer Notiz zusammen, wenn ein langer Chat nicht mehr passt;
      🔄 Neu generieren unter einer Antwort schreibt eine neue.
    • AI↔AI: Schalte in /ollama AI↔AI ein, tippe ein Modell für A und eins für B an, dann ▶️ Starten –
      und schau den beiden beim Reden zu. ⏭️ Nächste Runde geht einen Schritt weiter, ⏩ Auto läuft von allein. Alles, was du schreibst, gilt als Hinweis der Moderation.
    • In Gruppen: Erwähne mich oder antworte auf meine Nachrichten.
help-current-model = Aktuelles Modell: { $model }.
help-no-model = Noch kein Modell gewählt: Schick /ollama.

## Zugang
access-denied = Sorry, dieser Bot ist privat. Deine Telegram-Nutzer-ID ist { $id }. Wenn das dein Bot ist, trag sie in seiner .env bei ALLOWED_USER_IDS ein und starte ihn neu; sonst bitte den Besitzer des Bots darum.
rate-limited = ✋ Nicht so schnell: höchstens { $count ->
    [one] eine Nachricht
   *[other] { $count } Nachrichten
  } pro Minute. Was du in der Zwischenzeit schickst, wird ignoriert.

## Einfache Nachrichten
text-only = Ich kann Text, Fotos, Sprachnachrichten und Dokumente (Text, PDF, Word) lesen, aber diese Art von Nachricht nicht.
unknown-command = Diesen Befehl kenne ich nicht. Unter /help siehst du, was ich kann.
empty-mention = Ja? Schreib deine Frage hinter die Erwähnung.
empty-message = Deine Nachricht ist leer – schreib deine Frage als Text.
prompt-too-long = Deine Nachricht hat { $length } Zeichen, erlaubt sind höchstens { $max }. Schick eine kürzere oder teile sie auf.

## Die Chat-Kopfzeile und /model
chat-header = 🤖 Chat · Modell: { $model } · Streaming: { $streaming ->
    [on] an
   *[off] aus
  }{ $system ->
    [set] { " · " }Systemprompt: gesetzt
   *[none] {""}
  }
chat-no-model = noch keins
model-history = Verlauf: { $count ->
    [one] 1 Nachricht
   *[other] { $count } Nachrichten
  }

## Die Modellauswahl
picker-pick = Wähle ein Modell:
picker-empty = Es sind noch keine Modelle installiert.
picker-prev = ◀ Zurück
picker-next = Weiter ▶
picker-ai2ai = 🤖↔🤖 AI↔AI: { $on ->
    [on] an
   *[off] aus
  }
picker-streaming = Streaming: { $on ->
    [on] an
   *[off] aus
  }
picker-system = 📝 Systemprompt
picker-clear = 🧹 Verlauf löschen
picker-refresh = 🔄 Aktualisieren
picker-close = ✖ Schließen
picker-ai-tap = Tippe auf das Modell für { $side ->
    [a] A (spricht zuerst)
   *[b] B (antwortet)
  }:
picker-ai-both = Beide Seiten sind gewählt: ▶️ Starten – oder tippe auf ein Modell, um { $side } neu zu wählen:
picker-stale = Dieses Menü ist veraltet: Schick /ollama für ein neues.
picker-stale-short = Dieses Menü ist veraltet.
picker-gone = { $model } ist nicht mehr installiert – hier ist die aktuelle Liste.
picker-picked = Modell: { $model }
picker-now-chatting = ✅ Du chattest jetzt mit { $model }. Schick eine Nachricht, um loszulegen.
picker-now-answering = ✅ Du chattest jetzt mit { $model }. Ich beantworte deine Nachricht…
picker-refreshed = Aktualisiert.
picker-ai-on = AI↔AI: Tippe auf das Modell für A, dann auf das für B.
picker-ai-off = Zurück im Chat-Modus.
history-cleared-short = Verlauf gelöscht.
history-cleared = 🧹 Verlauf gelöscht. Modell und Einstellungen bleiben.

## Einstellungen
stream-on = Streaming ist an: Antworten erscheinen, während sie entstehen.
stream-off = Streaming ist aus: Antworten kommen erst, wenn sie fertig sind.
stream-usage = Nutze /stream on oder /stream off (oder nur /stream zum Umschalten).
language-ask = Welche Sprache soll ich in diesem Chat sprechen?
language-auto = 🌐 Je nach Person
language-auto-set = 🌐 Ich spreche hier mit allen in der Sprache, die sie in Telegram eingestellt haben.
language-set = 🌐 Ich spreche in diesem Chat Deutsch.
language-unknown = Diese Sprache spreche ich noch nicht. Ich spreche: { $languages }.

## Rückfragen (Eingaben in mehreren Schritten)
button-cancel = ✖ Abbrechen
prompt-cancelled = OK, nichts geändert.
prompt-expired = Meine Frage ist abgelaufen, es bleibt alles, wie es war. Frag einfach noch mal, wenn du so weit bist.
prompt-given-up = Das hat nicht geklappt, also bleibt alles, wie es war. Frag mich einfach noch einmal.
prompt-need-text = Bitte antworte mit Text oder mit /cancel.
question-for-other = Diese Frage war an jemand anderen gerichtet. Erwähne mich, um selbst etwas zu fragen.
cancel-nothing = Es gibt nichts abzubrechen.
system-ask = Schick mir den Systemprompt als nächste Nachricht (zum Beispiel: „Du bist ein Assistent, der sich kurz fasst.“). Mit /cancel bleibt der aktuelle, mit „off“ wird er entfernt.
system-choose = Wie soll sich das Modell verhalten? Wähle eine Vorlage oder schreib deinen eigenen Systemprompt.
preset-concise = ⚡ Knapp
preset-teacher = 🎓 Lehrer
preset-coder = 💻 Programmierer
preset-editor = ✍️ Lektor
preset-own = 📝 Selbst schreiben
preset-off = 🗑 Entfernen
question-closed = Diese Frage ist für jemand anderen oder schon geschlossen.
system-current = Aktueller Systemprompt: { $system }
system-set = 📝 Systemprompt gesetzt. Er gilt ab deiner nächsten Nachricht.
system-removed = 📝 Systemprompt entfernt.
topic-ask = Worüber sollen die beiden reden? Schick mir das Thema als nächste Nachricht.
topic-set = 📝 Thema gesetzt: { $topic }
persona-ask-name = Persona { $side }: Wie heißt sie? (zum Beispiel „Jean-Luc Picard“)
persona-ask-description = Wer ist { $name } und wie spricht diese Figur? (zum Beispiel „ein ruhiger Raumschiffkapitän, der Shakespeare zitiert“)
persona-set = 🎭 { $side } ist jetzt { $name }.
persona-pick-model-first = Wähle zuerst das Modell für Seite { $side } (/ollama).

## Die Live-Nachricht
live-waiting = ⏳ { $label }…
live-preparing = ⏳ { $label } bereitet eine Antwort vor… { $seconds } s
live-thinking = 🤔 { $label } denkt nach… { $seconds } s
live-empty = (Das Modell hat eine leere Antwort gegeben.)
live-stop = ⏹ Stopp
note-stopped = ⏹ Gestoppt.
note-too-long = ✂️ Gestoppt: Die Antwort hat { $max } Zeichen erreicht, mehr darf eine Antwort nicht haben.
note-restart = ⚠️ Unterbrochen: Der Bot wurde neu gestartet.
note-cut = ⚠️ Diese Antwort wurde abgebrochen.
stop-finished = Diese Antwort ist schon fertig.
stop-stopping = ⏹ Wird gestoppt.
stop-nothing = Nichts zu stoppen: Gerade entsteht keine Antwort und nichts wartet.
stop-waiting-cancelled = { $count ->
    [one] ✖ Die wartende Nachricht wurde abgebrochen.
   *[other] ✖ { $count } wartende Nachrichten wurden abgebrochen.
  }

## Die Warteschlange
queue-position = ⏳ Das Modell ist mit anderen Chats beschäftigt: Du bist auf Platz { $position } der Warteschlange.
queue-next = ⏳ Das Modell ist mit anderen Chats beschäftigt: Du bist als Nächstes dran.
queue-behind-own = ⏳ Eingereiht: Ich beantworte das direkt nach der aktuellen Antwort.
queue-full-chat = ⏳ In diesem Chat warten schon { $count } Nachrichten. Warte auf die Antworten oder brich sie mit /stop ab.
queue-full-user = ⏳ Du hast schon { $count } Nachrichten in der Warteschlange. Warte auf die Antworten oder brich sie mit /stop ab.
queue-restarting = ⏳ Der Bot wird gestoppt: Ich beantworte das, sobald er wieder läuft.
queue-cancel = ✖ Abbrechen
queue-cancelled = ✖ Abgebrochen: Diese Nachricht beantworte ich nicht.
queue-cancelled-short = Abgebrochen.
queue-already-started = Zu spät zum Abbrechen: Die Antwort hat schon begonnen (halte sie mit ⏹ Stopp an).
queue-admins-only = Nur Admins können die Warteschlange sehen.
queue-running = In Arbeit: { $running } von { $slots } { $slots ->
    [one] Slot
   *[other] Slots
  }
queue-running-chat = ▶ Chat { $chat }, seit { $seconds } s
queue-host = { $up ->
    [yes] 🟢
   *[no] 🔴
  } { $name } ({ $label }): { $busy } von { $slots } erzeugen, { $models } Modelle
queue-host-down = 🔴 { $name } ({ $label }): antwortet nicht ({ $error })
queue-waiting = Warteschlange: { $count ->
    [0] leer
    [one] 1 Antwort
   *[other] { $count } Antworten
  }
queue-waiting-chat = #{ $position } Chat { $chat } ({ $count ->
    [one] 1 Antwort
   *[other] { $count } Antworten
  })

## Antworten, Fehler und was dagegen hilft
# Wo die Modelle laufen, in den Sätzen unten ($backend): ohne Artikel, den setzt der Satz im Dativ („zum …“, „vom …“, „auf dem …“; passt zu „der Hub“ wie zu „das Ollama“); nie am Satzanfang.
backend-hub = Hub unter { $url }
backend-ollama = Ollama unter { $url }
turn-pick-first = Wähle zuerst ein Modell – ich beantworte deine Nachricht, sobald du das getan hast.
button-open-picker = 🤖 Modell wählen
turn-restarted = ⚠️ Ich wurde neu gestartet, während ich deine Nachricht beantwortet habe. Sie ist gespeichert: Tippe auf „Nochmal versuchen“, um eine Antwort zu bekommen.
turn-restarted-partial = ⚠️ Ich wurde neu gestartet, während ich deine Nachricht beantwortet habe; die Antwort oben ist abgeschnitten. Tippe auf „Nochmal versuchen“ für eine neue Antwort oder auf „Weiter“, damit ich sie fortsetze.
continue-prompt = Bitte setze deine vorherige Antwort genau dort fort, wo sie aufgehört hat, ohne zu wiederholen, was du schon geschrieben hast.
button-retry = 🔁 Nochmal versuchen
button-continue = ▶️ Weiter
button-pick = Anderes Modell wählen
button-pull = 📥 { $model } herunterladen
button-pull-again = 🔁 Download wiederholen
button-stale = Dieser Button ist veraltet.
offer-saved = Deine Nachricht ist gespeichert: Tippe auf „Nochmal versuchen“, sobald das Modell erreichbar ist.
offer-partial = Die Antwort oben wurde abgeschnitten: „Nochmal versuchen“ für eine neue oder „Weiter“, damit ich sie fortsetze.
offer-pull = { $model } ist auf dem { $backend } nicht installiert. Jetzt herunterladen? Ich beantworte deine Nachricht, sobald es bereit ist.
offer-ask-admin = { $model } ist nicht installiert. Wähle ein anderes Modell oder bitte einen Admin, es herunterzuladen.
offer-used = Dieser Button wurde schon benutzt.
retrying = Neuer Versuch…
continuing = Es geht weiter…
pick-for-saved = Wähle ein Modell – es beantwortet deine gespeicherte Nachricht.
failure-unreachable = Ich bekomme gerade keine Verbindung zum { $backend }. Prüfe, ob der Dienst läuft und vom Bot aus erreichbar ist.
failure-timeout = Vom { $backend } kam nicht rechtzeitig eine Antwort.
failure-ollama-down = Die Verbindung zum { $backend } steht, aber das Ollama dahinter läuft nicht.
failure-model-missing = Das Modell { $model } ist nicht installiert.
failure-not-in-library = In der Bibliothek gibt es kein Modell namens { $model }.
failure-server = Vom { $backend } kam ein Fehler zurück ({ $status }). Versuch es gleich noch mal.
failure-model-error = Das Modell ist mit einem Fehler abgebrochen.
failure-cut = Die Antwort wurde abgeschnitten: Die Verbindung zum Modell ist abgerissen.
failure-bad-reply = Die Antwort vom { $backend } konnte ich nicht lesen.
failure-internal = Bei mir ist etwas schiefgelaufen. Versuch es noch mal; wenn das öfter passiert, sag dem Besitzer des Bots Bescheid.
failure-storage = ⚠️ Ich erreiche meinen Speicher gerade nicht, deshalb wurde diese Nachricht nicht beantwortet. Bitte schick sie in ein paar Minuten noch einmal.
failure-not-saved = ⚠️ Ich konnte diese Antwort nicht speichern (mein Speicher ist nicht erreichbar): Die nächste Antwort weiß vielleicht nichts von ihr.
held-note = ⚠️ Ich kann gerade keine Nachrichten speichern (mein Speicher ist nicht erreichbar). Deine ist aufgehoben: Ich antworte, sobald der Speicher wieder da ist.
held-full = ⚠️ Ich kann gerade keine Nachrichten speichern (mein Speicher ist nicht erreichbar) und keine weiteren aufheben. Bitte schick sie in ein paar Minuten noch einmal.
held-gave-up = ❌ Mein Speicher blieb zu lange weg, deshalb wurde diese Nachricht nicht beantwortet. Bitte schick sie noch einmal.
held-stopped = ❌ Ich wurde gestoppt, bevor mein Speicher zurück war, deshalb wurde diese Nachricht nicht beantwortet. Bitte schick sie noch einmal.
held-press = Mein Speicher ist kurz nicht erreichbar. Drück gleich noch einmal.

## Downloads
pull-admins-only = Nur Admins können Modelle herunterladen.
pull-starting = { $model } wird heruntergeladen…
pull-already = { $model } wird bereits heruntergeladen.
pull-started = 📥 { $model } wird heruntergeladen…
pull-progress = 📥 { $model } wird heruntergeladen
pull-done = ✅ { $model } ist installiert.
pull-on-host = { $model } auf { $host }
pull-not-in-library = ❌ { $model } konnte nicht heruntergeladen werden: Ein solches Modell gibt es in der Bibliothek nicht.
pull-unreachable = ❌ { $model } konnte nicht heruntergeladen werden: Ich bekomme keine Verbindung zum { $backend }.
pull-failed = ❌ { $model } konnte nicht heruntergeladen werden: Der Download ist fehlgeschlagen.
pull-interrupted = ❌ Der Download von { $model } wurde durch einen Neustart unterbrochen.

## AI↔AI
ai-title = 🤖↔🤖 AI↔AI
ai-side = { $side }: { $persona } ({ $model })
ai-side-unset = { $side }: Modell antippen
ai-topic = Thema: { $topic }
ai-turns = Runden: { $done }/{ $max }
ai-default-topic = Was macht eine Idee es wert, verfolgt zu werden?
ai-line-header = { $persona } ({ $model }) · Runde { $turn }/{ $max }
ai-start = ▶️ Starten
ai-continue = ⏭️ Nächste Runde
ai-retry = 🔁 Nochmal versuchen
ai-auto = ⏩ Auto
ai-auto-on = ⏸ Auto ist an
ai-stop = ⏹ Stopp
ai-options = ⚙️ Optionen
ai-more = ➕ { $n ->
    [one] 1 weitere Runde
   *[other] { $n } weitere Runden
  }
ai-restart = 🔁 Neu starten
ai-transcript = 📄 Mitschrift
ai-finished = 🏁 Das Gespräch ist nach { $turns ->
    [one] einer Runde
   *[other] { $turns } Runden
  } zu Ende.
ai-progress = Runde { $done }/{ $max } · noch { $left }
ai-paused-failed = ⚠️ Pausiert: { $persona } konnte nicht antworten. Versuch es noch mal, wenn du so weit bist.
ai-paused-restart = ⚠️ Durch einen Neustart pausiert: Als Nächstes spricht { $persona }. Mach weiter, wenn du so weit bist.
ai-resuming-restart = ⚠️ Der Bot wurde neu gestartet: Als Nächstes spricht { $persona }, und Auto läuft weiter.
ai-continuing-restart = ⚠️ Der Bot wurde neu gestartet: Als Nächstes spricht { $persona }.
ai-options-title = ⚙️ AI↔AI-Optionen
ai-custom = { $side }: ✍️ Eigene
ai-topic-button = 📝 Thema
ai-n-turns = { $n ->
    [one] 1 Runde
   *[other] { $n } Runden
  }
ai-back-to-chat = 💬 Zurück zum Chat
ai-back-in-chat = 💬 Zurück im Chat-Modus: Schreib einfach, um mit deinem Modell zu chatten. Mit /ollama schaltest du AI↔AI wieder ein.
ai-stale = Die Buttons dieses Gesprächs sind veraltet. Mit /ollama startest du ein neues.
ai-next = Nächste Runde…
ai-busy = Es läuft bereits eine Runde.
ai-pick-both = Wähle zuerst beide Modelle: /ollama, dann A und B antippen.
ai-all-done = Alle Runden sind gespielt: Füge weitere hinzu oder starte neu.
ai-auto-turned-on = Auto: an
ai-auto-turned-off = Auto: aus
ai-stopped = Gestoppt.
ai-more-done = { $n ->
    [one] 1 weitere Runde.
   *[other] { $n } weitere Runden.
  }
ai-restarted = Ein neues Gespräch, dieselbe Besetzung.
ai-turns-set = Runden: { $n }
ai-pick-side-first = Wähle zuerst das Modell für diese Seite.
ai-unknown-persona = Unbekannte Persona.
ai-noted = 📝 Als Hinweis der Moderation notiert: Beide Seiten sehen ihn in der nächsten Runde.
ai-no-transcript = Es gibt noch kein AI↔AI-Gespräch. /ollama, AI↔AI einschalten, zwei Modelle wählen.
ai-moderator = Moderation
ai-transcript-title = AI↔AI-Gespräch
ai-transcript-topic = Thema:
ai-transcript-turns = Runden:
ai-transcript-caption = Mitschrift: { $lines ->
    [one] 1 Zeile
   *[other] { $lines } Zeilen
  }, { $turns ->
    [one] 1 Runde
   *[other] { $turns } Runden
  }
ai-mark-failed = durch einen Fehler abgebrochen
ai-mark-stopped = gestoppt
ai-mark-interrupted = durch einen Neustart unterbrochen

# /models (admins)
models-admins-only = Nur Admins können Modelle verwalten.
models-stale = Dieses Menü ist veraltet: Schick /models für ein neues.
models-unknown = –
models-title = 🗂 Installierte Modelle: { $count }
models-empty = Es sind noch keine Modelle installiert: ➕ lade eines herunter.
models-line = { $marks }{ $name } · { $size } · { $params } · { $quant } · { $date }
models-legend = 🟢 im Speicher geladen · ⭐ Standardmodell
models-default-line = ⭐ Standard für Chats ohne eigene Wahl: { $model }
models-default-missing = ⭐ Standard für Chats ohne eigene Wahl: { $model } (nicht installiert)
models-default-none = ⭐ Kein Standardmodell: Jeder Chat wählt eines mit /ollama.
models-button-pull = ➕ Modell laden
models-button-loaded = 🧠 Geladene Modelle
models-button-default = ⭐ Standardmodell
models-button-refresh = 🔄 Aktualisieren
models-button-close = ✖ Schließen
models-button-back = ◀️ Zurück
models-button-delete = 🗑 Löschen
models-button-unload = ⏏️ Entladen
models-button-make-default = ⭐ Als Standard
models-button-confirm-delete = 🗑 Ja, löschen
models-button-cancel = ✖ Abbrechen
models-button-reset-default = ↩️ Zurück zu { $model }
models-button-no-default = ↩️ Kein Standard
models-button-cancel-pull = ✖ Abbrechen
models-button-pull-again = 🔁 Nochmal versuchen
models-details-title = 📦 { $model }
models-details-family = Familie: { $value }
models-details-params = Parameter: { $value }
models-details-quant = Quantisierung: { $value }
models-details-size = Größe: { $value }
models-details-context = Kontextlänge: { $value }
models-details-capabilities = Fähigkeiten: { $value }
models-details-modified = Geändert: { $value }
models-details-settings = Modelfile-Parameter: { $value }
models-details-license = Lizenz: { $value }
models-details-unavailable = Keine weiteren Details: { $reason }
models-details-loaded = 🟢 Gerade im Speicher geladen.
models-details-default = ⭐ Das Standardmodell für Chats ohne eigene Wahl.
models-gone = { $model } ist nicht mehr installiert.
models-delete-confirm = 🗑 { $model } ({ $size }) löschen? Seine Dateien werden von der Festplatte entfernt; um es wieder zu nutzen, muss es neu heruntergeladen werden.
models-deleted = ✅ { $model } ist gelöscht.
models-delete-gone = { $model } war schon weg: Es gibt nichts zu löschen.
models-delete-failed = ❌ { $model } konnte nicht gelöscht werden: { $reason }
models-unloaded = ⏏️ { $model } ist aus dem Speicher entladen.
models-unload-failed = ❌ { $model } konnte nicht entladen werden: { $reason }
models-loaded-title = 🧠 Im Speicher geladen: { $count }
models-loaded-none = 🧠 Gerade ist kein Modell im Speicher geladen.
models-loaded-line = • { $model } · { $vram } im VRAM · { $until }
models-loaded-until = bis { $time }
models-loaded-forever = bleibt geladen
models-loaded-failed = ❌ Die geladenen Modelle konnten nicht gelesen werden: { $reason }
models-default-explain = Chats, die mit /ollama kein Modell gewählt haben, nutzen das Standardmodell. DEFAULT_MODEL in der Konfiguration: { $config }.
models-default-nothing = keines
models-default-pick = Tippe auf das neue Standardmodell:
models-default-set = ⭐ { $model } ist jetzt das Standardmodell.
models-default-reset = ↩️ Standard ist wieder DEFAULT_MODEL: { $model }.
models-default-cleared = ↩️ Jetzt gibt es kein Standardmodell: Jeder Chat wählt eines mit /ollama.
models-pull-ask = 📥 Welches Modell soll ich herunterladen? Schreib seinen Namen wie in der Ollama-Bibliothek, z. B. llama3.2 oder qwen2.5:7b.
models-pull-need-name = Bitte schreib den Namen des Modells, z. B. llama3.2.
models-pull-bad-name = „{ $name }“ ist kein Modellname: Erlaubt sind Buchstaben, Ziffern, „.“, „-“, „_“ und „/“, danach optional „:“ und ein Tag, z. B. llama3.2:1b.
models-pull-installed = { $model } ist schon installiert.
models-pull-busy = { $model } wird schon heruntergeladen.
models-pull-retrying = 📥 { $model } wird erneut heruntergeladen…
models-pull-cancelling = Der Download wird abgebrochen…
models-pull-cancelled = ✖ Der Download von { $model } wurde abgebrochen.
models-pull-not-running = Dieser Download läuft nicht mehr.
models-pull-stale = Dieser Button ist veraltet: Öffne /models und tippe auf ➕ Modell laden.

## Einstellungen (/settings), der Kontext, Neu generieren und /summarize
cmd-settings = Modelleinstellungen: Temperatur, Kontext, Nachdenken…
cmd-summarize = Ältere Nachrichten zu einer kurzen Notiz zusammenfassen
settings-title = ⚙️ Einstellungen für diesen Chat · Modell { $model }
settings-line-temperature = 🌡 Temperatur: { $value }
settings-line-top-p = 🎯 Top-p: { $value }
settings-line-context = 📏 Kontext: { $value }; das Modell verarbeitet bis zu { $max }
settings-line-thinking = 🧠 Nachdenken: { $value } · sichtbar: { $shown ->
    [yes] ja
   *[no] nein
  }
settings-line-keep-alive = ⏳ Modell geladen halten: { $value }
settings-line-streaming = 🌊 Streaming: { $on ->
    [on] an
   *[off] aus
  }
settings-line-system = 📝 Systemprompt: { $value }
settings-none = keiner
settings-default-mark = (Standard)
settings-model-default = Vorgabe des Modells
settings-tokens = { $n } Tokens
settings-think-on = an
settings-think-off = aus
settings-think-low = niedrig
settings-think-medium = mittel
settings-think-high = hoch
settings-think-unsupported = dieses Modell denkt nicht nach
settings-think-unsupported-long = Dieses Modell denkt nicht Schritt für Schritt nach, hier gibt es also nichts einzustellen. Modelle mit 🧠 in /ollama können das.
settings-think-levels-only = Dieses Modell kennt nur Stufen: „aus“ wird als niedrig gesendet, seine kleinste Stufe.
settings-keep-forever = immer
settings-keep-unload = nach jeder Antwort entladen
settings-keep-duration = { $n } { $unit ->
    [s] s
    [m] Min.
   *[h] Std.
  }
settings-button-temperature = 🌡 Temperatur
settings-button-top-p = 🎯 Top-p
settings-button-context = 📏 Kontext
settings-button-thinking = 🧠 Nachdenken
settings-button-keep-alive = ⏳ Geladen halten
settings-button-show-thinking = 👁 Gedanken: { $on ->
    [on] sichtbar
   *[off] versteckt
  }
settings-button-reset = ↩️ Standardwerte
settings-about-temperature = 🌡 Temperatur: wie frei das Modell seine Wörter wählt. 0 ist am vorhersehbarsten, 2 am zufälligsten.
settings-about-top_p = 🎯 Top-p: Das Modell wählt nur unter den wahrscheinlichsten Wörtern, die zusammen diesen Anteil ausmachen. Niedriger heißt fokussierter.
settings-about-context = 📏 Kontext: wie viele Tokens des Gesprächs das Modell liest (Frage und Antwort zusammen). Mehr merkt sich mehr, braucht aber mehr Speicher und Zeit.
settings-about-thinking = 🧠 Nachdenken: Ein Modell, das vor der Antwort Schritt für Schritt nachdenkt, kann das tun, es lassen oder auf einer bestimmten Stufe nachdenken.
settings-about-keep_alive = ⏳ Wie lange das Modell nach einer Antwort geladen bleibt, damit die nächste sofort beginnt.
settings-now = Aktuell: { $value }
settings-context-max = Dieses Modell verarbeitet höchstens { $max } Tokens.
settings-context-min = Mindestens { $min }.
settings-use-default = ↩️ Standard
settings-own-value = ✏️ Anderer Wert
settings-back = ◀️ Zurück
settings-saved = Gespeichert.
settings-reset-done = ↩️ Die Einstellungen sind wieder auf Standard. Der Systemprompt bleibt (/system ändert ihn).
settings-usage = /settings öffnet das Menü. Direkt setzen: /settings NAME VALUE (Namen: { $names }), /settings NAME default oder /settings reset.
settings-set-default = { $name } steht wieder auf Standard.
settings-changed = ✅ { $name }: { $value }. Das gilt ab deiner nächsten Nachricht.
settings-context-capped = Dieses Modell verarbeitet höchstens { $max } Tokens, also wird dieser Wert gesendet.
settings-name-temperature = Temperatur
settings-name-top_p = Top-p
settings-name-context = Kontext
settings-name-thinking = Nachdenken
settings-name-keep_alive = Geladen halten
settings-ask = Schick mir den Wert für { $name }.
setting-bad-range = { $name } muss zwischen { $min } und { $max } liegen (du hast „{ $got }“ geschickt).
setting-bad-choice = { $name } muss eins von { $choices } sein (du hast „{ $got }“ geschickt).
setting-bad-keep-alive = { $name } muss eine Dauer wie 30m oder 2h sein (höchstens eine Woche), 0 zum Entladen nach jeder Antwort oder -1, damit das Modell geladen bleibt (du hast „{ $got }“ geschickt).
picker-settings = ⚙️ Einstellungen
picker-legend = 🟢 geladen · 👁 sieht Bilder · 🧠 denkt nach · 🛠 nutzt Tools · 🎧 hört Audio
model-loaded = 🟢 Gerade geladen: Die nächste Antwort beginnt sofort.
model-not-loaded = ⚪ Nicht geladen: Vor der nächsten Antwort muss das Modell erst geladen werden.
model-summary = Zusammenfassung älterer Nachrichten: { $chars } Zeichen.
model-settings-hint = /settings ändert diese Werte.
button-continue-length = ➡️ Weiter
button-regenerate = 🔄 Neu generieren
regenerate-not-latest = Nur die neueste Antwort lässt sich neu generieren.
regenerating = Ich schreibe eine neue Antwort…
button-summarize = 📝 Zusammenfassen
button-summarize-again = 📝 Erneut zusammenfassen
context-cut = 🧹 Dieses Gespräch passt nicht mehr in den Kontext des Modells ({ $tokens } Tokens): { $count ->
    [one] Die älteste Nachricht bleibt
   *[other] Die { $count } ältesten Nachrichten bleiben
  } ab jetzt außen vor. /summarize hält das Wichtigste daraus in einer kurzen Notiz fest.
context-near = 📏 Dieses Gespräch füllt den Kontext des Modells fast aus ({ $tokens } Tokens): Bald bleiben die ältesten Nachrichten außen vor. /summarize hält das Wichtigste daraus in einer kurzen Notiz fest.
summary-working = 📝 Ich fasse die älteren Nachrichten zusammen…
summary-done = 📝 { $count ->
    [one] Eine ältere Nachricht ist
   *[other] { $count } ältere Nachrichten sind
  } jetzt diese Notiz (die letzten { $kept } bleiben, wie sie sind):
summary-busy = Es wird schon eine Zusammenfassung erstellt.
summary-nothing = Noch nichts zusammenzufassen: Das Gespräch ist noch kurz.
summary-no-model = Wähle zuerst ein Modell: /ollama.
summary-interrupted = ⚠️ Die Zusammenfassung wurde durch einen Neustart unterbrochen. Die Nachrichten bleiben, wie sie waren.
summary-kept = Die Nachrichten bleiben, wie sie waren.

## Fotos, Sprachnachrichten und Dokumente
photo-default-prompt = Beschreib dieses Bild.
document-default-prompt = Fass dieses Dokument zusammen.
voice-default-prompt = Antworte auf diese Sprachnachricht.
document-label = Dokument: { $name }
document-cut = 📄 { $name }: Nur die ersten { $used } von { $total } Zeichen passen in den Kontext des Modells; der Rest wurde weggelassen.
photo-model-blind = 🖼 { $model } kann keine Bilder sehen.
photo-pick-vision = 🖼 Es ist noch kein Modell gewählt, und für ein Foto braucht es eins, das Bilder sieht.
photo-pick-one = Wähle eins, das das kann – es beantwortet dann dein Foto:
photo-none-installed-admin = Es ist kein Modell installiert, das Bilder sieht. Lade { $model } herunter (ein kleines, das das kann) – es beantwortet dann dein Foto:
photo-none-installed = Es ist kein Modell installiert, das Bilder sieht. Bitte den Admin des Bots, eins zu installieren, zum Beispiel { $model }.
photo-answering = Ich beantworte dein Foto…
photo-model-gone = Dieses Modell ist nicht mehr installiert.
failure-file-too-big-telegram = Diese Datei ist größer als { $mb } MB – mehr lässt Telegram Bots nicht herunterladen. Schick eine kleinere; der Besitzer des Bots kann diese Grenze mit einem lokalen Bot-API-Server (TELEGRAM_API_ROOT) aufheben.
failure-file-too-big = Diese Datei ist größer als { $mb } MB – mehr nimmt dieser Bot nicht an (MEDIA_MAX_MB).
failure-download = Ich konnte die Datei nicht von Telegram herunterladen. Versuch es noch mal.
failure-no-stt = Auf dem Hub ist keine Spracherkennung installiert, deshalb verstehe ich hier keine Sprachnachrichten. Der Besitzer des Hubs kann dort faster-whisper installieren. Schreib mir deine Nachricht stattdessen als Text.
failure-voice-direct = Für Sprachnachrichten braucht es die Spracherkennung des Hubs (TTSHUB_API_BASE) oder ein Modell, das Audio hört – dieser Bot hat keins von beiden. Schreib mir deine Nachricht stattdessen als Text.
failure-nothing-heard = In dieser Sprachnachricht habe ich niemanden sprechen gehört.
failure-audio-invalid = Der Hub konnte diese Audiodatei nicht lesen.
failure-hub-ffmpeg = Der Hub kann kein Audio umwandeln: Auf seinem Rechner fehlt ffmpeg.
failure-stt-failed = Die Spracherkennung des Hubs ist fehlgeschlagen. Versuch es noch mal.
failure-document-encrypted = Dieses PDF ist mit einem Passwort geschützt, deshalb kann ich es nicht lesen.
failure-document-no-text = Dieses Dokument enthält keinen Text, den ich lesen kann (ein Scan oder nur Bilder).
failure-document-invalid = Diese Datei scheint beschädigt zu sein: Ich konnte sie nicht lesen.
failure-document-unsupported = Ich kann Textdateien, PDF und Word (.docx) lesen, aber keine Dateien dieser Art.
failure-document-too-complex = Dieses Dokument ist zu groß oder zu komplex, um es rechtzeitig zu lesen.
ai-media-chat-only = Fotos, Sprachnachrichten und Dokumente gehen im Chat-Modus. Schalte AI↔AI in /ollama aus, um mit einem Modell darüber zu sprechen.
setting-admin-only-keep-alive = Ein Modell länger als einen Tag oder dauerhaft geladen zu halten, ist den Admins des Bots vorbehalten: Es belegt den Speicher des Servers für alle.
summary-reset = 📝 Der Verlauf wurde inzwischen gelöscht, es gibt nichts mehr zusammenzufassen.

## Antworten vorlesen
cmd-say = Die letzte Antwort vorlesen
button-speak = 🔊
voice-making = 🔊 Ich erstelle die Sprachnachricht…
voice-making-short = Sprachnachricht wird erstellt…
voice-omitted = Der Rest der Antwort wurde weggelassen: Eine Sprachnachricht soll kurz bleiben.
voice-code-omitted = (Code weggelassen)
voice-nothing = In dieser Antwort gibt es nichts zum Vorlesen.
voice-stopped = ⏹ Gestoppt: keine Sprachnachricht.
voice-tts-unavailable = Die Sprachausgabe des Hubs ist gerade nicht verfügbar, deshalb kann ich keine Antworten vorlesen.
voice-needs-hub = Zum Vorlesen von Antworten braucht es die Sprachausgabe des Hubs (TTSHUB_API_BASE); dieser Bot spricht direkt mit Ollama.
voice-not-found = Der Hub hat die Stimme nicht, die ich angefragt habe.
voice-no-answer = Es gibt noch keine Antwort zum Vorlesen.
voice-too-old = Diese Antwort ist zu alt, um sie jetzt noch vorzulesen.
voice-busy = Es wird schon eine Sprachnachricht erstellt – einen Moment, bitte.

settings-button-voice = 🗣 Stimme
settings-button-voice-speed = ⏩ Sprechtempo
settings-button-voice-replies = 🎙 Sprachantwort: { $on ->
    [on] an
   *[off] aus
  }
settings-line-voice = 🔊 Vorlesen mit: { $voice } · Tempo { $speed }× · Sprachantwort auf Sprachnachrichten: { $replies ->
    [on] an
   *[off] aus
  }
settings-about-voice = 🗣 Die Stimme, die Antworten vorliest (🔊, /say):
settings-about-voice_speed = ⏩ Wie schnell Antworten vorgelesen werden: 1 ist normal, von 0.5 bis 2.
settings-name-voice_speed = Sprechtempo
settings-voice-hint = Wähle oben eine Sprache und ♀/♂; tippe eine Stimme an, um eine kurze Hörprobe zu hören.
settings-voice-none = Der Hub hat keine Stimme dieser Art.
settings-voice-saved = Gespeichert: { $voice }. Gleich folgt eine kurze Hörprobe.
voice-sample-failed = Die Hörprobe der Stimme ließ sich nicht abspielen: { $reason }

## AI↔AI vorlesen
ai-voices-button = 🔊 Stimmen: { $on ->
    [on] an
   *[off] aus
  }
ai-voices-line = 🔊 Zeilen vorlesen: { $on ->
    [on] an
   *[off] aus
  } · A: { $a } · B: { $b }
ai-voices-turned-on = Jede Zeile wird jetzt nach ihrem Text vorgelesen.
ai-voices-turned-off = Die Zeilen werden nicht mehr vorgelesen.
ai-voice-pick = 🗣 Die Stimme von { $side } ({ $persona }): Wähle eine Sprache, dann eine Stimme; danach folgt eine kurze Hörprobe.
ai-voice-taken = Die andere Seite spricht schon mit dieser Stimme: Wähle eine andere, damit die beiden verschieden klingen.
ai-voice-line-failed = Zu dieser Zeile gibt es keine Sprachnachricht: { $reason } Das Gespräch geht als Text weiter.
ai-voice-line-failed-off = Zu dieser Zeile gibt es keine Sprachnachricht: { $reason } Die Stimmen sind für dieses Gespräch jetzt aus; unter ⚙️ Optionen schaltest du sie wieder ein.
ai-episode = 🎧 Episode
ai-episode-started = Die Episode wird erstellt…
ai-episode-making = 🎧 Die Episode wird erstellt… { $done }/{ $total }
ai-episode-intro = Ein Gespräch von KI zu KI. { $a } und { $b } sprechen über: { $topic }
ai-episode-caption = 🎧 { $a } und { $b }: { $topic }
ai-episode-omitted = Die Episode endet hier: Sie dauert höchstens 15 Minuten.
ai-episode-failed = Die Episode konnte nicht erstellt werden: { $reason } Die Nachrichten des Gesprächs bleiben, wie sie waren; tippe auf 🎧 Episode, um es noch mal zu versuchen.
voice-interrupted = Der Bot wurde neu gestartet, während diese Sprachnachricht erstellt wurde: Tippe noch einmal auf 🔊.
ai-episode-interrupted = Der Bot wurde neu gestartet, während die Episode erstellt wurde: Tippe noch einmal auf 🎧 Episode.
ai-voice-line-busy = Diese Zeile hat keine Sprachnachricht: Gerade werden Sprachnachrichten anderer Chats erstellt. Das Gespräch geht als Text weiter.
ai-episode-after-exchange = Ein Austausch läuft gerade: Tippe auf 🎧 Episode, sobald er vorbei ist.
