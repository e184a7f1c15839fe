#!/usr/bin/env bash
# Starts the action server, the booking relay, the Rasa server and the staff console and says
# how to talk to them; Ctrl-C stops them all. With --shell, chats in the terminal instead.
# Booking requests go to the outbox ($BOOKING_OUTBOX_PATH, default bookings.db); the relay
# forwards them to $BOOKING_WEBHOOK_URL when it is set (see docs/operations.md, "Booking requests").
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
CONSOLE_PORT=${CONSOLE_PORT:-5007}
MODEL=${MODEL:-models/clinic.tar.gz}
bin=.venv/bin
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
# Every ${NAME} in credentials.yml must be set for Rasa to start: the ones not set here are
# exported empty (WEBCHAT_ALLOWED_ORIGINS empty: localhost only; WECHAT_TOKEN empty: the
# WeChat channel is off).
for name in $(grep -v '^ *#' credentials.yml | grep -o '\${[A-Za-z_][A-Za-z0-9_]*}' | tr -d '${}' | sort -u); do
  export "$name=${!name:-}"
done

# The HTTP API is only ever opened with a token: the one in $RASA_AUTH_TOKEN, or one made
# here once and kept in .rasa/auth_token (readable by this user only).
if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  mkdir -p .rasa
  [ -s .rasa/auth_token ] || (umask 077 && "$bin/python" -c 'import secrets; print(secrets.token_hex(32))' > .rasa/auth_token)
  RASA_AUTH_TOKEN=$(cat .rasa/auth_token)
fi
# channels/http_guard.py checks the API's token too (and refuses the API without one).
export RASA_AUTH_TOKEN
# The action server's shared secret (actions/server.py; endpoints.yml sends it).
if [ -z "${ACTION_SERVER_TOKEN:-}" ]; then
  mkdir -p .rasa
  [ -s .rasa/action_token ] || (umask 077 && "$bin/python" -c 'import secrets; print(secrets.token_hex(32))' > .rasa/action_token)
  ACTION_SERVER_TOKEN=$(cat .rasa/action_token)
fi
export ACTION_SERVER_TOKEN ACTIONS_PORT

# Which endpoints file Rasa gets: endpoints.yml (SQLite, in-process locks) unless
# RASA_ENDPOINTS names another, e.g. endpoints.prod.yml (PostgreSQL, Redis).
endpoints_file=${RASA_ENDPOINTS:-endpoints.yml}
[ -f "$endpoints_file" ] || { echo "RASA_ENDPOINTS=$endpoints_file: no such file." >&2; exit 1; }
# Every ${NAME} it uses must be set; say which are not before Rasa fails on the first.
# REDIS_PASSWORD may be empty (a Redis without AUTH).
[ -n "${REDIS_PASSWORD+set}" ] || export REDIS_PASSWORD=
missing=()
for name in $(grep -v '^ *#' "$endpoints_file" | grep -o '\${[A-Za-z_][A-Za-z0-9_]*}' | tr -d '${}' | sort -u); do
  [ -n "${!name+set}" ] || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "$endpoints_file needs these environment variables, which are not set: ${missing[*]}" >&2
  exit 1
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

up() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

wait_for() {  # url, name, seconds
  for _ in $(seq "$3"); do
    up "$1" && return 0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "$2 stopped; see its output above." >&2; exit 1; }; done
    sleep 1
  done
  echo "$2 did not answer at $1 within $3 s." >&2
  exit 1
}

if up "http://localhost:$ACTIONS_PORT/health"; then
  echo "Using the action server already running on port $ACTIONS_PORT."
else
  "$bin/python" -m actions.server &
  pids+=($!)
  wait_for "http://localhost:$ACTIONS_PORT/health" "The action server" 60
fi

# endpoints.yml names the action server on port 5055; another ACTIONS_PORT gets a copy.
endpoints=$endpoints_file
if [ "$endpoints_file" = endpoints.yml ] && [ "$ACTIONS_PORT" != 5055 ]; then
  mkdir -p .rasa
  sed "s#localhost:5055#localhost:$ACTIONS_PORT#" endpoints.yml > .rasa/endpoints.yml
  endpoints=.rasa/endpoints.yml
fi

# The relay checks its settings first, so a wrong BOOKING_* variable stops here, clearly.
"$bin/python" -m booking.relay &
pids+=($!)

if [ "${1:-}" = "--shell" ]; then
  # The terminal chat needs no HTTP API, and its server listens on loopback only.
  "$bin/rasa" shell --model "$MODEL" --port "$((RASA_PORT + 1))" --interface 127.0.0.1 \
    --endpoints "$endpoints"
  exit
fi

# The staff console (loopback only unless CONSOLE_HOST says otherwise): its own process,
# reading the tracker store the endpoints file names (the original file: a copy in .rasa/
# would resolve the SQLite path from there).
# Its Live queue sends reception's replies to this Rasa server (channels/handover.py),
# with RASA_AUTH_TOKEN unless HANDOVER_TOKEN is set.
CONSOLE_PORT=$CONSOLE_PORT RASA_ENDPOINTS=$endpoints_file \
  HANDOVER_RASA_URL=${HANDOVER_RASA_URL:-http://127.0.0.1:$RASA_PORT} \
  "$bin/python" -m console &
pids+=($!)

started=$(date +%s)
# No --cors: no other site's page may call the REST channel or the API from a browser
# (the demo page is on this origin; the widget on the clinic's pages uses socket.io,
# whose origins are WEBCHAT_ALLOWED_ORIGINS).
"$bin/rasa" run --model "$MODEL" --port "$RASA_PORT" \
  --enable-api --auth-token="$RASA_AUTH_TOKEN" \
  --endpoints "$endpoints" --credentials credentials.yml &
pids+=($!)
wait_for "http://localhost:$RASA_PORT/" "The Rasa server" 180
wait_for "http://localhost:$CONSOLE_PORT/health" "The staff console" 30

cat <<MSG

Body & Soul assistant is up ($(($(date +%s) - started)) s to start), endpoints: $endpoints_file.
  Health:                 curl -s localhost:$RASA_PORT/health
  Try the website widget: http://localhost:$RASA_PORT/webchat/   (中文: http://localhost:$RASA_PORT/webchat/?lang=zh)
  Chat in the terminal:   make shell   (in another terminal)
  REST channel:           curl -s localhost:$RASA_PORT/webhooks/rest/webhook \\
                            -d '{"sender": "visitor-1", "message": "does tuina hurt?"}'
  socket.io channel:      ws://localhost:$RASA_PORT/socket.io   (the widget's; origins: ${WEBCHAT_ALLOWED_ORIGINS:-localhost only})
  HTTP API (token in .rasa/auth_token):
                          curl -s "localhost:$RASA_PORT/status?token=\$(cat .rasa/auth_token)"
  Booking requests:       make bookings   (list; see docs/operations.md for export)
  Staff console:          http://localhost:$CONSOLE_PORT/   (accounts: make staff-user NAME=... ROLE=admin|editor|reception)
Ctrl-C stops the servers, the relay and the console.
MSG
wait -n "${pids[@]}"
