# ollama-telegram: português do Brasil ("você"). As mesmas chaves e variáveis de en.ftl.

## Comandos (o menu que o Telegram mostra; no máximo 256 caracteres cada)
cmd-ollama = Escolher um modelo e as configurações
cmd-model = Mostrar o modelo e as configurações atuais
cmd-stop = Parar a resposta atual ou uma mensagem na fila
cmd-reset = Limpar o histórico deste chat
cmd-system = Definir o prompt de sistema: /system TEXTO ou /system off
cmd-stream = Ligar ou desligar o streaming: /stream on|off
cmd-language = O idioma do bot neste chat
cmd-topic = AI↔AI: definir o tema
cmd-transcript = AI↔AI: a conversa como documento
cmd-help = O que este bot faz

## Ajuda
help =
    Eu conecto este chat aos modelos de IA que rodam no seu próprio computador (Ollama).

    • /ollama (ou /o): escolha um modelo e depois é só me escrever.
    • As respostas aparecem enquanto são escritas; o botão ⏹ Parar interrompe uma antes do fim.
    • /model mostra as configurações atuais, /reset esquece esta conversa,
      /system define como o modelo deve se comportar, /stream liga ou desliga as respostas ao vivo,
      /language define meu idioma neste chat.
    • /settings: temperatura, tamanho do contexto, raciocínio e por quanto tempo o modelo fica carregado.
      /summarize resume as mensagens antigas em uma nota quando um chat longo não cabe mais;
      🔄 Gerar de novo, embaixo de uma resposta, escreve uma nova.
    • AI↔AI: no /ollama, ative o AI↔AI, toque em um modelo para A e em outro para B, depois em ▶️ Começar e
      veja os dois conversarem; ⏭️ Próxima rodada para a rodada seguinte, ou ⏩ Auto. Tudo o que você escrever vira uma nota do moderador.
    • Em grupos, me mencione ou responda às minhas mensagens.
help-current-model = Modelo atual: { $model }.
help-no-model = Nenhum modelo escolhido ainda: envie /ollama.

## Acesso
access-denied = Desculpe, este bot é privado. Seu ID de usuário do Telegram é { $id }. Se o bot é seu, adicione-o a ALLOWED_USER_IDS no .env dele e reinicie-o; se não, peça ao dono do bot.
rate-limited = ✋ Mais devagar: no máximo { $count ->
    [one] { $count } mensagem
   *[other] { $count } mensagens
  } por minuto. As mensagens enviadas nesse meio-tempo são ignoradas.

## Mensagens simples
text-only = Consigo ler texto, fotos, mensagens de voz e documentos (texto, PDF, Word), mas não este tipo de mensagem.
unknown-command = Não conheço esse comando. Veja em /help o que eu sei fazer.
empty-mention = Oi? Escreva sua pergunta depois da menção.
empty-message = Sua mensagem está vazia: escreva sua pergunta em texto.
prompt-too-long = Sua mensagem tem { $length } caracteres; o limite é { $max }. Envie uma mais curta ou divida em partes.

## O cabeçalho do chat e /model
chat-header = 🤖 Chat · Modelo: { $model } · Streaming: { $streaming ->
    [on] ligado
   *[off] desligado
  }{ $system ->
    [set] { " · " }Prompt de sistema: definido
   *[none] {""}
  }
chat-no-model = nenhum ainda
model-history = Histórico: { $count ->
    [0] nenhuma mensagem
    [one] { $count } mensagem
   *[other] { $count } mensagens
  }

## O seletor
picker-pick = Escolha um modelo:
picker-empty = Ainda não há modelos instalados.
picker-prev = ◀ Anterior
picker-next = Próxima ▶
picker-ai2ai = 🤖↔🤖 AI↔AI: { $on ->
    [on] ligado
   *[off] desligado
  }
picker-streaming = Streaming: { $on ->
    [on] ligado
   *[off] desligado
  }
picker-system = 📝 Prompt de sistema
picker-clear = 🧹 Limpar histórico
picker-refresh = 🔄 Atualizar
picker-close = ✖ Fechar
picker-ai-tap = Toque no modelo para { $side ->
    [a] A (que fala primeiro)
   *[b] B (que responde)
  }:
