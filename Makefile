# Two entry points, each doing its own set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# PDF export needs WeasyPrint's libraries and Chinese fonts; the tests read PDFs with poppler
# and drive Debian's chromium (never a browser downloaded by Playwright).
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench clean system

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,spark]'
	touch $@

system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "缺少系统软件包：$$missing —— PDF 导出与浏览器测试需要它们，请以 root 运行 apt-get install $$missing"; \
	  fi; \
	fi

# The web application on the embedded SQLite database (.jixiao/), with the demo data loaded.
run: $(STAMP) system
	$(BIN)/jixiao demo
	$(BIN)/jixiao serve --host $(HOST) --port $(PORT)

# The whole suite on SQLite; the web tests again on PostgreSQL when DATABASE_URL names one.
test: $(STAMP) system
	env -u DATABASE_URL $(BIN)/python -m django makemigrations --check --dry-run --settings=jixiao.web.settings
	env -u DATABASE_URL $(BIN)/python -m pytest
	@if [ -n "$$DATABASE_URL" ]; then echo "PostgreSQL: $$DATABASE_URL"; $(BIN)/python -m pytest tests/web; fi

bench: $(STAMP)
	$(BIN)/python bench/import_throughput.py
	$(BIN)/python bench/layout_corpus.py -n 2000
	$(BIN)/python bench/scoring_corpus.py -n 2000
	$(BIN)/python bench/batch_scale.py --sizes 10000 100000

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
