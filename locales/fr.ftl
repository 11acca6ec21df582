# ollama-telegram : français (vouvoiement). Mêmes clés et mêmes variables que en.ftl.
# Typographie : espace fine insécable (U+202F) avant les signes « ? ! : ; » et à l’intérieur des guillemets.

## Commandes (le menu affiché par Telegram ; 256 caractères au maximum chacune)
cmd-ollama = Choisir un modèle et les réglages
cmd-model = Afficher le modèle et les réglages actuels
cmd-stop = Arrêter la réponse en cours ou un message en attente
cmd-reset = Effacer l’historique de cette discussion
cmd-system = Définir le prompt système : /system TEXTE, ou /system off
cmd-stream = Activer ou couper le streaming : /stream on|off
cmd-language = La langue du bot dans cette discussion
cmd-topic = AI↔AI : définir le sujet
cmd-transcript = AI↔AI : la conversation sous forme de document
cmd-help = Ce que fait ce bot

## Aide
help =
    Je relie cette discussion aux modèles d’IA qui tournent sur votre propre machine (Ollama).

    • /ollama (ou /o) : choisissez un modèle, puis écrivez-moi, tout simplement.
    • Les réponses s’affichent au fur et à mesure ; le bouton ⏹ Arrêter en interrompt une avant la fin.
    • /model affiche les réglages actuels, /reset oublie cette conversation,
      /system définit comment le modèle doit se comporter, /stream active ou coupe les réponses en direct,
      /language règle ma langue dans cette discussion.
    • /settings : température, longueur du contexte, réflexion, durée pendant laquelle le modèle reste chargé.
      /summarize condense les anciens messages en une note quand une longue discussion ne tient plus ;
      🔄 Régénérer, sous une réponse, en écrit une nouvelle.
    • AI↔AI : dans /ollama, activez AI↔AI, touchez un modèle pour A et un autre pour B, puis ▶️ Démarrer, et
      regardez-les discuter ; ⏭️ Tour suivant pour l’échange suivant, ou ⏩ Auto. Tout ce que vous écrivez devient une note du modérateur.
    • Dans les groupes, mentionnez-moi ou répondez à mes messages.
help-current-model = Modèle actuel : { $model }.
help-no-model = Aucun modèle choisi pour l’instant : envoyez /ollama.

## Accès
access-denied = Désolé, ce bot est privé. Votre identifiant d’utilisateur Telegram est { $id }. Si ce bot est le vôtre, ajoutez-le à ALLOWED_USER_IDS dans son .env et redémarrez-le ; sinon, demandez-le à son propriétaire.
rate-limited = ✋ Doucement : { $count ->
    [one] { $count } message
   *[other] { $count } messages
  } par minute au maximum. Les messages envoyés entre-temps sont ignorés.

## Messages simples
text-only = Je sais lire le texte, les photos, les messages vocaux et les documents (texte, PDF, Word), mais pas ce type de message.
unknown-command = Je ne connais pas cette commande. /help liste ce que je sais faire.
empty-mention = Oui ? Écrivez votre question après la mention.
empty-message = Votre message est vide : écrivez votre question sous forme de texte.
prompt-too-long = Votre message fait { $length } caractères ; la limite est de { $max }. Envoyez-en un plus court, ou découpez-le.

## L’en-tête de la discussion et /model
chat-header = 🤖 Discussion · Modèle : { $model } · Streaming : { $streaming ->
    [on] activé
   *[off] désactivé
  }{ $system ->
    [set] { " · " }Prompt système : défini
   *[none] {""}
  }
chat-no-model = aucun pour l’instant
model-history = Historique : { $count ->
    [one] { $count } message
   *[other] { $count } messages
  }

## Le sélecteur
picker-pick = Choisissez un modèle :
picker-empty = Aucun modèle n’est encore installé.
picker-prev = ◀ Précédent
picker-next = Suivant ▶
picker-ai2ai = 🤖↔🤖 AI↔AI : { $on ->
    [on] activé
   *[off] désactivé
  }
picker-streaming = Streaming : { $on ->
    [on] activé
   *[off] désactivé
  }
picker-system = 📝 Prompt système
picker-clear = 🧹 Effacer l’historique
picker-refresh = 🔄 Actualiser
picker-close = ✖ Fermer
picker-ai-tap = Touchez le modèle pour { $side ->
    [a] A (qui parle en premier)
   *[b] B (qui répond)
  } :
