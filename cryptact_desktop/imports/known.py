"""Files that no venue of the app imports but that we can name, so the refusal says what they are:
Cryptact's own custom file (what this app exports). A venue's own unsupported files are listed in its
package (its ``files.py``, beside the formats it does import).
"""

from __future__ import annotations

from cryptact_desktop.imports.spec import KnownFile

FOREIGN_FILES: tuple[KnownFile, ...] = (
    KnownFile(
        "cryptact_custom",
        "cryptact",
        "Cryptact",
        "Cryptact custom file",
        ("Timestamp", "Action", "Source", "Base", "Volume", "Price", "Counter", "Fee", "FeeCcy"),
        "This is a Cryptact custom file (what this app exports), not an exchange download.",
    ),
)
