#!/usr/bin/env python
"""Django's command-line utility for Support Desk."""

import os
import sys


def main() -> None:
    """Run a management command; a bad environment stops it with one line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "support_desk.settings")
    from django.core.management import execute_from_command_line

    from support_desk.env import EnvError

    try:
        execute_from_command_line(sys.argv)
    except EnvError as exc:
        sys.stderr.write(f"support-desk: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
