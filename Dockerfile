FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY migrations migrations
COPY scripts scripts
COPY openapi openapi
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Memory (docs/performance.md): with V8's default limits on a large machine the old space grows
# to ~190 MB of mostly garbage under load (peak RSS 310-330 MB); these limits keep the peak under
# 200 MB for ~20 % more CPU per request. glibc's default of 8 malloc arenas per core keeps freed
# memory of every thread (libuv's pool hashes passwords) resident; 2 arenas are enough.
ENV MALLOC_ARENA_MAX=2
ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=160"
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
# ./data holds the embedded database and the development issuer's key; a volume mounted here
# takes this ownership, so the unprivileged user can write to it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Migrate (under the advisory lock, each migration named in the log), then serve.
CMD ["sh", "-c", "node dist/scripts/migrate.js && exec node dist/src/main.js"]
