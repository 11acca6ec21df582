# syntax=docker/dockerfile:1
# Multi-stage: build with dev dependencies, ship dist/ with production dependencies only, run as a non-root user.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The texts in every language, found at ../../locales from dist/bot/.
COPY locales ./locales
COPY package.json ./
# The image's built-in "node" user (uid 1000) owns the data volume and runs the process.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# Healthy while the bot polls Telegram (its heartbeat in /data is fresh) and the hub and Ollama behind it answer:
# the bot is useless without either. `health --bot` reads a file, then makes two calls of at most 8 s each, within
# the 20 s timeout. The start period covers the bot's start-up (it retries Telegram for STARTUP_TIMEOUT_MS, 60 s).
HEALTHCHECK --interval=60s --timeout=20s --start-period=60s --retries=3 \
  CMD ["node", "dist/cli/main.js", "health", "--bot"]
CMD ["node", "dist/main.js"]
