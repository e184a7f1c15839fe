# Body & Soul clinic assistant. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON_BIN := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
INSTALLED := $(VENV)/.installed
MODEL := models/clinic.tar.gz
# A model is stale when any of these is newer than it: the articles (knowledge/) too,
# since the model carries the index of their passages (components/article_retriever.py).
# rasa_patches/ changes how the server runs, not what is learnt, so it is not listed.
TRAINING_INPUTS := config.yml domain.yml \
	$(shell find data components knowledge -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' \) 2>/dev/null)
HELDOUT ?= tests/heldout
# The answers from the articles miss their bar (issue 13, docs/performance.md): make
# evaluate reports them without failing until they meet it; ARTICLES_BAR= checks it.
ARTICLES_BAR ?= --no-bar
# The website widget: webchat/widget.js bundled with the socket.io client from npm.
WEBCHAT := webchat/dist/widget.js
NODE_MODULES := node_modules/.package-lock.json
# The staff console's htmx, copied from the pinned npm package so the console serves it
# itself (no CDN), whatever happens to node_modules later.
CONSOLE_HTMX := console/static/dist/htmx.min.js
HTMX_SOURCE := node_modules/htmx.org/dist/htmx.min.js

export PYTHONDONTWRITEBYTECODE := 1
export TF_CPP_MIN_LOG_LEVEL := 2
# Rasa would otherwise try to send usage telemetry (and this machine has no internet).
export RASA_TELEMETRY_ENABLED := false

.PHONY: help install lock run shell train validate lint deploy-lint compose format test unit conversations e2e hardening production wechat redis postgres nginx fuzz loadtest loadtest-quick browser chromium webchat console console-assets staff-user console-tests console-release-tests bench-console evaluate report review import-review release bench bookings backup restore purge export-data delete-data clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(INSTALLED): requirements.lock scripts/bootstrap.sh scripts/find_python.sh
	scripts/bootstrap.sh
	@touch $@

install: $(INSTALLED) ## Create .venv (Python 3.10) and install the locked packages

lock: ## Re-resolve requirements.in into requirements.lock (needs the package index)
	scripts/lock.sh

# Rasa's training cache fingerprints config and data, not our components' code nor the
# articles: when components/ or knowledge/ changed, train without the cache so no
# stale tokens or passages are reused.
$(MODEL): $(INSTALLED) $(TRAINING_INPUTS)
	$(RASA) train --fixed-model-name clinic --out models $(if $(filter components/% knowledge/%,$?),--force)
	@touch $@

train: $(MODEL) ## Train the model if it is missing or older than its data/config

# npm ci installs exactly package-lock.json (the npm registry is the only network it needs).
$(NODE_MODULES): package.json package-lock.json
	@command -v npm >/dev/null || { echo "The widget's build needs Node.js and npm (apt-get install nodejs npm)." >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

$(WEBCHAT): webchat/widget.js scripts/build_webchat.sh $(NODE_MODULES)
	scripts/build_webchat.sh

webchat: $(WEBCHAT) ## Build the website widget (webchat/dist/widget.js, with socket.io-client from npm)

$(HTMX_SOURCE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "The console's htmx needs Node.js and npm (apt-get install nodejs npm)." >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

$(CONSOLE_HTMX): $(HTMX_SOURCE)
	@mkdir -p $(dir $@)
	cp $(HTMX_SOURCE) $@

console-assets: $(CONSOLE_HTMX) ## Copy the staff console's pinned htmx from npm into console/static/dist

console: $(INSTALLED) $(CONSOLE_HTMX) ## Start the staff console alone (CONSOLE_PORT, default 5007, on 127.0.0.1)
	$(PYTHON_BIN) -m console

staff-user: $(INSTALLED) ## Create or reset a console account: NAME=... ROLE=admin|editor|reception (password asked, or from STAFF_PASSWORD)
	@test -n "$(NAME)" -a -n "$(ROLE)" || { echo "Say who: make staff-user NAME=wang.fang ROLE=reception (admin, editor or reception)" >&2; exit 1; }
	$(PYTHON_BIN) -m console user "$(NAME)" "$(ROLE)"

redis: ## Install Debian's redis-server for the tests (apt-get) if missing
	scripts/install_debian.sh redis-server redis-server "The WeChat and production tests"

postgres: ## Install Debian's PostgreSQL 15 for the production tests (apt-get) if missing
	scripts/install_debian.sh /usr/lib/postgresql/15/bin/initdb postgresql-15 "The production tests"

nginx: ## Install Debian's nginx for the load tests (apt-get) if missing
	scripts/install_debian.sh nginx nginx-light "The load tests"

compose: ## Install Debian's docker-compose (1.29, for `config` without a daemon) if missing
	scripts/install_debian.sh docker-compose docker-compose "The deployment files' check"

chromium: ## Install Debian's chromium and chromium-driver for the browser tests (apt-get) if missing
	scripts/install_chromium.sh

run: $(MODEL) $(WEBCHAT) $(CONSOLE_HTMX) ## Start the action server, the booking relay, the Rasa server (REST, widget at /webchat/) and the staff console
	scripts/run.sh

shell: $(MODEL) ## Chat with the assistant in the terminal
	scripts/run.sh --shell

validate: $(INSTALLED) ## Check the training data, domain and the articles' passages (knowledge/; no training); fails on warnings
	$(PYTHON_BIN) -m staff.validate

lint: $(INSTALLED) ## Lint and check formatting (ruff), then the deployment files (deploy-lint)
	$(VENV)/bin/ruff check --no-cache .
	$(VENV)/bin/ruff format --no-cache --check .
	@$(MAKE) --no-print-directory deploy-lint

# Docker and Kubernetes cannot run here: the files are linted and validated instead
# (docs/deploy.md, "Not run here").
deploy-lint: $(INSTALLED) compose ## Deployment files: hadolint, yamllint, docker-compose config, Helm values (tests/deploy)
	$(PYTHON_BIN) -m pytest tests/deploy

format: $(INSTALLED) ## Format the code (ruff)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

unit: $(INSTALLED) ## Unit tests: components, Rasa patches, actions, booking, staff tools, stores, training-data contract (SQLite outbox)
	$(PYTHON_BIN) -m pytest tests --ignore=tests/e2e --ignore=tests/browser --ignore=tests/wechat --ignore=tests/hardening --ignore=tests/deploy --ignore=tests/production --ignore=tests/fuzz --ignore=tests/console/browser -m "not postgres"

conversations: $(MODEL) ## Conversation tests (tests/test_*.yml), failing on any wrong prediction
	$(RASA) test core --e2e --model $(MODEL) --stories tests --fail-on-prediction-errors --out results/conversations

e2e: $(MODEL) ## End-to-end tests against a real Rasa server and action server
	$(PYTHON_BIN) -m pytest tests/e2e

hardening: $(MODEL) redis ## The public endpoints' limits and checks against the real servers (tests/hardening/)
	$(PYTHON_BIN) -m pytest tests/hardening

production: $(MODEL) redis postgres ## Production storage: the Rasa server on PostgreSQL + Redis through outages, /health, the outbox and privacy deletions on PostgreSQL
	$(PYTHON_BIN) -m pytest tests/production tests/booking tests/privacy tests/actions tests/console tests/handover -m postgres --ignore=tests/console/browser

wechat: $(MODEL) redis chromium $(CONSOLE_HTMX) ## The WeChat channel over HTTP in real Rasa servers, with a real Redis and a fake WeChat API (and a hand-over worked in the console in Chromium)
	$(PYTHON_BIN) -m pytest tests/wechat

browser: $(MODEL) $(WEBCHAT) chromium ## The website widget in headless Chromium against the real servers (screenshots in results/browser)
	$(PYTHON_BIN) -m pytest tests/browser

console-tests: $(MODEL) $(WEBCHAT) $(CONSOLE_HTMX) chromium ## The staff console in headless Chromium against the real servers, the relay and the console (tests/console/browser)
	$(PYTHON_BIN) -m pytest tests/console/browser --ignore=tests/console/browser/test_editing.py

console-release-tests: $(MODEL) $(WEBCHAT) $(CONSOLE_HTMX) chromium ## Editing answers, filing missed questions, Check changes (two trainings), Put live, Roll back, History, in Chromium against the real servers (about 8 minutes)
	$(PYTHON_BIN) -m pytest tests/console/browser/test_editing.py

fuzz: $(MODEL) ## Bad input (empty, 1 MB, malformed, surrogates, payloads, ...) on REST, socket.io and WeChat of a real server (tests/fuzz/)
	$(PYTHON_BIN) -m pytest tests/fuzz

loadtest: $(MODEL) postgres redis nginx ## Load, faults (REST, widget WebSocket and WeChat at once), fuzz and throughput: 2 Rasa servers on PostgreSQL + Redis behind nginx (about 7 minutes; part of make test)
	$(PYTHON_BIN) -m loadtest

loadtest-quick: $(MODEL) postgres redis nginx ## The load harness's short run (no faults; about 2 minutes)
	$(PYTHON_BIN) -m loadtest --quick --out results/loadtest-quick.json

evaluate: $(MODEL) ## Accuracy on the held-out examples (HELDOUT=file or dir), then on the hard set, then the answers from the articles (tests/articles), each against its bar
	$(PYTHON_BIN) -m staff.evaluate --model $(MODEL) $(HELDOUT)
	@echo "The hard set (visitors' real styles, red flags said indirectly, off-topic near-misses), against its own bar:"
	$(PYTHON_BIN) -m staff.evaluate --model $(MODEL) --bar hard --out results/evaluation-hard.json tests/heldout_hard
	@echo "Answers from the articles (a passage, the FAQ's, or 'the articles don't say'):"
	$(PYTHON_BIN) -m staff.evaluate_articles --model $(MODEL) $(ARTICLES_BAR) tests/articles

report: $(MODEL) ## Evaluate, then write reports/index.html for staff (per key, confusion matrix, mistakes, change)
	$(PYTHON_BIN) -m staff.evaluate --model $(MODEL) --no-bar $(HELDOUT)
	$(PYTHON_BIN) -m staff.report --evaluation results/evaluation.json --out reports

review: $(INSTALLED) ## Export messages the assistant did not understand (tracker store) to reviews/review.csv
	$(PYTHON_BIN) -m staff.review --out reviews/review.csv

import-review: $(INSTALLED) ## Add the labelled rows of FILE=reviews/review.csv to data/, then validate
	@test -n "$(FILE)" || { echo "Say which file: make import-review FILE=reviews/review.csv" >&2; exit 1; }
	$(PYTHON_BIN) -m staff.import_review "$(FILE)"
	$(PYTHON_BIN) -m staff.validate

release: $(INSTALLED) ## Train a candidate, validate, evaluate against the bar; only then put it live (keeps the previous)
	$(PYTHON_BIN) -m staff.release $(if $(CANDIDATE),--candidate $(CANDIDATE))

bench: $(MODEL) ## Latency, start-up and training-time figures; booking outbox and relay; the console's pages
	$(PYTHON_BIN) scripts/bench.py --model $(MODEL) --train
	$(PYTHON_BIN) scripts/bench_booking.py --json results/bench_booking.json
	@$(MAKE) --no-print-directory bench-console

bench-console: $(INSTALLED) $(CONSOLE_HTMX) ## The console's page times on a seeded store (10,000 conversations, 2,000 requests)
	$(PYTHON_BIN) scripts/bench_console.py --json results/bench_console.json

bookings: $(INSTALLED) ## List booking and call-back requests (names and phones masked)
	$(PYTHON_BIN) -m booking.staff list

backup: $(INSTALLED) ## Back up the conversations and booking requests into backups/ (pg_dump, or a consistent SQLite copy)
	$(PYTHON_BIN) -m backup create $(if $(INTO),--into "$(INTO)")

restore: $(INSTALLED) ## Restore a backup into the configured stores (servers stopped): FROM=backups/clinic-<time> [YES=1]
	@test -n "$(FROM)" || { echo "Say which backup: make restore FROM=backups/clinic-20261205T030000Z" >&2; exit 1; }
	$(PYTHON_BIN) -m backup restore "$(FROM)" $(if $(YES),--yes)

# Whose data: SENDER=<conversation id>, PHONE=<number> and/or REF=<BS-...>.
VISITOR = $(if $(SENDER),--sender "$(SENDER)") $(if $(PHONE),--phone "$(PHONE)") $(if $(REF),--reference "$(REF)")

purge: $(INSTALLED) ## Delete conversations and delivered requests older than their retention (the servers also do it daily)
	$(PYTHON_BIN) -m privacy purge

export-data: $(INSTALLED) ## A visitor's data as JSON, for an access request: PHONE=... or REF=... or SENDER=... [OUT=file.json]
	@test -n "$(strip $(VISITOR))" || { echo "Say whose data: make export-data PHONE=... (or REF=BS-..., SENDER=...)" >&2; exit 1; }
	$(PYTHON_BIN) -m privacy export $(VISITOR) $(if $(OUT),--output "$(OUT)")

delete-data: $(INSTALLED) ## Delete a visitor's conversations and requests: PHONE=... or REF=... or SENDER=... (asks first)
	@test -n "$(strip $(VISITOR))" || { echo "Say whose data: make delete-data PHONE=... (or REF=BS-..., SENDER=...)" >&2; exit 1; }
	$(PYTHON_BIN) -m privacy delete $(VISITOR)

test: lint validate unit conversations e2e hardening production wechat fuzz loadtest browser console-tests console-release-tests evaluate ## Every check and test (what CI runs)

clean: ## Remove trained models and test output (keeps .venv)
	rm -rf models results .rasa .pytest_cache webchat/dist
