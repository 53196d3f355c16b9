"""studydeck's command line: `python cli.py build`, `validate`, `diagrams`, `plan` …"""

from studydeck.cli import app

if __name__ == "__main__":
    app()