picker-ai-both = Les deux côtés sont choisis : ▶️ Démarrer, ou touchez un modèle pour choisir à nouveau { $side } :
picker-stale = Ce menu n’est plus à jour : envoyez /ollama pour en obtenir un nouveau.
picker-stale-short = Ce menu n’est plus à jour.
picker-gone = { $model } n’est plus installé ; voici la liste à jour.
picker-picked = Modèle : { $model }
picker-now-chatting = ✅ Vous discutez maintenant avec { $model }. Envoyez un message pour commencer.
picker-now-answering = ✅ Vous discutez maintenant avec { $model }. Je réponds à votre message…
picker-refreshed = Actualisé.
picker-ai-on = AI↔AI : touchez le modèle pour A, puis celui pour B.
picker-ai-off = Retour au mode discussion.
history-cleared-short = Historique effacé.
history-cleared = 🧹 Historique effacé. Le modèle et les réglages sont conservés.

## Réglages
stream-on = Streaming activé : les réponses s’affichent au fur et à mesure.
stream-off = Streaming désactivé : les réponses arrivent une fois terminées.
stream-usage = Utilisez /stream on ou /stream off (ou /stream seul pour basculer).
language-ask = Quelle langue dois-je parler dans cette discussion ?
language-auto = 🌐 Celle de chacun
language-auto-set = 🌐 Ici, je parlerai à chacun dans la langue de son Telegram.
language-set = 🌐 Je parlerai français dans cette discussion.
language-unknown = Je ne parle pas encore cette langue. Je parle : { $languages }.

## Questions (saisies en plusieurs étapes)
button-cancel = ✖ Annuler
prompt-cancelled = D’accord, rien n’a changé.
prompt-expired = Cette question a expiré, donc rien n’a changé. Redemandez-moi quand vous voudrez.
prompt-given-up = Cela n’a pas fonctionné, rien n’a donc changé. Redemandez-moi quand vous voulez.
prompt-need-text = Répondez par un texte, ou envoyez /cancel.
question-for-other = Cette question s’adressait à quelqu’un d’autre. Mentionnez-moi pour poser la vôtre.
cancel-nothing = Il n’y a rien à annuler.
system-ask = Envoyez le prompt système dans votre prochain message (par exemple : « Vous êtes un assistant concis. »). Envoyez /cancel pour garder l’actuel, ou « off » pour le supprimer.
system-choose = Comment le modèle doit-il se comporter ? Choisissez un modèle de consigne, ou écrivez votre propre prompt système.
preset-concise = ⚡ Concis
preset-teacher = 🎓 Professeur
preset-coder = 💻 Développeur
preset-editor = ✍️ Relecteur
preset-own = 📝 Écrire le mien
preset-off = 🗑 Le supprimer
question-closed = Cette question s’adresse à quelqu’un d’autre, ou elle est close.
system-current = Prompt système actuel : { $system }
system-set = 📝 Prompt système défini. Il s’applique à partir de votre prochain message.
system-removed = 📝 Prompt système supprimé.
topic-ask = De quoi les deux doivent-ils parler ? Envoyez le sujet dans votre prochain message.
topic-set = 📝 Sujet défini : { $topic }
persona-ask-name = Personnage { $side } : comment s’appelle-t-il ? (par exemple « Jean-Luc Picard »)
persona-ask-description = Qui est { $name }, et quelle est sa façon de parler ? (par exemple « un capitaine de vaisseau spatial très calme qui cite Shakespeare »)
persona-set = 🎭 { $side } est désormais { $name }.
persona-pick-model-first = Choisissez d’abord le modèle du côté { $side } (/ollama).

## Le message en direct
live-waiting = ⏳ { $label }…
live-preparing = ⏳ { $label } prépare une réponse… { $seconds } s
live-thinking = 🤔 { $label } réfléchit… { $seconds } s
live-empty = (Le modèle a donné une réponse vide.)
live-stop = ⏹ Arrêter
note-stopped = ⏹ Arrêté.
note-too-long = ✂️ Arrêtée : la réponse a atteint { $max } caractères, le maximum autorisé.
note-restart = ⚠️ Interrompu : le bot a redémarré.
note-cut = ⚠️ Cette réponse a été interrompue.
stop-finished = Cette réponse est déjà terminée.
stop-stopping = ⏹ Arrêt en cours.
stop-nothing = Rien à arrêter : aucune réponse n’est en cours d’écriture et rien n’est en attente.
stop-waiting-cancelled = { $count ->
    [one] ✖ Le message en attente est annulé.
   *[other] ✖ Les { $count } messages en attente sont annulés.
  }

## La file d’attente
queue-position = ⏳ Le modèle est occupé avec d’autres discussions : vous êtes en position { $position } dans la file.
queue-next = ⏳ Le modèle est occupé avec d’autres discussions : vous êtes le prochain dans la file.
queue-behind-own = ⏳ En file : je réponds à ce message juste après la réponse en cours.
queue-full-chat = ⏳ { $count } messages attendent déjà dans cette discussion. Attendez leurs réponses, ou annulez-les avec /stop.
queue-full-user = ⏳ Vous avez déjà { $count } messages en attente. Attendez leurs réponses, ou annulez-les avec /stop.
queue-restarting = ⏳ Le bot s’arrête : je répondrai à ce message dès qu’il tournera de nouveau.
queue-cancel = ✖ Annuler
queue-cancelled = ✖ Annulé : je ne répondrai pas à ce message.
queue-cancelled-short = Annulé.
queue-already-started = Trop tard pour annuler : la réponse a commencé (utilisez ⏹ Arrêter).
queue-admins-only = Seuls les admins peuvent voir la file d’attente.
queue-running = En cours : { $running } sur { $slots } { $slots ->
    [one] emplacement
   *[other] emplacements
  }
