# awssec Slack bot: `docker build -t awssec .` then
#   docker run -e SLACK_BOT_TOKEN=xoxb-... -e SLACK_APP_TOKEN=xapp-... -v awssec-data:/data awssec
# (HTTP mode: -e SLACK_SIGNING_SECRET=... -p 3000:3000 and `awssec serve --http` as the command.)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AWSSEC_DATA_DIR=/data \
    AWSSEC_INDEX=/app/index/index.json.gz \
    AWSSEC_PORT=3000 \
    AWSSEC_HEALTH_PORT=3000 \
    AWSSEC_RUN_DIR=/tmp/awssec

RUN groupadd --system --gid 10001 awssec \
    && useradd --system --uid 10001 --gid awssec --home-dir /app --shell /usr/sbin/nologin awssec \
    && mkdir -p /data \
    && chown 10001:10001 /data

WORKDIR /app

# Dependencies first, from pyproject.toml alone: this layer is rebuilt only when they change.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --requirement /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the code and the notes; the `awssec` command points at them (editable install, no dependencies).
# The index directory belongs to the bot's user, so notes mounted later (AWSSEC_CORPUS) can be re-indexed.
COPY README.md ./
COPY indexer ./indexer
COPY bot ./bot
COPY corpus ./corpus
RUN pip install --no-deps --editable . \
    && awssec index --corpus /app/corpus --index "$AWSSEC_INDEX" \
    && chmod -R a+rX /app \
    && chown -R 10001:10001 /app/index

USER 10001:10001
VOLUME ["/data"]
EXPOSE 3000

# The probe asks /healthz on the port `awssec serve` records in $AWSSEC_RUN_DIR as it starts listening
# (so --port and --health-port are followed), else on AWSSEC_HEALTH_PORT / AWSSEC_PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot.slack.health"]

CMD ["awssec", "serve"]
