"""API keys: the keys tree (model, cell values, texts), the add/edit key dialog and its parts, the
attach-key and remove-key dialogs, and the venue picker."""
