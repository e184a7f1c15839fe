# syntax=docker/dockerfile:1
# The Rasa server: the official rasa/rasa image plus what the project's channels,
# NLU components and tracker store import, the website widget and the trained model.
# Build from the repository root, after `make train`:
#   docker build -f deploy/docker/rasa.Dockerfile -t clinic-rasa .
# (deploy/docker-compose.yml does this). Not built on the development machine (no
# Docker daemon there): `make deploy-lint` lints it; docs/deploy.md, "Not run here".

# The widget's bundle, as `make webchat` makes it: npm ci from package-lock.json, then
# scripts/build_webchat.sh (webchat/dist/ is not in git).
FROM node:20-bookworm-slim AS widget
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build_webchat.sh scripts/
COPY webchat/widget.js webchat/
RUN bash scripts/build_webchat.sh

# Ubuntu 22.04, Python 3.10 in /opt/venv (on PATH), user 1001, WORKDIR and HOME /app.
FROM rasa/rasa:3.6.21
# Root (uid 0) only to install; the servers run as the image's own user, 1001.
USER 0
# The image holds Rasa's main dependencies only (psycopg2-binary, redis, SQLAlchemy,
# aiohttp are there; spaCy and jieba are extras it lacks). The names are in
# rasa-requirements.txt, the versions come from requirements.lock, what the tests ran.
COPY requirements.lock deploy/docker/rasa-requirements.txt /tmp/pip/
RUN pip install --no-cache-dir --requirement /tmp/pip/rasa-requirements.txt \
        --constraint /tmp/pip/requirements.lock \
    && pip check \
    && rm -rf /tmp/pip

WORKDIR /app
# What `rasa run` imports from the project (credentials.yml's channels, config.yml's
# components, endpoints.prod.yml's tracker store; the channels import actions.parsing
# and components.language), owned by root: the server only reads them.
COPY channels/ channels/
COPY components/ components/
COPY knowledge/ knowledge/
COPY rasa_patches/ rasa_patches/
COPY stores/ stores/
COPY privacy/ privacy/
COPY booking/ booking/
COPY actions/ actions/
COPY handover/ handover/
COPY webchat/demo.html webchat/
COPY --from=widget /build/webchat/dist/widget.js webchat/dist/
COPY credentials.yml endpoints.yml endpoints.prod.yml ./
# The model is part of the image: a release is a new image (docs/deploy.md).
COPY models/clinic.tar.gz models/
COPY deploy/docker/rasa-start.sh /usr/local/bin/clinic-rasa

ENV RASA_ENDPOINTS=endpoints.prod.yml \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    MPLCONFIGDIR=/tmp/.matplotlib \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER 1001
EXPOSE 5005
# GET /health: 200 once the model is loaded and the tracker and lock stores answer.
# The model takes ~20 s to load (docs/performance.md, "Measurements"): hence the start period.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:5005/health"]
ENTRYPOINT ["clinic-rasa"]
CMD []