picker-ai-both = Os dois lados estão escolhidos: ▶️ Começar, ou toque em um modelo para escolher { $side } de novo:
picker-stale = Este menu está desatualizado: envie /ollama para abrir um novo.
picker-stale-short = Este menu está desatualizado.
picker-gone = { $model } não está mais instalado; aqui está a lista atualizada.
picker-picked = Modelo: { $model }
picker-now-chatting = ✅ Agora você está conversando com { $model }. Envie uma mensagem para começar.
picker-now-answering = ✅ Agora você está conversando com { $model }. Respondendo à sua mensagem…
picker-refreshed = Atualizado.
picker-ai-on = AI↔AI: toque no modelo para A e depois no de B.
picker-ai-off = De volta ao modo chat.
history-cleared-short = Histórico limpo.
history-cleared = 🧹 Histórico limpo. O modelo e as configurações continuam os mesmos.

## Configurações
stream-on = Streaming ligado: as respostas aparecem enquanto são escritas.
stream-off = Streaming desligado: as respostas chegam completas.
stream-usage = Use /stream on ou /stream off (ou só /stream para alternar).
language-ask = Em que idioma devo falar neste chat?
language-auto = 🌐 O de cada pessoa
language-auto-set = 🌐 Aqui vou falar com cada pessoa no idioma que ela usa no Telegram.
language-set = 🌐 Vou falar português neste chat.
language-unknown = Ainda não falo esse idioma. Eu falo: { $languages }.

## Perguntas (entradas em várias etapas)
button-cancel = ✖ Cancelar
prompt-cancelled = Tudo bem, nada foi alterado.
prompt-expired = Essa pergunta expirou, então nada foi alterado. Peça de novo quando quiser.
prompt-given-up = Não deu certo, então nada mudou. Peça de novo quando quiser.
prompt-need-text = Responda com texto ou envie /cancel.
question-for-other = Essa pergunta era para outra pessoa. Me mencione para fazer a sua.
cancel-nothing = Não há nada para cancelar.
system-ask = Envie o prompt de sistema na sua próxima mensagem (por exemplo: “Você é um assistente objetivo.”). Envie /cancel para manter o atual ou “off” para removê-lo.
system-choose = Como o modelo deve se comportar? Escolha um modelo pronto ou escreva seu próprio prompt de sistema.
preset-concise = ⚡ Conciso
preset-teacher = 🎓 Professor
preset-coder = 💻 Programador
preset-editor = ✍️ Revisor
preset-own = 📝 Escrever o meu
preset-off = 🗑 Remover
question-closed = Esta pergunta é para outra pessoa ou já foi encerrada.
system-current = Prompt de sistema atual: { $system }
system-set = 📝 Prompt de sistema definido. Ele vale a partir da sua próxima mensagem.
system-removed = 📝 Prompt de sistema removido.
topic-ask = Sobre o que os dois devem conversar? Envie o tema na sua próxima mensagem.
topic-set = 📝 Tema definido: { $topic }
persona-ask-name = Personagem { $side }: qual é o nome? (por exemplo, “Jean-Luc Picard”)
persona-ask-description = Quem é { $name } e como fala? (por exemplo, “um capitão de nave estelar tranquilo que cita Shakespeare”)
persona-set = 🎭 Agora { $side } é { $name }.
persona-pick-model-first = Primeiro escolha o modelo do lado { $side } (/ollama).

## A mensagem ao vivo
live-waiting = ⏳ { $label }…
live-preparing = ⏳ { $label } está preparando uma resposta… { $seconds } s
live-thinking = 🤔 { $label } está pensando… { $seconds } s
live-empty = (O modelo deu uma resposta vazia.)
live-stop = ⏹ Parar
note-stopped = ⏹ Interrompido.
note-too-long = ✂️ Interrompida: a resposta chegou a { $max } caracteres, o máximo permitido.
note-restart = ⚠️ Interrompido: o bot foi reiniciado.
note-cut = ⚠️ Esta resposta foi interrompida.
stop-finished = Esta resposta já terminou.
stop-stopping = ⏹ Parando.
stop-nothing = Nada para parar: nenhuma resposta está sendo escrita e nada está na fila.
stop-waiting-cancelled = { $count ->
    [one] ✖ A mensagem que estava na fila foi cancelada.
   *[other] ✖ { $count } mensagens que estavam na fila foram canceladas.
  }

## A fila
queue-position = ⏳ O modelo está ocupado com outros chats: sua posição na fila é { $position }.
queue-next = ⏳ O modelo está ocupado com outros chats: você é o próximo da fila.
queue-behind-own = ⏳ Na fila: vou responder logo depois da resposta atual.
queue-full-chat = ⏳ Já há { $count } mensagens esperando neste chat. Aguarde as respostas ou cancele-as com /stop.
queue-full-user = ⏳ Você já tem { $count } mensagens na fila. Aguarde as respostas ou cancele-as com /stop.
queue-restarting = ⏳ O bot está parando: respondo assim que ele voltar a funcionar.
queue-cancel = ✖ Cancelar
queue-cancelled = ✖ Cancelado: não vou responder a esta mensagem.
queue-cancelled-short = Cancelado.
queue-already-started = Tarde demais para cancelar: a resposta já começou (use o botão ⏹ Parar).
queue-admins-only = Só administradores podem ver a fila.
queue-running = Gerando: { $running } de { $slots } { $slots ->
    [one] vaga
   *[other] vagas
  }
