"""Bybit V5: signing, error mapping, record normalisation and the connector."""

from cryptact_desktop.sync.bybit.connector import BybitConnector

__all__ = ["BybitConnector"]
