"""Outputs: every format a reader gets, one module each, and the registry that lists them.

A format is an `Output` (`publish.outputs.registry`): its name, files, build key and a `make`
that returns `{path: bytes}` without writing. Also the site's files (index, feed, assets), the
manifest they are rendered from, and the templates. May import every layer below it
(foundation, `text`, `engines`, `guide`, `speech`, `audio`); never the build or the CLI.
"""
