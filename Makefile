# Rackshift: two commands matter. `make run` opens the app on the demo portfolio;
# `make test` runs `make lint` and every test. Both build .venv first, and rebuild it only when
# pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
QT_SYSTEM_LIBS := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 poppler-utils fonts-dejavu-core

.PHONY: run test lint typecheck bench package bundle-selftest clean syslibs golden selftest

run: $(STAMP)
	$(BIN)/rackshift

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# The layer contracts in pyproject.toml ([tool.importlinter]): cli/app -> ui -> export -> charts
# -> store -> model, no Qt in the core, no UI in the export. `make test` (so .ci/run) runs it first.
lint: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy $(MYPY_CLEAN)

# mypy runs on the modules already clean (the plan's rules, the derived checks, the store's
# errors, formatting); the rest of desktop/model and desktop/store is not yet (`make typecheck`
# lists what is left) and joins this list as it is cleaned.
MYPY_CLEAN := --follow-imports=silent desktop/model/rules desktop/store/checks.py desktop/store/errors.py \
	desktop/model/formatting.py

typecheck: $(STAMP)
	$(BIN)/mypy desktop/model desktop/store

golden: $(STAMP)
	../shared/tools/check-golden $(BIN)/rackshift

selftest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/rackshift --self-test --out build/selftest

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

# The offline bundle dist/rackshift/ (packaging/rackshift.spec), built from its own venv that
# holds only the runtime dependencies and PyInstaller, so no test or dev tool ends up in it.
PKG_VENV  := .venv-package
PKG_STAMP := $(PKG_VENV)/.installed
# the X11 libraries Qt's xcb plugin links to (bundled, so sites need not have them), strip, strace
PACKAGE_SYSTEM_LIBS := libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 binutils strace

package: $(PKG_STAMP)
	rm -rf build/pyinstaller dist/rackshift
	env -u PYTHONPATH $(PKG_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --workpath build/pyinstaller --distpath dist packaging/rackshift.spec
	@du -sh dist/rackshift

# Run the built bundle as a site would: bare environment, no network, self-test (packaging/check_bundle.sh).
bundle-selftest:
	packaging/check_bundle.sh dist/rackshift build/bundle-selftest

$(PKG_STAMP): pyproject.toml
	@$(MAKE) --no-print-directory syslibs QT_SYSTEM_LIBS="$(QT_SYSTEM_LIBS) $(PACKAGE_SYSTEM_LIBS)"
	test -x $(PKG_VENV)/bin/python || $(PYTHON) -m venv $(PKG_VENV)
	$(PKG_VENV)/bin/python -m pip install -q --upgrade pip
	$(PKG_VENV)/bin/pip install -q -e '.[package]'
	touch $(PKG_STAMP)

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory syslibs
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# Qt's xcb/offscreen plugins and the PDF checks need these Debian packages; install what is missing.
syslibs:
	@missing=""; for p in $(QT_SYSTEM_LIBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing system packages:$$missing"; \
	    SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: missing system packages:$$missing"; fi; \
	fi

clean:
	rm -rf $(VENV) $(PKG_VENV) build dist .pytest_cache
