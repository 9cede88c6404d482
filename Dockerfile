# Parazone node image: `parazone start` (app + CometBFT in one container) on the home in the
# volume /home/node/.parazone. The relayer is the same image: `docker run … relay --path FILE`.
# Builds from official images only; the build fetches Go modules and npm packages, so give it a
# network (`docker build --network host .` on an engine without a default bridge).

# CometBFT, the version pinned in scripts/cometbft-version, static (no cgo) so it runs on any base.
FROM golang:1.26.8-bookworm AS cometbft
COPY scripts/cometbft-version /tmp/cometbft-version
RUN CGO_ENABLED=0 GOBIN=/out go install -trimpath "github.com/cometbft/cometbft/cmd/cometbft@$(tr -d '[:space:]' < /tmp/cometbft-version)" \
 && /out/cometbft version

# The compiled CLI (dist/) and web page (dist/web), then the production dependencies only.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install` with the lock rather than `npm ci`: the lock lists only this platform's prebuilt
# optional packages (see scripts/setup.sh), which `npm ci` refuses as out of sync.
RUN npm install --no-save --no-audit --no-fund
COPY . .
RUN node scripts/build.js \
 && npm run --silent build:web \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production \
    PARAZONE_HOME=/home/node/.parazone
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts/cometbft-version ./scripts/cometbft-version
COPY --from=cometbft /out/cometbft ./.tools/bin/cometbft
COPY scripts/docker/healthcheck.js scripts/docker/start-free-node.sh ./docker/
# `parazone` runs the compiled CLI directly: the image has no sources to rebuild from.
RUN printf '#!/bin/sh\nexec node /app/dist/app/cli/main.js "$@"\n' > /usr/local/bin/parazone \
 && chmod 755 /usr/local/bin/parazone \
 && mkdir -p "$PARAZONE_HOME" && chown node:node "$PARAZONE_HOME"
USER node
VOLUME ["/home/node/.parazone"]
# P2P, RPC, gRPC, REST, metrics, web page: the defaults (a home's own ports are in its
# config.toml and app.toml; `parazone init` binds all but P2P to 127.0.0.1).
EXPOSE 26656 26657 9090 1317 26660 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/docker/healthcheck.js"]
# The young generation every node process gets (app/node/app-process.ts NODE_RUNTIME_FLAGS).
ENV NODE_OPTIONS=--max-semi-space-size=64
ENTRYPOINT ["parazone"]
CMD ["start"]
