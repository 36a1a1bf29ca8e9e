"""The web door: `levelup serve`'s app. Like ``cli/`` it parses a request, calls one service
with the request's ``Context`` and renders a page or the JSON the CLI's ``--json`` prints."""