queue-running-chat = ▶ discussion { $chat }, depuis { $seconds } s
queue-host = { $up ->
    [yes] 🟢
   *[no] 🔴
  } { $name } ({ $label }) : { $busy } sur { $slots } en génération, { $models } modèles
queue-host-down = 🔴 { $name } ({ $label }) : ne répond pas ({ $error })
queue-waiting = En attente : { $count ->
    [0] rien
    [one] { $count } réponse
   *[other] { $count } réponses
  }
queue-waiting-chat = #{ $position } discussion { $chat } ({ $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
  })

## Réponses, échecs et comment y remédier
# Où sont les modèles, dans les phrases ci-dessous ($backend) : jamais en début de phrase, ni après « de » ou « à » (pas de « du hub », « d’Ollama »).
backend-hub = le hub à l’adresse { $url }
backend-ollama = Ollama à l’adresse { $url }
turn-pick-first = Choisissez d’abord un modèle : je répondrai à votre message dès que ce sera fait.
button-open-picker = 🤖 Choisir un modèle
turn-restarted = ⚠️ J’ai redémarré pendant que je répondais à votre message. Il est enregistré : touchez Réessayer pour obtenir une réponse.
turn-restarted-partial = ⚠️ J’ai redémarré pendant que je répondais à votre message ; la réponse ci-dessus est coupée. Touchez Réessayer pour une nouvelle réponse, ou Continuer pour reprendre.
continue-prompt = Veuillez poursuivre votre réponse précédente exactement là où elle s’est arrêtée, sans répéter ce que vous avez déjà écrit.
button-retry = 🔁 Réessayer
button-continue = ▶️ Continuer
button-pick = Choisir un autre modèle
button-pull = 📥 Télécharger { $model }
button-pull-again = 🔁 Retélécharger
button-stale = Ce bouton n’est plus à jour.
offer-saved = Votre message est enregistré : touchez Réessayer quand le modèle sera joignable.
offer-partial = La réponse ci-dessus a été coupée : Réessayer pour en obtenir une nouvelle, ou Continuer pour reprendre.
offer-pull = { $model } n’est pas installé sur { $backend }. Le télécharger maintenant ? Je répondrai à votre message dès qu’il sera prêt.
offer-ask-admin = { $model } n’est pas installé. Choisissez un autre modèle, ou demandez à un admin de le télécharger.
offer-used = Ce bouton a déjà été utilisé.
retrying = Nouvel essai…
continuing = Je continue…
pick-for-saved = Choisissez un modèle : il répondra à votre message enregistré.
failure-unreachable = Je n’arrive pas à joindre { $backend } pour le moment. Vérifiez qu’il tourne et que le bot peut y accéder.
failure-timeout = J’ai interrogé { $backend }, mais la réponse n’est pas arrivée à temps.
failure-ollama-down = Je parviens à joindre { $backend }, mais l’Ollama qui est derrière ne tourne pas.
failure-model-missing = Le modèle { $model } n’est pas installé.
failure-not-in-library = Il n’y a aucun modèle nommé { $model } dans la bibliothèque.
failure-server = En interrogeant { $backend }, j’ai reçu une erreur ({ $status }). Réessayez dans un instant.
failure-model-error = Le modèle s’est arrêté sur une erreur.
failure-cut = La réponse a été coupée : la connexion au modèle a été perdue.
failure-bad-reply = Je n’ai pas pu lire la réponse envoyée par { $backend }.
failure-internal = Un problème est survenu de mon côté. Réessayez ; si cela se reproduit, prévenez le propriétaire du bot.
failure-storage = ⚠️ Je n’arrive pas à joindre mon stockage, ce message n’a donc pas reçu de réponse. Renvoyez-le dans quelques minutes.
failure-not-saved = ⚠️ Je n’ai pas pu enregistrer cette réponse (mon stockage ne répond pas) : la prochaine réponse risque de ne pas s’en souvenir.
held-note = ⚠️ Je ne peux pas enregistrer de messages pour l’instant (mon stockage ne répond pas). Le vôtre est gardé : j’y répondrai dès que le stockage sera revenu.
held-full = ⚠️ Je ne peux pas enregistrer de messages pour l’instant (mon stockage ne répond pas) et je ne peux pas en garder davantage. Renvoyez-le dans quelques minutes.
held-gave-up = ❌ Mon stockage est resté absent trop longtemps : ce message n’a pas reçu de réponse. Renvoyez-le.
held-stopped = ❌ J’ai été arrêté avant le retour de mon stockage : ce message n’a pas reçu de réponse. Renvoyez-le.
held-press = Mon stockage ne répond pas pour un instant. Réessayez dans un moment.

