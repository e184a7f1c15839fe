# Body & Soul clinic assistant. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON_BIN := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
INSTALLED := $(VENV)/.installed
MODEL := models/clinic.tar.gz
# A model is stale when any of these is newer than it.
TRAINING_INPUTS := config.yml domain.yml \
	$(shell find data components -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' \) 2>/dev/null)
HELDOUT ?= tests/heldout

export PYTHONDONTWRITEBYTECODE := 1
export TF_CPP_MIN_LOG_LEVEL := 2
# Rasa would otherwise try to send usage telemetry (and this machine has no internet).
export RASA_TELEMETRY_ENABLED := false

.PHONY: help install lock run shell train validate lint format test unit conversations e2e evaluate bench bookings clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(INSTALLED): requirements.lock scripts/bootstrap.sh scripts/find_python.sh
	scripts/bootstrap.sh
	@touch $@

install: $(INSTALLED) ## Create .venv (Python 3.10) and install the locked packages

lock: ## Re-resolve requirements.in into requirements.lock (needs the package index)
	scripts/lock.sh

# Rasa's training cache fingerprints config and data, not our components' code: when
# components/ changed, train without the cache so no stale tokens are reused.
$(MODEL): $(INSTALLED) $(TRAINING_INPUTS)
	$(RASA) train --fixed-model-name clinic --out models $(if $(filter components/%,$?),--force)
	@touch $@

train: $(MODEL) ## Train the model if it is missing or older than its data/config

run: $(MODEL) ## Start the action server, the booking relay and the Rasa server (REST + socket.io)
	scripts/run.sh

shell: $(MODEL) ## Chat with the assistant in the terminal
	scripts/run.sh --shell

validate: $(INSTALLED) ## Check the training data and domain (no training); fails on warnings
	$(PYTHON_BIN) scripts/validate.py

lint: $(INSTALLED) ## Lint and check formatting (ruff)
	$(VENV)/bin/ruff check --no-cache .
	$(VENV)/bin/ruff format --no-cache --check .

format: $(INSTALLED) ## Format the code (ruff)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

unit: $(INSTALLED) ## Unit tests: components, actions, training-data contract
	$(PYTHON_BIN) -m pytest tests --ignore=tests/e2e

conversations: $(MODEL) ## Conversation tests (tests/test_*.yml), failing on any wrong prediction
	$(RASA) test core --e2e --model $(MODEL) --stories tests --fail-on-prediction-errors --out results/conversations

e2e: $(MODEL) ## End-to-end tests against a real Rasa server and action server
	$(PYTHON_BIN) -m pytest tests/e2e

evaluate: $(MODEL) ## Accuracy on the held-out examples (HELDOUT=file or dir), checked against the bar
	$(PYTHON_BIN) scripts/evaluate.py --model $(MODEL) $(HELDOUT)

bench: $(MODEL) ## Latency, start-up and training-time figures; booking outbox and relay
	$(PYTHON_BIN) scripts/bench.py --model $(MODEL) --train
	$(PYTHON_BIN) scripts/bench_booking.py --json results/bench_booking.json

bookings: $(INSTALLED) ## List booking and call-back requests (names and phones masked)
	$(PYTHON_BIN) -m actions.staff list

test: lint validate unit conversations e2e evaluate ## Every check and test (what CI runs)

clean: ## Remove trained models and test output (keeps .venv)
	rm -rf models results .rasa .pytest_cache
