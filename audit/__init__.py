"""The audit trail: who changed which setting of the desk, when, and from what to what."""
