"""Exchange catalogue, HTTP layer, connectors, the sync engine and the exchange simulators."""
