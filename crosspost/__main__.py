"""``python -m crosspost``: the same entry point as the ``crosspost`` script."""

from crosspost.cli import main

if __name__ == "__main__":
    main()
