# municms — two commands.
#   make run    create .venv, install, build the demo site, serve it at http://127.0.0.1:8000/
#   make test   install what the tests need (Debian packages, pinned npm dev tools, .venv), run the whole suite
# Both are idempotent: when everything is installed they go straight to the work.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.municms-installed
NODE_STAMP := node_modules/.municms-installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEBIAN_PACKAGES := chromium nginx rsync openssh-server openssh-client default-jre-headless postgresql
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# Demo logins of the Çorum instance (login:role:unit:department), all with DEMO_PASSWORD; for trying the
# workflow on this machine only. `yonetici` is the first administrator (`users init`); it adds the others with a
# personal token that is revoked at the end. Existing logins are left untouched (--exists-ok).
DEMO_PASSWORD := corum-demo-2026
DEMO_USERS := mudur:mudur:: web1:editor:web: web2:editor:web: egitim1:editor:egitim: egitim2:editor:egitim: \
	fen:birim::fen-isleri

.PHONY: run test install system-packages demo-users demo-seminar

run: install demo-users demo-seminar
	$(PY) publish.py build
	$(PY) publish.py serve --host $(HOST) --port $(PORT)

demo-users: install
	@echo "$(DEMO_PASSWORD)" | $(PY) publish.py users init yonetici --password-stdin --exists-ok
	@token=$$(echo "$(DEMO_PASSWORD)" | $(PY) publish.py users token yonetici --as yonetici --password-stdin) \
		|| exit 1; \
	for spec in $(DEMO_USERS); do \
		IFS=: read -r login role unit department <<< "$$spec"; \
		echo "$(DEMO_PASSWORD)" | MUNICMS_TOKEN="$$token" $(PY) publish.py users add "$$login" --role "$$role" \
			$${unit:+--unit "$$unit"} $${department:+--department "$$department"} --password-stdin --exists-ok \
			|| exit 1; \
	done; \
	MUNICMS_TOKEN="$$token" $(PY) publish.py users token yonetici --revoke > /dev/null

# An upcoming seminar with online registration, taken through intake, havale, review and approval by the demo
# logins (scripts/demo_seminar.py); the scheduler inside `serve` publishes it.
demo-seminar: demo-users
	@echo "$(DEMO_PASSWORD)" | $(PY) scripts/demo_seminar.py --password-stdin

# Two parts: everything in two workers, then the tests that measure time (Lighthouse's performance score) with
# the machine to themselves. Both parts always run; the exit status is the first failure's.
test: system-packages $(NODE_STAMP) install
	@status=0; \
	$(PY) -m pytest -n 2 -q -m "not alone" || status=$$?; \
	$(PY) -m pytest -q -m alone || status=$$?; \
	exit $$status

install: $(PY_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstalled only when pyproject.toml changes.
$(PY_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $@

# Exactly the versions of package-lock.json (axe-core, Nu Html Checker, Lighthouse); reinstalled when the lock changes.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends nodejs npm; }
	npm ci --no-audit --no-fund
	touch $@

# apt-get runs only when a package is missing (through sudo when not root).
system-packages:
	@missing=""; \
	for pkg in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Eksik Debian paketleri kuruluyor:$$missing"; \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi
