"""The build server: a process that has already loaded studydeck, forked once per command.

Starting a command costs more than a small build's work: Python loads pydantic's models,
python-pptx, Typer, Rich, Jinja2 and some sixty modules of studydeck before it reads a file (about
0.3 s). After a `build` or `validate` has run the usual way, a server is started in the background
that loads all of that once and waits. The next `build` or `validate` connects to it over a Unix
socket and hands over its arguments, working folder, environment and its terminal (stdin, stdout
and stderr themselves, passed as file descriptors). The server forks a copy of itself, which runs
the command exactly as the `studydeck` process would have and sends back the exit code. The
command's process forwards Ctrl-C and other signals to that copy and exits with its code.

- A copy per command: nothing one command does is seen by the next.
- Keyed by the code it runs: the socket's name is a digest of studydeck's files, the interpreter
  and its import path, so an upgraded or edited studydeck gets a new server (and the old one,
  seeing its files change, exits); an unused server exits after 15 minutes
  (`STUDYDECK_SERVER_IDLE` seconds).
- Only the user's own: the socket lives in a folder only its owner can open.
- `STUDYDECK_SERVER=0` turns it off, `=1` on even where it is off by default (when `CI` is set).
  `studydeck server status|start|stop` manage it by hand.

client.py runs in every `build` and `validate` and imports only what Python has anyway; served.py
is what the forked copy does; process.py is the server itself.
"""