queue-running-chat = ▶ chat { $chat }, há { $seconds } s
queue-host = { $up ->
    [yes] 🟢
   *[no] 🔴
  } { $name } ({ $label }): { $busy } de { $slots } gerando, { $models } modelos
queue-host-down = 🔴 { $name } ({ $label }): não responde ({ $error })
queue-waiting = Na fila: { $count ->
    [0] nada
    [one] { $count } resposta
   *[other] { $count } respostas
  }
queue-waiting-chat = #{ $position } chat { $chat } ({ $count ->
    [one] { $count } resposta
   *[other] { $count } respostas
  })

## Respostas, falhas e como resolvê-las
# Onde estão os modelos, dentro das frases abaixo ($backend): sem artigo, que a frase põe (“o …”, “no …”, “do …”); nunca no começo de uma frase.
backend-hub = hub em { $url }
backend-ollama = Ollama em { $url }
turn-pick-first = Escolha um modelo primeiro: vou responder à sua mensagem assim que você escolher.
button-open-picker = 🤖 Escolher modelo
turn-restarted = ⚠️ Fui reiniciado enquanto respondia à sua mensagem. Ela está salva: toque em Tentar de novo para receber uma resposta.
turn-restarted-partial = ⚠️ Fui reiniciado enquanto respondia à sua mensagem; a resposta acima ficou cortada. Toque em Tentar de novo para uma nova resposta ou em Continuar para seguir de onde parou.
continue-prompt = Por favor, continue sua resposta anterior exatamente de onde ela parou, sem repetir o que você já escreveu.
button-retry = 🔁 Tentar de novo
button-continue = ▶️ Continuar
button-pick = Escolher outro modelo
button-pull = 📥 Baixar { $model }
button-pull-again = 🔁 Tentar baixar de novo
button-stale = Este botão está desatualizado.
offer-saved = Sua mensagem está salva: toque em Tentar de novo quando o modelo estiver acessível.
offer-partial = A resposta acima foi cortada: Tentar de novo para uma nova ou Continuar para seguir de onde parou.
offer-pull = { $model } não está instalado no { $backend }. Baixar agora? Vou responder à sua mensagem quando ele estiver pronto.
offer-ask-admin = { $model } não está instalado. Escolha outro modelo ou peça a um administrador para baixá-lo.
offer-used = Este botão já foi usado.
retrying = Tentando de novo…
continuing = Continuando…
pick-for-saved = Escolha um modelo: ele vai responder à sua mensagem salva.
failure-unreachable = Não consigo acessar o { $backend } agora. Verifique se ele está rodando e se o bot consegue acessá-lo.
failure-timeout = Não recebi resposta do { $backend } a tempo.
failure-ollama-down = Consigo acessar o { $backend }, mas o Ollama por trás dele não está rodando.
failure-model-missing = O modelo { $model } não está instalado.
failure-not-in-library = Não existe nenhum modelo chamado { $model } na biblioteca.
failure-server = Recebi um erro do { $backend } ({ $status }). Tente de novo daqui a pouco.
failure-model-error = O modelo parou com um erro.
failure-cut = A resposta foi cortada: a conexão com o modelo caiu.
failure-bad-reply = Não consegui ler a resposta do { $backend }.
failure-internal = Algo deu errado do meu lado. Tente de novo; se continuar acontecendo, avise o dono do bot.
failure-storage = ⚠️ Não consigo acessar meu armazenamento agora, então esta mensagem não foi respondida. Envie de novo em alguns minutos.
failure-not-saved = ⚠️ Não consegui salvar esta resposta (meu armazenamento não responde): a próxima resposta talvez não se lembre dela.
held-note = ⚠️ Não consigo salvar mensagens agora (meu armazenamento não responde). A sua está guardada: respondo assim que o armazenamento voltar.
held-full = ⚠️ Não consigo salvar mensagens agora (meu armazenamento não responde) e não consigo guardar mais nenhuma. Envie de novo em alguns minutos.
held-gave-up = ❌ Meu armazenamento ficou fora por tempo demais, então esta mensagem não foi respondida. Envie de novo.
held-stopped = ❌ Fui parado antes de o armazenamento voltar, então esta mensagem não foi respondida. Envie de novo.
held-press = Meu armazenamento está fora por um momento. Toque de novo daqui a pouco.

