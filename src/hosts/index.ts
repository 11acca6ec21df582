export { HostUnknownError, NoHostError } from "./errors.js";
export { type ModelClients, modelClientsFrom } from "./from-config.js";
export {
  type HostClient,
  type HostPlace,
  HostPool,
  type HostSpec,
  type HostState,
  type HostTag,
  hostOf,
  type PoolOptions,
  type SharedHostSlot,
} from "./pool.js";
