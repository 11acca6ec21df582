// Layering rules for src/, checked by test/architecture.test.ts (so `npm test` and CI fail when they break).
// Paths are matched relative to the cruise's baseDir (the repository root), e.g. "src/hub/client.ts".
// Packages are matched both resolved (".../node_modules/grammy/...") and unresolved ("grammy"), so a rule
// still bites if a package is missing from node_modules or node_modules is a symlink.

/** grammY itself and every @grammyjs/* plugin, resolved or not. */
const TELEGRAM = "(^|(^|/)node_modules/)(grammy|@grammyjs/[^/]+)(/|$)";

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "Import cycles make load order fragile (a module sees another half-initialised) and tie layers " +
        "together so none can be understood, tested or moved alone. Type-only imports count too: we want " +
        "no cycles at all, so a cycle cannot hide behind `import type`.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "hub-knows-no-telegram",
      severity: "error",
      comment:
        "src/hub/ is the client for the TTS hub / Ollama HTTP API. It must stay usable without Telegram " +
        "(the CLI and the bot both sit on top of it), so it may not import grammY, @grammyjs/* plugins, " +
        "or any of the layers above it (bot, live, store, cli).",
      from: { path: "^src/hub/" },
      to: { path: [TELEGRAM, "^src/(bot|live|store|cli)/"] },
    },
    {
      name: "live-knows-no-bot",
      severity: "error",
      comment:
        "src/live/ (streaming a reply into a Telegram message) is a library the bot uses; it must not " +
        "reach back into the bot's features/state or into the CLI.",
      from: { path: "^src/live/" },
      to: { path: "^src/(bot|cli)/" },
    },
    {
      name: "store-knows-no-bot",
      severity: "error",
      comment:
        "src/store/ is generic session persistence (memory, file, redis). It must not depend on what it " +
        "stores or who uses it: no bot, live, hub or cli imports.",
      from: { path: "^src/store/" },
      to: { path: "^src/(bot|live|hub|cli)/" },
    },
    {
      name: "features-import-no-features",
      severity: "error",
      comment:
        "A feature (src/bot/features/X.ts or src/bot/features/X/...) must not import another feature; " +
        "shared code belongs in src/bot/services/ (acting) or src/bot/views/ (rendering). Files inside " +
        "the same feature folder may import each other.",
      from: { path: "^src/bot/features/([^/.]+)" },
      to: { path: "^src/bot/features/", pathNot: "^src/bot/features/$1[/.]" },
    },
    {
      name: "services-import-no-features",
      severity: "error",
      comment:
        "src/bot/services/ and src/bot/views/ are what features are built from; importing a feature back " +
        "would turn them into features in disguise (and invite cycles).",
      from: { path: "^src/bot/(services|views)/" },
      to: { path: "^src/bot/features/" },
    },
    {
      name: "views-are-pure",
      severity: "error",
      comment:
        "src/bot/views/ render text and keyboards from data; they do not act. Calling into " +
        "src/bot/services/ (hub calls, queueing, session writes) from a view mixes the two.",
      from: { path: "^src/bot/views/" },
      to: { path: "^src/bot/services/" },
    },
    {
      name: "entry-imports-no-features",
      severity: "error",
      comment:
        "src/main.ts wires the process together and must only use the bot through its public surface, " +
        "src/bot/index.ts, not reach into features, services or views directly.",
      from: { path: "^src/main\\.ts$" },
      to: { path: "^src/bot/(features|services|views)/" },
    },
    {
      name: "cli-knows-no-telegram",
      severity: "error",
      comment:
        "The terminal client (src/cli/) talks to the hub directly; it must run without grammY, " +
        "@grammyjs/* plugins, the bot or the Telegram live-message layer.",
      from: { path: "^src/cli/" },
      to: { path: [TELEGRAM, "^src/(bot|live)/"] },
    },
    {
      name: "media-knows-no-bot",
      severity: "error",
      comment:
        "src/media/ turns a file's bytes into text for the model (text, PDF, DOCX). It knows nothing of " +
        "Telegram or of who asks: no grammY or @grammyjs/* plugins, and none of the bot, live, hub, store " +
        "or cli layers, so the bot, the CLI or a test can use it alike.",
      from: { path: "^src/media/" },
      to: { path: [TELEGRAM, "^src/(bot|live|hub|store|cli)/"] },
    },
    {
      name: "cluster-knows-no-bot",
      severity: "error",
      comment:
        "src/cluster/ lets several bot processes share chats through Redis: who owns a chat, its inbox, leases " +
        "and fences. Updates are opaque JSON to it, routed by a chat key the caller gives: no grammY or " +
        "@grammyjs/* plugins, and none of the bot, live, hub, store or cli layers.",
      from: { path: "^src/cluster/" },
      to: { path: [TELEGRAM, "^src/(bot|live|hub|store|cli)/"] },
    },
    {
      name: "hosts-know-no-bot",
      severity: "error",
      comment:
        "src/hosts/ puts several model hosts (MODEL_HOSTS) behind one client: placement, slots per host, " +
        "health checks. It sits on the hub client and knows nothing of Telegram or of who asks: no grammY or " +
        "@grammyjs/* plugins, and none of the bot, live, store, cluster or cli layers.",
      from: { path: "^src/hosts/" },
      to: { path: [TELEGRAM, "^src/(bot|live|store|cluster|cli)/"] },
    },
    {
      name: "audio-knows-no-bot",
      severity: "error",
      comment:
        "src/audio/ turns the hub's WAV clips into Ogg Opus voice notes (and checks Ogg Opus files). It knows " +
        "nothing of Telegram, of who asks or of where the clips come from: no grammY or @grammyjs/* plugins, " +
        "and none of the bot, live, hub, store or cli layers, so the bot, a fake Telegram or a bench can use it.",
      from: { path: "^src/audio/" },
      to: { path: [TELEGRAM, "^src/(bot|live|hub|store|cli)/"] },
    },
    {
      name: "not-to-test",
      severity: "error",
      comment: "Production code must not depend on test code (fakes, fixtures, harnesses) in test/.",
      from: { path: "^src/" },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Keep type-only imports (`import type`, `export type * from`) in the graph: they count for every rule.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // NodeNext-style specifiers ("./app.js" for ./app.ts) need no extensionAlias here: dependency-cruiser
    // retries an unresolvable ".js" specifier as ".ts"/".tsx"/".d.ts" the way tsc does (and its config
    // schema does not accept enhanced-resolve's `extensionAlias`). test/architecture.test.ts checks that
    // every relative import resolves. The settings below make package imports resolve through
    // package.json "exports" (e.g. "grammy/types") to their runtime files, as Node does. ("types" is left
    // out of the conditions on purpose: @grammyjs/storage-redis's "types" target does not exist on disk.)
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      mainFields: ["module", "main", "types", "typings"],
    },
  },
};