## Downloads
pull-admins-only = Só um administrador pode baixar modelos.
pull-starting = Baixando { $model }…
pull-already = { $model } já está sendo baixado.
pull-started = 📥 Baixando { $model }…
pull-progress = 📥 Baixando { $model }
pull-done = ✅ { $model } está instalado.
pull-on-host = { $model } em { $host }
pull-not-in-library = ❌ Não foi possível baixar { $model }: esse modelo não existe na biblioteca.
pull-unreachable = ❌ Não foi possível baixar { $model }: não dá para acessar o { $backend }.
pull-failed = ❌ Não foi possível baixar { $model }: o download falhou.
pull-interrupted = ❌ O download de { $model } foi interrompido por uma reinicialização.

## AI↔AI
ai-title = 🤖↔🤖 AI↔AI
ai-side = { $side }: { $persona } ({ $model })
ai-side-unset = { $side }: toque em um modelo
ai-topic = Tema: { $topic }
ai-turns = Rodadas: { $done }/{ $max }
ai-default-topic = O que faz uma ideia valer a pena?
ai-line-header = { $persona } ({ $model }) · Rodada { $turn }/{ $max }
ai-start = ▶️ Começar
ai-continue = ⏭️ Próxima rodada
ai-retry = 🔁 Tentar de novo
ai-auto = ⏩ Auto
ai-auto-on = ⏸ Auto ligado
ai-stop = ⏹ Parar
ai-options = ⚙️ Opções
ai-more = ➕ Mais { $n ->
    [one] { $n } rodada
   *[other] { $n } rodadas
  }
ai-restart = 🔁 Recomeçar
ai-transcript = 📄 Transcrição
ai-finished = 🏁 A conversa terminou depois de { $turns ->
    [one] { $turns } rodada
   *[other] { $turns } rodadas
  }.
ai-progress = Rodada { $done }/{ $max } · { $left ->
    [one] falta { $left }
   *[other] faltam { $left }
  }
ai-paused-failed = ⚠️ Pausado: { $persona } não conseguiu responder. Tente de novo quando quiser.
ai-paused-restart = ⚠️ Pausado por uma reinicialização: agora é a vez de { $persona }. Continue quando quiser.
ai-resuming-restart = ⚠️ O bot foi reiniciado: agora é a vez de { $persona }, e o Auto continua.
ai-continuing-restart = ⚠️ O bot foi reiniciado: agora é a vez de { $persona }.
ai-options-title = ⚙️ Opções do AI↔AI
ai-custom = { $side }: ✍️ Personalizado
ai-topic-button = 📝 Tema
ai-n-turns = { $n ->
    [one] { $n } rodada
   *[other] { $n } rodadas
  }
ai-back-to-chat = 💬 Voltar ao chat
ai-back-in-chat = 💬 De volta ao modo chat: escreva para conversar com seu modelo. O /ollama liga o AI↔AI de novo.
ai-stale = Os botões desta conversa estão desatualizados. O /ollama começa uma nova.
ai-next = Próxima rodada…
ai-busy = Uma rodada já está em andamento.
ai-pick-both = Escolha os dois modelos primeiro: /ollama e depois toque em A e B.
ai-all-done = Todas as rodadas terminaram: adicione mais ou recomece.
ai-auto-turned-on = Auto: ligado
ai-auto-turned-off = Auto: desligado
ai-stopped = Interrompido.
ai-more-done = { $n ->
    [one] Mais { $n } rodada.
   *[other] Mais { $n } rodadas.
  }
ai-restarted = Uma nova conversa, com o mesmo elenco.
ai-turns-set = Rodadas: { $n }
ai-pick-side-first = Escolha primeiro o modelo desse lado.
ai-unknown-persona = Personagem desconhecido.
ai-noted = 📝 Anotado como moderador: os dois lados vão ver isso na próxima rodada.
ai-no-transcript = Ainda não há nenhuma conversa AI↔AI. Use /ollama, ative o AI↔AI e escolha dois modelos.
ai-moderator = Moderador
ai-transcript-title = Conversa AI↔AI
ai-transcript-topic = Tema:
ai-transcript-turns = Rodadas:
ai-transcript-caption = Transcrição: { $lines ->
    [one] { $lines } linha
   *[other] { $lines } linhas
  }, { $turns ->
    [one] { $turns } rodada
   *[other] { $turns } rodadas
  }
ai-mark-failed = cortado por um erro
ai-mark-stopped = interrompido
ai-mark-interrupted = interrompido por uma reinicialização

