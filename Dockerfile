# One image recipe for every service: docker build --build-arg APP=<app-id> -t burger/<app-id> .
# (Not built on the development machine, which has no container engine; the k8s manifests
# expect these images as burger/<app-id>.)
FROM node:20-bookworm-slim
ARG APP
RUN test -n "$APP" || (echo "--build-arg APP=<app-id> is required" && false)
WORKDIR /app
# Workspace manifests first, so the dependency layer is cached across source changes.
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
COPY tools ./tools
# tsx (a dev dependency) runs the TypeScript sources, so dev dependencies stay in.
RUN npm ci --no-audit --no-fund && npm cache clean --force
ENV APP_HOST=0.0.0.0
USER node
WORKDIR /app/services/${APP}
CMD ["node", "--import", "tsx", "src/main.ts"]