## Téléchargements
pull-admins-only = Seul un admin peut télécharger des modèles.
pull-starting = Téléchargement de { $model }…
pull-already = { $model } est déjà en cours de téléchargement.
pull-started = 📥 Téléchargement de { $model }…
pull-progress = 📥 Téléchargement de { $model }
pull-done = ✅ { $model } est installé.
pull-on-host = { $model } sur { $host }
pull-not-in-library = ❌ Impossible de télécharger { $model } : ce modèle n’existe pas dans la bibliothèque.
pull-unreachable = ❌ Impossible de télécharger { $model } : je n’arrive pas à joindre { $backend }.
pull-failed = ❌ Impossible de télécharger { $model } : le téléchargement a échoué.
pull-interrupted = ❌ Le téléchargement de { $model } a été interrompu par un redémarrage.

## AI↔AI
ai-title = 🤖↔🤖 AI↔AI
ai-side = { $side } : { $persona } ({ $model })
ai-side-unset = { $side } : touchez un modèle
ai-topic = Sujet : { $topic }
ai-turns = Tours : { $done }/{ $max }
ai-default-topic = Qu’est-ce qui fait qu’une idée vaut la peine d’être poursuivie ?
ai-line-header = { $persona } ({ $model }) · Tour { $turn }/{ $max }
ai-start = ▶️ Démarrer
ai-continue = ⏭️ Tour suivant
ai-retry = 🔁 Réessayer
ai-auto = ⏩ Auto
ai-auto-on = ⏸ Auto activé
ai-stop = ⏹ Arrêter
ai-options = ⚙️ Options
ai-more = ➕ { $n ->
    [one] { $n } tour de plus
   *[other] { $n } tours de plus
  }
ai-restart = 🔁 Recommencer
ai-transcript = 📄 Transcription
ai-finished = 🏁 La conversation est terminée après { $turns ->
    [one] { $turns } tour
   *[other] { $turns } tours
  }.
ai-progress = Tour { $done }/{ $max } · { $left ->
    [one] { $left } restant
   *[other] { $left } restants
  }
ai-paused-failed = ⚠️ En pause : { $persona } n’a pas pu répondre. Réessayez quand vous voudrez.
ai-paused-restart = ⚠️ En pause après un redémarrage : c’est au tour de { $persona }. Continuez quand vous voudrez.
ai-resuming-restart = ⚠️ Le bot a redémarré : c’est au tour de { $persona }, et Auto continue.
ai-continuing-restart = ⚠️ Le bot a redémarré : c’est au tour de { $persona }.
ai-options-title = ⚙️ Options AI↔AI
ai-custom = { $side } : ✍️ Personnalisé
ai-topic-button = 📝 Sujet
ai-n-turns = { $n ->
    [one] { $n } tour
   *[other] { $n } tours
  }
ai-back-to-chat = 💬 Retour à la discussion
ai-back-in-chat = 💬 Retour au mode discussion : écrivez pour discuter avec votre modèle. /ollama réactive AI↔AI.
ai-stale = Les boutons de cette conversation ne sont plus à jour. /ollama en démarre une nouvelle.
ai-next = Tour suivant…
ai-busy = Un échange est déjà en cours.
ai-pick-both = Choisissez d’abord les deux modèles : /ollama, puis touchez A et B.
ai-all-done = Tous les tours sont joués : ajoutez-en ou recommencez.
ai-auto-turned-on = Auto : activé
ai-auto-turned-off = Auto : désactivé
ai-stopped = Arrêté.
ai-more-done = { $n ->
    [one] { $n } tour de plus.
   *[other] { $n } tours de plus.
  }
ai-restarted = Une nouvelle conversation, avec la même distribution.
ai-turns-set = Tours : { $n }
ai-pick-side-first = Choisissez d’abord le modèle de ce côté.
ai-unknown-persona = Personnage inconnu.
ai-noted = 📝 Noté en tant que modérateur : les deux côtés le verront au prochain échange.
ai-no-transcript = Il n’y a pas encore de conversation AI↔AI. /ollama, activez AI↔AI, choisissez deux modèles.
ai-moderator = Modérateur
ai-transcript-title = Conversation AI↔AI
ai-transcript-topic = Sujet :
ai-transcript-turns = Tours :
ai-transcript-caption = Transcription : { $lines ->
    [one] { $lines } ligne
   *[other] { $lines } lignes
  }, { $turns ->
    [one] { $turns } tour
   *[other] { $turns } tours
  }
