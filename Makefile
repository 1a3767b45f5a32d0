# Two entry points, each doing its own set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# PDF export needs WeasyPrint's libraries and Chinese fonts; the tests read PDFs with poppler.
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils

.PHONY: run test bench clean system

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "缺少系统软件包：$$missing —— PDF 导出需要它们，请以 root 运行 apt-get install $$missing"; \
	  fi; \
	fi

run: $(STAMP) system
	$(BIN)/jixiao rubric list
	$(BIN)/jixiao import examples/hengshan-kaiyun-town-2022.txt examples/hengyang-city-government-office-2022.txt -d $(VENV)/imported
	$(BIN)/jixiao score $(VENV)/imported/*.json --detail
	$(BIN)/jixiao audit $(VENV)/imported/*.json --format html --outdir $(VENV)/reports
	$(BIN)/jixiao export examples/hengyang-2022.json --to pdf -o $(VENV)/reports/hengyang-2022.pdf --highlight
	@echo "审核报告与导出文件：$(VENV)/reports/"

test: $(STAMP) system
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/import_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
