# Footnote in a container: `docker build -t footnote .`, then see compose.yaml for the mounts.
# The wheel carries the bundled knowledge; a config (and any knowledge of your own) are mounted.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --system --create-home --home-dir /home/footnote --shell /usr/sbin/nologin footnote \
    && mkdir /data && chown footnote:footnote /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER footnote
# The feedback database goes here (storage.path: /data/footnote.db in the mounted config).
WORKDIR /data
VOLUME ["/data"]
ENV PYTHONUNBUFFERED=1
# Healthy while every shard is connected and the bot keeps up: the config turns on /health
# (metrics.listen in deploy/config.docker.yaml); a 503 or no answer fails the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD ["python", "-c", \
    "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9108/health', timeout=4)"]
# Exit codes: 2 for a config, token or knowledge problem (do not restart), 1 when Discord
# could not be reached (a restart may help).
CMD ["footnote", "run", "--config", "/config/config.yaml"]
