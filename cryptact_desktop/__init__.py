"""Cryptact Desktop: sync exchange history with read-only API keys into a local database.

The core package (this one and ``cryptact_desktop.sync``) never imports Qt; every widget lives in
``cryptact_desktop.ui``.
"""

__version__ = "0.1.0"
APP_NAME = "Cryptact Desktop"
APP_ID = "cryptact-desktop"
# With APP_NAME, where the window keeps its settings (Qt's QSettings); the command line reads the
# language chosen there.
ORGANIZATION = "Cryptact"
ORGANIZATION_DOMAIN = "cryptact.com"
