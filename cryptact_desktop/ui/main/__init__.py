"""The main window: frame, actions, the keys page, the key commands and the settings dialog."""
