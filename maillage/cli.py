"""The `maillage` console command: Django's management commands with Maillage's settings."""

import os
import sys

# Commands that only make sense in production run with the production settings unless told otherwise.
PRODUCTION_COMMANDS = {"serve"}


def main() -> None:
    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        # `maillage rotate-keys` and `maillage rotate_keys` are the same command.
        argv[1] = argv[1].replace("-", "_")
    command = argv[1] if len(argv) > 1 else None
    default = "config.settings.prod" if command in PRODUCTION_COMMANDS else "config.settings.dev"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
