"""`python -m shopkeeper` and the `shopkeeper` command."""
import sys


def main() -> None:
    from .cli import main as cli_main

    sys.exit(cli_main())


if __name__ == "__main__":
    main()
