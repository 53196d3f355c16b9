"""studydeck's command line: `python cli.py build`, `validate`, `diagrams`, `plan` …"""

from studydeck.__main__ import main

if __name__ == "__main__":
    main()