ai-mark-failed = coupé par une erreur
ai-mark-stopped = arrêté
ai-mark-interrupted = interrompu par un redémarrage

# /models (admins)
models-admins-only = Seuls les admins peuvent gérer les modèles.
models-stale = Ce menu n’est plus à jour : envoyez /models pour en obtenir un nouveau.
models-unknown = –
models-title = 🗂 Modèles installés : { $count }
models-empty = Aucun modèle n’est encore installé : ➕ téléchargez-en un.
models-line = { $marks }{ $name } · { $size } · { $params } · { $quant } · { $date }
models-legend = 🟢 chargé en mémoire · ⭐ modèle par défaut
models-default-line = ⭐ Par défaut pour les chats sans choix : { $model }
models-default-missing = ⭐ Par défaut pour les chats sans choix : { $model } (non installé)
models-default-none = ⭐ Aucun modèle par défaut : chaque chat en choisit un avec /ollama.
models-button-pull = ➕ Télécharger
models-button-loaded = 🧠 Modèles chargés
models-button-default = ⭐ Par défaut
models-button-refresh = 🔄 Actualiser
models-button-close = ✖ Fermer
models-button-back = ◀️ Retour
models-button-delete = 🗑 Supprimer
models-button-unload = ⏏️ Décharger
models-button-make-default = ⭐ Par défaut
models-button-confirm-delete = 🗑 Oui, supprimer
models-button-cancel = ✖ Annuler
models-button-reset-default = ↩️ Revenir à { $model }
models-button-no-default = ↩️ Aucun par défaut
models-button-cancel-pull = ✖ Annuler
models-button-pull-again = 🔁 Réessayer
models-details-title = 📦 { $model }
models-details-family = Famille : { $value }
models-details-params = Paramètres : { $value }
models-details-quant = Quantification : { $value }
models-details-size = Taille : { $value }
models-details-context = Longueur de contexte : { $value }
models-details-capabilities = Capacités : { $value }
models-details-modified = Modifié : { $value }
models-details-settings = Paramètres du Modelfile : { $value }
models-details-license = Licence : { $value }
models-details-unavailable = Pas plus de détails : { $reason }
models-details-loaded = 🟢 Chargé en mémoire en ce moment.
models-details-default = ⭐ Le modèle par défaut des chats qui n’en ont choisi aucun.
models-gone = { $model } n’est plus installé.
models-delete-confirm = 🗑 Supprimer { $model } ({ $size }) ? Ses fichiers sont effacés du disque ; pour le réutiliser, il faudra le télécharger à nouveau.
models-deleted = ✅ { $model } est supprimé.
models-delete-gone = { $model } avait déjà disparu : rien à supprimer.
models-delete-failed = ❌ Impossible de supprimer { $model } : { $reason }
models-unloaded = ⏏️ { $model } est déchargé de la mémoire.
models-unload-failed = ❌ Impossible de décharger { $model } : { $reason }
models-loaded-title = 🧠 Chargés en mémoire : { $count }
models-loaded-none = 🧠 Aucun modèle n’est chargé en mémoire en ce moment.
models-loaded-line = • { $model } · { $vram } de VRAM · { $until }
models-loaded-until = jusqu’au { $time }
models-loaded-forever = reste chargé
models-loaded-failed = ❌ Impossible de lire les modèles chargés : { $reason }
models-default-explain = Les chats qui n’ont pas choisi de modèle avec /ollama utilisent celui par défaut. DEFAULT_MODEL dans la configuration : { $config }.
models-default-nothing = aucun
models-default-pick = Touchez le nouveau modèle par défaut :
models-default-set = ⭐ { $model } est maintenant le modèle par défaut.
models-default-reset = ↩️ Le modèle par défaut est de nouveau DEFAULT_MODEL : { $model }.
models-default-cleared = ↩️ Plus de modèle par défaut : chaque chat en choisit un avec /ollama.
models-pull-ask = 📥 Quel modèle dois-je télécharger ? Écrivez son nom comme dans la bibliothèque Ollama, par ex. llama3.2 ou qwen2.5:7b.
models-pull-need-name = Écrivez le nom du modèle, par ex. llama3.2.
models-pull-bad-name = « { $name } » n’est pas un nom de modèle : utilisez des lettres, des chiffres, « . », « - », « _ » et « / », puis éventuellement « : » et une étiquette, par ex. llama3.2:1b.
models-pull-installed = { $model } est déjà installé.
models-pull-busy = { $model } est déjà en cours de téléchargement.
models-pull-retrying = 📥 Nouveau téléchargement de { $model }…
models-pull-cancelling = Annulation du téléchargement…
models-pull-cancelled = ✖ Le téléchargement de { $model } a été annulé.
models-pull-not-running = Ce téléchargement n’est plus en cours.
models-pull-stale = Ce bouton n’est plus à jour : ouvrez /models et touchez ➕ Télécharger.

