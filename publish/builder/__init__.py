"""The build: gather every guide, plan, speak what is missing, finish each guide's outputs and
write them, then render pages, index and feed from the manifest.

Owns staleness (keys and the state of earlier builds), where work runs (this machine's processes,
or a Dask cluster: `cluster` is imported only when a scheduler is named) and the one place that
writes outputs. May import every layer below it; never the CLI.
"""
