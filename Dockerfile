# One image recipe for every service: docker build --build-arg APP=<app-id> -t burger/<app-id> .
# The k8s manifests expect these images as burger/<app-id>; `npm run test:k8s` builds them
# here with podman, on a Node.js base of its own (NODE_IMAGE: no registry is reachable).
ARG NODE_IMAGE=node:20-bookworm-slim
FROM ${NODE_IMAGE}
WORKDIR /app
# Workspace manifests first, so the dependency layer is cached across source changes.
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
COPY tools ./tools
# tsx (a dev dependency) runs the TypeScript sources, so dev dependencies stay in.
RUN npm ci --no-audit --no-fund && npm cache clean --force
# APP only from here on, so every app's image shares the layers above.
ARG APP
RUN test -n "$APP" || (echo "--build-arg APP=<app-id> is required" && false)
ENV APP_HOST=0.0.0.0
USER node
WORKDIR /app/services/${APP}
CMD ["node", "--import", "tsx", "src/main.ts"]
