"""The Transactions tab: the lazily paged table model and the filter bar around it."""
