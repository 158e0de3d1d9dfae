# One image for api, worker and the two SPAs' dev servers (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
RUN npm install --global pnpm@10.34.9
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile
ENV NODE_ENV=production