## Réglages (/settings), le contexte, Régénérer et /summarize
cmd-settings = Réglages du modèle : température, contexte, réflexion…
cmd-summarize = Condenser les anciens messages en une courte note
settings-title = ⚙️ Réglages de cette discussion · modèle { $model }
settings-line-temperature = 🌡 Température : { $value }
settings-line-top-p = 🎯 Top-p : { $value }
settings-line-context = 📏 Contexte : { $value } ; le modèle accepte jusqu’à { $max }
settings-line-thinking = 🧠 Réflexion : { $value } · affichée : { $shown ->
    [yes] oui
   *[no] non
  }
settings-line-keep-alive = ⏳ Garder le modèle chargé : { $value }
settings-line-streaming = 🌊 Streaming : { $on ->
    [on] activé
   *[off] désactivé
  }
settings-line-system = 📝 Prompt système : { $value }
settings-none = aucun
settings-default-mark = (par défaut)
settings-model-default = valeur du modèle
settings-tokens = { $n } tokens
settings-think-on = activée
settings-think-off = désactivée
settings-think-low = faible
settings-think-medium = moyenne
settings-think-high = élevée
settings-think-unsupported = ce modèle ne réfléchit pas
settings-think-unsupported-long = Ce modèle ne réfléchit pas étape par étape : il n’y a donc rien à régler ici. Les modèles marqués 🧠 dans /ollama le font.
settings-think-levels-only = Ce modèle n’accepte qu’un niveau : « désactivée » est envoyé comme faible, son minimum.
settings-keep-forever = toujours
settings-keep-unload = déchargé après chaque réponse
settings-keep-duration = { $unit ->
    [s] { $n } s
    [m] { $n } min
   *[h] { $n } h
  }
settings-button-temperature = 🌡 Température
settings-button-top-p = 🎯 Top-p
settings-button-context = 📏 Contexte
settings-button-thinking = 🧠 Réflexion
settings-button-keep-alive = ⏳ Garder chargé
settings-button-show-thinking = 👁 Pensées : { $on ->
    [on] affichées
   *[off] masquées
  }
settings-button-reset = ↩️ Réinitialiser
settings-about-temperature = 🌡 Température : la liberté avec laquelle le modèle choisit ses mots. 0 est le plus prévisible, 2 le plus aléatoire.
settings-about-top_p = 🎯 Top-p : le modèle ne choisit que parmi les mots les plus probables qui, ensemble, représentent cette part. Plus la valeur est basse, plus il est ciblé.
settings-about-context = 📏 Contexte : combien de tokens de la conversation le modèle lit (la question et la réponse ensemble). Plus il y en a, plus il se souvient, mais plus il lui faut de mémoire et de temps.
settings-about-thinking = 🧠 Réflexion : un modèle qui réfléchit étape par étape avant de répondre peut le faire, ne pas le faire, ou réfléchir à un niveau donné.
settings-about-keep_alive = ⏳ Combien de temps le modèle reste chargé après une réponse, pour que la suivante démarre tout de suite.
settings-now = Actuellement : { $value }
settings-context-max = Ce modèle accepte au maximum { $max } tokens.
settings-context-min = Au moins { $min }.
settings-use-default = ↩️ Par défaut
settings-own-value = ✏️ Autre valeur
settings-back = ◀️ Retour
settings-saved = Enregistré.
settings-reset-done = ↩️ Les réglages sont revenus à leurs valeurs par défaut. Le prompt système est conservé (/system le modifie).
settings-usage = /settings ouvre le menu. Pour en régler un directement : /settings NAME VALUE (noms : { $names }), /settings NAME default, ou /settings reset.
settings-set-default = { $name } : retour à la valeur par défaut.
settings-changed = ✅ { $name } : { $value }. Cela s’applique à partir de votre prochain message.
settings-context-capped = Ce modèle accepte au maximum { $max } tokens : c’est donc ce qui est envoyé.
settings-name-temperature = Température
settings-name-top_p = Top-p
settings-name-context = Contexte
settings-name-thinking = Réflexion
settings-name-keep_alive = Garder chargé
settings-ask = Envoyez la valeur pour { $name }.
setting-bad-range = { $name } : la valeur doit être comprise entre { $min } et { $max } (vous avez envoyé « { $got } »).
setting-bad-choice = { $name } : choisissez parmi { $choices } (vous avez envoyé « { $got } »).
setting-bad-keep-alive = { $name } : indiquez une durée comme 30m ou 2h (une semaine au maximum), 0 pour décharger le modèle après chaque réponse, ou -1 pour le garder chargé (vous avez envoyé « { $got } »).
picker-settings = ⚙️ Réglages
picker-legend = 🟢 chargé · 👁 voit les images · 🧠 réfléchit · 🛠 utilise des outils · 🎧 entend l’audio
model-loaded = 🟢 Chargé : la prochaine réponse démarre tout de suite.
model-not-loaded = ⚪ Pas chargé : la prochaine réponse attendra d’abord que le modèle se charge.
model-summary = Résumé des anciens messages : { $chars } caractères.
model-settings-hint = /settings permet de les modifier.
button-continue-length = ➡️ Continuer
button-regenerate = 🔄 Régénérer
regenerate-not-latest = Seule la réponse la plus récente peut être régénérée.
regenerating = J’écris une nouvelle réponse…
button-summarize = 📝 Résumer
button-summarize-again = 📝 Résumer à nouveau
context-cut = 🧹 Cette conversation ne tient plus dans le contexte du modèle ({ $tokens } tokens) : { $count ->
    [one] le message le plus ancien est désormais laissé
   *[other] les { $count } messages les plus anciens sont désormais laissés
  } de côté. /summarize en garde l’essentiel dans une courte note.
