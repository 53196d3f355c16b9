"""studydeck's command line: `python cli.py build`, `validate`, `diagrams`, `plan` …"""

from studydeck.cli import main

if __name__ == "__main__":
    main()
