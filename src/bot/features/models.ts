/**
 * /models (admins only): the installed models with their facts, one model's details, delete (confirmed), unload,
 * the loaded models, the bot-wide default model, and a pull by name (a question, then the progress with
 * ✖ Cancel). Every press edits the menu's own message. Buttons carry an index into the snapshot stored in the
 * chat's session under a token, so they work after a restart, and an older, forged or repeated press is
 * answered without acting. Anyone else is told it is for admins, and their presses change nothing.
 */
import { createConversation } from "@grammyjs/conversations";
import { Composer, type Context } from "grammy";
import type { BotContext } from "../context.js";
import { CONVERSATION, enterConversation } from "../conversation-ids.js";
import { DEFAULT_LOCALE } from "../i18n.js";
import { askText, sender } from "../questions.js";
import { logFailure } from "../services/core.js";
import { type Failure, failureText } from "../services/failure.js";
import type { Services } from "../services/index.js";
import { isModelName, type MenuState, type PullStart } from "../services/model-admin.js";
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

/** How much of a bad name is echoed back. */
const ECHO_MAX = 64;

export function modelsFeature(s: Services): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core } = s;
  const admin = s.modelAdmin;
  const reason = (t: T, f: Failure) => failureText(t, f, core.client);

  // First: an open question sees the admin's next update before the handlers below.
  c.use(
    createConversation<BotContext, Context>(
      async (conversation, ctx, localeArg: unknown) => {
        const t = core.texts.for(typeof localeArg === "string" ? localeArg : DEFAULT_LOCALE);
        const chat = ctx.chat!;
        // The admin who pressed ➕ is asked in the language of that press (this conversation has no i18n plugin),
        // and the name's form is checked before anything is downloaded.
        const model = await askText(conversation, ctx, s, {
          question: t("models-pull-ask"),
          t: () => t,
          placeholder: "llama3.2",
          needText: "models-pull-need-name",
          check: (name) =>
            isModelName(name)
              ? undefined
              : t("models-pull-bad-name", { name: [...name].slice(0, ECHO_MAX).join("") }),
        });
        if (model === undefined) return;
        const start = await conversation.external(() =>
          admin.startPull({ chatId: chat.id, chatType: chat.type, model, t }),
        );
        if (start !== "started")
          await sender(conversation, core.api).reply(chat.id, pullStartText(t, start, model));
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
          model:
            outcome.kind === "deleted" && outcome.hosts
              ? t("pull-on-host", { model: name, host: outcome.hosts.join(", ") })
              : name,
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
