# The two commands of README.md (both set up everything on a fresh clone first), plus the fast tier.
.PHONY: app test test-fast

# Run the app: virtualenv + packages, bundled corpus into the store, models built if missing,
# then the Gradio app on http://127.0.0.1:7860
app:
	scripts/bootstrap.sh --fonts
	.venv/bin/pbm prepare
	.venv/bin/python app.py

# Run the whole test suite (installs Debian's chromium for the browser test when missing).
test:
	scripts/bootstrap.sh --browser
	.venv/bin/python -m pytest $(PYTEST_ARGS)

# The fast tier: everything that runs on the tiny hashing encoder (no m3e-small, no app, no browser),
# on both cores (pytest-xdist): about 55 s here.
test-fast:
	scripts/bootstrap.sh
	.venv/bin/python -m pytest -m "not slow and not browser" -n 2 $(PYTEST_ARGS)