context-near = 📏 Cette conversation remplit presque le contexte du modèle ({ $tokens } tokens) : bientôt, les messages les plus anciens seront laissés de côté. /summarize en garde l’essentiel dans une courte note.
summary-working = 📝 Résumé des anciens messages en cours…
summary-done = 📝 { $count ->
    [one] { $count } ancien message est désormais résumé
   *[other] { $count } anciens messages sont désormais résumés
  } dans cette note (les { $kept } derniers restent tels quels) :
summary-busy = Un résumé est déjà en cours.
summary-nothing = Rien à résumer pour l’instant : la conversation est encore courte.
summary-no-model = Choisissez d’abord un modèle : /ollama.
summary-interrupted = ⚠️ Le résumé a été interrompu par un redémarrage. Les messages sont conservés tels quels.
summary-kept = Les messages sont conservés tels quels.

## Photos, messages vocaux et documents
photo-default-prompt = Décrivez cette image.
document-default-prompt = Résumez ce document.
voice-default-prompt = Répondez à ce message vocal.
document-label = Document : { $name }
document-cut = 📄 { $name } : seuls les { $used } premiers caractères sur { $total } tiennent dans le contexte du modèle ; le reste a été laissé de côté.
photo-model-blind = 🖼 { $model } ne voit pas les images.
photo-pick-vision = 🖼 Aucun modèle n’est encore choisi, et une photo demande un modèle qui voit les images.
photo-pick-one = Choisissez-en un qui les voit, et il répondra à votre photo :
photo-none-installed-admin = Aucun modèle capable de voir les images n’est installé. Téléchargez { $model } (un petit modèle qui en est capable), et il répondra à votre photo :
photo-none-installed = Aucun modèle capable de voir les images n’est installé. Demandez à l’admin du bot d’en installer un, par exemple { $model }.
photo-answering = Je réponds à votre photo…
photo-model-gone = Ce modèle n’est plus installé.
failure-file-too-big-telegram = Ce fichier dépasse { $mb } Mo, le maximum que Telegram laisse les bots télécharger. Envoyez-en un plus petit ; le propriétaire du bot peut lever cette limite avec un serveur Bot API local (TELEGRAM_API_ROOT).
failure-file-too-big = Ce fichier dépasse { $mb } Mo, le maximum qu’accepte ce bot (MEDIA_MAX_MB).
failure-download = Je n’ai pas pu télécharger le fichier depuis Telegram. Réessayez.
failure-no-stt = Le hub n’a pas de reconnaissance vocale installée : je ne peux donc pas comprendre les messages vocaux ici. Son propriétaire peut installer faster-whisper sur le hub. En attendant, écrivez votre message.
failure-voice-direct = Les messages vocaux nécessitent la reconnaissance vocale du hub (TTSHUB_API_BASE) ou un modèle qui entend l’audio, et ce bot n’a ni l’un ni l’autre. Écrivez plutôt votre message.
failure-nothing-heard = Je n’ai entendu personne parler dans ce message vocal.
failure-audio-invalid = Le hub n’a pas pu lire ce fichier audio.
failure-hub-ffmpeg = Le hub ne peut pas convertir l’audio : ffmpeg est absent de sa machine.
failure-stt-failed = La reconnaissance vocale du hub a échoué. Réessayez.
failure-document-encrypted = Ce PDF est protégé par un mot de passe : je ne peux donc pas le lire.
failure-document-no-text = Ce document ne contient aucun texte que je puisse lire (un scan, ou seulement des images).
failure-document-invalid = Ce fichier semble endommagé : je n’ai pas pu le lire.
failure-document-unsupported = Je sais lire les fichiers texte et les documents PDF et Word (.docx), mais pas ce type de fichier.
failure-document-too-complex = Ce document est trop volumineux ou trop complexe pour être lu à temps.
ai-media-chat-only = Les photos, messages vocaux et documents fonctionnent en mode discussion. Désactivez AI↔AI dans /ollama pour en parler avec un modèle.
setting-admin-only-keep-alive = Garder un modèle chargé plus d’un jour, ou en permanence, est réservé aux administrateurs du bot : cela occupe la mémoire du serveur pour tout le monde.
summary-reset = 📝 L’historique a été effacé entre-temps : il n’y a plus rien à résumer.

## Réponses lues à voix haute
cmd-say = Lire la dernière réponse à voix haute
button-speak = 🔊
voice-making = 🔊 Je prépare le message vocal…
voice-making-short = Préparation du message vocal…
voice-omitted = La suite de la réponse a été laissée de côté : un message vocal reste court.
voice-code-omitted = (code omis)
voice-nothing = Il n’y a rien à lire à voix haute dans cette réponse.
voice-stopped = ⏹ Arrêté : pas de message vocal.
voice-tts-unavailable = La synthèse vocale du hub n’est pas disponible pour le moment : je ne peux donc pas lire les réponses à voix haute.
voice-needs-hub = La lecture des réponses à voix haute nécessite la synthèse vocale du hub (TTSHUB_API_BASE) ; ce bot parle directement à Ollama.
voice-not-found = Le hub n’a pas la voix que j’ai demandée.
voice-no-answer = Il n’y a pas encore de réponse à lire à voix haute.
voice-too-old = Cette réponse est trop ancienne pour être lue à voix haute maintenant.
voice-busy = Un message vocal est déjà en cours de création ; un instant, s’il vous plaît.

settings-button-voice = 🗣 Voix
settings-button-voice-speed = ⏩ Débit de la voix
settings-button-voice-replies = 🎙 Réponse vocale : { $on ->
    [on] oui
   *[off] non
  }
settings-line-voice = 🔊 Lecture avec : { $voice } · débit { $speed }× · réponse vocale aux messages vocaux : { $replies ->
    [on] oui
   *[off] non
  }
settings-about-voice = 🗣 La voix qui lit les réponses à voix haute (🔊, /say) :
settings-about-voice_speed = ⏩ La vitesse de lecture : 1 est normal, de 0.5 à 2.
settings-name-voice_speed = Débit de la voix
settings-voice-hint = Choisissez une langue et ♀/♂ ci-dessus ; touchez une voix pour en écouter un court extrait.
settings-voice-none = Le hub n’a aucune voix de ce type.
settings-voice-saved = Enregistré : { $voice }. Un court extrait suit.
voice-sample-failed = Impossible de lire l’extrait de la voix : { $reason }

## AI↔AI lu à voix haute
ai-voices-button = 🔊 Voix : { $on ->
    [on] oui
   *[off] non
  }
ai-voices-line = 🔊 Lignes lues à voix haute : { $on ->
    [on] oui
   *[off] non
  } · A : { $a } · B : { $b }
ai-voices-turned-on = Chaque ligne est désormais lue à voix haute après son texte.
ai-voices-turned-off = Les lignes ne sont plus lues à voix haute.
ai-voice-pick = 🗣 La voix de { $side } ({ $persona }) : choisissez une langue, puis une voix ; un court extrait suit.
ai-voice-taken = L’autre côté parle déjà avec cette voix : choisissez-en une autre, pour que les deux sonnent différemment.
ai-voice-line-failed = Cette ligne n’a pas de message vocal : { $reason } La conversation continue en texte.
ai-voice-line-failed-off = Cette ligne n’a pas de message vocal : { $reason } Les voix sont désormais désactivées pour cette conversation ; réactivez-les dans ⚙️ Options.
ai-episode = 🎧 Épisode
ai-episode-started = Préparation de l’épisode…
ai-episode-making = 🎧 Préparation de l’épisode… { $done }/{ $total }
ai-episode-intro = Une conversation d’IA à IA. { $a } et { $b } parlent de : { $topic }
ai-episode-caption = 🎧 { $a } et { $b } : { $topic }
ai-episode-omitted = L’épisode s’arrête là : il dure au plus 15 minutes.
ai-episode-failed = Impossible de préparer l’épisode : { $reason } Les messages de la conversation restent tels quels ; touchez 🎧 Épisode pour réessayer.
voice-interrupted = Le bot a redémarré pendant la préparation de ce message vocal : touchez 🔊 à nouveau.
ai-episode-interrupted = Le bot a redémarré pendant la préparation de l’épisode : touchez 🎧 Épisode à nouveau.
ai-voice-line-busy = Cette ligne n’a pas de message vocal : des messages vocaux d’autres discussions sont en préparation. La conversation continue en texte.
ai-episode-after-exchange = Un échange est en cours : touchez 🎧 Épisode une fois qu’il est terminé.
