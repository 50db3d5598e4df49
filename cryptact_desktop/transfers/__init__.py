"""Transfers between the user's own keys and wallets: matching a withdrawal to the deposit it
became (:mod:`.matching`), the user's classification of an outgoing transfer nothing matched
(:mod:`.classes`), and both read from the store (:mod:`.book`). Generic: no venue is named here.
"""
