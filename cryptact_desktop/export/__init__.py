"""Files the app writes from the stored entries (the Cryptact custom file)."""
