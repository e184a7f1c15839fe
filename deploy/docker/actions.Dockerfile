# syntax=docker/dockerfile:1
# The action server (python -m actions.server) and, from the same image, the booking
# relay (python -m booking.relay): the official rasa/rasa-sdk image plus actions/ and booking/.
# Build from the repository root:
#   docker build -f deploy/docker/actions.Dockerfile -t clinic-actions .
# Not built on the development machine (no Docker daemon there): `make deploy-lint`
# lints it; docs/deploy.md, "Not run here".

# Python 3.10 in /opt/venv (on PATH), user 1001, WORKDIR /app.
FROM rasa/rasa-sdk:3.6.2
# Root (uid 0) only to install; the servers run as the image's own user, 1001.
USER 0
# phonenumbers (parsing), requests (the relay's client) and psycopg2 (the outbox in
# PostgreSQL); versions from requirements.lock, what the tests ran.
COPY requirements.lock deploy/docker/actions-requirements.txt /tmp/pip/
RUN pip install --no-cache-dir --requirement /tmp/pip/actions-requirements.txt \
        --constraint /tmp/pip/requirements.lock \
    && pip check \
    && rm -rf /tmp/pip

WORKDIR /app
# Owned by root: the servers only read their code.
COPY actions/ actions/
COPY booking/ booking/
COPY privacy/ privacy/
COPY handover/ handover/

# In a container the action server listens on every interface of its own network
# namespace (the default, 127.0.0.1, would be unreachable from the Rasa servers); every
# call but /health still needs ACTION_SERVER_TOKEN.
ENV ACTIONS_HOST=0.0.0.0 \
    ACTIONS_PORT=5055 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER 1001
EXPOSE 5055
# The relay has no HTTP port: deploy/docker-compose.yml switches this check off for it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4)"]
# The base image's entrypoint script runs `rasa_sdk`'s own server, which has no token
# check: ours is started instead. The relay: `python -m booking.relay` as the command.
ENTRYPOINT []
CMD ["python", "-m", "actions.server"]
