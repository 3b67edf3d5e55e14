"""The store's schema revisions, oldest first: ``v0001_...``, ``v0002_...``."""
