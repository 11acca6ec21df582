export { ClusterInbox, fenceFor, updateChat } from "./cluster-inbox.js";
export { type Inbox, type InboxItem, LocalInbox } from "./inbox.js";
export { startWebhookIntake, type WebhookIntake } from "./webhook.js";
export {
  type Accepted,
  startWebhookServer,
  WebhookListenError,
  type WebhookServer,
} from "./webhook-server.js";
