/**
 * /models (admins only): the installed models with their facts, one model's details, delete (confirmed), unload,
 * the loaded models, the bot-wide default model, and a pull by name (a question, then the progress with
 * ✖ Cancel). Every press edits the menu's own message. Buttons carry an index into the snapshot stored in the
 * chat's session under a token, so they work after a restart, and an older, forged or repeated press is
 * answered without acting. Anyone else is told it is for admins, and their presses change nothing.
 */
import { type Conversation, createConversation } from "@grammyjs/conversations";
import { type Api, Composer, type Context, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { CONVERSATION, enterConversation, QUESTION_EXPIRES_MS } from "../conversation-ids.js";
import { DEFAULT_LOCALE } from "../i18n.js";
import { logFailure } from "../services/core.js";
import { type Failure, failureText } from "../services/failure.js";
import type { Services } from "../services/index.js";
import { isModelName, type MenuState, ModelAdmin, type PullStart } from "../services/model-admin.js";
import {
  ANY_MODELS_BUTTON,
  clampPage,
  MENU_BUTTON,
  PULL_BUTTON,
  renderDefaultPicker,
  renderDeleteConfirm,
  renderDeleteFailed,
  renderLoaded,
  renderModelDetails,
  renderModelList,
} from "../views/models.js";
import type { T, View } from "../views/t.js";

type Convo = Conversation<BotContext, Context>;

/** Names that are not names (or not text) after which the question gives up. */
const MAX_BAD_NAMES = 3;
/** How much of a bad name is echoed back. */
const ECHO_MAX = 64;

export function modelsFeature(s: Services): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core } = s;
  const admin = new ModelAdmin(core, s.models, s.pulls);
  const reason = (t: T, f: Failure) => failureText(t, f, core.client);

  // First: an open question sees the admin's next update before the handlers below.
  c.use(
    createConversation<BotContext, Context>(
      async (conversation, ctx, localeArg: unknown) => {
        const t = core.texts.for(typeof localeArg === "string" ? localeArg : DEFAULT_LOCALE);
        const chat = ctx.chat!;
        const model = await askModelName(conversation, ctx, s, t);
        if (model === undefined) return;
        const start = await conversation.external(() =>
          admin.startPull({ chatId: chat.id, chatType: chat.type, model, t }),
        );
        if (start !== "started") {
          await conversation.external(async () => {
            await core.api.sendMessage(chat.id, pullStartText(t, start, model));
          });
        }
      },
      { id: CONVERSATION.pull },
    ),
  );

  const listView = async (chatId: number, t: T, page: number, notice?: string): Promise<View> => {
    const { models, loaded, defaults } = await admin.listing();
    const names = models.map((m) => m.name);
    const menu = await admin.snapshot(chatId, "list", names, clampPage(page, names.length));
    return renderModelList(t, { token: menu.token, page: menu.page, models, loaded, defaults, notice });
  };

  const defaultView = async (chatId: number, t: T, page: number, notice?: string): Promise<View> => {
    const { models, defaults } = await admin.listing();
    const names = models.map((m) => m.name);
    const menu = await admin.snapshot(chatId, "default", names, clampPage(page, names.length));
    return renderDefaultPicker(t, { token: menu.token, page: menu.page, models, defaults, notice });
  };

  const loadedView = async (chatId: number, t: T, notice?: string): Promise<View> => {
    const running = await admin.running();
    const list = Array.isArray(running) ? running : [];
    const menu = await admin.snapshot(
      chatId,
      "loaded",
      list.map((m) => m.name),
      0,
    );
    return renderLoaded(t, {
      token: menu.token,
      running: list,
      now: Date.now(),
      failure: Array.isArray(running) ? undefined : reason(t, running),
      notice,
    });
  };

  /** One model of the list's snapshot; back to a fresh list when it is no longer installed. */
  const detailsView = async (
    chatId: number,
    t: T,
    menu: MenuState,
    index: number,
    notice?: string,
  ): Promise<View> => {
    const name = menu.names[index]!;
    const details = await admin.details(name, t);
    if (!details) return listView(chatId, t, menu.page, t("models-gone", { model: name }));
    return renderModelDetails(t, menu.token, index, details, notice);
  };

  c.command("models", async (ctx) => {
    if (!core.isAdmin(ctx.from?.id)) {
      await ctx.reply(ctx.t("models-admins-only"));
      return;
    }
    const view = await listView(ctx.chat.id, ctx.t, 0);
    await ctx.reply(view.text, { reply_markup: view.keyboard });
  });

  // Every button of the menu and of its pulls is for admins: a forwarded menu, or one an admin opened in a
  // group, does nothing for anyone else.
  c.callbackQuery(ANY_MODELS_BUTTON, async (ctx, next) => {
    if (core.isAdmin(ctx.from.id)) return next();
    await ctx.answerCallbackQuery({ text: ctx.t("models-admins-only"), show_alert: true });
  });

  const answer = (ctx: BotContext, text?: string) =>
    ctx
      .answerCallbackQuery(text === undefined ? {} : { text })
      .catch(logFailure(core.log, "could not answer a /models button", { chatId: ctx.chat?.id }));

  /** The press's view replaces the menu's message; then the spinner is answered (late answers are only logged). */
  const show = async (ctx: BotContext, view: View, toast?: string) => {
    await ctx.editMessageText(view.text, { reply_markup: view.keyboard });
    await answer(ctx, toast);
  };

  c.callbackQuery(MENU_BUTTON, async (ctx) => {
    const [, token, verb, arg] = ctx.match;
    const chatId = ctx.chat?.id;
    const menu = chatId === undefined ? undefined : await admin.current(chatId, token!);
    if (chatId === undefined || !menu) {
      // Answered only: an older menu (or a second tap on one just used) changes nothing on screen.
      await answer(ctx, ctx.t("models-stale"));
      return;
    }
    const t = ctx.t;
    const index = arg === undefined ? undefined : Number(arg);
    /** The model the press names, when its index is in a snapshot of `view` (a forged index is none). */
    const named = (view: MenuState["view"]) =>
      index !== undefined && menu.view === view ? menu.names[index] : undefined;
    const stale = () => answer(ctx, t("models-stale"));

    switch (verb) {
      case "ls":
        return show(ctx, await listView(chatId, t, menu.view === "list" ? menu.page : 0));
      case "pg":
        if (index === undefined) return stale();
        return show(
          ctx,
          menu.view === "default" ? await defaultView(chatId, t, index) : await listView(chatId, t, index),
        );
      case "m": {
        if (named("list") === undefined) return stale();
        return show(ctx, await detailsView(chatId, t, menu, index!));
      }
      case "d": {
        const name = named("list");
        if (name === undefined) return stale();
        const model = (await core.client.listModels()).find((m) => m.name === name);
        if (!model) return show(ctx, await listView(chatId, t, menu.page, t("models-gone", { model: name })));
        return show(ctx, renderDeleteConfirm(t, menu.token, index!, model));
      }
      case "dy": {
        const name = named("list");
        if (name === undefined) return stale();
        const outcome = await admin.remove(name);
        if (outcome.kind === "failed") {
          // Shown without reading the list again: the server that failed the delete may be away.
          const notice = t("models-delete-failed", { model: name, reason: reason(t, outcome.failure) });
          return show(ctx, renderDeleteFailed(t, menu.token, index!, notice));
        }
        const notice = t(outcome.kind === "deleted" ? "models-deleted" : "models-delete-gone", {
          model: name,
        });
        // A fresh list (a new token): a second tap on Yes is out of date, it never deletes again.
        return show(ctx, await listView(chatId, t, menu.page, notice));
      }
      case "u":
      case "lu": {
        const name = named(verb === "u" ? "list" : "loaded");
        if (name === undefined) return stale();
        const failure = await admin.unload(name);
        const notice = failure
          ? t("models-unload-failed", { model: name, reason: reason(t, failure) })
          : t("models-unloaded", { model: name });
        return show(
          ctx,
          verb === "u"
            ? await detailsView(chatId, t, menu, index!, notice)
            : await loadedView(chatId, t, notice),
        );
      }
      case "df": {
        const name = named("list");
        if (name === undefined) return stale();
        if ((await admin.setDefault(name)) === "gone") {
          return show(ctx, await listView(chatId, t, menu.page, t("models-gone", { model: name })));
        }
        return show(
          ctx,
          await detailsView(chatId, t, menu, index!, t("models-default-set", { model: name })),
        );
      }
      case "ld":
        return show(ctx, await loadedView(chatId, t));
      case "dv":
        return show(ctx, await defaultView(chatId, t, 0));
      case "ds": {
        const name = named("default");
        if (name === undefined) return stale();
        const done = await admin.setDefault(name);
        const notice = t(done === "set" ? "models-default-set" : "models-gone", { model: name });
        return show(ctx, await defaultView(chatId, t, menu.page, notice));
      }
      case "dr": {
        await admin.resetDefault();
        const config = core.config.defaultModel;
        const notice = config ? t("models-default-reset", { model: config }) : t("models-default-cleared");
        return show(ctx, await defaultView(chatId, t, menu.page, notice));
      }
      case "pl":
        await answer(ctx);
        await enterConversation(ctx, CONVERSATION.pull, ctx.locale);
        return;
      case "x":
        await answer(ctx);
        await ctx.deleteMessage().catch(async (err: unknown) => {
          // Older than 48 hours, say: it cannot be deleted, but its buttons can go.
          core.log.debug({ err, chatId }, "could not delete the /models menu; removing its buttons");
          await ctx.editMessageReplyMarkup();
        });
        return;
      default:
        return stale();
    }
  });

  c.callbackQuery(PULL_BUTTON, async (ctx) => {
    const [, kind, key] = ctx.match;
    const chat = ctx.chat;
    const model = chat ? await admin.pullOf(chat.id, key!) : undefined;
    if (!chat || model === undefined) {
      await answer(ctx, ctx.t("models-pull-stale"));
      return;
    }
    if (kind === "c") {
      // The pull's own message then says it was cancelled.
      await answer(
        ctx,
        ctx.t(admin.cancelPull(model) ? "models-pull-cancelling" : "models-pull-not-running"),
      );
      return;
    }
    const t = core.texts.for(ctx.locale);
    const start = await admin.startPull({ chatId: chat.id, chatType: chat.type, model, t });
    await answer(ctx, pullStartText(ctx.t, start, model));
    // The new pull has its own message; this one's 🔁 goes, so it is not pressed twice.
    if (start === "started") await ctx.editMessageReplyMarkup();
  });

  // A models button of another shape (forged, or from a later version of the bot).
  c.callbackQuery(ANY_MODELS_BUTTON, (ctx) => answer(ctx, ctx.t("models-stale")));

  return c;
}