# /models (admins)
models-admins-only = Só administradores podem gerenciar os modelos.
models-stale = Este menu está desatualizado: envie /models para abrir um novo.
models-unknown = –
models-title = 🗂 Modelos instalados: { $count }
models-empty = Ainda não há modelos instalados: ➕ baixe um.
models-line = { $marks }{ $name } · { $size } · { $params } · { $quant } · { $date }
models-legend = 🟢 carregado na memória · ⭐ modelo padrão
models-default-line = ⭐ Padrão para chats que não escolheram: { $model }
models-default-missing = ⭐ Padrão para chats que não escolheram: { $model } (não instalado)
models-default-none = ⭐ Nenhum modelo padrão: cada chat escolhe um com /ollama.
models-button-pull = ➕ Baixar modelo
models-button-loaded = 🧠 Modelos carregados
models-button-default = ⭐ Modelo padrão
models-button-refresh = 🔄 Atualizar
models-button-close = ✖ Fechar
models-button-back = ◀️ Voltar
models-button-delete = 🗑 Apagar
models-button-unload = ⏏️ Descarregar
models-button-make-default = ⭐ Tornar padrão
models-button-confirm-delete = 🗑 Sim, apagar
models-button-cancel = ✖ Cancelar
models-button-reset-default = ↩️ Voltar a { $model }
models-button-no-default = ↩️ Sem padrão
models-button-cancel-pull = ✖ Cancelar
models-button-pull-again = 🔁 Tentar de novo
models-details-title = 📦 { $model }
models-details-family = Família: { $value }
models-details-params = Parâmetros: { $value }
models-details-quant = Quantização: { $value }
models-details-size = Tamanho: { $value }
models-details-context = Tamanho do contexto: { $value }
models-details-capabilities = Recursos: { $value }
models-details-modified = Modificado: { $value }
models-details-settings = Parâmetros do Modelfile: { $value }
models-details-license = Licença: { $value }
models-details-unavailable = Sem mais detalhes: { $reason }
models-details-loaded = 🟢 Carregado na memória agora.
models-details-default = ⭐ O modelo padrão dos chats que não escolheram nenhum.
models-gone = { $model } não está mais instalado.
models-delete-confirm = 🗑 Apagar { $model } ({ $size })? Os arquivos dele são removidos do disco; para usá-lo de novo, será preciso baixá-lo outra vez.
models-deleted = ✅ { $model } foi apagado.
models-delete-gone = { $model } já não existia: nada a apagar.
models-delete-failed = ❌ Não foi possível apagar { $model }: { $reason }
models-unloaded = ⏏️ { $model } foi descarregado da memória.
models-unload-failed = ❌ Não foi possível descarregar { $model }: { $reason }
models-loaded-title = 🧠 Carregados na memória: { $count }
models-loaded-none = 🧠 Nenhum modelo está carregado na memória agora.
models-loaded-line = • { $model } · { $vram } de VRAM · { $until }
models-loaded-until = até { $time }
models-loaded-forever = fica carregado
models-loaded-failed = ❌ Não foi possível ler os modelos carregados: { $reason }
models-default-explain = Chats que não escolheram um modelo com /ollama usam o padrão. DEFAULT_MODEL na configuração: { $config }.
models-default-nothing = nenhum
models-default-pick = Toque no novo modelo padrão:
models-default-set = ⭐ { $model } agora é o modelo padrão.
models-default-reset = ↩️ O padrão voltou a ser DEFAULT_MODEL: { $model }.
models-default-cleared = ↩️ Agora não há modelo padrão: cada chat escolhe um com /ollama.
models-pull-ask = 📥 Qual modelo devo baixar? Escreva o nome como na biblioteca do Ollama, por ex. llama3.2 ou qwen2.5:7b.
models-pull-need-name = Escreva o nome do modelo, por ex. llama3.2.
models-pull-bad-name = “{ $name }” não é um nome de modelo: use letras, dígitos, “.”, “-”, “_” e “/”, depois, se quiser, “:” e uma tag, por ex. llama3.2:1b.
models-pull-installed = { $model } já está instalado.
models-pull-busy = { $model } já está sendo baixado.
models-pull-retrying = 📥 Baixando { $model } de novo…
models-pull-cancelling = Cancelando o download…
models-pull-cancelled = ✖ O download de { $model } foi cancelado.
models-pull-not-running = Este download não está mais em andamento.
models-pull-stale = Este botão está desatualizado: abra /models e toque em ➕ Baixar modelo.

