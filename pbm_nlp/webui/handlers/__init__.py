"""The app's handlers: plain functions of the process's resources, the caller (an Actor) and the
form's inputs, returning what the page shows. No Gradio here, so they are tested without a
browser; :mod:`pbm_nlp.webui.layout` wires them into Blocks."""