function pullStartText(t: T, start: PullStart, model: string): string {
  const key =
    start === "started"
      ? "models-pull-retrying"
      : start === "installed"
        ? "models-pull-installed"
        : "models-pull-busy";
  return t(key, { model });
}

/** Sends through the bot's own API inside `external`, so a replay of the conversation never sends twice. */
function sender(conversation: Convo, api: Api, s: Services) {
  return {
    reply: (chatId: number, text: string, other: Parameters<Api["sendMessage"]>[2] = {}) =>
      conversation.external(async () => {
        const m = await api.sendMessage(chatId, text, other);
        return { message_id: m.message_id };
      }),
    answer: (id: string, text: string) =>
      conversation.external(async () => {
        await api.answerCallbackQuery(id, { text });
      }),
    dropButtons: (chatId: number, messageId: number) =>
      conversation.external(async () => {
        // Cosmetic: a question whose Cancel button stays is still closed.
        await api
          .editMessageReplyMarkup(chatId, messageId)
          .catch(logFailure(s.core.log, "could not take a question's buttons away", { chatId }));
      }),
  };
}

/**
 * Asks the admin who pressed ➕ for a model name and checks its form. Resolves with the name, or undefined when
 * they cancelled, gave up or moved on. In a group the question is a selective force-reply and only a reply to
 * it counts. In a private chat only the message right after the question (or a reply to it) is the answer:
 * commands such as /cancel are handled by other features before this question sees them, so anything between
 * the question and the next message means the admin moved on, and that message is theirs, not a model name.
 */