## Configurações (/settings), o contexto, Gerar de novo e /summarize
cmd-settings = Configurações do modelo: temperatura, contexto, raciocínio…
cmd-summarize = Resumir as mensagens antigas em uma nota curta
settings-title = ⚙️ Configurações deste chat · modelo { $model }
settings-line-temperature = 🌡 Temperatura: { $value }
settings-line-top-p = 🎯 Top-p: { $value }
settings-line-context = 📏 Contexto: { $value }; o modelo aceita até { $max }
settings-line-thinking = 🧠 Raciocínio: { $value } · visível: { $shown ->
    [yes] sim
   *[no] não
  }
settings-line-keep-alive = ⏳ Manter o modelo carregado: { $value }
settings-line-streaming = 🌊 Streaming: { $on ->
    [on] ligado
   *[off] desligado
  }
settings-line-system = 📝 Prompt de sistema: { $value }
settings-none = nenhum
settings-default-mark = (padrão)
settings-model-default = o valor do modelo
settings-tokens = { $n } tokens
settings-think-on = ligado
settings-think-off = desligado
settings-think-low = baixo
settings-think-medium = médio
settings-think-high = alto
settings-think-unsupported = este modelo não raciocina
settings-think-unsupported-long = Este modelo não raciocina passo a passo, então não há nada para ajustar aqui. Os modelos marcados com 🧠 no /ollama raciocinam.
settings-think-levels-only = Este modelo só aceita um nível: “desligado” é enviado como baixo, o mínimo dele.
settings-keep-forever = sempre
settings-keep-unload = descarregado após cada resposta
settings-keep-duration = { $unit ->
    [s] { $n } s
    [m] { $n } min
   *[h] { $n } h
  }
settings-button-temperature = 🌡 Temperatura
settings-button-top-p = 🎯 Top-p
settings-button-context = 📏 Contexto
settings-button-thinking = 🧠 Raciocínio
settings-button-keep-alive = ⏳ Manter carregado
settings-button-show-thinking = 👁 Pensamentos: { $on ->
    [on] visíveis
   *[off] ocultos
  }
settings-button-reset = ↩️ Restaurar padrão
settings-about-temperature = 🌡 Temperatura: quanta liberdade o modelo tem para escolher as palavras. 0 é o mais previsível, 2 o mais aleatório.
settings-about-top_p = 🎯 Top-p: o modelo escolhe só entre as palavras mais prováveis que, juntas, somam essa fração. Quanto menor, mais focado.
settings-about-context = 📏 Contexto: quantos tokens da conversa o modelo lê (a pergunta e a resposta juntas). Mais contexto lembra mais, mas precisa de mais memória e tempo.
settings-about-thinking = 🧠 Raciocínio: um modelo que raciocina passo a passo antes de responder pode fazer isso, não fazer ou raciocinar em um certo nível.
settings-about-keep_alive = ⏳ Por quanto tempo o modelo fica carregado depois de uma resposta, para que a próxima comece na hora.
settings-now = Agora: { $value }
settings-context-max = Este modelo aceita no máximo { $max } tokens.
settings-context-min = No mínimo { $min }.
settings-use-default = ↩️ Padrão
settings-own-value = ✏️ Outro valor
settings-back = ◀️ Voltar
settings-saved = Salvo.
settings-reset-done = ↩️ As configurações voltaram ao padrão. O prompt de sistema foi mantido (use /system para mudá-lo).
settings-usage = /settings abre o menu. Para definir uma diretamente: /settings NAME VALUE (nomes: { $names }), /settings NAME default ou /settings reset.
settings-set-default = { $name } voltou ao padrão.
settings-changed = ✅ { $name }: { $value }. Vale a partir da sua próxima mensagem.
settings-context-capped = Este modelo aceita no máximo { $max } tokens, então é esse valor que é enviado.
settings-name-temperature = Temperatura
settings-name-top_p = Top-p
settings-name-context = Contexto
settings-name-thinking = Raciocínio
settings-name-keep_alive = Manter carregado
settings-ask = Envie o valor de { $name }.
setting-bad-range = { $name } deve estar entre { $min } e { $max } (você enviou “{ $got }”).
setting-bad-choice = { $name } deve ser um destes: { $choices } (você enviou “{ $got }”).
setting-bad-keep-alive = { $name } deve ser uma duração como 30m ou 2h (no máximo uma semana), 0 para descarregar após cada resposta ou -1 para manter o modelo carregado (você enviou “{ $got }”).
picker-settings = ⚙️ Configurações
picker-legend = 🟢 carregado · 👁 vê imagens · 🧠 raciocina · 🛠 usa ferramentas · 🎧 ouve áudio
model-loaded = 🟢 Carregado agora: a próxima resposta começa na hora.
model-not-loaded = ⚪ Não carregado: a próxima resposta primeiro espera o modelo carregar.
model-summary = Resumo das mensagens antigas: { $chars } caracteres.
model-settings-hint = Use /settings para mudar isso.
button-continue-length = ➡️ Continuar
button-regenerate = 🔄 Gerar de novo
regenerate-not-latest = Só a resposta mais recente pode ser gerada de novo.
regenerating = Escrevendo uma nova resposta…
button-summarize = 📝 Resumir
button-summarize-again = 📝 Resumir de novo
context-cut = 🧹 Esta conversa não cabe mais no contexto do modelo ({ $tokens } tokens): { $count ->
    [one] a mensagem mais antiga fica
   *[other] as { $count } mensagens mais antigas ficam
  } de fora a partir de agora. O /summarize guarda o essencial delas em uma nota curta.
