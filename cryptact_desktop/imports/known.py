"""Files that no venue of the app imports but that we can name, so the refusal says what they are.

Binance's files (rotki ``data_import/importers/binance.py``: the transaction statement
``User_ID,UTC_Time,Account,Operation,Coin,Change,Remark``; the spot trade history
``Date(UTC),Pair,Side,Price,Executed,Amount,Fee``) until a Binance venue reads them, and Cryptact's
own custom file (what this app exports). A venue's own unsupported files are listed in its package.
"""

from __future__ import annotations

from cryptact_desktop.imports.spec import KnownFile

FOREIGN_FILES: tuple[KnownFile, ...] = (
    KnownFile(
        "binance_statement",
        "binance",
        "Binance",
        "Binance transaction history statement",
        ("User_ID", "UTC_Time", "Account", "Operation", "Coin", "Change"),
    ),
    KnownFile(
        "binance_spot_trades",
        "binance",
        "Binance",
        "Binance spot trade history",
        ("Date(UTC)", "Pair", "Side", "Executed"),
    ),
    KnownFile(
        "cryptact_custom",
        "cryptact",
        "Cryptact",
        "Cryptact custom file",
        ("Timestamp", "Action", "Source", "Base", "Volume", "Price", "Counter", "Fee", "FeeCcy"),
        "This is a Cryptact custom file (what this app exports), not an exchange download.",
    ),
)
