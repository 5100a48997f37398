"""Abusive uploads for the security tests: made in code, so what each one is stays visible."""