context-near = 📏 Esta conversa quase enche o contexto do modelo ({ $tokens } tokens): logo as mensagens mais antigas vão ficar de fora. O /summarize guarda o essencial delas em uma nota curta.
summary-working = 📝 Resumindo as mensagens antigas…
summary-done = 📝 { $count ->
    [one] { $count } mensagem antiga agora virou
   *[other] { $count } mensagens antigas agora viraram
  } esta nota (as últimas { $kept } continuam como estão):
summary-busy = Já há um resumo em andamento.
summary-nothing = Nada para resumir ainda: a conversa ainda é curta.
summary-no-model = Escolha um modelo primeiro: /ollama.
summary-interrupted = ⚠️ O resumo foi interrompido por uma reinicialização. As mensagens continuam como estavam.
summary-kept = As mensagens continuam como estavam.

## Fotos, mensagens de voz e documentos
photo-default-prompt = Descreva esta imagem.
document-default-prompt = Resuma este documento.
voice-default-prompt = Responda a esta mensagem de voz.
document-label = Documento: { $name }
document-cut = 📄 { $name }: só os primeiros { $used } de { $total } caracteres cabem no contexto do modelo; o resto ficou de fora.
photo-model-blind = 🖼 { $model } não consegue ver imagens.
photo-pick-vision = 🖼 Nenhum modelo foi escolhido ainda, e uma foto precisa de um que veja imagens.
photo-pick-one = Escolha um que veja, e ele responde à sua foto:
photo-none-installed-admin = Nenhum modelo que vê imagens está instalado. Baixe { $model } (um pequeno que consegue), e ele responde à sua foto:
photo-none-installed = Nenhum modelo que vê imagens está instalado. Peça ao administrador do bot para instalar um, por exemplo { $model }.
photo-answering = Respondendo à sua foto…
photo-model-gone = Esse modelo não está mais instalado.
failure-file-too-big-telegram = Este arquivo passa de { $mb } MB, o máximo que o Telegram deixa os bots baixarem. Envie um menor; o dono do bot pode remover esse limite com um servidor local da Bot API (TELEGRAM_API_ROOT).
failure-file-too-big = Este arquivo passa de { $mb } MB, o máximo que este bot aceita (MEDIA_MAX_MB).
failure-download = Não consegui baixar o arquivo do Telegram. Tente de novo.
failure-no-stt = O hub não tem reconhecimento de fala instalado, então não consigo entender mensagens de voz aqui. O dono dele pode instalar o faster-whisper no hub. Escreva sua mensagem em texto.
failure-voice-direct = Mensagens de voz precisam do reconhecimento de fala do hub (TTSHUB_API_BASE) ou de um modelo que ouve áudio, e este bot não tem nenhum dos dois. Escreva sua mensagem em texto.
failure-nothing-heard = Não ouvi ninguém falando nessa mensagem de voz.
failure-audio-invalid = O hub não conseguiu ler esse arquivo de áudio.
failure-hub-ffmpeg = O hub não consegue converter áudio: falta o ffmpeg na máquina dele.
failure-stt-failed = O reconhecimento de fala do hub falhou. Tente de novo.
failure-document-encrypted = Este PDF está protegido por senha, então não consigo lê-lo.
failure-document-no-text = Este documento não tem texto que eu consiga ler (é um escaneamento ou só tem imagens).
failure-document-invalid = Este arquivo parece estar corrompido: não consegui lê-lo.
failure-document-unsupported = Consigo ler arquivos de texto e documentos PDF e Word (.docx), mas não este tipo de arquivo.
failure-document-too-complex = Este documento é grande ou complexo demais para ser lido a tempo.
ai-media-chat-only = Fotos, mensagens de voz e documentos funcionam no modo de chat. Desligue o AI↔AI em /ollama para falar sobre eles com um modelo.
setting-admin-only-keep-alive = Manter um modelo carregado por mais de um dia, ou sempre, é só para os administradores do bot: ele ocupa a memória do servidor para todos.
summary-reset = 📝 O histórico foi apagado nesse meio-tempo, então não há mais nada para resumir.