async function askModelName(
  conversation: Convo,
  ctx: Context,
  s: Services,
  t: T,
): Promise<string | undefined> {
  const chatId = ctx.chat!.id;
  const io = sender(conversation, s.core.api, s);
  const group = ctx.chat!.type !== "private";
  const asked = await conversation.now();
  const question = t("models-pull-ask");
  // Asked from a button: in a group, force_reply reaches only members it mentions, so it names the admin.
  const name = (ctx.from?.first_name ?? "").slice(0, 64);
  const mention = group && ctx.from !== undefined && name !== "";
  const q = await io.reply(chatId, mention ? `${name}, ${question}` : question, {
    reply_markup: group
      ? { force_reply: true, selective: true, input_field_placeholder: "llama3.2" }
      : new InlineKeyboard().text(t("button-cancel"), "cv:cancel"),
    ...(mention
      ? {
          entities: [
            {
              type: "text_mention" as const,
              offset: 0,
              length: name.length,
              user: { id: ctx.from!.id, is_bot: false, first_name: name },
            },
          ],
        }
      : {}),
  });
  const userId = ctx.from!.id;
  if (group) await conversation.external(() => s.chats.openQuestion(chatId, q.message_id, userId));
  const close = async () => {
    if (group) await conversation.external(() => s.chats.closeQuestion(chatId, q.message_id));
    else await io.dropButtons(chatId, q.message_id);
  };
  let last = q.message_id;
  let bad = 0;
  for (;;) {
    const next = await conversation.wait();
    if ((await conversation.now()) - asked > QUESTION_EXPIRES_MS) {
      await close();
      await io.reply(chatId, t("prompt-expired"));
      await conversation.halt({ next: true });
    }
    if (next.callbackQuery?.data === "cv:cancel") {
      await io.answer(next.callbackQuery.id, t("prompt-cancelled"));
      await close();
      return undefined;
    }
    // Another button (the menu itself, a picker): it works as usual and the question stays open.
    if (next.callbackQuery) await conversation.skip({ next: true });
    const msg = next.message;
    if (!msg) await conversation.skip({ next: true });
    const text = msg!.text?.trim();
    const replied = msg!.reply_to_message?.message_id === q.message_id;
    if (group && !replied) await conversation.skip({ next: true });
    // Another command, or (private chat) something came between: the admin moved on, the message is theirs.
    if (text?.startsWith("/") || (!group && !replied && msg!.message_id !== last + 1)) {
      await close();
      await conversation.halt({ next: true });
    }
    if (text !== undefined && isModelName(text)) {
      await close();
      return text;
    }
    if (++bad >= MAX_BAD_NAMES) {
      await close();
      await io.reply(chatId, t("prompt-given-up"));
      return undefined;
    }
    const sent = await io.reply(
      chatId,
      text === undefined || text === ""
        ? t("models-pull-need-name")
        : t("models-pull-bad-name", { name: [...text].slice(0, ECHO_MAX).join("") }),
    );
    last = sent.message_id;
  }
}
