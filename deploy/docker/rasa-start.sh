#!/usr/bin/env bash
# The Rasa server container's entry point (deploy/docker/rasa.Dockerfile).
# Without arguments: `rasa run` with the HTTP API behind $RASA_AUTH_TOKEN, the endpoints
# file $RASA_ENDPOINTS (endpoints.prod.yml in the image) and credentials.yml. With
# arguments (the Helm values set them): `rasa <arguments>`.
set -euo pipefail

if [ "${#RASA_AUTH_TOKEN}" -lt 16 ]; then
  echo "RASA_AUTH_TOKEN must be set (16 characters or more): the HTTP API is only" \
    "opened with a token (see deploy/.env.example)." >&2
  exit 2
fi
endpoints=${RASA_ENDPOINTS:-endpoints.prod.yml}

names() {  # the ${NAME}s a YAML file uses, comments left out
  sed -e 's/^ *#.*//' -e 's/ #.*//' "$1" | grep -o '\${[A-Za-z_][A-Za-z0-9_]*}' | tr -d '${}' | sort -u
}
# The stores' settings must be given (REDIS_PASSWORD may be empty, but set): say which
# is missing now rather than through Rasa's traceback after the model has loaded.
for name in $(names "$endpoints"); do
  if [ -z "${!name+set}" ]; then
    echo "$name is not set: $endpoints needs it (see deploy/.env.example)." >&2
    exit 2
  fi
done
# The channels' optional settings (WeChat's while it is off) are exported empty, as
# scripts/run.sh does: Rasa refuses to start on an unset ${NAME}.
for name in $(names credentials.yml); do
  export "$name=${!name:-}"
done

if [ "$#" -gt 0 ]; then
  exec rasa "$@"
fi
exec rasa run --model models/clinic.tar.gz --port 5005 \
  --enable-api --auth-token "$RASA_AUTH_TOKEN" \
  --endpoints "$endpoints" --credentials credentials.yml