## Respostas lidas em voz alta
cmd-say = Ler a última resposta em voz alta
button-speak = 🔊
voice-making = 🔊 Gerando a mensagem de voz…
voice-making-short = Gerando a mensagem de voz…
voice-omitted = O resto da resposta ficou de fora: uma mensagem de voz precisa ser curta.
voice-code-omitted = (código omitido)
voice-nothing = Não há nada para ler em voz alta nessa resposta.
voice-stopped = ⏹ Interrompido: sem mensagem de voz.
voice-tts-unavailable = A síntese de voz do hub não está disponível agora, então não consigo ler respostas em voz alta.
voice-needs-hub = Ler respostas em voz alta precisa da síntese de voz do hub (TTSHUB_API_BASE); este bot fala direto com o Ollama.
voice-not-found = O hub não tem a voz que eu pedi.
voice-no-answer = Ainda não há nenhuma resposta para ler em voz alta.
voice-too-old = Essa resposta é antiga demais para ser lida em voz alta agora.
voice-busy = Já estou criando uma mensagem de voz; um momento, por favor.

settings-button-voice = 🗣 Voz
settings-button-voice-speed = ⏩ Velocidade da voz
settings-button-voice-replies = 🎙 Resposta em voz: { $on ->
    [on] sim
   *[off] não
  }
settings-line-voice = 🔊 Ler com: { $voice } · velocidade { $speed }× · resposta em voz a mensagens de voz: { $replies ->
    [on] ligada
   *[off] desligada
  }
settings-about-voice = 🗣 A voz que lê as respostas em voz alta (🔊, /say):
settings-about-voice_speed = ⏩ A velocidade da leitura: 1 é normal, de 0.5 a 2.
settings-name-voice_speed = Velocidade da voz
settings-voice-hint = Escolha acima um idioma e ♀/♂; toque em uma voz para ouvir uma amostra curta.
settings-voice-none = O hub não tem nenhuma voz desse tipo.
settings-voice-saved = Salvo: { $voice }. Em seguida vem uma amostra curta.
voice-sample-failed = Não foi possível tocar a amostra da voz: { $reason }

## AI↔AI lido em voz alta
ai-voices-button = 🔊 Vozes: { $on ->
    [on] sim
   *[off] não
  }
ai-voices-line = 🔊 Linhas em voz alta: { $on ->
    [on] sim
   *[off] não
  } · A: { $a } · B: { $b }
ai-voices-turned-on = Agora cada linha é lida em voz alta depois do texto.
ai-voices-turned-off = As linhas não são mais lidas em voz alta.
ai-voice-pick = 🗣 A voz de { $side } ({ $persona }): escolha um idioma e depois uma voz; em seguida vem uma amostra curta.
ai-voice-taken = O outro lado já fala com esta voz: escolha outra, para que os dois soem diferentes.
ai-voice-line-failed = Esta linha não tem mensagem de voz: { $reason } A conversa continua em texto.
ai-voice-line-failed-off = Esta linha não tem mensagem de voz: { $reason } As vozes agora estão desligadas nesta conversa; ligue-as de novo em ⚙️ Opções.
ai-episode = 🎧 Episódio
ai-episode-started = Gerando o episódio…
ai-episode-making = 🎧 Gerando o episódio… { $done }/{ $total }
ai-episode-intro = Uma conversa de IA para IA. { $a } e { $b } falam sobre: { $topic }
ai-episode-caption = 🎧 { $a } e { $b }: { $topic }
ai-episode-omitted = O episódio termina aqui: ele dura no máximo 15 minutos.
ai-episode-failed = Não foi possível gerar o episódio: { $reason } As mensagens da conversa continuam como estavam; toque em 🎧 Episódio para tentar de novo.
voice-interrupted = O bot foi reiniciado enquanto esta mensagem de voz era gerada: toque em 🔊 de novo.
ai-episode-interrupted = O bot foi reiniciado enquanto o episódio era gerado: toque em 🎧 Episódio de novo.
ai-voice-line-busy = Esta linha não tem mensagem de voz: mensagens de voz de outros chats estão sendo geradas. A conversa continua em texto.
ai-episode-after-exchange = Há uma troca em andamento: toque em 🎧 Episódio quando ela terminar.
