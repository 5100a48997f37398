"""The help centre's REST API under /api/v1/: topics, answers, search, feedback, the assistant."""
