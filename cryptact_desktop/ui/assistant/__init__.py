"""The Assistant: the wizard and its pages (the decisions live in ``cryptact_desktop.assistant``)."""
