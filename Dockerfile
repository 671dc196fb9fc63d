# The controller image: one bundled file (npm run build -> dist/controller.mjs) on a
# distroless Node 22 base that runs as a non-root user and has no shell (Node 20 is past its
# end of life, and AWS SDK releases from January 2027 need Node 22).
#   docker build -t <registry>/edge-ingress-controller:<tag> .
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY controller/ controller/
COPY edge/src/ edge/src/
RUN npm run build

FROM gcr.io/distroless/nodejs22-debian12:nonroot
WORKDIR /app
COPY --from=build /src/dist/controller.mjs /app/controller.mjs
USER 65532:65532
EXPOSE 9091
ENTRYPOINT ["/nodejs/bin/node", "/app/controller.mjs"]
CMD ["controller"]
