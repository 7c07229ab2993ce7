"""municms command line; all logic lives in the municms package."""

from municms.cli import main

if __name__ == "__main__":
    main()
