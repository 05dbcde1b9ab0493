# The two commands of README.md. Both set up everything on a fresh clone first.
.PHONY: app test

# Run the app: virtualenv + packages, bundled corpus into SQLite, models built if missing,
# then the Gradio app on http://127.0.0.1:7860
app:
	scripts/bootstrap.sh --fonts
	.venv/bin/pbm prepare
	.venv/bin/python app.py

# Run the whole test suite (installs Debian's chromium for the browser test when missing).
test:
	scripts/bootstrap.sh --browser
	.venv/bin/python -m pytest $(PYTEST_ARGS)
