"""The Transfers window: own transfers and the outgoing transfers to classify."""
